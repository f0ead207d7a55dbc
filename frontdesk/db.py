"""Open the clinic's database file: location, pragmas, schema migrations, checks.

Everything SQLite-specific lives here, so another database can follow later.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs
from peewee import DatabaseError, SqliteDatabase

from frontdesk import models, seed

log = logging.getLogger(__name__)

APP_NAME = "FrontDesk"
DB_FILENAME = "frontdesk.db"
BUSY_TIMEOUT_MS = 5000
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": "full",
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def default_db_path() -> Path:
    """Where the database lives: FRONTDESK_DB, or the user's data folder."""
    override = os.environ.get("FRONTDESK_DB")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


class DatabaseUnavailable(Exception):
    """The file cannot be used as the clinic's database; the message says why."""


def _create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def open_database(path: Path | str, *, migrate: bool = True) -> SqliteDatabase:
    """Open (creating if needed) the database file and bind the models to it.

    Raises DatabaseUnavailable, with a message a person can act on, when the file
    cannot be created, is not a database, is locked, or is from a newer version.
    """
    path = Path(path)
    try:
        return _open(path, migrate)
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


def _open(path: Path, migrate: bool) -> SqliteDatabase:
    if not path.exists():
        _create_private_file(path)
        log.info("created a new database file")
    database = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    models.database_proxy.initialize(database)
    database.connect(reuse_if_open=True)
    if migrate:
        migrate_to_latest(database, path)
    return database


def close_database() -> None:
    """Close the open database, if any."""
    database = models.database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()


# --- schema versions -------------------------------------------------------


def _v1_create_tables(database: SqliteDatabase) -> None:
    database.create_tables(models.ALL_MODELS)
    seed.seed_reference_data()


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[SqliteDatabase], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create the tables and seed reference data", _v1_create_tables),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(database: SqliteDatabase) -> int:
    return database.execute_sql("PRAGMA user_version").fetchone()[0]


def _set_schema_version(database: SqliteDatabase, version: int) -> None:
    database.execute_sql(f"PRAGMA user_version = {int(version)}")


def backup_copy(database: SqliteDatabase, path: Path, reason: str) -> Path:
    """Copy the database aside (consistent even while open) and return the copy's path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    target.touch(mode=0o600, exist_ok=False)
    source = database.connection()
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    return target


def _has_user_tables(database: SqliteDatabase) -> bool:
    return bool(database.get_tables())


def migrate_to_latest(database: SqliteDatabase, path: Path) -> None:
    """Run every migration above the file's version, one atomic step each."""
    current = schema_version(database)
    if current > LATEST_VERSION:
        raise DatabaseUnavailable(
            f"This database was written by a newer Front Desk (schema {current}); "
            "install the newer version to open it."
        )
    pending = [m for m in MIGRATIONS if m.version > current]
    if not pending:
        return
    if current > 0 or _has_user_tables(database):
        backup_copy(database, path, f"before-v{pending[0].version}")
        log.info("copied the database aside before migrating to version %d", pending[0].version)
    for migration in pending:
        with database.atomic():
            migration.apply(database)
            _set_schema_version(database, migration.version)
        log.info("migrated schema to version %d (%s)", migration.version, migration.description)


# --- checks -----------------------------------------------------------------


def check_database(database: SqliteDatabase) -> list[str]:
    """Integrity, foreign-key and schema-version checks; returns the problems found."""
    problems = []
    integrity = [row[0] for row in database.execute_sql("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        problems.extend(f"integrity: {line}" for line in integrity[:5])
    foreign = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    if foreign:
        problems.append(f"foreign keys: {len(foreign)} rows point at missing records")
    version = schema_version(database)
    if version != LATEST_VERSION:
        problems.append(f"schema version {version}, expected {LATEST_VERSION}")
    return problems


def journal_mode(database: SqliteDatabase) -> str:
    return database.execute_sql("PRAGMA journal_mode").fetchone()[0]
