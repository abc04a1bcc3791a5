"""What the documents list reads from the store: documents with their review progress, and
the filters that narrow them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import pandas as pd

from extractor.review.export import UNREVIEWED
from extractor.store import Store

from .vocab import district_names, region_names

PAGE_SIZE = 100


def documents(store: Store, records: pd.DataFrame) -> pd.DataFrame:
    """One row per document: its title, first source, date, main region, records and reviewed.

    records: `review_frame(store)`, the records with doc_key and review_state.
    """
    rows = store.conn.execute(
        "SELECT d.doc_key, d.doc_id, d.lang, d.status, d.error, MIN(s.source), COUNT(s.source), "
        "COALESCE(t.title, '') FROM documents d LEFT JOIN sources s USING (doc_key) "
        "LEFT JOIN texts t USING (doc_key) GROUP BY d.doc_key ORDER BY d.doc_id, d.doc_key"
    ).fetchall()
    columns = ["doc_key", "doc_id", "lang", "status", "error", "source", "sources", "title"]
    docs = pd.DataFrame(rows, columns=columns)
    marked = records.assign(reviewed=records["review_state"] != UNREVIEWED)
    by_doc = marked.groupby("doc_key", sort=False)
    docs["records"] = docs["doc_key"].map(by_doc.size()).fillna(0).astype(int)
    docs["reviewed"] = docs["doc_key"].map(by_doc["reviewed"].sum()).fillna(0).astype(int)
    docs["published"] = docs["doc_key"].map(by_doc["published"].first()).fillna("")
    named = marked[marked["region_name"].fillna("") != ""]
    docs["region"] = docs["doc_key"].map(named.groupby("doc_key")["region_name"].agg(_most_common))
    docs["region"] = docs["region"].fillna("")
    # a document stored before texts were kept has no title there: its records name it
    missing = docs["title"] == ""
    docs.loc[missing, "title"] = docs.loc[missing, "doc_key"].map(by_doc["title"].first()).fillna("")
    docs.loc[docs["title"] == "", "title"] = docs["doc_id"]
    return docs


def _most_common(names: pd.Series) -> str:
    return str(names.value_counts().index[0])


@dataclass(frozen=True)
class DocFilter:
    """The documents list's filters, as the query string gives them ('' = any)."""

    region: str = ""
    district: str = ""
    year: str = ""
    indicator: str = ""
    status: str = ""
    review: str = ""
    q: str = ""

    @classmethod
    def of(cls, args: Mapping[str, str]) -> DocFilter:
        return cls(**{f.name: str(args.get(f.name, "")).strip() for f in fields(cls)})

    def record_mask(self, records: pd.DataFrame) -> pd.Series:
        """Records that match every record-level filter."""
        mask = pd.Series(True, index=records.index)
        for value, column in (
            (self.region, "region_code"),
            (self.district, "district_code"),
            (self.indicator, "indicator"),
            (self.status, "status"),
        ):
            if value:
                mask &= records[column].fillna("") == value
        if self.year:
            mask &= records["year"].astype("string").fillna("") == self.year
        return mask

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def filter_documents(
    store: Store, docs: pd.DataFrame, records: pd.DataFrame, chosen: DocFilter
) -> pd.DataFrame:
    """The documents that have a record matching the record filters and pass the others."""
    record_level = (chosen.region, chosen.district, chosen.year, chosen.indicator, chosen.status)
    if any(record_level):
        keys = set(records.loc[chosen.record_mask(records), "doc_key"])
        docs = docs[docs["doc_key"].isin(keys)]
    if chosen.review:
        docs = docs[docs["doc_key"].isin(_review_keys(records, chosen.review))]
    if chosen.q:
        docs = docs[docs["doc_key"].isin(search(store, chosen.q))]
    return docs


def _review_keys(records: pd.DataFrame, review: str) -> set[str]:
    states = records["review_state"]
    if review == "done":
        by_doc = (states != UNREVIEWED).groupby(records["doc_key"]).all()
        return set(by_doc[by_doc].index)
    wanted = {"todo": UNREVIEWED}.get(review, review)
    return set(records.loc[states == wanted, "doc_key"])


def search(store: Store, query: str) -> set[str]:
    """Documents whose title, text, id or source holds the query, in any letter case."""
    store.conn.create_function("casefold", 1, lambda s: (s or "").casefold(), deterministic=True)
    rows = store.conn.execute(
        "SELECT d.doc_key FROM documents d LEFT JOIN texts t USING (doc_key) "
        "WHERE instr(casefold(COALESCE(t.title, '') || ' ' || COALESCE(t.text, '') || ' ' || d.doc_id), ?) "
        "OR d.doc_key IN (SELECT doc_key FROM sources WHERE instr(casefold(source), ?))",
        (query.casefold(), query.casefold()),
    )
    return {row[0] for row in rows}


def choices(records: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: (value, label) pairs present in the store."""
    regions, districts = region_names(), district_names()

    def present(column: str) -> list[str]:
        values = records[column].dropna().astype(str)
        return sorted(set(values[values != ""]))

    return {
        "region": [(c, regions.get(c, c)) for c in present("region_code")],
        "district": [(c, districts.get(c, c)) for c in present("district_code")],
        "year": [(y, y) for y in sorted(present("year"), reverse=True)],
        "indicator": [(i, i) for i in present("indicator")],
        "status": [(s, s) for s in present("status")],
        "review": [
            ("todo", "has unreviewed records"),
            ("done", "all reviewed"),
            ("wrong", "has a wrong record"),
            ("fix", "has a fixed record"),
        ],
    }
