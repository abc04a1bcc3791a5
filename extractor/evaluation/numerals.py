"""A small numeral reader for scoring: the value and the number part ("core") of a gold span.

It is written apart from the engine's own reader (extractor/numbers/) on purpose: the gold
value of an annotated span must not come from the code under test.

Read: digits with thousands spaces («3 200 000»), a decimal comma or dot («5,3», «1.8»; a
separator that occurs twice or more groups thousands: «1.000.000»), scale words (мың, млн,
млрд, миллион, миллиард, трлн, триллион, and тыс./тысяч), Kazakh number words in any case form
(«екі жүз отыз алты мыңға» = 236000), fractions «X бүтін оннан Y» / «X бүтін жүзден Y» (and
«X бүтін Y» = X.Y), the spoken decimal «X да/де/та/те Y» («үш те бес» = 3.5), «жарым» and
«жарты» (a half: «бес жарым» = 5.5, «бір жарым миллион» = 1500000, «жарты миллиард» = 5e8).
A range («алпыс – жетпіс», «10 – 15 мың») reads as its low end, as derek's `value` does, the
low end taking the high end's scale word (10000); reading stops at the first word after the
number that is no numeral (a unit, a qualifier such as «жуық»).
"""

from __future__ import annotations

import re

UNITS = {"нөл": 0, "бір": 1, "екі": 2, "екеу": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6,
         "алтау": 6, "жеті": 7, "жетеу": 7, "сегіз": 8, "тоғыз": 9}  # fmt: skip
TENS = {"он": 10, "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70,
        "сексен": 80, "тоқсан": 90}  # fmt: skip
SCALES = {"мың": 1e3, "тыс": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
          "трлн": 1e12, "триллион": 1e12, "mıń": 1e3, "myń": 1e3, "mln": 1e6, "million": 1e6,
          "mlrd": 1e9, "milliard": 1e9, "trln": 1e12}  # fmt: skip
HUNDRED = "жүз"
POINT, HALF = "бүтін", "жарым"
HALVES = {HALF, "жарты"}
SPOKEN_POINTS = {"да", "де", "та", "те"}  # between two numerals in speech: a decimal point
DASHES = {"-", "–", "—", "−"}
DENOMINATORS = {"оннан": 10, "жүзден": 100, "мыңнан": 1000}  # after «бүтін»
# case forms of numerals: collective «-еу», possessive, case, «-дай», «-даған», «-ақ»
ENDING = re.compile(
    r"(?:еу|ау)?(?:ы|і|сы|сі)?(?:н|ны|ні|ды|ді|ты|ті|ға|ге|қа|ке|на|не|нан|нен|дан|ден|тан|тен"
    r"|да|де|та|те|нда|нде|ның|нің|дың|дің|тың|тің|мен|бен|пен|дай|дей|тай|тей|даған|деген"
    r"|таған|теген|ақ|ек)?"
)
# words that look like an inflected numeral
NOT_NUMBERS = {"оны", "онда", "ондай", "онан", "бірақ", "бірге", "біреу", "бірдей", "үшін",
               "алтын", "жүзі", "жүзінде", "мыңғыр"}  # fmt: skip
_STEMS = sorted([*UNITS, *TENS, *SCALES, HUNDRED, POINT, *HALVES], key=len, reverse=True)

# A digit number (thousands groups, one decimal part, or dot/comma groups), a word, a dash.
TOKEN = re.compile(
    r"\d{1,3}(?:[.,]\d{3}){2,}(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
    r"|\d+(?:[.,]\d+)?|[^\W\d_]+\.?|[-–—−]"
)


def digits_value(text: str) -> float:
    """«3 200 000» → 3200000, «5,3» → 5.3, «1.000.000» → 1000000."""
    digits = re.sub(r"\s", "", text)
    if len(re.findall(r"[.,]", digits)) > 1:
        return float(re.sub(r"[.,]", "", digits))
    return float(digits.replace(",", "."))


def word_stem(word: str) -> str | None:
    """The numeral stem a word starts with, in any case form («мыңға» → «мың»), else None."""
    low = word.lower().rstrip(".")
    if low in NOT_NUMBERS:
        return None
    for stem in _STEMS:
        if not low.startswith(stem):
            continue
        rest = low[len(stem) :]
        # scale words take any short ending (also Russian «тысяч»); the short Kazakh stems
        # only a numeral's ending, so that «оның», «бесік», «бірнеше» stay words
        if (len(rest) <= 8) if stem in SCALES else ENDING.fullmatch(rest):
            return stem
    return None


def is_numeral(token: str) -> bool:
    return token[:1].isdigit() or word_stem(token) is not None


def numeral_core(text: str) -> tuple[int, int] | None:
    """Offsets of the number part of a span: from its first numeral token to its last one
    (digits without their «-ден»/«%» ending, number words, scale words, «бүтін», «жарым»)."""
    found = [m for m in TOKEN.finditer(text) if is_numeral(m.group())]
    if not found:
        return None
    last = found[-1]
    end = last.end() - (1 if last.group().endswith(".") and not last.group()[0].isdigit() else 0)
    return found[0].start(), end


class _Reader:
    """Left-to-right accumulation: units and tens add, «жүз» multiplies, a scale closes a group."""

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.seen = False
        self.whole: float | None = None  # the integer part once «бүтін» is read
        self.denominator = 0
        self.scaled = 0.0  # the largest scale word read

    def close_fraction(self) -> None:
        if self.whole is not None:
            den = self.denominator or 10 ** len(str(int(self.current)))
            self.current = self.whole + self.current / den
            self.whole, self.denominator = None, 0

    def word(self, stem: str, low: str) -> None:
        if self.whole is not None and not self.denominator and low in DENOMINATORS:
            self.denominator = DENOMINATORS[low]
        elif stem == POINT:
            self.whole, self.current = self.current, 0.0
        elif stem in HALVES:
            self.current += 0.5
        elif stem == HUNDRED:
            self.current = (self.current or 1) * 100
        elif stem in SCALES:
            self.close_fraction()
            self.scaled = max(self.scaled, SCALES[stem])
            self.total += (self.current or 1) * SCALES[stem]
            self.current = 0.0
        else:
            self.current += UNITS.get(stem, TENS.get(stem, 0))

    def value(self) -> float | None:
        self.close_fraction()
        return self.total + self.current if self.seen else None


def _read(tokens: list[str]) -> tuple[_Reader, int]:
    """Read one number from the tokens; also where it stopped."""
    reader = _Reader()
    for i, token in enumerate(tokens):
        low = token.lower().rstrip(".")
        if token[0].isdigit():
            if reader.seen and reader.whole is None and reader.current:
                return reader, i  # a second number
            reader.current += digits_value(token)
            reader.seen = True
            continue
        # spoken decimals: «үш те бес» = 3.5, «он алты да тоғыз миллиард» = 16.9e9
        spoken_point = low in SPOKEN_POINTS and reader.seen and i + 1 < len(tokens)
        stem = POINT if spoken_point and is_numeral(tokens[i + 1]) else word_stem(token)
        if stem is None:
            if reader.seen:  # a unit, a qualifier, or a range's dash: the number has ended
                return reader, i
            continue
        reader.seen = True
        reader.word(stem, low)
    return reader, len(tokens)


def read_numeral(text: str) -> float | None:
    """The value of the first number in a span's text, or None when it names none.
    A range's low end takes the scale of its high end: «10 – 15 мың» reads 10000."""
    tokens = [m.group() for m in TOKEN.finditer(text)]
    reader, stop = _read(tokens)
    low = reader.value()
    if low is None or reader.scaled or stop >= len(tokens) or tokens[stop] not in DASHES:
        return low
    high, _ = _read(tokens[stop + 1 :])
    return low * high.scaled if high.scaled and high.seen else low
