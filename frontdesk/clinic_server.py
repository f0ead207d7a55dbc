"""The clinic server: one PostgreSQL database that every PC of the clinic works on.

A clinic with one PC keeps its records in a SQLite file; a clinic with several points each PC
at one PostgreSQL database by its address, `postgresql://user@host[:port]/database`, given as
`--db` or FRONTDESK_DB. The address never holds the password: PostgreSQL's own client library
reads it from the PC user's ~/.pgpass (or the file PGPASSFILE names), and otherwise Front Desk
looks in the system keyring (service "Front Desk", the address as the user name).

The models, the services and the schema version are the same as on a SQLite file. What the
engines do differently is kept here: the schema version lives in a table of its own, and every
outermost write transaction first takes one clinic-wide lock (`WRITE_LOCK`), so saves from the
PCs follow one another as they do on a SQLite file, and what a transaction read stays true
until it commits (receipt numbers, balances, versions).
"""

from __future__ import annotations

import glob
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from peewee import DatabaseError, IntegrityError, InterfaceError, PostgresqlDatabase

from frontdesk.paths import holds_password
from frontdesk.storage_errors import DatabaseBusy, ServerUnreachable, StorageError

log = logging.getLogger(__name__)

SCHEMES = ("postgresql", "postgres")
DEBIAN_PROGRAMS = "/usr/lib/postgresql/*/bin"
DEFAULT_PORT = 5432
KEYRING_SERVICE = "Front Desk"
CONNECT_TIMEOUT_S = 5
LOCK_TIMEOUT_MS = 15_000  # a save waits this long for another PC's save to finish
WRITE_LOCK = 0x46_44_65_73_6B  # "FDesk": the clinic-wide advisory lock every write takes
SCHEMA_TABLE = "frontdesk_schema"  # one row: the schema version (SQLite: PRAGMA user_version)
AUDIT_HIGH_WATER = "audit_high_water"  # the highest audit event id ever written
WORD_STATISTICS = 1000  # sample size of the search words' statistics (PostgreSQL's default: 100)

# SQLSTATE classes and codes (PostgreSQL's appendix A).
CONNECTION_CLASS = "08"
LOCK_NOT_AVAILABLE = "55P03"
INVALID_CATALOG = "3D000"  # no such database
ADMIN_SHUTDOWN = "57P01"
CONNECTION_LOST = (
    "server closed the connection",
    "connection already closed",
    "terminating connection",
    "could not connect",
    "could not receive data",
    "could not send data",
    "connection refused",
)


class AddressRefused(ValueError):
    """The --db value is not an address Front Desk can use; the message says why."""


@dataclass(frozen=True)
class ServerAddress:
    """Where the clinic's database is: user, host, port and database name (no password)."""

    user: str
    host: str
    port: int
    database: str
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        parts = urlsplit(str(text).strip())
        if parts.scheme.lower() not in SCHEMES:
            raise AddressRefused(f"{text!r} is not a postgresql:// address")
        if holds_password(text):
            raise AddressRefused(
                "The address must not hold the password (it would show in the list of running "
                "programs and in logs). Remove it, and put it in ~/.pgpass or the system "
                "keyring: see docs/clinic-server.md."
            )
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database or "/" in database:
            raise AddressRefused(
                "A clinic server's address looks like postgresql://user@host/database."
            )
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError as error:
            raise AddressRefused(f"The port in the address is not a number ({error}).") from None
        options = tuple(parse_qsl(parts.query))  # libpq's own, such as sslmode=require
        return cls(unquote(parts.username or ""), parts.hostname, port, database, options)

    @property
    def url(self) -> str:
        """The address as typed back (no password: it never holds one)."""
        user = f"{self.user}@" if self.user else ""
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        options = f"?{urlencode(self.options)}" if self.options else ""
        return f"postgresql://{user}{host}{port}/{self.database}{options}"

    @property
    def name(self) -> str:
        """How messages name it: "the database clinic on server1"."""
        return f"the database {self.database} on {self.host}"

    def connect_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            **dict(self.options),
            "host": self.host,
            "port": self.port,
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "Front Desk",
            "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
        }
        if self.user:
            params["user"] = self.user
        password = keyring_password(self)
        if password is not None:
            params["password"] = password
        return params


def postgres_program(name: str) -> str | None:
    """Where one of PostgreSQL's programs is (pg_dump, initdb, ...): on PATH, else in the
    folder of Debian's newest installed version (Debian and Ubuntu keep each version apart);
    None when it is not installed."""
    on_path = shutil.which(name)
    if on_path:
        return on_path

    def version(found: str) -> int:
        number = Path(found).parts[-3]
        return int(number) if number.isdigit() else 0

    found = sorted(glob.glob(f"{DEBIAN_PROGRAMS}/{name}"), key=version)
    return found[-1] if found else None


def keyring_password(address: ServerAddress) -> str | None:
    """The password kept in the system keyring for this address, if a keyring is there.

    None also when no keyring can be reached: PostgreSQL's client then reads ~/.pgpass.
    """
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, address.url)
    except Exception as error:  # no keyring package or no keyring service on this PC
        log.debug("no system keyring to ask for the server password (%s)", type(error).__name__)
        return None


def server_error(error: BaseException, address: ServerAddress) -> StorageError | None:
    """The clear StorageError for a driver error, or None when it is not a storage fault."""
    code = getattr(getattr(error, "orig", None) or error, "pgcode", None) or ""
    cause = getattr(error, "__cause__", None)
    code = code or getattr(cause, "pgcode", None) or ""
    if code == LOCK_NOT_AVAILABLE:
        return DatabaseBusy(
            f"another PC is saving to {address.name} and did not finish in time",
            "Wait a moment and try again.",
        )
    if code.startswith(CONNECTION_CLASS) or code == ADMIN_SHUTDOWN or _connection_lost(error):
        return ServerUnreachable(f"the clinic server ({address.host}) could not be reached")
    return None


def connect_problem(error: BaseException, address: ServerAddress) -> str:
    """What went wrong opening the server's database, said so a person can act on it."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    folded = text.casefold()
    if "does not exist" in folded and "database" in folded:
        return (
            f"The clinic server {address.host} has no database named {address.database}. "
            "Check the address, or create the database as docs/clinic-server.md says."
        )
    if "password" in folded or "authentication" in folded:
        who = address.user or "this PC's user"
        return (
            f"The clinic server {address.host} refused the login {who}: the password is "
            "missing or wrong. Put it in ~/.pgpass or the system keyring "
            "(docs/clinic-server.md)."
        )
    if _connection_lost(error) or "timeout" in folded or "translate host name" in folded:
        return (
            f"The clinic server {address.host} could not be reached ({text}). Check that it "
            "is on and that this PC is on the clinic's network."
        )
    return f"{address.name[:1].upper()}{address.name[1:]} could not be opened: {text}."


def _connection_lost(error: BaseException) -> bool:
    if isinstance(error, InterfaceError):
        return True
    text = str(error).casefold()
    return any(phrase in text for phrase in CONNECTION_LOST)


class ClinicServerDatabase(PostgresqlDatabase):
    """The clinic's records on a PostgreSQL server (see the module's text)."""

    passphrase: str | None = None  # a server's data is protected by the server, not a key
    is_server = True
    checked = "tables not read yet"

    def __init__(self, address: ServerAddress) -> None:
        self.address = address
        super().__init__(address.database, **address.connect_params())

    @property
    def location(self) -> str:
        return self.address.url

    def translate(self, error: BaseException) -> BaseException:
        return server_error(error, self.address) or error

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return super().execute_sql(sql, params)
        except (DatabaseError, InterfaceError) as error:
            if isinstance(error, IntegrityError):
                raise
            if self._connection_lost() and self.transaction_depth() == 0:
                self._state.reset()  # the next use connects again
            raise self.translate(error) from error

    def _connection_lost(self) -> bool:
        connection = self._state.conn
        return connection is not None and bool(connection.closed)

    def begin(self, lock_type: str | None = None, isolation_level: Any = None) -> None:
        """Begin a transaction. A write transaction (the default) first waits for the clinic's
        write lock; a "DEFERRED" one only reads, from one consistent snapshot (a write in it
        is refused rather than made without the lock)."""
        if self._connection_lost():
            self._state.reset()  # the server went away since the last transaction: reconnect
        try:
            if lock_type == "DEFERRED":
                self.cursor().execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                return
            self.cursor().execute("BEGIN")
            self.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except Exception as error:  # the driver's own errors, raised outside peewee's wrapper
            raise self.translate(error) from error

    def commit(self) -> None:
        try:
            super().commit()
        except (DatabaseError, InterfaceError) as error:
            raise self.translate(error) from error

    def rollback(self) -> None:
        """Roll back the outermost transaction; when the server already ended it with the
        connection, forget that connection, so the next use connects again."""
        if self._connection_lost():
            self._state.reset()
            return
        try:
            super().rollback()
        except (DatabaseError, InterfaceError) as error:
            raise self.translate(error) from error

    @contextmanager
    def writes_held(self) -> Iterator[None]:
        """Hold the clinic's write lock on this connection while the block runs (a restore
        replaces every table): other PCs' saves wait for it, or give up after
        LOCK_TIMEOUT_MS, rather than land between the safety copy and the restore. This
        program's own saves meanwhile run on this connection, which holds the lock already.
        """
        if self.in_transaction():
            raise RuntimeError("the write lock is held outside a transaction, not inside one")
        self.execute_sql("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
        try:
            yield
        finally:
            self._let_go_of_writes()

    def _let_go_of_writes(self) -> None:
        """Release the session's write lock; when that fails, end the session (and the lock
        with it) rather than leave other PCs waiting."""
        if self._connection_lost():
            return  # the lock ended with the session
        try:
            if self.in_transaction():
                self.rollback()
            self.execute_sql("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))
        except (StorageError, DatabaseError) as error:
            log.warning("the write lock could not be released (%s)", type(error).__name__)
            self._state.conn.close()
            self._state.reset()

    def check_file(self) -> None:
        """Nothing to check: the server keeps its own files."""

    # --- the schema version and the audit trail's high-water mark ---

    def schema_version(self) -> int:
        if not self.table_exists(SCHEMA_TABLE):
            return 0
        row = self.execute_sql(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchone()
        return row[0] or 0

    def set_schema_version(self, version: int) -> None:
        self.execute_sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version integer NOT NULL)")
        self.execute_sql(f"DELETE FROM {SCHEMA_TABLE}")
        self.execute_sql(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (%s)", (int(version),))

    def create_bookkeeping(self) -> None:
        """The audit trail's high-water mark, kept by a trigger in the inserting transaction,
        so events removed from the end of the trail show (SQLite: sqlite_sequence); finer
        statistics of the search words, whose spread (common last names, rare ones) the
        server's default sample misjudges."""
        self.execute_sql(
            f"ALTER TABLE client_search_word ALTER COLUMN word SET STATISTICS {WORD_STATISTICS}"
        )
        self.execute_sql(f"CREATE TABLE IF NOT EXISTS {AUDIT_HIGH_WATER} (last_id bigint NOT NULL)")
        self.execute_sql(
            f"CREATE OR REPLACE FUNCTION {AUDIT_HIGH_WATER}_raise() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE {AUDIT_HIGH_WATER} SET last_id = greatest(last_id, NEW.id); "
            f"IF NOT FOUND THEN INSERT INTO {AUDIT_HIGH_WATER} VALUES (NEW.id); END IF; "
            "RETURN NEW; END $$"
        )
        self.execute_sql(
            f"CREATE OR REPLACE TRIGGER {AUDIT_HIGH_WATER}_on_insert AFTER INSERT ON audit_event "
            f"FOR EACH ROW EXECUTE FUNCTION {AUDIT_HIGH_WATER}_raise()"
        )

    def last_id_issued(self, table: str) -> int | None:
        """The highest id the table has handed out: the audit trail's from its high-water
        mark (transactional), any other table's from its id sequence."""
        if table == "audit_event":
            row = self.execute_sql(f"SELECT max(last_id) FROM {AUDIT_HIGH_WATER}").fetchone()
            return row[0]
        row = self.execute_sql(  # last_value is NULL until the sequence hands out an id
            "SELECT last_value FROM pg_sequences "
            "WHERE schemaname = current_schema() AND sequencename = %s",
            (f"{table}_id_seq",),
        ).fetchone()
        return row[0] if row else None

    def raise_sequence(self, table: str, at_least: int | None) -> None:
        """Make the table's next id come after `at_least` (after a copy of its rows)."""
        if at_least is None:
            return
        self.execute_sql(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (f'"{table}"', at_least)
        )
        if table == "audit_event":
            self.execute_sql(f"DELETE FROM {AUDIT_HIGH_WATER}")
            self.execute_sql(f"INSERT INTO {AUDIT_HIGH_WATER} VALUES (%s)", (at_least,))

    # --- checks ---

    def integrity_problems(self) -> list[str]:
        """The server checks its own pages and keys; here each table is read in full once
        and its rows counted, so a table that cannot be read shows."""
        problems, rows, tables = [], 0, self.get_tables()
        for table in tables:
            try:
                rows += self.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            except StorageError:
                raise
            except DatabaseError as error:
                problems.append(f"table {table} could not be read ({type(error).__name__})")
        self.checked = f"{len(tables)} tables read, {rows:,} rows counted"
        return problems

    def quick_problems(self) -> list[str]:
        self.execute_sql("SELECT 1").fetchone()
        return []

    def foreign_key_problems(self) -> int:
        return 0  # the server refuses such rows as they are written

    def copy_aside(self, reason: str) -> Any:
        """A backup of the server's database (pg_dump) before an upgrade, in the backup
        folder; its path."""
        from frontdesk.services import server_backup

        return server_backup.dump_aside(self, reason)
