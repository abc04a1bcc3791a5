"""The store keeps the text as read and editors' decisions; the queue ranks likely errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from extractor.record import COLUMNS, record_id
from extractor.review.decisions import FIX_FIELDS, add_missed, decide, history, latest, orphaned
from extractor.review.export import review_frame
from extractor.review.queue import review_queue
from extractor.store import MIGRATIONS, Store
from tests.review_fixtures import build_store, run_in


@pytest.fixture
def fresh(tmp_path: Path):
    """A store of its own, for a test that runs again (a store names its inputs by full path)."""
    opened = Store(build_store(tmp_path))
    yield opened
    opened.close()


def _doc_keys(store: Store) -> dict[str, str]:
    rows = store.conn.execute("SELECT doc_id, doc_key FROM documents WHERE status = 'ok'")
    return dict(rows.fetchall())


def test_the_text_as_read_is_kept_and_every_span_points_into_it(store: Store) -> None:
    keys = _doc_keys(store)
    paths = {row[0] for row in store.conn.execute("SELECT path FROM sources")}
    assert {Path(p).suffix for p in paths} == {".txt", ".html", ".jsonl"}
    assert len(keys) == 1 + 1 + 1 + 3  # the feed holds three articles
    checked = 0
    for doc_id, doc_key in keys.items():
        title, text = store.document_text(doc_key)
        records = store.records_of(doc_key)
        assert records, doc_id
        for record in records:
            assert text[record["char_start"] : record["char_end"]] == record["value_text"], doc_id
            assert record["sentence"] in text and record["title"] == title
            checked += 1
    assert checked == store.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] > 40
    assert store.document_text("no such key") is None
    assert store.doc_key_of("kk_abai_granttar") == keys["kk_abai_granttar"]
    assert store.doc_key_of("nothing") is None


def test_records_keep_their_evidence_but_the_dataset_has_only_spec_columns(store: Store) -> None:
    doc_key = _doc_keys(store)["kk_abai_granttar"]
    text = store.document_text(doc_key)[1]
    records = store.records_of(doc_key)
    assert [r["char_start"] for r in records] == sorted(r["char_start"] for r in records)
    kinds = {kind for r in records for kind, _, _ in r["evidence"]}
    assert "region" in kinds and kinds <= {"region", "district", "year"}
    for r in records:
        for _kind, start, end in r["evidence"]:
            assert 0 <= start < end <= len(text)
    assert list(store.records_frame().columns) == list(COLUMNS)
    csv = pd.read_csv(store.path.parent / "records.csv")
    assert list(csv.columns) == list(COLUMNS)


def test_decisions_are_kept_with_who_and_when_and_the_latest_counts(store: Store) -> None:
    records = store.records_of(_doc_keys(store)["kk_abai_granttar"])
    first, second = records[0]["record_id"], records[1]["record_id"]
    decide(store, first, "right", "aigerim")
    typed = {"year": "2024", "region": "kz-10", "value": "600 000"}
    fixed = decide(store, first, "fix", "dana", typed, "typo")
    assert fixed.fields == {"year": 2024, "region": "KZ-10", "value": 600000.0}
    assert fixed.editor == "dana" and fixed.comment == "typo" and fixed.at.startswith("20")
    decide(store, second, "wrong", "aigerim", comment="an age, not a figure")
    assert [d.verdict for d in history(store, first)] == ["fix", "right"]
    now = latest(store)
    assert now[first].verdict == "fix" and now[second].verdict == "wrong" and len(now) == 2
    reopened = Store(store.path.parent)  # saved at once: another connection sees them
    assert latest(reopened)[second].comment == "an age, not a figure"
    reopened.close()


@pytest.mark.parametrize(
    ("verdict", "fields", "message"),
    [
        ("maybe", None, "choose right, wrong or fix"),
        ("fix", None, "at least one corrected field"),
        ("right", {"year": 2020}, "takes no fields"),
        ("fix", {"colour": "red"}, "cannot correct 'colour'"),
        ("fix", {"value": "many"}, "value: 'many' is not a number"),
        ("fix", {"year": 1989}, "between 1990 and 2100"),
        ("fix", {"year": "2020.5"}, "is not a year"),
        ("fix", {"region": "KZ-99"}, "not a region code"),
        ("fix", {"district": "999"}, "not a KATO code"),
        ("fix", {"indicator": "happiness"}, "not in the taxonomy"),
        ("fix", {"status": "maybe"}, "not one of actual, plan, target"),
        ("fix", {"value": 10, "value_max": 5}, "below value"),
        ("fix", {"period": "spring"}, "not a period"),
    ],
)
def test_a_bad_decision_is_refused_with_a_readable_reason(store: Store, verdict, fields, message) -> None:
    target = store.records_of(_doc_keys(store)["kk_abai_granttar"])[0]["record_id"]
    with pytest.raises(ValueError, match=message):
        decide(store, target, verdict, "aigerim", fields)
    assert latest(store) == {}


def test_a_decision_needs_an_editor_and_a_known_record(store: Store) -> None:
    target = store.records_of(_doc_keys(store)["kk_abai_granttar"])[0]["record_id"]
    with pytest.raises(ValueError, match="say who decides"):
        decide(store, target, "right", "  ")
    with pytest.raises(ValueError, match="no record"):
        decide(store, "0000000000000000", "right", "aigerim")
    assert set(FIX_FIELDS) >= {"value", "region", "district", "year", "indicator", "qualifier"}


def test_a_district_fix_sets_its_region_and_a_mismatch_is_refused(store: Store) -> None:
    target = store.records_of(_doc_keys(store)["kk_abai_granttar"])[0]["record_id"]
    with pytest.raises(ValueError, match="lies in KZ-10, not in KZ-75"):
        decide(store, target, "fix", "aigerim", {"district": "101000000", "region": "KZ-75"})
    made = decide(store, target, "fix", "aigerim", {"district": "101000000"})
    assert made.fields == {"district": "101000000"}


def test_a_missed_figure_is_added_from_a_selection_of_the_text(store: Store) -> None:
    doc_key = _doc_keys(store)["kk_abai_granttar"]
    text = store.document_text(doc_key)[1]
    start = text.index("43%")
    added = add_missed(store, doc_key, start - 1, start + 3, {"value": "43", "unit": "percent"}, "dana")
    assert added.verdict == "added" and added.fields["value_text"] == "43%"  # the space is dropped
    assert added.fields["char_start"] == start and added.fields["char_end"] == start + 3
    assert added.record_id == record_id("kk_abai_granttar", start, start + 3, "43%")
    again = add_missed(store, doc_key, start, start + 3, {"value": 43, "unit": "percent"}, "dana")
    assert again.record_id == added.record_id  # stable: the same document and span
    fixed = decide(store, added.record_id, "fix", "aigerim", {"indicator": "population"})
    assert fixed.verdict == "added" and fixed.fields["indicator"] == "population"
    assert fixed.fields["value"] == 43
    assert orphaned(store) == []
    found = store.records_of(doc_key)[0]
    with pytest.raises(ValueError, match="found .* already"):
        add_missed(store, doc_key, found["char_start"], found["char_end"], {"value": 1, "unit": "job"}, "x")
    with pytest.raises(ValueError, match="needs value and unit"):
        add_missed(store, doc_key, start, start + 3, {}, "dana")
    with pytest.raises(ValueError, match="outside the text"):
        add_missed(store, doc_key, 5, len(text) + 1, {"value": 1, "unit": "person"}, "dana")
    with pytest.raises(ValueError, match="no text stored"):
        add_missed(store, "nothing", 0, 2, {"value": 1, "unit": "person"}, "dana")


def _rerun(store: Store) -> None:
    run_in(store.path.parent.parent)


def test_decisions_outlive_runs_and_a_vanished_record_is_orphaned(fresh: Store) -> None:
    store = fresh
    doc_key = _doc_keys(store)["kk_abai_granttar"]
    records = store.records_of(doc_key)
    kept, gone = records[0], records[-1]
    decide(store, kept["record_id"], "right", "aigerim")
    decide(store, gone["record_id"], "fix", "aigerim", {"indicator": "population"})
    text = store.document_text(doc_key)[1]
    start = text.index("43%")
    added = add_missed(store, doc_key, start, start + 3, {"value": 43, "unit": "percent"}, "dana")
    # the article changes after the last figure's sentence begins: earlier spans stay where they were
    path = store.path.parent.parent / "in" / "kk_abai_granttar.txt"
    content = path.read_text(encoding="utf-8")
    cut = content.index(gone["sentence"])
    path.write_text(content[:cut] + "Жаңа сөйлем ғана қалды.\n", encoding="utf-8")
    _rerun(store)
    now = latest(store)
    assert set(now) == {kept["record_id"], gone["record_id"], added.record_id}
    assert store.find_record(kept["record_id"]) is not None and store.find_record(gone["record_id"]) is None
    assert [d.record_id for d in orphaned(store)] == [gone["record_id"]]
    # the added figure stays in place: its text is unchanged in the new version
    assert added.record_id not in {d.record_id for d in orphaned(store)}


_V1_COPIES = {
    "files": "path, sha256, size, config, run_id",
    "documents": "doc_key, doc_id, lang, status, error, records, config, run_id, processed_at",
    "sources": "path, source, doc_key, sha256",
    "records": "doc_key, position, record_id, data",
}


def test_an_old_store_keeps_its_reviews_as_decisions_and_gets_its_texts(fresh: Store, tmp_path: Path) -> None:
    """A version-2 store (no texts, reviews) with the same documents: opened, then run again."""
    store = fresh
    target = store.conn.execute("SELECT record_id, doc_key FROM records LIMIT 1").fetchone()
    records = store.records_frame()
    store.close()
    (tmp_path / "out" / "derek.sqlite").rename(tmp_path / "new.sqlite")
    conn = sqlite3.connect(tmp_path / "out" / "derek.sqlite")
    conn.executescript(f"{MIGRATIONS[0][1]}; {MIGRATIONS[1][1]}; PRAGMA user_version = 2;")
    conn.execute("ATTACH ? AS new", (str(tmp_path / "new.sqlite"),))
    for table, columns in _V1_COPIES.items():
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM new.{table}")
    review = (target[0], "wrong", "ruslan", "not a figure", "2025-01-02")
    conn.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?)", review)
    conn.commit()
    conn.close()
    store = Store(tmp_path / "out")
    (decision,) = latest(store).values()
    assert (decision.record_id, decision.doc_key, decision.verdict) == (target[0], target[1], "wrong")
    assert (decision.editor, decision.comment, decision.at) == ("ruslan", "not a figure", "2025-01-02")
    assert store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 0
    _rerun(store)
    assert store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == len(_doc_keys(store))
    changed = store.conn.execute("SELECT new, changed, unchanged FROM runs ORDER BY run_id DESC").fetchone()
    assert changed == (0, 0, len(_doc_keys(store)))  # read again for its text, nothing re-extracted
    pd.testing.assert_frame_equal(store.records_frame(), records)
    store.close()


def _row(record_id: str, value: float, **extra) -> dict:
    row = {name: "" for name in COLUMNS} | {
        "record_id": record_id, "doc_id": "d", "region_code": "KZ-11", "region_mention": "облыста",
        "indicator": "social_assistance.recipients", "measure": "level", "unit": "person", "value": value,
        "year": 2024, "value_text": f"{value:g} адам", "char_start": 100, "char_end": 110,
        "sentence": f"Облыста {value:g} адам көмек алды.",
    }  # fmt: skip
    row |= extra
    return {"evidence": [("region", row["char_start"] - 8, row["char_start"] - 1)]} | row


LONG = "1 180 жаңа әлеуметтік жұмыс орны"  # the unit four words after the number


def test_the_queue_puts_the_likely_wrong_first_and_says_why() -> None:
    frame = pd.DataFrame(
        [
            _row("plain", 1200),
            _row("plain2", 1300, char_start=200),
            _row("plain3", 1100, char_start=300),
            _row("plain4", 1250, char_start=400),
            _row("no_indicator", 1000, indicator=""),
            _row("far_region", 1150, evidence=[("region", 3, 10)], char_start=5000),
            _row("outlier", 9_000_000, char_start=600),
            _row("long_unit", 1180, value_text=LONG, sentence=f"Облыста {LONG} ашылды.", char_start=700),
            _row("reviewed", 1, indicator=""),
        ]
    ).astype({"year": "Int64"})
    frame.loc[frame["record_id"] == "far_region", "sentence"] = "Тағы 1150 адам көмек алды."
    queue = review_queue(frame, {"reviewed": object()})
    assert "reviewed" not in set(queue["record_id"])
    order = list(queue["record_id"])
    assert set(order[:4]) == {"no_indicator", "far_region", "outlier", "long_unit"}
    assert set(order[4:]) == {"plain", "plain2", "plain3", "plain4"}
    reasons = dict(zip(queue["record_id"], queue["reasons"], strict=True))
    assert reasons["no_indicator"] == "no indicator"
    assert reasons["far_region"].startswith("region from far off")
    assert "value unlike the others" in reasons["outlier"]
    assert reasons["long_unit"] == "unit 4 words from the number", reasons
    assert reasons["plain"] == "" and (queue["suspicion"].diff().dropna() <= 0).all()


def test_the_queue_of_a_store_leaves_out_what_was_decided(store: Store) -> None:
    records = review_frame(store)
    assert {"doc_key", "evidence", "review_state"} <= set(records.columns)
    first = records["record_id"].iloc[0]
    decide(store, first, "right", "aigerim")
    queue = review_queue(review_frame(store), latest(store))
    assert len(queue) == len(records) - 1 and first not in set(queue["record_id"])
    assert queue["suspicion"].iloc[0] >= queue["suspicion"].iloc[-1] and queue["reasons"].iloc[0]
