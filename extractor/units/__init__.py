"""Units: which noun a number counts. The search after the number (finder.py, the one door),
the search before it (before.py), the checks on what was found (checks.py), and the unit
words and rules all of them share (words.py)."""

from extractor.units.finder import UnitFinder
from extractor.units.words import COUNTLESS_UNITS, Unit

__all__ = ["COUNTLESS_UNITS", "Unit", "UnitFinder"]
