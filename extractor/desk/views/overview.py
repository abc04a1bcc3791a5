"""The overview: the main indicators by region and year, each point a link to its records."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from extractor.review.export import corrected

from ..charts import Point, chart_series, reviewed_ids, svg
from ..context import store
from ..security import CHART_POLICY
from ..vocab import MAIN_INDICATORS, indicators

pages = Blueprint("overview", __name__)


def _known(indicator: str) -> str:
    if indicator not in indicators():
        abort(404, description=f"No indicator {indicator!r} in the taxonomy.")
    return indicator


@pages.get("/overview")
def overview() -> str:
    frame = corrected(store())
    reviewed = reviewed_ids(frame)
    charts = [chart_series(frame, indicator, reviewed) for indicator in MAIN_INDICATORS]
    return render_template("overview.html", charts=charts, point_link=_point_link)


def _point_link(indicator: str, point: Point) -> str:
    return url_for(
        "overview.records", indicator=indicator, region=point.region_code, year=point.year, _external=False
    )


@pages.get("/charts/<indicator>.svg")
def chart(indicator: str) -> Response:
    """A chart as SVG, served so that it can run nothing (its own policy, sandboxed)."""
    frame = corrected(store())
    series = chart_series(frame, _known(indicator), reviewed_ids(frame))
    body = svg(series, lambda point: _point_link(indicator, point))
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = CHART_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown by the overview, nowhere else
    return response


@pages.get("/records")
def records() -> str:
    """The records behind a chart's point: one indicator, region and year."""
    indicator = _known(request.args.get("indicator", ""))
    region, year = request.args.get("region", ""), request.args.get("year", "")
    frame = corrected(store())
    series = chart_series(frame, indicator, reviewed_ids(frame))
    point = next((p for p in series.points if p.region_code == region and str(p.year) == year), None)
    ids = set(point.record_ids) if point else set()
    rows = frame[frame["record_id"].isin(ids)].to_dict("records")
    keys = {row["record_id"]: store().doc_key_of(str(row["doc_id"])) for row in rows}
    return render_template(
        "records.html", indicator=indicator, series=series, point=point, rows=rows, keys=keys
    )
