"""The region gazetteer and SPEC's scoping (kept for imports; the code is in extractor.places)."""

from extractor.places import (
    NATIONAL,
    NATIONAL_NAME,
    Gazetteer,
    Mention,
    Place,
    RegionScope,
    find_mentions,
    gazetteer,
    place_region,
    region_scope,
)

__all__ = [
    "NATIONAL",
    "NATIONAL_NAME",
    "Gazetteer",
    "Mention",
    "Place",
    "RegionScope",
    "find_mentions",
    "gazetteer",
    "place_region",
    "region_scope",
]
