"""The dataset's columns as files: Arrow types for Parquet, and CSV a spreadsheet cannot run.

One rule for missing values in every format: missing text is the empty string, a missing
number or date is empty in CSV and null in Parquet. Parquet keeps the types: `published`
is a date (date32), `processed_at` a UTC timestamp, `year` a nullable integer. In CSV, a text
cell that begins with = + - @ TAB or CR gets a leading ' so that a spreadsheet shows it as
text, not a formula (OWASP's advice); a cell that begins with ' gets one more, so removing
exactly one leading ' always gives the text back. Numbers are never escaped (a negative
value stays a number). Parquet and JSON lines keep the text as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from extractor.api import MANIFEST_COLUMNS
from extractor.record import COLUMNS

if TYPE_CHECKING:
    import pandas as pd

TYPES: dict[str, pa.DataType] = {
    "year": pa.int64(),
    "value": pa.float64(),
    "value_max": pa.float64(),
    "char_start": pa.int64(),
    "char_end": pa.int64(),
    "records": pa.int64(),
    "published": pa.date32(),
    "processed_at": pa.timestamp("ms", tz="UTC"),  # Parquet keeps no coarser unit
}  # every other column is text
NULLABLE_INTEGERS = ("year",)  # pandas reads them as Int64, not as floats
FORMULA = "^[=+\\-@\t\r']"  # the first characters of a cell that CSV escapes


def schema_of(names: Iterable[str]) -> pa.Schema:
    return pa.schema([(name, TYPES.get(name, pa.string())) for name in names])


RECORD_SCHEMA = schema_of(COLUMNS)
MANIFEST_SCHEMA = schema_of(MANIFEST_COLUMNS)


def typed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` in `schema`'s columns and types (a missing column is empty), with the pandas
    metadata that makes `pd.read_parquet` give each column its dtype."""
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            arrays.append(_convert(table.column(field.name), field.type))
        else:
            arrays.append(_convert(pa.nulls(len(table)), field.type))
    return pa.Table.from_arrays(arrays, schema=schema.with_metadata(pandas_metadata(schema)))


def _convert(column: pa.ChunkedArray | pa.Array, kind: pa.DataType) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_string(kind):
        return pc.fill_null(column.cast(pa.string()), "")
    if column.type == kind:
        return column
    if _is_text(column.type) and (pa.types.is_date(kind) or pa.types.is_timestamp(kind)):
        text = column.cast(pa.string())  # ISO text; empty means unknown
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        try:
            return text.cast(kind)
        except pa.ArrowInvalid:  # one value that is no ISO date must not stop the run: it is unknown
            return pa.array([_iso(value, kind) for value in text.to_pylist()], kind)
    return column.cast(kind)


def _iso(value: str | None, kind: pa.DataType) -> dt.date | dt.datetime | None:
    try:
        if value is None:
            return None
        if pa.types.is_date(kind):
            return dt.date.fromisoformat(value)
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def frame_table(frame: pd.DataFrame) -> pa.Table:
    """A DataFrame as an Arrow table: SPEC's and the manifest's columns typed as the files
    type them; other numeric and boolean columns kept, anything else as text."""
    arrays, fields = [], []
    for name in frame.columns:
        array = _series_array(frame[name])
        kind = TYPES.get(name)
        if kind is None:
            plain = pa.types.is_integer(array.type) or pa.types.is_floating(array.type)
            kind = array.type if plain or pa.types.is_boolean(array.type) else pa.string()
        if pa.types.is_string(kind) and not _is_text(array.type):  # lists, objects: their text
            array = pa.array(frame[name].map(lambda v: None if v is None else str(v)), pa.string())
        arrays.append(array)
        fields.append(pa.field(str(name), kind))
    return typed(pa.Table.from_arrays(arrays, names=[f.name for f in fields]), pa.schema(fields))


def _series_array(series: pd.Series) -> pa.Array:
    try:
        return pa.array(series, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):  # mixed objects
        return pa.array(series.map(lambda v: None if v is None else str(v)), pa.string())


@cache
def pandas_metadata(schema: pa.Schema) -> dict[bytes, bytes]:
    import pandas as pd

    def dtype(field: pa.Field) -> str:
        if field.name in NULLABLE_INTEGERS:
            return "Int64"
        if pa.types.is_timestamp(field.type):
            return "datetime64[ms, UTC]"
        if pa.types.is_string(field.type) or pa.types.is_date(field.type):
            return "object"
        return str(field.type.to_pandas_dtype().__name__)

    empty = pd.DataFrame({f.name: pd.Series([], dtype=dtype(f)) for f in schema})
    metadata = pa.Table.from_pandas(empty, schema=schema, preserve_index=False).schema.metadata
    return dict(metadata or {})


def csv_header(names: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    return buffer.getvalue().encode("utf-8")


def csv_chunks(table: pa.Table, groups: Sequence[int]) -> list[bytes]:
    """The CSV lines of `table` (no header), as one bytes chunk per group of rows (sizes).

    A row with a carriage return in a cell is quoted whole: the csv module quotes only the
    line terminator's characters, and readers would take a bare CR for the end of a line."""
    columns = [_cells(table.column(i), field.type) for i, field in enumerate(table.schema)]
    rows = zip(*columns, strict=True)
    carriage = _carriage_returns(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    ends, done = [], 0
    for size in groups:
        batch = [next(rows) for _ in range(size)]
        if any(carriage[done : done + size]):
            for row, cr in zip(batch, carriage[done : done + size], strict=True):
                (quoted if cr else writer).writerow(row)
        else:
            writer.writerows(batch)
        done += size
        ends.append(buffer.tell())
    text = buffer.getvalue()
    starts = [0, *ends[:-1]]
    return [text[start:end].encode("utf-8", "replace") for start, end in zip(starts, ends, strict=True)]


def _carriage_returns(table: pa.Table) -> list[bool]:
    found = pa.array([False] * table.num_rows, pa.bool_())
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            found = pc.or_(found, pc.fill_null(pc.match_substring(table.column(i), "\r"), False))
    return found.to_pylist() if isinstance(found, pa.Array) else found.combine_chunks().to_pylist()


def _cells(column: pa.ChunkedArray, kind: pa.DataType) -> list[str]:
    """Each cell of a column as CSV text: floats as Python writes them (as pandas does)."""
    if pa.types.is_string(kind):
        formula = pc.fill_null(pc.match_substring_regex(column, FORMULA), False)
        return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column).to_pylist()
    if pa.types.is_floating(kind):
        return ["" if v is None or v != v else repr(v) for v in column.to_pylist()]
    if pa.types.is_timestamp(kind):
        return ["" if v is None else v.isoformat() for v in column.to_pylist()]
    if pa.types.is_integer(kind) or pa.types.is_date(kind):
        return pc.fill_null(column.cast(pa.string()), "").to_pylist()
    return ["" if v is None else str(v) for v in column.to_pylist()]


def table_csv(table: pa.Table) -> bytes:
    """A whole table as CSV, with its header."""
    return csv_header(table.column_names) + b"".join(csv_chunks(table, [len(table)]))
