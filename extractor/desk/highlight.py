"""The article as escaped segments: each figure span and scope mention marked, overlaps allowed.

The text is cut at every mark's start and end, so each segment carries the set of marks that
cover it and no element ever nests in another. Each segment knows its offset in the stored
text; the page's script adds the offset inside a segment to find a selection's characters.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

FIGURE = "figure"
ADDED = "added"  # a figure an editor added by hand
SCOPE_KINDS = ("region", "district", "year")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # FIGURE, ADDED, or one of SCOPE_KINDS
    record_id: str
    colour: str = "ind-none"  # CSS class of the figure's indicator


@dataclass
class Segment:
    start: int
    end: int
    text: str
    marks: list[Mark] = field(default_factory=list)

    def figures(self) -> list[Mark]:
        # the narrowest figure first: a click on nested spans picks the innermost
        found = [m for m in self.marks if m.kind in (FIGURE, ADDED)]
        return sorted(found, key=lambda m: (m.end - m.start, m.start))

    def scopes(self) -> list[Mark]:
        return [m for m in self.marks if m.kind in SCOPE_KINDS]


def valid_marks(text: str, marks: Iterable[Mark]) -> list[Mark]:
    """Marks whose offsets fall inside the text and are not empty (a stale record may not)."""
    return [m for m in marks if 0 <= m.start < m.end <= len(text)]


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """The text cut at every mark boundary; each piece lists the marks covering it."""
    usable = valid_marks(text, marks)
    cuts = sorted({0, len(text)} | {m.start for m in usable} | {m.end for m in usable})
    pieces = [Segment(a, b, text[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    starts = [p.start for p in pieces]
    for mark in usable:
        first = bisect.bisect_left(starts, mark.start)
        last = bisect.bisect_left(starts, mark.end)
        for piece in pieces[first:last]:
            piece.marks.append(mark)
    return pieces


def _escape_text(text: str) -> str:
    # the HTML parser turns a raw CR into LF; a character reference keeps offsets exact
    return str(escape(text)).replace("\r", "&#13;")


def _segment_html(piece: Segment) -> str:
    classes = ["seg"]
    attributes = [f'data-start="{piece.start}"']
    figures = piece.figures()
    if figures:
        classes += ["fig", figures[0].colour]
        if any(m.kind == ADDED for m in figures):
            classes.append("added")
        if len(figures) > 1:
            classes.append("overlap")
        attributes.append(f'data-records="{escape(" ".join(m.record_id for m in figures))}"')
    scopes = piece.scopes()
    if scopes:
        classes += sorted({f"ev-{m.kind}" for m in scopes})
        attributes.append(f'data-evidence="{escape(" ".join(m.record_id for m in scopes))}"')
    return f'<span class="{" ".join(classes)}" {" ".join(attributes)}>{_escape_text(piece.text)}</span>'


def render(text: str, marks: Sequence[Mark]) -> Markup:
    """The article as HTML: every character escaped, every segment a span with its offset."""
    return Markup("".join(_segment_html(piece) for piece in segments(text, marks)))
