"""Packaging beyond what pyproject.toml can say: patterns/ and models/ stay at the top of the
repository, and the built package carries them as extractor/_data/patterns and
extractor/_data/models, where extractor.resources finds them (importlib.resources).
Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup


def data_packages(package: str, folder: str) -> dict[str, str]:
    """The folder and every folder under it as a package (setuptools warns of unlisted ones)."""
    inner = find_namespace_packages(where=folder)
    return {package: folder, **{f"{package}.{name}": f"{folder}/{name.replace('.', '/')}" for name in inner}}


DATA = {
    **data_packages("extractor._data.patterns", "patterns"),
    **data_packages("extractor._data.models", "models"),
}

setup(
    # every package under extractor/, found as pyproject's packages.find would, plus the data
    packages=[*find_namespace_packages(include=["extractor", "extractor.*"]), *DATA],
    package_dir=DATA,
)
