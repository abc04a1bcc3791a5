"""The `derek` pipeline component: derek's records as spans of a spaCy Doc.

    nlp = spacy.blank("kk")          # or "ru"
    nlp.add_pipe("derek")            # config: tagger, models, lang, spans_key
    doc = nlp(text)
    doc.spans["figures"]             # one Span per record, in order
    span._.record, span._.value, span._.unit, span._.indicator, …
    doc._.records                    # the Records, in order

The engine runs on `doc.text` unchanged, so each record keeps its exact offsets; its span
is the smallest run of spaCy's tokens that covers them. The publication date (which
resolves «биыл», «в прошлом году») comes from `doc._.published`, or from a context dict's
`published` through `nlp.pipe(..., as_tuples=True)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from functools import partial
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import raise_error

from extractor.record import COLUMNS, Record

SPANS_KEY = "figures"
# the records of a doc, as plain rows: user_data crosses processes (nlp.pipe(n_process=…)) as msgpack
RECORDS_KEY = "derek.records"
# the document's own columns are no attributes of one figure
_DOCUMENT_FIELDS = ("doc_id", "source", "lang", "published", "title")
SPAN_FIELDS = tuple(name for name in COLUMNS if name not in _DOCUMENT_FIELDS)
_RECORD_FIELDS = tuple(f.name for f in fields(Record))
ErrorHandler = Callable[[str, Any, list[Doc], Exception], None]


def figure_label(record: Record) -> str:
    """A span's label: the unit, and the indicator where the figure has one."""
    return f"{record.unit} · {record.indicator}" if record.indicator else record.unit


def _row(record: Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


def _tuples(value: Any) -> Any:
    """msgpack gives lists back where the record held tuples (`patterns`, `evidence`)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list | tuple) else value


def doc_records(doc: Doc) -> list[Record]:
    """`doc._.records`: the records the component found, in order."""
    rows = doc.user_data.get(RECORDS_KEY) or []
    return [Record(**{k: _tuples(v) for k, v in row.items() if k in _RECORD_FIELDS}) for row in rows]


def span_record(span: Span) -> Record | None:
    """`span._.record`: the record whose span this is (found by its record_id, the span's id)."""
    for row in span.doc.user_data.get(RECORDS_KEY) or []:
        if row["record_id"] == span.id_:
            return Record(**{k: _tuples(v) for k, v in row.items() if k in _RECORD_FIELDS})
    return None


def _span_field(name: str, span: Span) -> Any:
    record = span_record(span)
    return None if record is None else getattr(record, name)


def register_extensions() -> None:
    """`doc._.records`, `doc._.published`, `span._.record` and one span extension per field.

    Called when a derek component is made or figures are set, not on import: spaCy imports
    every installed factory whenever it makes any pipeline, and extensions are global.
    """
    if Span.has_extension("record") and Span.get_extension("record")[2] is span_record:
        return
    Doc.set_extension("records", getter=doc_records, force=True)
    if not Doc.has_extension("published"):  # a value set before this import stays
        Doc.set_extension("published", default=None)
    Span.set_extension("record", getter=span_record, force=True)
    for name in SPAN_FIELDS:
        Span.set_extension(name, getter=partial(_span_field, name), force=True)


def set_figures(doc: Doc, records: Iterable[Record], spans_key: str = SPANS_KEY) -> Doc:
    """Put records on a doc: their spans under `spans_key`, the records in `doc._.records`.

    A record whose characters do not fall on token boundaries («20,5%» of the token
    «20,5%-ы») gets the tokens that cover it; the record keeps its exact offsets.
    """
    register_extensions()
    records = list(records)
    spans = []
    for record in records:
        span = doc.char_span(
            record.char_start,
            record.char_end,
            label=figure_label(record),
            alignment_mode="expand",
            span_id=record.record_id,
        )
        if span is not None:
            spans.append(span)
    doc.user_data[RECORDS_KEY] = [_row(r) for r in records]
    doc.spans[spans_key] = spans
    return doc


def _context_value(doc: Doc, key: str) -> Any:
    context = getattr(doc, "_context", None)  # nlp.pipe(..., as_tuples=True) sets it while the pipeline runs
    return context.get(key) if isinstance(context, dict) else None


def _date_text(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else None


class DerekFigures:
    """Runs derek's engine on each doc's text and sets its figures."""

    def __init__(
        self, nlp: Language, name: str, tagger: str, models: str | None, lang: str | None, spans_key: str
    ) -> None:
        from extractor.langdata import available_languages
        from extractor.tagging import TAGGERS

        if tagger not in TAGGERS:
            raise ValueError(f"derek: tagger {tagger!r}; choose one of {', '.join(TAGGERS)}")
        languages = available_languages()
        if lang is not None and lang not in languages:
            raise ValueError(f"derek: no patterns for language {lang!r}; have {', '.join(languages)}")
        register_extensions()
        self.name = name
        self.tagger_name = tagger
        self.models = models
        # derek's language: the one asked for, else the pipeline's where derek reads it, else
        # detected in each text
        self.lang = lang or (nlp.lang if nlp.lang in languages else None)
        self.spans_key = spans_key
        self._tagger: Any = None  # made on first use: a Stanza tagger is heavy to load and to pickle
        self._error_handler: ErrorHandler = raise_error

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__ | {"_tagger": None}

    def __call__(self, doc: Doc) -> Doc:
        from extractor.api import extract_text
        from extractor.tagging import make_tagger

        if self._tagger is None:
            self._tagger = make_tagger(self.tagger_name, self.models)
        if doc._.published is None:
            doc._.published = _context_value(doc, "published")
        doc._.published = _date_text(doc._.published)  # a date object would not cross processes
        records = []
        if doc.text.strip():
            records = extract_text(
                doc.text,
                lang=self.lang,
                published=doc._.published,
                doc_id=_context_value(doc, "doc_id"),
                tagger=self._tagger,
            )
        return set_figures(doc, records, self.spans_key)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            try:
                yield self(doc)
            except Exception as exc:  # spaCy's convention: the pipeline's error handler decides
                self._error_handler(self.name, self, [doc], exc)

    def set_error_handler(self, error_handler: ErrorHandler) -> None:
        self._error_handler = error_handler

    def get_error_handler(self) -> ErrorHandler:
        return self._error_handler


@Language.factory(
    "derek",
    default_config={"tagger": "none", "models": None, "lang": None, "spans_key": SPANS_KEY},
)
def make_derek(
    nlp: Language, name: str, tagger: str, models: str | None, lang: str | None, spans_key: str
) -> DerekFigures:
    """derek's figures as spans: `tagger` none|stanza, `models` a Stanza models folder (None:
    $DEREK_MODELS or the bundled set), `lang` derek's language (None: the pipeline's)."""
    return DerekFigures(nlp, name, tagger, models, lang, spans_key)
