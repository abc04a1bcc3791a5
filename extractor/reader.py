"""Reading inputs: .txt, .html and .jsonl files in any common encoding."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

SUPPORTED = (".txt", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 20_000_000  # larger files are skipped with a reason, not read
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_FEED_TEXT_FIELDS = ("id", "url", "title", "published", "lang", "text", "html")
_PROSE_WORDS = 6  # a page whose lines are all shorter than this holds no article
# the standard engine: a set of ASCII characters, scanned in every file, twice as fast as regex
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_LETTER = regex.compile(r"\p{L}")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class InputError(ValueError):
    """A file or line that cannot be read as an article; the message is the reason."""

    def __init__(self, reason: str, status: str = "error") -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Article:
    """One article as read: its text and what its container said about it."""

    doc_id: str
    source: str
    text: str
    sha256: str
    title: str | None = None
    published: str | None = None
    lang: str | None = None
    note: str = ""  # what the manifest should say about how it was read (a doubtful encoding)


@dataclass(frozen=True)
class Failure:
    doc_id: str
    source: str
    status: str  # empty | skipped | error
    reason: str
    sha256: str = ""


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every file under the given files and folders, in a stable order: unsupported types too,
    so that each gets its manifest row. Hidden files and folders (.git, editors' temporary
    files) are not inputs."""
    found: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)
            continue
        inside: list[str] = []
        for folder, folders, names in os.walk(path):
            folders[:] = [name for name in folders if not name.startswith(".")]  # not walked into
            inside.extend(os.path.join(folder, name) for name in names if not name.startswith("."))
        # the order rglob gave: by path parts, so that a folder's files stay together
        found.extend(Path(p) for p in sorted(inside, key=lambda p: p.split(os.sep)))
    return found


def decode(data: bytes) -> tuple[str, str]:
    """Text from bytes, and a note when the decoding is doubtful ("" when it is sure).

    A BOM, else UTF-8 (a few bad bytes are replaced, not a reason to guess another code
    page), else UTF-16 without a BOM, else charset-normalizer's best guess.
    """
    if not data.strip():
        raise InputError("empty file", "empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), ""
    text, note = _utf16(data) if data.count(0) > len(data) // 8 else _utf8(data)
    if text is None:
        text, note = _guess(data)
    if len(_CONTROL.findall(text[:10000])) > max(3, len(text[:10000]) // 100):
        raise InputError("binary file: not text")
    return text, note


def _utf8(data: bytes) -> tuple[str | None, str]:
    """UTF-8, strict; or with replacements when the bad bytes are rare (a damaged file)."""
    try:
        return data.decode("utf-8").replace("\x00", ""), ""
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(2, len(text) // 1000):
        return text.replace("\x00", ""), f"decoded as utf-8 with {bad} invalid byte(s) replaced"
    return None, ""


def _utf16(data: bytes) -> tuple[str | None, str]:
    """UTF-16 without a BOM: the zero bytes of Latin and Cyrillic text fall on one side."""
    half = max(1, len(data) // 2)
    odd, even = data[1::2].count(0) / half, data[0::2].count(0) / half
    if max(odd, even) < 0.3:
        return None, ""
    encoding = "utf-16-le" if odd >= even else "utf-16-be"
    return data.decode(encoding, errors="replace"), ""


def _guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("binary file: not text")
    text = str(best)
    letters = len(_LETTER.findall(text[:10000]))
    if letters == 0:
        raise InputError("binary file: not text")
    if best.encoding in _SURE_GUESSES and best.chaos < 0.1:
        return text, ""
    return text, f"encoding guessed as {best.encoding} (doubtful: chaos {best.chaos:.2f})"


# Code pages of Kazakh and Russian text that a detector tells apart reliably when it is calm.
_SURE_GUESSES = ("cp1251", "koi8_r", "cp866", "kz1048", "mac_cyrillic", "iso8859_5", "ptcp154")


def valid_text(value: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (possible in JSON) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def display_name(path: Path | str) -> str:
    """A path as text that encodes as UTF-8, whatever bytes its name holds."""
    text = os.fspath(path)
    if text.isascii():  # most names: the same text either way, told without encoding it
        return text
    return os.fsencode(text).decode("utf-8", errors="backslashreplace")


def regular_size(path: Path) -> int:
    """The size of a regular file; InputError for a FIFO, a device or a file too large."""
    return regular_stat(path).st_size


def regular_stat(path: Path) -> os.stat_result:
    """os.stat of a regular file; InputError for a FIFO, a device or a file too large."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a pipe, device or folder)", "skipped")
    if info.st_size > MAX_FILE_BYTES:
        size = info.st_size / 1e6
        raise InputError(f"file too large: {size:.1f} MB > {MAX_FILE_BYTES / 1e6:.0f} MB", "skipped")
    return info


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> Iterator[Article | Failure]:
    """The articles of one file, or the reason it has none."""
    source, stem = display_name(path), display_name(path.stem)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:  # told without reading it: a large archive costs nothing
        yield Failure(stem, source, "skipped", f"unsupported type {suffix or '(none)'}")
        return
    try:
        regular_size(path)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a file that grew meanwhile is still bounded
    except InputError as exc:
        yield Failure(stem, source, exc.status, str(exc))
        return
    except OSError as exc:
        yield Failure(stem, source, "error", f"cannot read file: {exc.strerror or exc}")
        return
    digest = _sha256(data)
    try:
        text, note = decode(data)
        if suffix == ".jsonl":
            yield from _read_feed(source, stem, text)
        elif suffix in (".html", ".htm"):
            yield _read_html(stem, source, text, digest, note=note)
        else:
            yield Article(stem, source, text, digest, note=note)
    except InputError as exc:
        yield Failure(stem, source, exc.status, str(exc), digest)


def import_readers() -> None:
    """Import what HTML pages and guessed encodings are read with (each is imported on first
    use: most runs never need them, and importing them takes a good part of a second)."""
    import charset_normalizer  # noqa: F401
    import trafilatura  # noqa: F401


def _read_html(
    doc_id: str, source: str, html: str, digest: str, note: str = "", **meta: str | None
) -> Article:
    import trafilatura  # imported here: it is slow to load and only HTML needs it

    # the page's own metadata is read only where the feed leaves title or date out: it costs
    # as much as the body, and it changes nothing of the body's text
    wanted = not (meta.get("title") and meta.get("published"))
    # a trafilatura Document, or None (as_dict is off; its hints say a dict may come too)
    found: Any = trafilatura.bare_extraction(html, with_metadata=wanted, include_comments=False)
    body = (found.text or "").strip() if found is not None else ""
    if not any(len(line.split()) >= _PROSE_WORDS for line in body.splitlines()):
        # menus and link lists are short lines; an article has sentences
        raise InputError("no article text found in the page", "empty")
    title = meta.get("title") or (found.title or "").strip()
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    published = meta.get("published") or found.date
    return Article(doc_id, source, body, digest, title or None, published, meta.get("lang"), note)


def _read_feed(path: str, stem: str, text: str) -> Iterator[Article | Failure]:
    seen: dict[str, str] = {}  # id -> digest of the version kept
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fallback_id = f"{stem}:{number}"
        source = f"{path}:{number}"
        digest = _sha256(valid_text(line).encode("utf-8"))
        try:
            item = json.loads(line, parse_constant=_no_constant)
            article = _feed_article(item, fallback_id, source, digest)
            if article.doc_id in seen:
                kept = "the same text" if seen[article.doc_id] == digest else "another text"
                raise InputError(f"id {article.doc_id!r} repeats line {kept}: the first is kept", "skipped")
            seen[article.doc_id] = digest
            yield article
        except json.JSONDecodeError as exc:
            yield Failure(fallback_id, source, "error", f"line {number}: malformed JSON: {exc.msg}", digest)
        except InputError as exc:
            yield Failure(fallback_id, source, exc.status, f"line {number}: {exc}", digest)


def _no_constant(name: str) -> object:
    raise InputError(f"{name} is not a value a feed may hold")


def _feed_fields(item: object) -> dict[str, str]:
    """The feed line's known fields as valid text; wrong types are errors, not guesses."""
    if not isinstance(item, dict):
        raise InputError("a feed line must be a JSON object")
    fields = {}
    for key in _FEED_TEXT_FIELDS:
        value = item.get(key)
        if value is None or value == "":
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise InputError(f"field {key!r} must be a string, not {type(value).__name__}")
        fields[key] = valid_text(value)
    return fields


def _feed_article(item: object, fallback_id: str, source: str, digest: str) -> Article:
    fields = _feed_fields(item)
    doc_id = fields.get("id") or fallback_id
    source = fields.get("url") or source
    meta = {k: fields.get(k) for k in ("title", "published", "lang")}
    if fields.get("html"):
        return _read_html(doc_id, source, fields["html"], digest, note="", **meta)
    body = fields.get("text", "").strip()
    if not body:
        raise InputError("no text or html", "empty")
    title = meta["title"]
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    return Article(doc_id, source, text, digest, title, meta["published"], meta["lang"])
