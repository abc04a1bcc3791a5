"""One chart definition for an indicator by region and year: SVG for the desk's overview (each
point a link to the records behind it), PNG or SVG for reports (`derek chart`).

A point is a region's figure for a year: the level, actual, region-wide records of the
indicator in its most common unit (a district's figure is not its region's, a plan is not a
fact). Records an editor judged wrong are left out and fixes are applied before plotting.
Where the records of one point disagree, the point is flagged as a conflict.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
NATIONAL_COLOUR = "#222222"
CONFLICT_COLOUR = "#d62728"
# one fixed style for every output: the same store always draws the same chart
STYLE = {"svg.hashsalt": "derek", "svg.fonttype": "none", "font.size": 9}
MAX_YEAR_TICKS = 16


@dataclass(frozen=True)
class Point:
    region_code: str
    region_name: str
    year: int
    value: float  # the median of its records' values
    values: tuple[float, ...]  # every distinct value stated
    record_ids: tuple[str, ...]
    reviewed: bool  # an editor confirmed or fixed every record behind it

    @property
    def conflict(self) -> bool:
        return len(self.values) > 1

    def label(self, unit: str) -> str:
        stated = ", ".join(f"{v:,.10g}" for v in self.values)
        notes = [f"{len(self.record_ids)} records", "reviewed" if self.reviewed else "not all reviewed"]
        if self.conflict:
            notes.append("conflicting values")
        return f"{self.region_name} {self.year}: {stated} {unit} ({'; '.join(notes)})"


@dataclass(frozen=True)
class Series:
    indicator: str
    unit: str
    points: tuple[Point, ...]


def chart_series(records: pd.DataFrame, indicator: str, reviewed: Collection[str] = ()) -> Series:
    """The points of one indicator from records (decisions already applied)."""
    rows = records[
        (records["indicator"] == indicator)
        & (records["measure"] == "level")
        & (records["status"] == "actual")
        & (records["region_code"].fillna("") != "")
        & (records["district_code"].fillna("") == "")
        & records["year"].notna()
        & (records["repeat_of"].fillna("") == "")
    ]
    if rows.empty:
        return Series(indicator, "", ())
    unit = str(rows["unit"].value_counts().index[0])
    rows = rows[rows["unit"] == unit]
    points = []
    for (code, year), group in rows.groupby(["region_code", "year"], sort=True):
        ids = tuple(group["record_id"])
        values = tuple(sorted(set(group["value"].astype(float))))
        points.append(
            Point(
                str(code),
                str(group["region_name"].iloc[0] or code),
                int(year),
                float(group["value"].median()),
                values,
                ids,
                all(rid in reviewed for rid in ids),
            )
        )
    return Series(indicator, unit, tuple(points))


def draw(series: Series, link: Callable[[Point], str] | None = None) -> Figure:
    """The chart: a line per region over the years; hollow points are not yet reviewed,
    red rings are conflicts. With `link`, each point carries its URL (SVG output)."""
    import matplotlib

    figure = Figure(figsize=(8.0, 4.2), layout="constrained")
    with matplotlib.rc_context(STYLE):
        axes = figure.add_subplot()
        by_region: dict[str, list[Point]] = {}
        for point in series.points:
            by_region.setdefault(point.region_code, []).append(point)
        tab20 = matplotlib.colormaps["tab20"]
        palette = [tab20(i) for i in (*range(0, 20, 2), *range(1, 20, 2))]  # the strong shades first
        for n, (code, points) in enumerate(sorted(by_region.items())):
            colour = NATIONAL_COLOUR if code == "KZ" else palette[n % len(palette)]
            _draw_region(axes, points, colour, n, link)
        _decorate(axes, series, bool(by_region))
    return figure


def _draw_region(
    axes: Axes, points: list[Point], colour: object, n: int, link: Callable[[Point], str] | None
) -> None:
    years = [p.year for p in points]
    values = [p.value for p in points]
    axes.plot(years, values, color=colour, linewidth=1.2, label=points[0].region_name)
    faces = [colour if p.reviewed else "white" for p in points]
    dots = axes.scatter(years, values, s=36, c=faces, edgecolors=[colour], linewidths=1.5, zorder=3)
    dots.set_gid(f"points-{n}")
    if link is not None:
        dots.set_urls([link(p) for p in points])
    conflicts = [p for p in points if p.conflict]
    if conflicts:
        # the ring marks the point (their median); the red bar spans the values stated
        years = [p.year for p in conflicts]
        lows, highs = [p.values[0] for p in conflicts], [p.values[-1] for p in conflicts]
        axes.vlines(years, lows, highs, colors=CONFLICT_COLOUR, linewidths=1, zorder=1)
        ring = {"s": 150, "facecolors": "none", "edgecolors": CONFLICT_COLOUR, "linewidths": 1.5, "zorder": 2}
        axes.scatter(years, [p.value for p in conflicts], **ring)


def _grouped(value: float, _: object = None) -> str:
    """An axis label: 157 700 as the press writes it; millions and billions of tenge short."""
    for scale, word in ((1e9, " bn"), (1e6, " mn")):
        if abs(value) >= scale:
            return f"{value / scale:,.10g}{word}".replace(",", " ")
    return f"{value:,.10g}".replace(",", " ")


def _decorate(axes: Axes, series: Series, any_points: bool) -> None:
    axes.set_title(series.indicator, loc="left", fontweight="bold")
    axes.set_ylabel(series.unit or "")
    axes.xaxis.get_major_locator().set_params(integer=True)
    years = sorted({p.year for p in series.points})
    if years:
        # every year a tick while they fit; a lone year would otherwise get a century around it
        axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        if years[-1] - years[0] <= MAX_YEAR_TICKS:
            axes.set_xticks(range(years[0], years[-1] + 1))
    axes.yaxis.set_major_formatter(FuncFormatter(_grouped))
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.spines[["top", "right"]].set_visible(False)
    if any_points:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    else:
        axes.text(0.5, 0.5, "no figures yet", transform=axes.transAxes, ha="center", color="#777777")
    note = "filled: reviewed  ·  hollow: not yet  ·  red ring: conflicting values (the bar spans them)"
    axes.annotate(note, (0, 0), xycoords="figure fraction", xytext=(4, 4), textcoords="offset points",
                  fontsize=7, color="#555555")  # fmt: skip


def svg(series: Series, link: Callable[[Point], str] | None = None) -> str:
    """The chart as SVG text: links open in the page that shows it, each point has a tooltip."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        draw(series, link).savefig(buffer, format="svg", metadata={"Date": None})
    return _with_tooltips(buffer.getvalue(), series)


def _with_tooltips(text: str, series: Series) -> str:
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(text)
    by_region: dict[str, list[Point]] = {}
    for point in series.points:
        by_region.setdefault(point.region_code, []).append(point)
    for n, (_, points) in enumerate(sorted(by_region.items())):
        group = root.find(f".//{{{SVG_NS}}}g[@id='points-{n}']")
        if group is None:
            continue
        anchors = group.findall(f".//{{{SVG_NS}}}a")  # in order, however matplotlib nested them
        for anchor, point in zip(anchors, points, strict=False):
            anchor.set("target", "_top")  # the chart sits in an <object>: open in the page
            title = ET.Element(f"{{{SVG_NS}}}title")
            title.text = point.label(series.unit)  # ElementTree escapes it
            anchor.insert(0, title)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def write(series: Series, out: Path) -> Path:
    """The chart into a .png or .svg file (by its suffix)."""
    import matplotlib

    kind = out.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise ValueError(f"write the chart to a .png or .svg file, not {out.name!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "svg":
        out.write_text(svg(series), encoding="utf-8")
        return out
    with matplotlib.rc_context(STYLE):
        draw(series).savefig(out, format="png", dpi=150, metadata={"Software": None})
    return out


REVIEWED_STATES = ("right", "fix", "added")


def reviewed_ids(frame: pd.DataFrame) -> set[str]:
    """Records of the corrected dataset an editor confirmed, fixed or added."""
    return set(frame.loc[frame["review_state"].isin(REVIEWED_STATES), "record_id"])


def write_store_chart(store_folder: Path, indicator: str, out: Path) -> Series:
    """`derek chart`: the chart of one indicator from a store, into a .png or .svg file."""
    from extractor.review.export import corrected
    from extractor.store import Store

    store = Store(store_folder)
    try:
        frame = corrected(store)
    finally:
        store.close()
    series = chart_series(frame, indicator, reviewed_ids(frame))
    write(series, out)
    return series
