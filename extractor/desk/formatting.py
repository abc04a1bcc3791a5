"""Template filters: blanks for missing values, numbers for reading, links only to the web."""

from __future__ import annotations

import math

import pandas as pd
from markupsafe import Markup, escape

WEB_SCHEMES = ("http://", "https://")


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def shown(value: object) -> str:
    """A cell's text: '' for a missing value, a number with its thousands apart."""
    if missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}".replace(",", "\u202f")
    return str(value)


def web_link(url: object) -> str:
    """The URL when it is an http(s) address, else '': a scraped page may name any scheme
    (javascript:, data:), and only web addresses become links."""
    text = str(url or "").strip()
    return text if text.lower().startswith(WEB_SCHEMES) else ""


def breakable(name: object) -> Markup:
    """An indicator name that may wrap after its dots (social_assistance.<wbr>recipients)."""
    return Markup(str(escape(str(name or ""))).replace(".", ".<wbr>"))
