"""Move a clinic: copy every table of the open database into a clinic server's database or a
new SQLite file, then verify the copy table by table.

The target must not hold a clinic yet (no schema version, no rows in any of the clinic's
tables); it gets the latest schema's tables, the rows with their ids, each table's id
sequence raised to the highest id the source ever handed out (the audit trail's high-water
mark too, so no id is ever handed out twice), and the schema version, in one transaction:
a copy that fails leaves nothing behind (a new file is removed). A SQLite target is a plain
file, not encrypted, whatever the source is; `frontdesk --db FILE encrypt` encrypts it.

The verification reads both databases with the same code: for every table its row count and
a checksum of its rows. Rows are read in primary-key order in batches; each row's values
are read through its model's fields and written as the same text on either engine
(datetimes, dates, booleans, bytes, None); the checksum is the sum of the rows' SHA-256
digests, so it does not depend on how an engine orders text keys. Only table names, counts
and checksums are reported, never a row's values.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import (
    BlobField,
    BooleanField,
    DatabaseError,
    DateField,
    DateTimeField,
    Field,
    Model,
    sort_models,
)

from frontdesk import db, models
from frontdesk.paths import is_server_address

BATCH_ROWS = 2000  # rows read per query: a clinic of any size is streamed, never loaded whole
MAX_PARAMETERS = 999  # values per INSERT statement (the lowest limit of any SQLite)
CHECKSUM_MODULUS = 2**256
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class CopyRefused(Exception):
    """The copy was not made (nothing was changed); the message says why."""


@dataclass(frozen=True)
class TableSum:
    """What the verification compares of one table."""

    rows: int
    checksum: str


@dataclass(frozen=True)
class TableCheck:
    table: str
    source: TableSum
    target: TableSum

    @property
    def equal(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    tables: tuple[TableCheck, ...]
    problems: tuple[str, ...]  # what `db.check_database` found on the target
    seconds: float
    plain_file: bool  # the target is a SQLite file, not encrypted

    @property
    def mismatched(self) -> list[str]:
        return [check.table for check in self.tables if not check.equal]

    @property
    def rows(self) -> int:
        return sum(check.source.rows for check in self.tables)

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.problems


def copied_models() -> list[type[Model]]:
    """Every table of a clinic, each after the tables its rows point at."""
    return sort_models([*models.ALL_MODELS, *models.DERIVED_MODELS])


# --- the copy ------------------------------------------------------------------------------


def copy_clinic(source: db.ClinicDatabase, target_location: Path | str) -> CopyResult:
    """Copy the open `source` clinic into `target_location` (a server address or a new file
    path), verify it, and leave the models bound to `source`. CopyRefused when the source is
    not at the latest schema or the target cannot be used or already holds a clinic."""
    started = time.perf_counter()
    version = source.schema_version()
    if version != db.LATEST_VERSION:
        raise CopyRefused(
            f"the clinic is at schema {version}, not {db.LATEST_VERSION}: open it with this "
            "Front Desk once to upgrade it, then copy it"
        )
    new_file = not is_server_address(target_location) and not Path(target_location).exists()
    with _models_kept_on(source), source.atomic(lock_type="DEFERRED"):
        try:
            target = _open_target(target_location)
            try:
                checks, problems = _copy_and_check(source, target)
            finally:
                target.close()
        except BaseException:
            if new_file:
                _remove_file(Path(target_location))
            raise
    return CopyResult(
        source.location,
        target.location,
        checks,
        problems,
        time.perf_counter() - started,
        plain_file=not target.is_server,
    )


def _copy_and_check(source: Any, target: Any) -> tuple[tuple[TableCheck, ...], tuple[str, ...]]:
    """Copy into the opened target (bound to the models), then verify and check it."""
    _refuse_a_clinic(target)
    _copy_into(source, target)
    return verify(source, target), tuple(db.check_database(target))


@contextmanager
def _models_kept_on(database: db.ClinicDatabase) -> Iterator[None]:
    """The models may be bound elsewhere inside; bound to `database` again afterwards."""
    try:
        yield
    finally:
        models.database_proxy.initialize(database)


def _open_target(location: Path | str) -> Any:
    """The target opened as it is (no schema created), with the models bound to it."""
    try:
        return db.open_database(location, migrate=False)
    except db.DatabaseUnavailable as error:
        raise CopyRefused(str(error)) from error


def _refuse_a_clinic(target: Any) -> None:
    """CopyRefused when the target has a schema version or rows in any clinic table."""
    try:
        version = target.schema_version()
        filled = [m for m in copied_models() if _has_rows(target, m._meta.table_name)]
    except DatabaseError as error:
        raise CopyRefused(
            f"{target.location} could not be read as an empty database ({type(error).__name__})"
        ) from error
    if version or filled:
        raise CopyRefused(
            f"{target.location} already holds a clinic (schema version {version}, "
            f"{len(filled)} tables with records); nothing was changed. Copy into an empty "
            "server database or a new file."
        )


def _has_rows(database: Any, table: str) -> bool:
    if not database.table_exists(table):
        return False
    return database.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None


def _copy_into(source: Any, target: Any) -> None:
    """The tables, rows, id sequences and schema version, in one transaction on the target."""
    with target.atomic():
        db.create_tables(target)
        for model in copied_models():
            _copy_rows(source, target, model)
        for model in models.ALL_MODELS:
            _raise_sequence(source, target, model._meta.table_name)
        target.set_schema_version(db.LATEST_VERSION)


def _copy_rows(source: Any, target: Any, model: type[Model]) -> None:
    writers = [_writer(field) for field in model._meta.sorted_fields]
    per_statement = max(1, MAX_PARAMETERS // len(writers))
    for batch in _batches(source, model):
        for start in range(0, len(batch), per_statement):
            chunk = batch[start : start + per_statement]
            values = [value for row in chunk for value in _converted(writers, row)]
            target.execute_sql(_insert_sql(target, model, len(chunk)), values)


def _insert_sql(database: Any, model: type[Model], row_count: int) -> str:
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    row = "(" + ", ".join([database.param] * len(fields)) + ")"
    return f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ' + ", ".join(
        [row] * row_count
    )


Convert = Callable[[Any], Any]


def _writer(field: Field) -> Convert:
    """How a value read from one engine is written to the other."""
    if isinstance(field, BooleanField):
        return _or_none(bool)
    if isinstance(field, BlobField):
        return _or_none(bytes)
    if isinstance(field, (DateTimeField, DateField)):
        return _or_none(str)
    return _same


def _same(value: Any) -> Any:
    return value


def _or_none(convert: Convert) -> Convert:
    def converted(value: Any) -> Any:
        return None if value is None else convert(value)

    return converted


def _converted(converters: list[Convert], row: Sequence[Any]) -> list[Any]:
    return [convert(value) for convert, value in zip(converters, row, strict=True)]


def _raise_sequence(source: Any, target: Any, table: str) -> None:
    """The target's next id comes after every id the source handed out or holds."""
    highest = target.execute_sql(f'SELECT max("id") FROM "{table}"').fetchone()[0]
    issued = [n for n in (source.last_id_issued(table), highest) if n is not None]
    target.raise_sequence(table, max(issued, default=None))


def _remove_file(path: Path) -> None:
    for name in (path.name, *(path.name + suffix for suffix in SQLITE_SIDE_FILES)):
        with suppress(FileNotFoundError):
            (path.parent / name).unlink()


# --- reading and verifying -------------------------------------------------------------------


def _key_columns(model: type[Model]) -> list[str]:
    key = model._meta.primary_key
    names = getattr(key, "field_names", None) or (key.name,)
    return [model._meta.fields[name].column_name for name in names]


def _batches(database: Any, model: type[Model]) -> Iterator[list[Sequence[Any]]]:
    """The table's rows (the model's columns) in primary-key order, BATCH_ROWS at a time:
    each batch is read from where the last one ended."""
    fields = model._meta.sorted_fields
    keys = _key_columns(model)
    positions = [[f.column_name for f in fields].index(column) for column in keys]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    key_list = ", ".join(f'"{column}"' for column in keys)
    select = f'SELECT {columns} FROM "{model._meta.table_name}"'
    order = f" ORDER BY {key_list} LIMIT {BATCH_ROWS}"
    after = f" WHERE ({key_list}) > (" + ", ".join([database.param] * len(keys)) + ")"
    rows = database.execute_sql(select + order).fetchall()
    while rows:
        yield rows
        if len(rows) < BATCH_ROWS:
            return
        last = [rows[-1][position] for position in positions]
        rows = database.execute_sql(select + after + order, last).fetchall()


def _reader(field: Field) -> Convert:
    """How a value is read for the checksum: as the same plain data on either engine."""
    if isinstance(field, BooleanField):
        return _or_none(lambda value: int(bool(value)))
    if isinstance(field, BlobField):
        return _or_none(lambda value: bytes(value).hex())
    if isinstance(field, (DateTimeField, DateField)):
        return _or_none(lambda value: str(field.python_value(value)))
    return _same


def table_sum(database: Any, model: type[Model]) -> TableSum:
    """The table's row count and the checksum of its rows."""
    readers = [_reader(field) for field in model._meta.sorted_fields]
    rows, total = 0, 0
    for batch in _batches(database, model):
        for row in batch:
            text = json.dumps(_converted(readers, row), ensure_ascii=False)
            total += int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
            rows += 1
    return TableSum(rows, f"{total % CHECKSUM_MODULUS:064x}")


def verify(source: Any, target: Any) -> tuple[TableCheck, ...]:
    """Every table's count and checksum on the source and on the target."""
    return tuple(
        TableCheck(m._meta.table_name, table_sum(source, m), table_sum(target, m))
        for m in copied_models()
    )


def describe(check: TableCheck) -> str:
    """One line for a table: its count and checksum, and what differs."""
    line = f"{check.table}: {check.source.rows} rows, checksum {check.source.checksum[:16]}"
    if check.equal:
        return line
    return (
        f"{line}; DIFFERENT on the target: {check.target.rows} rows, "
        f"checksum {check.target.checksum[:16]}"
    )


def summary(result: CopyResult) -> str:
    said = f"{len(result.tables)} tables, {result.rows} rows copied in {result.seconds:.1f} s"
    if result.ok:
        return f"{said}; every count and checksum equal"
    return f"{said}; the copy does NOT match: do not use it"
