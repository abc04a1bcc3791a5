"""How the store names input files: by absolute path, so that a folder named `big` and
`/data/big` are one set of sources, whatever folder a run starts in.

Stores written before kept each file under the name it was given (often relative);
`adopt_legacy_name` moves such a file to its absolute key the first time a run names it
again, as before or relative to the folder the run starts in, without reading it again.
`matching_files` finds what `derek forget` removes.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractor.reader import display_name
from extractor.store.connection import rollback
from extractor.store.store import Store


def source_key(path: Path | str) -> str:
    """The absolute path, normalised (`..` removed) but with symlinks kept: a file's name,
    and so its doc_id, is the one it was given."""
    return display_name(os.path.abspath(path))


def adopt_legacy_name(store: Store, path: Path, known: set[str] | None = None) -> bool:
    """Re-key the file an older run stored under a name as given to its absolute key;
    False if there is none. `known`: the store's paths, read once for many files."""
    key = source_key(path)

    def stored(name: str) -> bool:
        return name in known if known is not None else _stored(store, name)

    if stored(key):
        return False
    names = (display_name(path), display_name(os.path.relpath(os.path.abspath(path))))
    name = next((n for n in names if n != key and stored(n)), None)
    if name is None:
        return False
    c = store.conn
    renamed = "? || substr({0}, length(?) + 1)"  # `name` and `name:N` (a feed's line) follow the file
    under = "({0} = ? OR substr({0}, 1, length(?) + 1) = ? || ':')"
    source = "json_extract(data, '$.source')"
    c.execute("BEGIN IMMEDIATE")
    try:
        c.execute(
            f"UPDATE records SET data = json_set(data, '$.source', {renamed.format(source)}) "
            f"WHERE doc_key IN (SELECT doc_key FROM sources WHERE path = ?) AND {under.format(source)}",
            (key, name, name, name, name, name),
        )
        c.execute(
            f"UPDATE OR REPLACE sources SET source = {renamed.format('source')} "
            f"WHERE path = ? AND {under.format('source')}",
            (key, name, name, name, name, name),
        )
        c.execute("UPDATE OR REPLACE sources SET path = ? WHERE path = ?", (key, name))
        c.execute("UPDATE OR REPLACE files SET path = ? WHERE path = ?", (key, name))
        c.execute("COMMIT")
    except BaseException:
        rollback(c)
        raise
    return True


def _stored(store: Store, path: str) -> bool:
    query = "SELECT 1 FROM files WHERE path = ? UNION ALL SELECT 1 FROM sources WHERE path = ? LIMIT 1"
    return store.conn.execute(query, (path, path)).fetchone() is not None


def matching_files(store: Store, target: str) -> list[str]:
    """Stored files that are `target` or lie under it, by absolute key or by an older
    store's name as given; the file need not exist any more."""
    found: set[str] = set()
    for root in {source_key(target), display_name(Path(target))}:
        prefix = root.rstrip("/") + "/"
        query = (
            "SELECT path FROM files WHERE path = ? OR substr(path, 1, length(?)) = ? "
            "UNION SELECT path FROM sources WHERE path = ? OR substr(path, 1, length(?)) = ?"
        )
        found.update(row[0] for row in store.conn.execute(query, (root, prefix, prefix) * 2))
    return sorted(found)
