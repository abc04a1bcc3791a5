"""The fields an editor may correct: their checks, and how a correction changes a record."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import regex

from extractor.classify import indicator_rules
from extractor.places.gazetteer import NATIONAL, NATIONAL_NAME, gazetteer

FIX_FIELDS = (
    "value",
    "value_max",
    "unit",
    "region",
    "district",
    "year",
    "period",
    "indicator",
    "measure",
    "status",
    "qualifier",
)
MEASURES = ("level", "change")
STATUSES = ("actual", "plan", "target")
QUALIFIERS = ("", "approx", "more_than", "less_than", "up_to")
YEARS = (1990, 2100)
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_PERIOD = regex.compile(rf"{_DATE}(?:/{_DATE})?")
_UNIT = regex.compile(r"[\p{L}_]{1,40}")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name}: give a number, not {value!r}")
    if isinstance(value, str):  # an editor types «157 700» or «20,5»
        value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    return number


def _value_max(value: object) -> float | None:
    return None if _blank(value) else _number("value_max", value)


def _year(value: object) -> int | None:
    if _blank(value):
        return None
    number = _number("year", value)
    if not number.is_integer() or not YEARS[0] <= number <= YEARS[1]:
        raise ValueError(f"year: {value!r} is not a year between {YEARS[0]} and {YEARS[1]}")
    return int(number)


def _one_of(name: str, allowed: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        text = "" if value is None else str(value).strip()
        if text not in allowed:
            shown = ", ".join(a or "(empty)" for a in allowed)
            raise ValueError(f"{name}: {value!r} is not one of {shown}")
        return text

    return check


def _region(value: object) -> str:
    text = "" if value is None else str(value).strip().upper()
    known = (NATIONAL, *gazetteer().names)
    if text and text not in known:
        raise ValueError(f"region: {value!r} is not a region code ({NATIONAL}, KZ-10 … KZ-79) or empty")
    return text


def _district(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if text and text not in gazetteer().units:
        raise ValueError(f"district: {value!r} is not a KATO code of a district or city in districts.csv")
    return text


def _indicator(value: object) -> str:
    text = "" if value is None else str(value).strip()
    names = [rule.name for rule in indicator_rules()]
    if text and text not in names:
        raise ValueError(f"indicator: {value!r} is not in the taxonomy ({', '.join(names)}) or empty")
    return text


def _unit(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if not _UNIT.fullmatch(text):
        raise ValueError(f"unit: {value!r} is not a unit (person, KZT, percent, USD, job, …)")
    return text


def _period(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if text and not _PERIOD.fullmatch(text):
        raise ValueError(f"period: {value!r} is not a period such as 2025-01/2025-09 or 2023-01-01")
    return text


_CHECKS: dict[str, Callable[[object], object]] = {
    "value": lambda v: _number("value", v),
    "value_max": _value_max,
    "unit": _unit,
    "region": _region,
    "district": _district,
    "year": _year,
    "period": _period,
    "indicator": _indicator,
    "measure": _one_of("measure", MEASURES),
    "status": _one_of("status", STATUSES),
    "qualifier": _one_of("qualifier", QUALIFIERS),
}


def check_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """The corrections in their stored types; ValueError names the first field that is wrong."""
    unknown = [name for name in fields if name not in FIX_FIELDS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise ValueError(f"cannot correct {names}: the fields are {', '.join(FIX_FIELDS)}")
    checked = {name: _CHECKS[name](fields[name]) for name in FIX_FIELDS if name in fields}
    low, high = checked.get("value"), checked.get("value_max")
    if isinstance(low, float) and isinstance(high, float) and high < low:
        raise ValueError(f"value_max {high:g} is below value {low:g}")
    district, region = checked.get("district"), checked.get("region")
    if district and region and gazetteer().units[str(district)].region != region:
        unit = gazetteer().units[str(district)]
        raise ValueError(f"district {district} ({unit.name}) lies in {unit.region}, not in {region}")
    return checked


def apply_fields(row: Mapping[str, object], fields: Mapping[str, object]) -> dict[str, object]:
    """A record row with an editor's corrections: names follow codes; a district sets its region."""
    fixed = dict(row)
    for name, value in fields.items():
        if name == "region":
            fixed["region_code"] = value
            fixed["region_name"] = _region_name(str(value))
            if fixed.get("district_code") and "district" not in fields:
                unit = gazetteer().units.get(str(fixed["district_code"]))
                if unit is None or unit.region != value:  # the old district lies elsewhere
                    fixed["district_code"], fixed["district_name"] = "", ""
        elif name == "district":
            unit = gazetteer().units.get(str(value)) if value else None
            fixed["district_code"] = str(value or "")
            fixed["district_name"] = unit.name if unit else ""
            if unit is not None and "region" not in fields:
                fixed["region_code"], fixed["region_name"] = unit.region, _region_name(unit.region)
        else:
            fixed[name] = value
    return fixed


def _region_name(code: str) -> str:
    return NATIONAL_NAME if code == NATIONAL else gazetteer().names.get(code, "")
