"""The run store (derek.sqlite): what every run, review and export reads and writes.

- store: `Store`, a store opened in a folder; runs and their writes, in crash-safe transactions
- queries: `StoreReader`, the read side (records, texts, documents, what a re-run may skip)
- schema: the tables and the migrations that bring an older store up to date
- connection: the clock, WAL and rollback every transaction uses
- paths: how input files are named in the store (absolute keys, older stores' names)

The dataset files made from a store are extractor/dataset's.
"""

from extractor.store.connection import now, rollback
from extractor.store.queries import StoreReader
from extractor.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from extractor.store.store import SKIPPED_STATUSES, STORE_NAME, Applied, Store

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SKIPPED_STATUSES",
    "STORE_NAME",
    "Applied",
    "Store",
    "StoreReader",
    "migrate",
    "now",
    "rollback",
]
