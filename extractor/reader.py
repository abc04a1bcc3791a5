"""Reading inputs: .txt, .html and .jsonl files in any common encoding."""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import regex

SUPPORTED = (".txt", ".html", ".htm", ".jsonl")
_PROSE_WORDS = 6  # a page whose lines are all shorter than this holds no article
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
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


@dataclass(frozen=True)
class Failure:
    doc_id: str
    source: str
    status: str  # empty | skipped | error
    reason: str
    sha256: str = ""


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Supported files under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.suffix.lower() in SUPPORTED)
        else:
            found.append(path)
    return found


def decode(data: bytes) -> str:
    """Text from bytes: a BOM, else UTF-8, else UTF-16 without BOM, else cp1251."""
    if not data.strip():
        raise InputError("empty file", "empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data:
        return _decode_utf16(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_cp1251(data)
    if len(_CONTROL.findall(text[:10000])) > max(3, len(text[:10000]) // 100):
        raise InputError("binary file: not text")
    return text


def _decode_utf16(data: bytes) -> str:
    odd_zeros = data[1::2].count(0) / max(1, len(data) // 2)
    even_zeros = data[0::2].count(0) / max(1, len(data) // 2)
    if max(odd_zeros, even_zeros) < 0.3:
        raise InputError("binary file: not text")
    encoding = "utf-16-le" if odd_zeros >= even_zeros else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError("binary file: not text") from exc


def _decode_cp1251(data: bytes) -> str:
    text = data.decode("cp1251", errors="replace")
    letters = len(_LETTER.findall(text[:10000]))
    if letters == 0 or len(_CYRILLIC.findall(text[:10000])) / letters < 0.5:
        raise InputError("unknown encoding: neither UTF-8, UTF-16 nor cp1251 text")
    return text


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> Iterator[Article | Failure]:
    """The articles of one file, or the reason it has none."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(path.stem, source, "error", f"cannot read file: {exc.strerror or exc}")
        return
    digest = _sha256(data)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield Failure(path.stem, source, "skipped", f"unsupported file type '{suffix}'", digest)
        return
    try:
        text = decode(data)
        if suffix == ".jsonl":
            yield from _read_feed(path, text)
        elif suffix in (".html", ".htm"):
            yield _read_html(path.stem, source, text, digest)
        else:
            yield Article(path.stem, source, text, digest)
    except InputError as exc:
        yield Failure(path.stem, source, exc.status, str(exc), digest)


def _read_html(doc_id: str, source: str, html: str, digest: str, **meta: str | None) -> Article:
    import trafilatura  # imported here: it is slow to load and only HTML needs it

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    body = (found.text or "").strip() if found is not None else ""
    if not any(len(line.split()) >= _PROSE_WORDS for line in body.splitlines()):
        # menus and link lists are short lines; an article has sentences
        raise InputError("no article text found in the page", "empty")
    title = meta.get("title") or (found.title or "").strip()
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    published = meta.get("published") or found.date
    return Article(doc_id, source, body, digest, title or None, published, meta.get("lang"))


def _read_feed(path: Path, text: str) -> Iterator[Article | Failure]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fallback_id = f"{path.stem}:{number}"
        source = f"{path}:{number}"
        digest = _sha256(line.encode("utf-8"))
        try:
            yield _feed_article(json.loads(line), fallback_id, source, digest)
        except json.JSONDecodeError as exc:
            yield Failure(fallback_id, source, "error", f"line {number}: malformed JSON: {exc.msg}", digest)
        except InputError as exc:
            yield Failure(fallback_id, source, exc.status, f"line {number}: {exc}", digest)


def _feed_article(item: object, fallback_id: str, source: str, digest: str) -> Article:
    if not isinstance(item, dict):
        raise InputError("a feed line must be a JSON object")
    doc_id = str(item.get("id") or fallback_id)
    source = str(item.get("url") or source)
    meta = {k: (str(item[k]) if item.get(k) else None) for k in ("title", "published", "lang")}
    if item.get("html"):
        return _read_html(doc_id, source, str(item["html"]), digest, **meta)
    body = str(item.get("text") or "").strip()
    if not body:
        raise InputError("no text or html", "empty")
    title = meta["title"]
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    return Article(doc_id, source, text, digest, title, meta["published"], meta["lang"])
