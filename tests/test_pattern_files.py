"""Pattern files are validated on load, and the engine knows no language or document."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import regex
import yaml

from extractor.langdata import PATTERNS_DIR, load_language
from extractor.schema import PatternError
from extractor.units.unlisted import unlisted_rules

from .conftest import CORPUS, ROOT, SHARED


def _copy_language(tmp_path: Path, code: str = "kk") -> Path:
    shutil.copytree(PATTERNS_DIR / code, tmp_path / code)
    return tmp_path / code


def test_a_missing_key_names_the_file_and_key(tmp_path: Path) -> None:
    folder = _copy_language(tmp_path)
    (folder / "change.yaml").write_text("decrease: [азайды]\nincrease: [өсті]\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"change\.yaml: key 'window'"):
        load_language.__wrapped__("kk", tmp_path)


def test_a_wrong_shape_names_the_file_and_key(tmp_path: Path) -> None:
    folder = _copy_language(tmp_path)
    text = (folder / "units.yaml").read_text(encoding="utf-8")
    (folder / "units.yaml").write_text(text.replace('KZT: ["теңге*"', 'KZT: [7, "теңге*"'), "utf-8")
    with pytest.raises(PatternError, match=r"units\.yaml: key 'units\.KZT'"):
        load_language.__wrapped__("kk", tmp_path)


def test_a_bad_regex_names_the_pattern(tmp_path: Path) -> None:
    folder = _copy_language(tmp_path)
    data = yaml.safe_load((folder / "time.yaml").read_text(encoding="utf-8"))
    data["patterns"].append({"id": "broken", "role": "year", "regex": "(?P<year>(19"})
    (folder / "time.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    last = len(data["patterns"]) - 1
    with pytest.raises(PatternError, match=rf"time\.yaml: key 'patterns\[{last}\]'"):
        load_language.__wrapped__("kk", tmp_path)


def test_an_unknown_status_label_is_refused(tmp_path: Path) -> None:
    folder = _copy_language(tmp_path)
    with (folder / "status.yaml").open("a", encoding="utf-8") as f:
        f.write('\nmaybe: ["мүмкін"]\n')
    with pytest.raises(PatternError, match=r"status\.yaml: key 'maybe'"):
        load_language.__wrapped__("kk", tmp_path)


def test_an_unknown_unit_among_lone_one_measures_is_refused(tmp_path: Path) -> None:
    folder = _copy_language(tmp_path)
    text = (folder / "numbers.yaml").read_text(encoding="utf-8")
    (folder / "numbers.yaml").write_text(text.replace("[kilogram,", "[kilogramme,"), "utf-8")
    with pytest.raises(PatternError, match=r"numbers\.yaml: key 'lone_one\.not_units'.*kilogramme"):
        load_language.__wrapped__("kk", tmp_path)


# The scorer reads gold spans of Kazakh news (their numerals, their currencies) with words of
# its own, apart from patterns/ on purpose: the gold side must not come from the code under test.
SCORER = ("extractor/evaluation/",)
# spaCy's Kazakh is registered under its language code (its words still come from patterns/).
NAMES_A_LANGUAGE = ("extractor/integrations/spacy/",)


def _engine_sources(besides: tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    left_out = (*SCORER, *besides)
    paths = sorted((ROOT / "extractor").rglob("*.py"))
    paths = [p for p in paths if not any(part in p.as_posix() for part in left_out)]
    return [(p, p.read_text(encoding="utf-8")) for p in paths]


def test_the_engine_never_names_a_language() -> None:
    for path, source in _engine_sources(besides=NAMES_A_LANGUAGE):
        for code in ("kk", "ru"):
            assert not regex.search(rf"[\"']{code}[\"']", source), (path, code)


def test_the_engine_holds_no_words_of_either_language() -> None:
    # Cyrillic may appear in comments and docstrings as examples, never in code.
    for path, source in _engine_sources():
        tree = ast.parse(source)
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not regex.search(r"\p{Cyrillic}", node.value), (path, node.lineno)


def _project_texts() -> str:
    """Every text the project holds: code, patterns, tests, docs, its corpus."""
    kinds = ("*.py", "*.yaml", "*.md", "*.txt", "*.html", "*.jsonl", "*.csv", "*.js")
    names = ("extractor", "patterns", "tests", "docs", "corpus", "bench", "scripts")
    folders = [ROOT / name for name in names]
    paths = [p for folder in folders for kind in kinds for p in folder.rglob(kind)]
    paths.append(ROOT / "README.md")
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths if p.is_file())


def test_no_seed_document_is_known_to_the_project() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not here")
    blob = _project_texts()
    for seed in seeds.glob("*.txt"):
        assert seed.stem not in blob and seed.stem.split("_")[-1] not in blob
        for sentence in regex.split(r"(?<=[.!?])\s+|\n+", seed.read_text(encoding="utf-8")):
            sentence = sentence.strip()
            if len(sentence) > 60:
                assert sentence not in blob, sentence[:80]


SHINGLE = 8  # words: a phrase this long shared with an evaluation text is a copy, not a habit


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in regex.findall(r"[\p{L}\d]+", text)]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _kaznerd_sentences(path: Path) -> list[str]:
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.split()[0])
        elif words:
            sentences.append(" ".join(words))
            words = []
    return sentences


def test_no_evaluation_text_is_copied_into_the_engine_or_its_patterns() -> None:
    """Issue 8: no figure, sentence or file name of an evaluation set (corpus/ dev and blind,
    KazNERD) appears in extractor/ or patterns/: rules are written from kinds of phrasing."""
    folders = (ROOT / "extractor", ROOT / "patterns")
    sources = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".py", ".yaml")]
    known: set[tuple[str, ...]] = set()
    blob = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        known |= _word_runs(text)
        blob.append(text)
    names = "\n".join(blob)
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in CORPUS.rglob("*")
             if p.suffix in (".txt", ".html", ".jsonl")}  # fmt: skip
    for name in texts:
        assert Path(name).stem not in names, name
    kaznerd = SHARED / "ner" / "KazNERD" / "IOB2_valid.txt"
    if kaznerd.is_file():
        texts |= {f"KazNERD {n}": s for n, s in enumerate(_kaznerd_sentences(kaznerd))}
    copied = {}
    for name, text in texts.items():
        shared = _word_runs(text) & known
        if shared:
            copied[name] = " ".join(min(shared))
    assert not copied, copied


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  unit: item", "  unit: Штука", "unlisted_nouns.unit"),
        ("  not_words_from: stopwords.yaml", "  not_words_from: [a.yaml]", "unlisted_nouns.not_words_from"),
        ("  min_length: 3", "  min_length: three", "unlisted_nouns.min_length"),
        ("  unit: item", "  unit: item\n  letters: '[\\p{Cyrillic'", "unlisted_nouns.letters"),
    ],
)
def test_a_bad_unlisted_nouns_rule_names_its_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    folder = _copy_language(tmp_path)
    text = (folder / "units.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "units.yaml").write_text(text.replace(old, new), "utf-8")
    with pytest.raises(PatternError, match=rf"units\.yaml: key '{regex.escape(key)}'"):
        unlisted_rules.__wrapped__(folder)


def test_a_subunit_currency_must_be_an_iso_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.numbers import rules

    folder = _copy_language(tmp_path)
    text = (folder / "numbers.yaml").read_text(encoding="utf-8")
    (folder / "numbers.yaml").write_text(text.replace("subunits_of: KZT", "subunits_of: tenge"), "utf-8")
    monkeypatch.setattr(rules, "PATTERNS_DIR", tmp_path)
    with pytest.raises(PatternError, match=r"numbers\.yaml: key 'subunits_of'"):
        rules.number_rules.__wrapped__("kk")
