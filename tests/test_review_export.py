"""Exports of a reviewed store: review columns, the corrected dataset, gold, Label Studio."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.evaluate import read_gold
from extractor.record import COLUMNS
from extractor.review.decisions import add_missed, decide, history, latest
from extractor.review.export import REVIEW_COLUMNS
from extractor.review.labelstudio import LABELS_NAME, import_reviews, tasks
from extractor.store import Store

DOC = "kk_abai_granttar"


def _records(store: Store) -> list[dict]:
    return store.records_of(store.doc_key_of(DOC))


def _review(store: Store) -> dict[str, str]:
    """right, wrong, a fixed indicator, a fixed value, an added figure: their record ids."""
    records = [r for r in _records(store) if r["indicator"]]
    right, wrong, indicator, value = (r["record_id"] for r in records[:4])
    decide(store, right, "right", "aigerim")
    decide(store, wrong, "wrong", "aigerim", comment="not a figure")
    new_indicator = "poverty.rate" if records[2]["indicator"] != "poverty.rate" else "population"
    decide(store, indicator, "fix", "dana", {"indicator": new_indicator, "region": "KZ-75"})
    decide(store, value, "fix", "dana", {"value": 123456})
    text = store.document_text(store.doc_key_of(DOC))[1]
    start = text.index("43%")
    figure = {"value": 43, "unit": "percent"}
    added = add_missed(store, store.doc_key_of(DOC), start, start + 3, figure, "dana")
    return {"right": right, "wrong": wrong, "indicator": indicator, "value": value, "added": added.record_id}


def _export(store: Store, *options: str) -> int:
    return main(["export", "--store", str(store.path.parent), *options])


def test_export_has_the_review_columns(store: Store, capsys) -> None:
    ids = _review(store)
    assert _export(store, "-o", str(store.path.parent / "all.csv")) == 0
    frame = pd.read_csv(store.path.parent / "all.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*COLUMNS, *REVIEW_COLUMNS]
    state = dict(zip(frame["record_id"], frame["review_state"], strict=True))
    decided = [state[ids[k]] for k in ("right", "wrong", "indicator", "value")]
    assert decided == ["right", "wrong", "fix", "fix"]
    assert ids["added"] not in state  # the dataset as extracted; --reviewed adds it
    assert (frame["review_state"] == "unreviewed").sum() == len(frame) - 4
    by_id = frame.set_index("record_id")
    assert by_id.loc[ids["value"], "reviewed_by"] == "dana"
    assert by_id.loc[ids["value"], "reviewed_at"] > "2020"
    assert _export(store, "--format", "parquet") == 0
    assert "review_state" in pd.read_parquet(store.path.parent / "records.parquet").columns


def test_export_reviewed_writes_the_corrected_dataset(store: Store) -> None:
    ids = _review(store)
    before = store.records_frame()
    assert _export(store, "--reviewed") == 0
    fixed = pd.read_csv(store.path.parent / "records_reviewed.csv", keep_default_na=False)
    assert len(fixed) == len(before) - 1 + 1  # one wrong out, one added in
    by_id = fixed.set_index("record_id")
    assert ids["wrong"] not in by_id.index
    assert by_id.loc[ids["value"], "value"] == 123456
    assert by_id.loc[ids["indicator"], "region_code"] == "KZ-75"
    old_name = before.set_index("record_id").loc[ids["indicator"], "region_name"]
    assert by_id.loc[ids["indicator"], "region_name"] not in ("", old_name)
    added = by_id.loc[ids["added"]]
    assert (added["value"], added["unit"], added["value_text"]) == (43, "percent", "43%")
    assert added["review_state"] == "added" and added["reviewed_by"] == "dana"
    assert "43%" in added["sentence"] and added["region_code"] == "" and added["measure"] == "level"
    assert added["title"] == before["title"][before["doc_id"] == DOC].iloc[0]
    assert not (store.path.parent / "records.csv").read_text(encoding="utf-8").count("review_state")


def test_gold_export_and_eval_store_measure_the_extractor(store: Store, capsys) -> None:
    ids = _review(store)
    target = store.path.parent / "gold.csv"
    assert _export(store, "--format", "gold") == 0
    gold = read_gold(target)
    assert len(gold) == 4  # right, two fixes, added: the wrong one is no figure
    values = {float(v) for v in gold["value"]}
    assert 123456.0 in values and 43.0 in values
    assert set(gold["doc"]) == {DOC} and (gold["alt_year"] == "").all()
    capsys.readouterr()
    assert main(["eval", "--store", str(store.path.parent)]) == 0
    shown = capsys.readouterr().out
    # predicted: right, wrong, indicator, value (4); gold: right, indicator, value', added (4); 2 match
    assert "figures: gold 4, predicted 4, matched 2" in shown
    assert "precision 0.500  recall 0.500" in shown
    assert "indicator accuracy 0.500 (1/2)" in shown and "region    accuracy 0.500 (1/2)" in shown
    assert ids["added"] and "miss:" in shown and "43 percent" in shown


def test_eval_store_without_reviews_and_without_store(tmp_path: Path, store: Store, capsys) -> None:
    assert main(["eval", "--store", str(store.path.parent)]) == 0
    assert "no reviewed figures yet" in capsys.readouterr().out
    assert main(["eval", "--store", str(tmp_path / "none")]) == 2
    assert "no store in" in capsys.readouterr().err
    assert main(["eval"]) == 2


def test_label_studio_tasks_hold_the_text_and_the_records(store: Store) -> None:
    assert _export(store, "--format", "label-studio") == 0
    folder = store.path.parent
    exported = json.loads((folder / "label_studio_tasks.json").read_text(encoding="utf-8"))
    assert exported == tasks(store)
    config = ET.fromstring((folder / "label_studio_config.xml").read_text(encoding="utf-8"))
    labels = {label.get("value") for label in config.iter("Label")}
    areas = {area.get("name") for area in config.iter("TextArea")}
    assert len(exported) == store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0]
    count = 0
    records = store.records_frame().to_dict("records")
    for task in exported:
        text = task["data"]["text"]
        assert store.document_text(task["data"]["doc_key"])[1] == text
        for item in task["predictions"][0]["result"]:
            value = item["value"]
            assert item["to_name"] == "text" and item["id"] in {r["record_id"] for r in records}
            if item["type"] == "labels":
                assert text[value["start"] : value["end"]] == value["text"]
                assert item["from_name"] == LABELS_NAME and set(value["labels"]) <= labels
                count += 1
            else:
                assert item["type"] == "textarea" and item["from_name"] in areas and value["text"][0]
    assert count == len(store.records_frame())
    first = _records(store)[0]
    task = next(t for t in exported if t["data"]["doc_id"] == DOC)
    result = task["predictions"][0]["result"]
    mine = {i["from_name"]: i["value"] for i in result if i["id"] == first["record_id"]}
    assert mine["value"]["text"] == [f"{first['value']:g}"] and mine["unit"]["text"] == [first["unit"]]
    assert mine[LABELS_NAME]["labels"] == [first["indicator"] or LABELS_NAME]


def test_label_studio_reviewed_tasks_leave_out_wrong_and_add_the_added(store: Store) -> None:
    ids = _review(store)
    task = next(t for t in tasks(store, reviewed=True) if t["data"]["doc_id"] == DOC)
    shown = {i["id"] for i in task["predictions"][0]["result"]}
    assert ids["added"] in shown and ids["wrong"] not in shown


def _annotated(store: Store) -> tuple[list[dict], dict[str, str]]:
    """An export as Label Studio writes it: the task annotated, changes made to four regions."""
    task = next(t for t in tasks(store) if t["data"]["doc_id"] == DOC)
    records = [r for r in _records(store) if r["indicator"]]
    same, relabel, revalue, deleted = (r["record_id"] for r in records[:4])
    result = []
    for item in json.loads(json.dumps(task["predictions"][0]["result"])):
        if item["id"] == deleted:
            continue
        if item["id"] == relabel and item["type"] == "labels":
            item["value"]["labels"] = ["subsistence_minimum"]
        if item["id"] == revalue and item["from_name"] == "value":
            item["value"]["text"] = ["1 900"]
        result.append(item | {"origin": "prediction-changed"})
    text = task["data"]["text"]
    start = text.index("43%")
    span = {"start": start, "end": start + 3, "text": "43%"}
    result += [
        {"id": "Xy1_new", "from_name": LABELS_NAME, "to_name": "text", "type": "labels",
         "value": span | {"labels": [LABELS_NAME]}, "origin": "manual"},
        {"id": "Xy1_new", "from_name": "value", "to_name": "text", "type": "textarea",
         "value": span | {"text": ["43"]}, "origin": "manual"},
        {"id": "Xy1_new", "from_name": "unit", "to_name": "text", "type": "textarea",
         "value": span | {"text": ["percent"]}, "origin": "manual"},
    ]  # fmt: skip
    annotation = {
        "id": 1001, "completed_by": {"id": 3, "email": "aigerim@example.kz"}, "result": result,
        "was_cancelled": False, "ground_truth": False, "created_at": "2026-03-09T21:52:49.513742Z",
        "updated_at": "2026-03-09T22:16:08.728353Z", "lead_time": 120.5, "task": 7,
    }  # fmt: skip
    cancelled = annotation | {"id": 1002, "was_cancelled": True, "result": []}
    exported = [
        {"id": 7, "data": task["data"], "annotations": [annotation, cancelled],
         "predictions": task["predictions"], "created_at": "2026-03-09T21:52:49Z", "project": 2},
        {"id": 8, "data": task["data"] | {"text": "another text"}, "annotations": [annotation]},
    ]  # fmt: skip
    return exported, {"same": same, "relabel": relabel, "revalue": revalue, "deleted": deleted}


def test_a_label_studio_export_comes_back_as_decisions(store: Store, tmp_path: Path, capsys) -> None:
    exported, ids = _annotated(store)
    path = tmp_path / "project-2-at-2026-03-10.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    assert main(["import-reviews", str(path), "--store", str(store.path.parent)]) == 0
    shown = capsys.readouterr().out
    assert "task 8: the document's text changed" in shown
    now = latest(store)
    records = len(_records(store))
    assert f"decisions: {records - 3} right, 1 wrong, 2 fix, 1 added; 0 unchanged; 1 problems" in shown
    assert now[ids["same"]].verdict == "right" and now[ids["deleted"]].verdict == "wrong"
    assert now[ids["relabel"]].fields == {"indicator": "subsistence_minimum"}
    assert now[ids["revalue"]].fields == {"value": 1900.0}
    (added,) = [d for d in now.values() if d.verdict == "added"]
    assert added.fields["value_text"] == "43%" and added.fields["unit"] == "percent"
    assert {d.editor for d in now.values()} == {"aigerim@example.kz"}
    assert now[ids["same"]].at == "2026-03-09T22:16:08.728353Z" and now[ids["same"]].comment == "Label Studio"
    assert main(["import-reviews", str(path), "--store", str(store.path.parent)]) == 0  # again: nothing new
    assert f"0 added; {records + 1} unchanged" in capsys.readouterr().out
    assert len(history(store, ids["same"])) == 1


def test_import_reviews_refuses_what_is_not_an_export(store: Store, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "tasks"', encoding="utf-8")
    assert main(["import-reviews", str(bad), "--store", str(store.path.parent)]) == 2
    assert "cannot read a JSON export" in capsys.readouterr().err
    bad.write_text('[{"annotations": []}]', encoding="utf-8")
    with pytest.raises(ValueError, match="not a Label Studio JSON export"):
        import_reviews(store, bad)
    assert main(["import-reviews", str(tmp_path / "none.json"), "--store", str(store.path.parent)]) == 2
    assert main(["import-reviews", str(bad), "--store", str(tmp_path / "nostore")]) == 2
    assert latest(store) == {}
