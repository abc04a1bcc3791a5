"""displaCy pages of a text's figures: each figure marked and labelled with its unit and
indicator, as `displacy.render(doc, style="span", spans_key="figures")` shows them."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import spacy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from extractor.integrations.spacy import lang_kk  # noqa: F401  (registers `kk` without entry points)
from extractor.integrations.spacy.component import SPANS_KEY, set_figures
from extractor.record import Record

if TYPE_CHECKING:
    from extractor.explain import ExplainOptions
    from extractor.reader import Article, Failure

# light colours that keep the text readable; an indicator keeps its colour on every page
_PALETTE = ("#ffe08a", "#b5e3ff", "#c8f0c0", "#ffc9de", "#e0d0ff", "#ffd2a8", "#c2f2ec", "#eeeeaa")
_MULTILINGUAL = "xx"


@cache
def blank(lang: str) -> Language:
    """spaCy's blank pipeline of a language (derek's `kk` among them), else the multilingual one."""
    try:
        return spacy.blank(lang)
    except ImportError:
        return spacy.blank(_MULTILINGUAL)


def figures_doc(text: str, records: Iterable[Record], lang: str) -> Doc:
    """A Doc of the text, tokenized for its language, with the records' spans."""
    return set_figures(blank(lang).make_doc(text), records)


def label_colours(doc: Doc, spans_key: str = SPANS_KEY) -> dict[str, str]:
    """A colour per label, chosen by its indicator (the part after the unit)."""
    colours = {}
    for span in doc.spans.get(spans_key, []):
        indicator = span.label_.rpartition(" · ")[2]
        digest = hashlib.sha1(indicator.encode("utf-8")).digest()
        colours[span.label_] = _PALETTE[digest[0] % len(_PALETTE)]
    return colours


def figures_html(docs: Doc | list[Doc], spans_key: str = SPANS_KEY, page: bool = True) -> str:
    """displaCy's span view of the docs' figures: a whole HTML page, or its markup alone."""
    docs = [docs] if isinstance(docs, Doc) else docs
    colours = {label: c for doc in docs for label, c in label_colours(doc, spans_key).items()}
    options = {"spans_key": spans_key, "colors": colours}
    with warnings.catch_warnings():  # a text without figures is shown as it is, not warned about
        warnings.filterwarnings("ignore", message=r"\[W117\]")
        return displacy.render(docs, style="span", options=options, page=page, jupyter=False)


def article_doc(article: Article, options: ExplainOptions, title: bool) -> Doc:
    """An article's figures as `derek explain` finds them, on a Doc; titled by the article."""
    from extractor.api import extract_text
    from extractor.document import detect_language
    from extractor.langdata import available_languages

    own_lang = article.lang if article.lang in available_languages() else None
    lang = options.lang or own_lang
    records = extract_text(
        article.text,
        lang=lang,
        published=options.published or article.published,
        doc_id=article.doc_id,
        title=article.title,
        source=article.source,
        tagger=options.tagger,
    )
    code = records[0].lang if records else lang or detect_language(article.text)
    doc = figures_doc(article.text, records, code)
    if title:
        doc.user_data["title"] = f"{article.doc_id}: {article.source}"
    return doc


def write_explain_html(
    items: Iterable[Article | Failure], options: ExplainOptions, path: Path, err: TextIO, titles: bool
) -> tuple[int, int]:
    """`derek explain --html FILE`: one page of every readable article's figures; each
    unreadable one's reason on err. (articles, figures) shown."""
    from extractor.reader import Failure
    from extractor.terminal import printable

    docs = []
    for item in items:
        if isinstance(item, Failure):
            print(f"derek explain: {printable(item.source)}: {printable(item.reason)}", file=err)
        else:
            docs.append(article_doc(item, options, titles))
    if docs:
        path.write_text(figures_html(docs), encoding="utf-8")
    return len(docs), sum(len(doc.spans[SPANS_KEY]) for doc in docs)
