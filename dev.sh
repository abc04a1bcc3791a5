#!/usr/bin/env bash
# Sets derek up in .venv from nothing but Python and pip, then runs a task.
#   bash dev.sh run    run the job on corpus/ into outputs/ (incremental store + dataset)
#   bash dev.sh test   run the linter and the tests
#   bash dev.sh compiled  build the compiled wheel (mypyc; needs a C compiler) into dist/,
#                      install it in .venv-compiled, and benchmark it beside the source
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv

setup() {
  if [[ ! -x $VENV/bin/python ]]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # reinstall only when pyproject.toml changed since the last install
  local stamp=$VENV/.installed
  if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    # torch first and alone, so that stanza finds it installed (see pyproject.toml)
    "$VENV/bin/python" -m pip install --quiet torch==2.13.0
    "$VENV/bin/python" -m pip install --quiet -e '.[stanza,dask,spacy,desk,compile,test]'
    touch "$stamp"
  fi
}

case "${1:-}" in
  run)
    setup
    "$VENV/bin/derek" run corpus/ --store outputs/
    "$VENV/bin/derek" eval corpus/expected outputs/records.csv | tail -n 1
    ;;
  test)
    setup
    "$VENV/bin/ruff" check extractor tests scripts bench
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider
    ;;
  compiled)
    setup
    # built from a copy: a build in place leaves build/ behind, and stale files get into wheels
    src=$(mktemp -d)
    trap 'rm -rf "$src"' EXIT
    cp -r pyproject.toml setup.py README.md LICENSE extractor patterns models "$src"/
    find "$src" \( -name __pycache__ -o -name '*.so' \) -prune -exec rm -rf {} +
    rm -f dist/derek-*-cp*.whl
    DEREK_COMPILE=1 "$VENV/bin/python" -m pip wheel "$src" --no-deps --no-build-isolation -q -w dist/
    "$PYTHON" -m venv --clear .venv-compiled
    .venv-compiled/bin/python -m pip install --quiet dist/derek-*-cp*.whl
    "$VENV/bin/python" bench/bench_taggers.py --taggers none
    "$VENV/bin/python" bench/bench_taggers.py --taggers none --python .venv-compiled/bin/python | tail -n 1
    ;;
  *)
    echo "usage: bash dev.sh run|test|compiled" >&2
    exit 2
    ;;
esac
