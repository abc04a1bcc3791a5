"""Packaging beyond what pyproject.toml can say: patterns/ and models/ stay at the top of the
repository, and the built package carries them as extractor/_data/patterns and
extractor/_data/models, where extractor.resources finds them (importlib.resources).
With DEREK_COMPILE=1 the modules every article goes through are compiled with mypyc (a
platform wheel, about 1.5 times as fast; README "Speed"). Everything else is in pyproject.toml."""

import os

from setuptools import find_namespace_packages, setup


def data_packages(package: str, folder: str) -> dict[str, str]:
    """The folder and every folder under it as a package (setuptools warns of unlisted ones)."""
    inner = find_namespace_packages(where=folder)
    return {package: folder, **{f"{package}.{name}": f"{folder}/{name.replace('.', '/')}" for name in inner}}


DATA = {
    **data_packages("extractor._data.patterns", "patterns"),
    **data_packages("extractor._data.models", "models"),
}

# What each article goes through, from reading its file to its records: compiled, these run
# without the interpreter's dispatch. The rest (command line, store, desk, loading of
# patterns) runs once per run or per page and stays Python.
COMPILED = [
    "extractor/api.py",
    "extractor/reader.py",
    "extractor/tagging.py",
    "extractor/runcontrol.py",
    "extractor/script.py",
    "extractor/caseless.py",
    "extractor/tokens.py",
    "extractor/terms.py",
    "extractor/document.py",
    "extractor/timeinfo.py",
    "extractor/pipeline.py",
    "extractor/record.py",
    "extractor/figures.py",
    "extractor/figure_units.py",
    "extractor/qualify.py",
    "extractor/classify.py",
    "extractor/numbers/amounts.py",
    "extractor/numbers/digits.py",
    "extractor/numbers/ranges.py",
    "extractor/numbers/rules.py",
    "extractor/numbers/words.py",
    "extractor/units/before.py",
    "extractor/units/checks.py",
    "extractor/units/finder.py",
    "extractor/units/unlisted.py",
    "extractor/units/words.py",
    "extractor/places/districts.py",
    "extractor/places/gazetteer.py",
    "extractor/places/mentions.py",
    "extractor/places/scope.py",
]


def compiled_modules() -> list:
    if os.environ.get("DEREK_COMPILE") != "1":
        return []
    from mypyc.build import mypycify  # the `compile` extra; needs a C compiler

    return mypycify(["--ignore-missing-imports", *COMPILED], opt_level="3")


setup(
    # every package under extractor/, found as pyproject's packages.find would, plus the data
    packages=[*find_namespace_packages(include=["extractor", "extractor.*"]), *DATA],
    package_dir=DATA,
    ext_modules=compiled_modules(),
)
