"""Open the clinic's database: location, pragmas, schema migrations, checks.

A SQLite file (one PC) is kept here; a clinic server (PostgreSQL, several PCs) in
`frontdesk.clinic_server`, loaded only when an address names one. Both answer the same
questions (schema version, checks, ids handed out), so the rest of the program asks the
database object and never the engine.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any

from peewee import SQL, DatabaseError, Expression, Field, IntegrityError, SqliteDatabase

from frontdesk import models, seed
from frontdesk.network_drive import network_location
from frontdesk.paths import APP_NAME as APP_NAME  # where files live: kept apart, light
from frontdesk.paths import DB_FILENAME as DB_FILENAME
from frontdesk.paths import as_location as as_location
from frontdesk.paths import default_db_path as default_db_path
from frontdesk.paths import is_server_address as is_server_address
from frontdesk.storage_errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseGone,
    DatabaseReadOnly,
    DiskError,
    DiskFull,
    StorageError,
)
from frontdesk.textsearch import search_key

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": "full",
    "busy_timeout": BUSY_TIMEOUT_MS,
}


class DatabaseUnavailable(Exception):
    """The file cannot be used as the clinic's database; the message says why."""


class OnNetworkDrive(DatabaseUnavailable):
    """The file lies on a network drive, where SQLite's locks do not hold; not opened."""


class PassphraseNeeded(DatabaseUnavailable):
    """The file is encrypted and no passphrase was given; nothing was read or written."""


class WrongPassphrase(DatabaseUnavailable):
    """The passphrase given does not open the encrypted file; nothing was written."""


# --- encrypted files (SQLCipher) ------------------------------------------------

PLAIN_HEADER = b"SQLite format 3\x00"
SMALLEST_PAGE = 512  # a database file is whole pages of 512 to 65536 bytes

# The engines' own errors. sqlcipher3's are not subclasses of sqlite3's; they join the tuple
# when an encrypted file first loads that module (a plain clinic never does). Catch them as
# `db.ENGINE_ERRORS` (looked up when the error comes), never through an imported copy.
ENGINE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)
_cipher_module: ModuleType | None = None


def is_encrypted(path: Path | str) -> bool:
    """A non-empty file that does not begin as a plain SQLite file does (SQLCipher's begins
    with random bytes), made of whole pages (so a text file is not taken for one), and not a
    plain one with its first bytes damaged."""
    try:
        with open(path, "rb") as file:
            start = file.read(100)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return False
    if not start or start.startswith(PLAIN_HEADER) or _plain_with_damaged_start(start):
        return False
    return size % SMALLEST_PAGE == 0


def _plain_with_damaged_start(start: bytes) -> bool:
    """A plain file whose first bytes were damaged still holds the rest of its header: 20
    zero bytes reserved at offset 72, then at 96 the version of the SQLite that last wrote it
    (3xxxxxx). An encrypted file has random bytes there, which match both only by a chance
    too small to count (the version alone matched one encrypted file in 4,300)."""
    reserved_zeros = start[72:92] == bytes(20)
    return reserved_zeros and 3_000_000 <= int.from_bytes(start[96:100], "big") < 4_000_000


def sqlcipher() -> ModuleType:
    """sqlcipher3's DB-API module, loaded (a few ms) only when an encrypted file is used."""
    global _cipher_module, ENGINE_ERRORS
    if _cipher_module is None:
        from playhouse.sqlcipher_ext import sqlcipher as module  # with peewee's adapters

        quiet = module.connect(":memory:")
        quiet.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is not logged to stderr
        quiet.close()
        ENGINE_ERRORS = (sqlite3.Error, module.Error)
        _cipher_module = module
    return _cipher_module


def _key_pragma(passphrase: str, pragma: str = "key") -> str:
    quoted = passphrase.replace("'", "''")
    return f"PRAGMA {pragma} = '{quoted}'"


def connect_file(
    path: Path | str, passphrase: str | None = None, *, mode: str | None = None
) -> Any:
    """A DB-API connection to a database file: the standard sqlite3 module's for a plain file
    (`passphrase` None), else sqlcipher3's keyed with the passphrase. Both ends of a copy must
    come from the same module. `mode` ("ro", "rw") opens through a URI that never creates it.
    """
    location, uri = str(path), False
    if mode is not None:
        location, uri = f"{Path(path).resolve().as_uri()}?mode={mode}", True
    timeout = BUSY_TIMEOUT_MS / 1000
    if passphrase is None:
        return sqlite3.connect(location, uri=uri, timeout=timeout)
    connection = sqlcipher().connect(location, uri=uri, timeout=timeout)
    connection.execute(_key_pragma(passphrase))  # never fails: the key is tried at first read
    return connection


def passphrase_for(path: Path | str, passphrase: str | None) -> str | None:
    """The key to read `path` with: `passphrase` when the file is encrypted, else None."""
    return passphrase if is_encrypted(path) else None


def export_database(
    source: Path, source_passphrase: str | None, target: Path, target_passphrase: str | None
) -> None:
    """Copy `source` into the new empty file `target`, encrypted with `target_passphrase` (plain
    for None) whatever the source's form: SQLCipher's sqlcipher_export, then the schema
    version, which the export leaves out."""
    connection = sqlcipher().connect(
        str(source), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        if source_passphrase is not None:
            connection.execute(_key_pragma(source_passphrase))
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(
            "ATTACH DATABASE ? AS exported KEY ?", (str(target), target_passphrase or "")
        )
        try:
            connection.execute("SELECT sqlcipher_export('exported')")
            connection.execute(f"PRAGMA exported.user_version = {int(version)}")
        finally:
            connection.execute("DETACH DATABASE exported")
    finally:
        connection.close()


def copy_database(
    source: Path, source_passphrase: str | None, target: Path, target_passphrase: str | None
) -> None:
    """Copy the database file `source` into the new empty file `target`, encrypted with
    `target_passphrase` (plain for None): page by page when both are in the same form (the
    online backup API re-keys an encrypted copy), else through `export_database`."""
    if (source_passphrase is None) != (target_passphrase is None):
        export_database(source, source_passphrase, target, target_passphrase)
        return
    reader = connect_file(source, source_passphrase, mode="ro")
    try:
        writer = connect_file(target, target_passphrase)
        try:
            reader.backup(writer)
            writer.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            writer.close()
    finally:
        reader.close()


def _create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


# --- storage errors ----------------------------------------------------------

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
SQLITE_READONLY_DBMOVED = SQLITE_READONLY | (4 << 8)
BY_MESSAGE = {
    "database or disk is full": SQLITE_FULL,
    "database is locked": SQLITE_BUSY,
    "disk i/o error": SQLITE_IOERR,
    "attempt to write a readonly database": SQLITE_READONLY,
    "database disk image is malformed": SQLITE_CORRUPT,
    "file is not a database": SQLITE_NOTADB,
    "unable to open database file": SQLITE_CANTOPEN,
}


def _sqlite_code(error: BaseException) -> int | None:
    """The SQLite result code behind a peewee or sqlite3 error, if there is one."""
    for candidate in (error, *error.args[:1], error.__cause__, error.__context__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if code is not None:
            return code
    return BY_MESSAGE.get(str(error).strip().casefold())


def storage_error(error: BaseException, file_name: str) -> StorageError | None:
    """The clear StorageError for an engine error, or None when it is not a storage fault."""
    code = _sqlite_code(error)
    if code is None:
        return None
    if code == SQLITE_READONLY_DBMOVED:
        return DatabaseGone(
            f"the file {file_name} was moved or deleted while Front Desk had it open"
        )
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return DiskFull(f"the disk holding {file_name} is full")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(f"the file {file_name} is locked by another program or another copy")
    if primary == SQLITE_READONLY:
        return DatabaseReadOnly(f"the file {file_name} cannot be written")
    if primary == SQLITE_NOTADB:
        return DatabaseDamaged(
            f"the file {file_name} is not a Front Desk database, or it is damaged",
            "Check that it is the right file; if it is, restore the latest backup.",
        )
    if primary == SQLITE_CORRUPT:
        return DatabaseDamaged(f"the file {file_name} is damaged")
    if primary in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return DiskError(f"the file {file_name} could not be read or written (a disk error)")
    return None


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


# An outermost transaction takes the write lock when it begins (nested ones are savepoints).
# A deferred one that read first could not take it later once another connection had
# committed (SQLITE_BUSY_SNAPSHOT, refused at once); BEGIN IMMEDIATE waits its turn instead,
# up to the busy timeout.
TRANSACTION_LOCK = "IMMEDIATE"


class ClinicDatabase(SqliteDatabase):
    """The clinic's SQLite file: clear storage errors, no writes to a file gone or replaced.

    Every outermost transaction begins IMMEDIATE (TRANSACTION_LOCK), so what it reads
    stays true until it commits and its writes wait for another PC's save rather than
    fail. A long read that needs one consistent snapshot but writes nothing can use
    `atomic(lock_type="DEFERRED")` so it does not hold up other PCs' saves.

    Every write transaction first checks that the file on disk is still the one that
    was opened; every commit is followed by a WAL checkpoint, so a plain copy of the
    file taken between saves holds everything saved.
    """

    passphrase: str | None = None  # a plain file's
    is_server = False
    checked = "integrity and keys checked"  # what `integrity_problems` covers, for `check`

    def __init__(self, path: Path) -> None:
        super().__init__(
            str(path),
            pragmas=PRAGMAS,
            timeout=BUSY_TIMEOUT_MS / 1000,
            lock_type=TRANSACTION_LOCK,
        )
        self.path = path
        self.identity: tuple[int, int] | None = None

    def _connect(self) -> sqlite3.Connection:
        connection = super()._connect()
        self._note_identity()
        return connection

    def _note_identity(self) -> None:
        if self.identity is None:  # the file as first opened: a later thread's connection
            self.identity = _file_identity(self.path)  # must not vouch for a replaced one

    def translate(self, error: BaseException) -> BaseException:
        return storage_error(error, self.path.name) or error

    def check_file(self) -> None:
        """Refuse to write when the file was deleted, moved or replaced since it was opened."""
        if self.identity is not None and _file_identity(self.path) != self.identity:
            raise DatabaseGone(
                f"the file {self.path.name} was moved, deleted or replaced after it was opened"
            )

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return super().execute_sql(sql, params)
        except DatabaseError as error:
            if isinstance(error, IntegrityError):
                raise
            raise self.translate(error) from error

    def begin(self, lock_type: str | None = None) -> None:
        self.check_file()
        try:
            super().begin(lock_type)
        except DatabaseError as error:
            raise self.translate(error) from error

    def commit(self) -> None:
        try:
            super().commit()
        except DatabaseError as error:
            raise self.translate(error) from error
        self.checkpoint("PASSIVE")

    def rollback(self) -> None:
        """Roll back, unless SQLite already did (it does on a full disk or an I/O error)."""
        connection = self._state.conn
        if connection is not None and not connection.in_transaction:
            return
        try:
            super().rollback()
        except DatabaseError as error:
            raise self.translate(error) from error

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy what the write-ahead log holds into the database file itself."""
        try:
            self._state.conn.execute(f"PRAGMA wal_checkpoint({mode})")
        except ENGINE_ERRORS:
            log.debug("the write-ahead log could not be checkpointed yet; the next save will")

    def close(self) -> bool:
        if not self.is_closed() and self.identity == _file_identity(self.path):
            self.checkpoint("TRUNCATE")
        return super().close()

    @property
    def location(self) -> str:
        """The file's path, as --db takes it."""
        return str(self.path)

    # --- what each engine keeps its own way (see ClinicServerDatabase for the server's) ---

    def schema_version(self) -> int:
        return self.execute_sql("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute_sql(f"PRAGMA user_version = {int(version)}")

    def create_bookkeeping(self) -> None:
        """Nothing beyond the tables: SQLite keeps each table's last id in sqlite_sequence."""

    def last_id_issued(self, table: str) -> int | None:
        """The highest id the table has ever handed out (None when it has handed out none)."""
        return _sequence(self, table)

    def raise_sequence(self, table: str, at_least: int | None) -> None:
        _raise_sequence(self, table, at_least)

    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity check and its check of every foreign key."""
        problems = []
        integrity = [row[0] for row in self.execute_sql("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems.extend(f"integrity: {line}" for line in integrity[:5])
        foreign = self.foreign_key_problems()
        if foreign:
            problems.append(f"foreign keys: {foreign} rows point at missing records")
        return problems

    def quick_problems(self) -> list[str]:
        """SQLite's quick check of the file's pages (the start runs it every time)."""
        rows = self.execute_sql("PRAGMA quick_check(5)").fetchall()
        found = [line for row in rows for line in row[0].splitlines() if not line.startswith("***")]
        return [] if found == ["ok"] else [f"quick check: {line}" for line in found[:5]]

    def foreign_key_problems(self) -> int:
        """How many rows point at records that are not there."""
        return len(self.execute_sql("PRAGMA foreign_key_check").fetchall())

    def copy_aside(self, reason: str) -> Path:
        """A copy of the file beside it, named for `reason` (before an upgrade)."""
        return backup_copy(self, self.path, reason)


class EncryptedClinicDatabase(ClinicDatabase):
    """The clinic's file encrypted with SQLCipher: each connection (one per thread) is opened
    by sqlcipher3 and keyed with the passphrase first; everything else is ClinicDatabase's.

    Deriving the key from the passphrase takes about 0.1 s per connection.
    """

    def __init__(self, path: Path, passphrase: str) -> None:
        super().__init__(path)
        self.passphrase = passphrase
        self.server_version = sqlcipher().sqlite_version_info

    def _connect(self) -> Any:
        connection = sqlcipher().connect(
            self.database, timeout=self._timeout, isolation_level=None, **self.connect_params
        )
        try:
            connection.execute(_key_pragma(self.passphrase))
            self._add_conn_hooks(connection)  # the pragmas read the first page: a wrong key fails
        except BaseException:
            connection.close()
            raise
        self._note_identity()
        return connection

    def rekey(self, passphrase: str) -> None:
        """Encrypt the file with a new passphrase; later connections and backups use it.

        Another thread's connection still open with the old one can no longer read.
        """
        self.execute_sql(_key_pragma(passphrase, "rekey"))
        self.passphrase = passphrase


def open_database(
    path: Path | str, *, migrate: bool = True, passphrase: str | None = None
) -> ClinicDatabase:
    """Open (creating if needed) the database file and bind the models to it; a clinic
    server's address (postgresql://user@host/database) opens that database instead
    (`open_server`), and `passphrase` is not used.

    An encrypted file needs its passphrase: without one PassphraseNeeded, with a wrong one
    WrongPassphrase, and nothing is written to it. A new (empty) file given a passphrase is
    encrypted from its first page; a plain one opens as it is, whatever is given.

    Raises DatabaseUnavailable, with a message a person can act on, when the file
    cannot be created, is not a database, is locked, is on a full disk, is from a newer
    version, or lies on a network drive (OnNetworkDrive).
    """
    if is_server_address(path):
        return open_server(str(path), migrate=migrate)
    path = Path(path)
    _refuse_network_drive(path)
    try:
        return _open(path, migrate, passphrase)
    except StorageError as error:
        close_database()
        raise DatabaseUnavailable(str(error)) from error
    except DatabaseError as error:
        close_database()
        raise DatabaseUnavailable(
            f"{path.name} could not be read as a Front Desk database ({error}). "
            "Check that it is the right file and that no other program holds it."
        ) from error
    except OSError as error:
        raise DatabaseUnavailable(
            f"{path} could not be created or opened: {error.strerror or error}."
        ) from error


def open_server(address_text: str, *, migrate: bool = True) -> Any:
    """Open the clinic server's database named by the address and bind the models to it;
    an empty database gets the tables and reference data. DatabaseUnavailable, in words a
    person can act on, when the address is wrong or the server refuses or cannot be reached.
    """
    from frontdesk import clinic_server

    try:
        address = clinic_server.ServerAddress.parse(address_text)
    except clinic_server.AddressRefused as error:
        raise DatabaseUnavailable(str(error)) from None
    database = clinic_server.ClinicServerDatabase(address)
    models.database_proxy.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        if migrate:
            migrate_to_latest(database, None)
    except StorageError as error:
        close_database()
        raise DatabaseUnavailable(str(error)) from error
    except DatabaseError as error:
        close_database()
        raise DatabaseUnavailable(clinic_server.connect_problem(error, address)) from error
    return database


def _open(path: Path, migrate: bool, passphrase: str | None) -> ClinicDatabase:
    if not path.exists():
        _create_private_file(path)
        log.info("created a new database file")
    database = _clinic_database(path, passphrase)
    models.database_proxy.initialize(database)
    try:
        database.connect(reuse_if_open=True)
    except DatabaseError as error:
        if database.passphrase is not None and _sqlite_code(error) == SQLITE_NOTADB:
            raise WrongPassphrase(
                f"That passphrase does not open {path.name}. Nothing was changed; "
                "check it and try again."
            ) from error
        raise database.translate(error) from error
    if migrate:
        migrate_to_latest(database, path)
    return database


def _clinic_database(path: Path, passphrase: str | None) -> ClinicDatabase:
    """The database object for the file: encrypted when the file is (or is new and a
    passphrase is given), else plain."""
    if is_encrypted(path):
        if passphrase is None:
            raise PassphraseNeeded(f"{path.name} is encrypted: type its passphrase.")
        return EncryptedClinicDatabase(path, passphrase)
    if passphrase is not None and path.stat().st_size == 0:
        return EncryptedClinicDatabase(path, passphrase)
    return ClinicDatabase(path)


def _refuse_network_drive(path: Path) -> None:
    place = network_location(path)
    if place is not None:
        raise OnNetworkDrive(
            f"{path.name} is on {place}. A clinic file on a network drive gets damaged when "
            "two PCs write to it at once, so Front Desk does not open it there. Copy it to "
            "this PC's own disk and open that copy; for several PCs on one clinic, use a "
            "clinic server."
        )


def open_if_closed(path: Path | str, *, passphrase: str | None = None) -> ClinicDatabase:
    """The database at `path`: the one open already, else opened (as `open_database`) with
    `passphrase`, or when none is given the one it was last opened with."""
    current = models.database_proxy.obj
    same_file = current is not None and current.location == str(as_location(str(path)))
    if same_file and not current.is_closed():
        return current
    if passphrase is None and same_file:
        passphrase = current.passphrase
    return open_database(path, passphrase=passphrase)


def current_passphrase() -> str | None:
    """The passphrase of the clinic's database (None when it is plain or none was opened):
    backups and checks of its copies use it."""
    return getattr(models.database_proxy.obj, "passphrase", None)


def close_database() -> None:
    """Close the open database, if any."""
    database = models.database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()


# --- schema versions -------------------------------------------------------


def create_tables(database: ClinicDatabase) -> None:
    """The latest schema's tables, empty, with what the engine keeps beside them."""
    database.create_tables([*models.ALL_MODELS, *models.DERIVED_MODELS])
    database.create_bookkeeping()


def _create_latest_schema(database: ClinicDatabase) -> None:
    create_tables(database)
    seed.seed_reference_data()


def _rebuild_table(database: SqliteDatabase, model: type[models.Model]) -> None:
    """Recreate a table from its model (the SQLite way to change a column), keeping its rows.

    The table's id sequence is kept too, so an id handed out before is never handed out again.
    """
    table = model._meta.table_name
    last_id = _sequence(database, table)
    kept = [column.name for column in database.get_columns(table)]
    columns = ", ".join(f'"{name}"' for name in kept)
    model._meta.set_table_name(f"{table}__new")
    try:
        model._schema.create_table(safe=False)
    finally:
        model._meta.set_table_name(table)
    database.execute_sql(f'INSERT INTO "{table}__new" ({columns}) SELECT {columns} FROM "{table}"')
    database.execute_sql(f'DROP TABLE "{table}"')
    database.execute_sql(f'ALTER TABLE "{table}__new" RENAME TO "{table}"')
    model._schema.create_indexes(safe=False)
    _raise_sequence(database, table, last_id)


def _sequence(database: SqliteDatabase, table: str) -> int | None:
    """The last id an AUTOINCREMENT table handed out, or None when it has no sequence yet."""
    if not database.table_exists("sqlite_sequence"):
        return None
    row = database.execute_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)
    ).fetchone()
    return None if row is None else row[0]


def among(column: Field, ids: Iterable[int]) -> Expression | SQL:
    """`column IN (...)` for a list of record ids, the ids written into the statement.

    Peewee binds each value of an IN list as a parameter of its own, which for the few
    hundred ids of a list of clients takes longer than running the query; ids are whole
    numbers (made sure of by `int`), so they are written out as numbers instead. Plain SQL:
    the same on any engine.
    """
    numbers = ",".join(str(int(record_id)) for record_id in ids)
    return column.in_(SQL(f"({numbers})")) if numbers else SQL("1 = 0")


def last_id_issued(database: ClinicDatabase, table: str) -> int | None:
    """The highest id the table has ever handed out (None when it has handed out none)."""
    return database.last_id_issued(table)


def _raise_sequence(database: SqliteDatabase, table: str, at_least: int | None) -> None:
    """Make the table's next id come after `at_least` (nothing to do for None)."""
    if at_least is None:
        return
    database.execute_sql(
        "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
        (table, table),
    )
    database.execute_sql(
        "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (at_least, table)
    )


def _skip_ids_the_audit_trail_used(database: SqliteDatabase, table: str) -> None:
    """A deleted newest row's id was seen by the audit trail: never hand it out again."""
    used = database.execute_sql(
        "SELECT MAX(entity_id) FROM audit_event WHERE entity = ?", (table,)
    ).fetchone()[0]
    _raise_sequence(database, table, used)


def _existing_models(database: SqliteDatabase) -> list[type[models.Model]]:
    """The models whose table the file already has (a later migration creates the others)."""
    return [m for m in models.ALL_MODELS if database.table_exists(m._meta.table_name)]


def _v2_versions_and_lasting_ids(database: SqliteDatabase) -> None:
    for model in _existing_models(database):
        _rebuild_table(database, model)
    for model in _existing_models(database):
        _skip_ids_the_audit_trail_used(database, model._meta.table_name)


def _v3_durations_in_weeks_or_months(database: SqliteDatabase) -> None:
    """Durations become a count and a unit (old ones: N months); physicians get a search key.

    Safe after version 2 (which builds the tables from the current models): the rebuild
    only adds what is missing, and the old month counts are copied in either way.
    """
    for model in (models.Physician, models.Prescription):
        _rebuild_table(database, model)
    database.execute_sql(
        "UPDATE prescription SET duration_count = duration_months, duration_unit = 'month', "
        "duration_months = NULL WHERE duration_months IS NOT NULL"
    )
    physicians = database.execute_sql(
        "SELECT id, last_name, first_name, practice FROM physician"
    ).fetchall()
    for physician_id, *names in physicians:
        database.execute_sql(
            "UPDATE physician SET search_key = ? WHERE id = ?", (search_key(*names), physician_id)
        )


def _v4_coverage_and_case_details(database: SqliteDatabase) -> None:
    """Coverage: plan type, subscriber's birth date, copay. Injury cases: status, policy, PIP
    limit, adjuster's email, employer's address. Prescriptions may belong to an injury case.

    A case marked closed before gets the status "closed". Directory entries still as they
    were seeded (never edited) get the new seed's aliases, plan types and notes, same ids.
    """
    for model in (models.Coverage, models.InjuryCase, models.Prescription):
        _rebuild_table(database, model)
    database.execute_sql(
        "UPDATE injury_case SET status = 'closed' WHERE closed = 1 AND status = 'open'"
    )
    seed.refresh_seed_payers()
    seed.seed_payers()


def _v5_visits_notes_and_ledger(database: SqliteDatabase) -> None:
    """Visits: wellness flag and reason, late-cancel fee, cancel reason. Service lines: a
    discount's reason, medical or not. Payments: voids and refunds as entries of their own.
    Payers: unit rounding and a discount program's rate. Prices change from a date on.

    Existing rows get the defaults: medical lines, payments of kind "payment", the 8-minute
    rule; every code keeps its price for past and future days until the owner changes it.
    """
    for model in (models.Payer, models.Visit, models.ServiceLine, models.Payment):
        _rebuild_table(database, model)
    database.create_tables([models.ServicePrice], safe=True)


def _v6_audit_chain_and_clinic_logo(database: SqliteDatabase) -> None:
    """Audit events are chained by hash (the events already kept are chained in the order
    they were written); the clinic profile may hold a logo (none until the owner adds one).
    """
    from frontdesk.services import audit

    for model in (models.AuditEvent, models.ClinicProfile):
        _rebuild_table(database, model)
    hashes = audit.chained_hashes()
    while batch := list(islice(hashes, 5000)):
        database.cursor().executemany("UPDATE audit_event SET chain_hash = ? WHERE id = ?", batch)


def _v7_client_search_words(database: SqliteDatabase) -> None:
    """Clients are found through a table of their search words (names, phone digits, birth
    date) and listed in order from an (archived, search key) index; the old index on the
    archived flag alone goes, as it led the list away from the ordered one.
    """
    database.execute_sql('DROP INDEX IF EXISTS "client_archived"')
    models.Client._schema.create_indexes(safe=True)
    database.create_tables([models.ClientSearchWord], safe=True)
    database.execute_sql('DELETE FROM "client_search_word"')  # filled afresh from the clients
    fields = models.ClientSearchWord._meta.fields
    columns = ", ".join(f'"{fields[name].column_name}"' for name in models.SEARCH_WORD_COLUMNS)
    insert = f'INSERT INTO "client_search_word" ({columns}) VALUES (?, ?, ?, ?)'
    clients = models.Client.select().iterator()
    while batch := list(islice(clients, 5000)):
        rows = [row for client in batch for row in models.search_word_rows(client)]
        database.cursor().executemany(insert, rows)


def _v8_logins(database: SqliteDatabase) -> None:
    """Logins: a full name, wrong-password count and lockout; "reception" is now called
    "front_desk". The clinic chooses after how many idle minutes the window locks (10).
    """
    for model in (models.User, models.ClinicProfile):
        _rebuild_table(database, model)
    database.execute_sql("UPDATE \"user\" SET role = 'front_desk' WHERE role = 'reception'")
    database.execute_sql('UPDATE "user" SET username = lower(username)')


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[SqliteDatabase], None]
    rebuilds_tables: bool = False  # runs with foreign keys off, checked before commit


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create the tables and seed reference data", _create_latest_schema),
    Migration(
        2,
        "record versions; ids never reused",
        _v2_versions_and_lasting_ids,
        rebuilds_tables=True,
    ),
    Migration(
        3,
        "prescription durations in weeks or months; physician search",
        _v3_durations_in_weeks_or_months,
        rebuilds_tables=True,
    ),
    Migration(
        4,
        "coverage and injury case details; prescriptions linked to a case",
        _v4_coverage_and_case_details,
        rebuilds_tables=True,
    ),
    Migration(
        5,
        "visits, treatment notes and payments: fees, discounts, voids, refunds, price history",
        _v5_visits_notes_and_ledger,
        rebuilds_tables=True,
    ),
    Migration(
        6,
        "a tamper-evident audit trail; the clinic's logo",
        _v6_audit_chain_and_clinic_logo,
        rebuilds_tables=True,
    ),
    Migration(7, "clients found through their search words", _v7_client_search_words),
    Migration(8, "logins with roles and lockout; the idle lock", _v8_logins, rebuilds_tables=True),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(database: ClinicDatabase) -> int:
    return database.schema_version()


def _set_schema_version(database: ClinicDatabase, version: int) -> None:
    database.set_schema_version(version)


def backup_copy(database: SqliteDatabase, path: Path, reason: str) -> Path:
    """Copy the database aside (consistent even while open) and return the copy's path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    target.touch(mode=0o600, exist_ok=False)
    source = database.connection()
    copy = connect_file(target, getattr(database, "passphrase", None))  # encrypted as the file
    try:
        source.backup(copy)
    finally:
        copy.close()
    return target


def _has_user_tables(database: ClinicDatabase) -> bool:
    return bool(database.get_tables())


def migrate_to_latest(database: ClinicDatabase, path: Path | None = None) -> None:
    """Run every migration above the database's version, one atomic step each, after a copy
    of it was put aside (`copy_aside`).

    A clinic server's database is created at version 8 or later, so the earlier steps, which
    rebuild tables the SQLite way, only ever run on files; later steps run on both engines.
    """
    current = schema_version(database)
    if current > LATEST_VERSION:
        raise DatabaseUnavailable(
            f"This database was written by a newer Front Desk (schema {current}); "
            "install the newer version to open it."
        )
    if current == 0 and not _has_user_tables(database):
        with database.atomic():
            _create_latest_schema(database)
            _set_schema_version(database, LATEST_VERSION)
        log.info("created schema version %d", LATEST_VERSION)
        return
    pending = [m for m in MIGRATIONS if m.version > current]
    if not pending:
        return
    database.copy_aside(f"before-v{pending[0].version}")
    log.info("copied the database aside before migrating to version %d", pending[0].version)
    for migration in pending:
        _apply(database, migration)
        log.info("migrated schema to version %d (%s)", migration.version, migration.description)


def _apply(database: ClinicDatabase, migration: Migration) -> None:
    """One migration in one transaction; a table rebuild (on a file) runs with foreign keys
    off, and checks them before it commits."""
    keys_off = migration.rebuilds_tables and not database.is_server
    if keys_off:
        database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with database.atomic():
            migration.apply(database)
            if database.foreign_key_problems():
                raise DatabaseUnavailable(
                    f"Upgrading to schema {migration.version} found records pointing at "
                    "missing ones; the file was left as it was."
                )
            _set_schema_version(database, migration.version)
    finally:
        if keys_off:
            database.execute_sql("PRAGMA foreign_keys = ON")


# --- checks -----------------------------------------------------------------


def check_database(database: ClinicDatabase) -> list[str]:
    """Integrity (the engine's own), schema-version and audit-chain checks; returns the
    problems found."""
    problems = database.integrity_problems()
    version = schema_version(database)
    if version != LATEST_VERSION:
        problems.append(f"schema version {version}, expected {LATEST_VERSION}")
    else:
        problems.extend(_audit_chain_problems())
    return problems


def _audit_chain_problems() -> list[str]:
    from frontdesk.services import audit

    chain = audit.verify_chain()
    return [] if chain.intact else [f"audit trail: {chain.problem()}"]


def startup_check(database: ClinicDatabase) -> list[str]:
    """The quick check run at every start (the engine's quick check, schema version); the
    problems. Damage that stops the check itself is reported as a problem rather than raised.
    """
    try:
        problems = database.quick_problems()
        version = schema_version(database)
    except DatabaseDamaged as error:
        return [error.problem]
    if not 1 <= version <= LATEST_VERSION:
        problems.append(f"schema version {version}, expected {LATEST_VERSION}")
    return problems


def journal_mode(database: SqliteDatabase) -> str:
    return database.execute_sql("PRAGMA journal_mode").fetchone()[0]
