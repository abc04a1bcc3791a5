"""Loading pattern files with checks whose errors name the file and the key."""

from __future__ import annotations

from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any

import regex
import yaml

from extractor.terms import TermSet, normalize_word

if TYPE_CHECKING:
    from extractor.script import ScriptTable

Key = str | tuple[str, ...]


# libyaml's safe loader where PyYAML was built with it: pattern files load several times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _name(key: Key) -> str:
    return key if isinstance(key, str) else ".".join(key)


class PatternError(ValueError):
    """A pattern file is missing, malformed, or holds a value of the wrong shape."""


class PatternFile:
    """One YAML file of patterns/, read once, with typed accessors that check shapes."""

    def __init__(self, path: Path, script: ScriptTable | None | EllipsisType = ...) -> None:
        # script: the language's other alphabets (by default its folder's script.yaml, if
        # any); terms and forms then match in each of them
        self.path = path
        if script is ...:
            from extractor.script import load_script  # the script module reads PatternFiles

            script = load_script(path.parent)
        self.script = script
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except FileNotFoundError as exc:
            raise PatternError(f"{path}: file is missing") from exc
        except yaml.YAMLError as exc:
            raise PatternError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise PatternError(f"{path}: expected a mapping at the top level")
        self.data: dict[str, Any] = data

    def error(self, key: Key, message: str) -> PatternError:
        return PatternError(f"{self.path}: key '{_name(key)}': {message}")

    def get(self, key: Key, default: Any = ...) -> Any:
        """A value by dotted name, or by a tuple of parts when names hold dots."""
        node: Any = self.data
        for name in key.split(".") if isinstance(key, str) else key:
            part: str | int = name
            if isinstance(node, dict) and name not in node and str(name).isdigit():
                part = int(name)  # YAML reads «1:» as a number
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise self.error(key, "is required")
                return default
            node = node[part]
        return node

    def strings(self, key: Key, default: Any = ...) -> list[str]:
        value = self.get(key) if default is ... else self.get(key, default)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of non-empty strings")
        return value

    def variants(self, term: str) -> tuple[str, ...]:
        """The term and its forms in the language's other scripts."""
        return self.script.variants(term) if self.script is not None else (term,)

    def forms(self, key: Key, default: Any = ..., allow_empty: bool = False) -> list[str]:
        """A list of strings (endings, stems, phrases) with their forms in other scripts,
        each also normalized, for code that compares them with normalized words."""
        if allow_empty:  # an ending that is no ending
            items = self.get(key, default) if default is not ... else self.get(key)
            if not isinstance(items or [], list) or not all(isinstance(v, str) for v in items or []):
                raise self.error(key, "must be a list of strings")
        else:
            items = self.strings(key, default)
        forms = [form for item in items or [] for form in self.variants(item)]
        return list(dict.fromkeys(v for form in forms for v in (form, normalize_word(form))))

    def labelled_terms(self, labels: list[Any], lemmas: bool = False) -> TermSet:
        """Top-level keys of the file as labels, each with its list of terms."""
        pairs = [(label, v) for label in labels for t in self.strings(label) for v in self.variants(t)]
        return self._termset(",".join(map(str, labels)), pairs, lemmas)

    def terms(self, key: str, label: object = True, default: Any = ...) -> TermSet:
        items = self.strings(key, default)
        return self._termset(key, [(label, v) for t in items for v in self.variants(t)])

    def term_map(self, key: str, default: Any = ..., label_type: type = str) -> TermSet:
        """A mapping label -> list of terms, e.g. unit -> words naming it."""
        mapping = self.get(key, {} if default is ... else default) or {}
        if not isinstance(mapping, dict):
            raise self.error(key, "must be a mapping of label to a list of terms")
        pairs: list[tuple[object, str]] = []
        for label, items in mapping.items():
            if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
                raise self.error(f"{key}.{label}", "must be a list of non-empty strings")
            try:
                typed = label_type(label)
            except (TypeError, ValueError) as exc:
                raise self.error(f"{key}.{label}", f"label is not a {label_type.__name__}") from exc
            pairs.extend((typed, v) for item in items for v in self.variants(item))
        return self._termset(key, pairs)

    def _termset(self, key: str, pairs: list[tuple[object, str]], lemmas: bool = False) -> TermSet:
        # a hand-written form may repeat a derived one: keep one of each
        unique: dict[tuple[object, str], tuple[object, str]] = {}
        for label, text in pairs:
            unique.setdefault((label, normalize_word(text)), (label, text))
        try:
            return TermSet(unique.values(), lemmas)
        except ValueError as exc:
            raise self.error(key, str(exc)) from exc

    def pattern(self, key: str, source: str, ignore_case: bool = True) -> regex.Pattern[str]:
        flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
        try:
            return regex.compile(source, flags)
        except regex.error as exc:
            raise self.error(key, f"bad regular expression: {exc}") from exc

    def integer(self, key: str, default: Any = ...) -> int:
        value = self.get(key, default)
        if not isinstance(value, int):
            raise self.error(key, "must be an integer")
        return value
