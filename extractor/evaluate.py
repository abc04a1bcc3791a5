"""Scoring records against hand-annotated gold: figures found, then their attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

GOLD_COLUMNS = (
    "doc",
    "evidence",
    "value",
    "unit",
    "region_code",
    "year",
    "alt_year",
    "indicator",
    "measure",
    "status",
    "qualifier",
)
OPTIONAL_GOLD_COLUMNS = ("district_code", "value_max")  # scored where a gold file has them
Key = tuple[str, float, str]


def read_gold(path: str | Path) -> pd.DataFrame:
    """A gold CSV, or every CSV in a folder."""
    path = Path(path)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    frames = [_with_optional(pd.read_csv(f, dtype=str, keep_default_na=False)) for f in files]
    gold = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=GOLD_COLUMNS)
    missing = set(GOLD_COLUMNS) - set(gold.columns)
    if missing:
        raise ValueError(f"{path}: gold lacks columns {sorted(missing)}")
    return gold


def _with_optional(frame: pd.DataFrame) -> pd.DataFrame:
    """Older gold files lack the newer columns: None there means "not annotated"."""
    for name in OPTIONAL_GOLD_COLUMNS:
        if name not in frame.columns:
            frame[name] = None
    return frame


def _key(doc: str, value: object, unit: str) -> Key:
    return (str(doc), round(float(value), 3), str(unit))


def _dedup_gold(gold: pd.DataFrame) -> dict[Key, dict]:
    rows: dict[Key, dict] = {}
    for row in gold.to_dict("records"):
        rows.setdefault(_key(row["doc"], row["value"], row["unit"]), row)
    return rows


def _dedup_predicted(pred: pd.DataFrame) -> dict[Key, dict]:
    """One row per key: the first mention outside the title, whose sentence has the context."""
    rows: dict[Key, dict] = {}
    ordered = pred.assign(_in_title=pred["sentence"] == pred["title"]).sort_values(
        ["doc_id", "_in_title", "char_start"], kind="stable"
    )
    for row in ordered.to_dict("records"):
        rows.setdefault(_key(row["doc_id"], row["value"], row["unit"]), row)
    return rows


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def year_ok(gold: dict, predicted: object) -> bool:
    """The gold year, its alternative, or, for a context-inferred year (`any`), empty."""
    got = _text(predicted)
    accepted = {_text(gold["year"])}
    alt = _text(gold.get("alt_year"))
    if alt == "any":
        accepted.add("")
    elif alt:
        accepted.add(alt)
    return got in accepted


@dataclass
class Score:
    gold: int
    predicted: int
    matched: int
    accuracy: dict[str, tuple[int, int]] = field(default_factory=dict)  # attribute -> (right, of)
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def rate(self, attribute: str) -> float:
        right, total = self.accuracy[attribute]
        return right / total if total else 1.0


def evaluate(gold: pd.DataFrame, predicted: pd.DataFrame, docs: set[str] | None = None) -> Score:
    """Precision/recall on (doc, value, unit), then attribute accuracy on matched figures.

    Only documents named in the gold are scored unless `docs` says otherwise.
    """
    docs = docs if docs is not None else set(gold["doc"])
    gold_rows = {k: v for k, v in _dedup_gold(gold).items() if k[0] in docs}
    pred_rows = {k: v for k, v in _dedup_predicted(predicted).items() if k[0] in docs}
    matched = sorted(set(gold_rows) & set(pred_rows))
    score = Score(len(gold_rows), len(pred_rows), len(matched))
    score.misses = [gold_rows[k] for k in sorted(set(gold_rows) - set(pred_rows))]
    score.extras = [pred_rows[k] for k in sorted(set(pred_rows) - set(gold_rows))]
    checks = {
        "region": lambda g, p: _text(g["region_code"]) == _text(p["region_code"]),
        "year": lambda g, p: year_ok(g, p["year"]),
        "indicator": lambda g, p: _text(g["indicator"]) == _text(p["indicator"]),
        "status": lambda g, p: _text(g["status"]) == _text(p["status"]),
        "district": lambda g, p: _text(g["district_code"]) == _text(p.get("district_code")),
        "value_max": lambda g, p: _same_number(g["value_max"], p.get("value_max")),
    }
    for name, check in checks.items():
        right = total = 0
        for key in matched:
            g, p = gold_rows[key], pred_rows[key]
            if name == "indicator" and not _text(g["indicator"]):
                continue
            if name in ("district", "value_max") and g[_COLUMN.get(name, name)] is None:
                continue  # a gold file from before the column existed
            total += 1
            if check(g, p):
                right += 1
            else:
                score.wrong.append(f"{name}: {key} gold={_gold_value(g, name)} got={_pred_value(p, name)}")
        score.accuracy[name] = (right, total)
    return score


_COLUMN = {"region": "region_code", "district": "district_code"}


def _same_number(gold: object, predicted: object) -> bool:
    want, got = _text(gold), _text(predicted)
    if not want or not got:
        return want == got
    return abs(float(want) - float(got)) < 1e-6


def _gold_value(row: dict, name: str) -> str:
    column = _COLUMN.get(name, name)
    return _text(row[column]) + (f"|{_text(row['alt_year'])}" if name == "year" else "")


def _pred_value(row: dict, name: str) -> str:
    return _text(row.get(_COLUMN.get(name, name)))


def report(score: Score) -> str:
    lines = [
        f"figures: gold {score.gold}, predicted {score.predicted}, matched {score.matched}",
        f"precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}",
    ]
    scored = {name: counts for name, counts in score.accuracy.items() if counts[1]}
    for name, (right, total) in scored.items():
        lines.append(f"{name:<9} accuracy {score.rate(name):.3f} ({right}/{total})")
    lines += [f"miss:  {m['doc']}  {m['value']} {m['unit']}  «{m['evidence']}»" for m in score.misses]
    lines += [
        f"extra: {e['doc_id']}  {_text(e['value'])} {e['unit']}  «{e['value_text']}»" for e in score.extras
    ]
    lines += [f"wrong {w}" for w in score.wrong]
    rates = "  ".join(f"{name} {score.rate(name):.3f}" for name in scored)
    lines.append(f"summary: P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  {rates}")
    return "\n".join(lines)
