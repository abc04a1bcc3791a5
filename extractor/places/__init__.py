"""Places: the gazetteer of regions and districts, and the scoping of figures to them."""

from extractor.places.gazetteer import NATIONAL, NATIONAL_NAME, Gazetteer, gazetteer
from extractor.places.mentions import Mention, find_mentions
from extractor.places.scope import Place, RegionScope, place_region, region_scope

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
