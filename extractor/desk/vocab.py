"""The names the desk offers: indicators (each with its colour), regions, districts, choices."""

from __future__ import annotations

from functools import cache

from extractor.review.fields import MEASURES, QUALIFIERS, STATUSES

__all__ = ["MAIN_INDICATORS", "MEASURES", "QUALIFIERS", "STATUSES", "colour_of", "indicators"]
COLOURS = 16  # .ind-0 … .ind-15 in desk.css; more indicators than that share colours
# the overview's charts: the main indicators of the taxonomy
MAIN_INDICATORS = (
    "social_assistance.recipients",
    "social_assistance.families",
    "social_assistance.budget",
    "poverty.rate",
    "unemployment.rate",
)


@cache
def indicators() -> tuple[str, ...]:
    """Every indicator of patterns/indicators.yaml, in its order (which fixes their colours)."""
    from extractor.classify import indicator_rules

    return tuple(rule.name for rule in indicator_rules())


def colour_of(indicator: str) -> str:
    """The CSS class that colours a figure of this indicator."""
    known = indicators()
    if indicator not in known:
        return "ind-none"
    return f"ind-{known.index(indicator) % COLOURS}"


@cache
def region_names() -> dict[str, str]:
    """ISO code -> English name, the country (KZ) first."""
    from extractor.places.gazetteer import NATIONAL, NATIONAL_NAME, gazetteer

    return {NATIONAL: NATIONAL_NAME} | dict(gazetteer().names)


@cache
def district_names() -> dict[str, str]:
    """KATO code -> Latin name with its region, for the fix form's suggestions."""
    from extractor.places.gazetteer import gazetteer

    units = gazetteer().units
    return {code: f"{unit.name} ({unit.region})" for code, unit in sorted(units.items())}
