"""The large clinic on a clinic server (PostgreSQL), for the benchmarks run on both engines.

    python bench/server_clinic.py [--server postgresql://user@host/db] [--clients N]

The clinic is generated once as a SQLite file (large_clinic.py) and its rows are copied into
an empty server database with plain batched INSERTs, table by table in the models' order (so
every foreign key is checked as it is written); each id sequence is then raised past the
copied ids and the tables vacuumed and analysed (VACUUM ANALYZE), as autovacuum leaves a
server's tables once a bulk change has settled: the statistics the planner reads, and the
visibility map that lets an index answer a query alone. A database that already holds the
clinic's clients is reused as it is; one holding other clients is refused.

Without an address, a throwaway server is started in a temporary folder from the installed
PostgreSQL programs (tests/postgres_server.py) and removed afterwards, its database created
as docs/clinic-server.md says; `ServerMissing` when those programs are not installed.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from large_clinic import DatabaseNotEmpty, clinic_file
from psycopg2.extras import execute_values

from frontdesk import db, models

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the throwaway server
from tests.postgres_server import ServerMissing, throwaway_server

BATCH = 2_000  # rows per INSERT statement
DATABASE = "clinic"
COPIED_MODELS = (*models.ALL_MODELS, *models.DERIVED_MODELS)

__all__ = ["ServerMissing", "server_clinic", "server_version"]


@contextmanager
def server_clinic(clients: int, fresh: bool, address: str | None = None) -> Iterator[str]:
    """The address of a server database holding the generated clinic of `clients` clients:
    `address` (filled now unless it holds them already), else a throwaway server's."""
    path = clinic_file(clients, fresh)
    if address:
        fill(address, path, clients)
        yield address
        return
    with throwaway_server() as server:
        language = server.language_locale() or "C.UTF-8"  # as a server set to a language
        server.admin(
            f"CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0 LOCALE '{language}'"
        )
        url = server.url(DATABASE)
        fill(url, path, clients)
        yield url


def fill(address: str, path: Path, clients: int) -> None:
    """Copy the clinic file's rows into the server database at `address`, unless there."""
    database = db.open_database(address)  # an empty database gets the tables first
    try:
        found = models.Client.select().count()
        if found == clients:
            print(f"reusing the {clients:,} clients on {database.location}")
            return
        if found:
            raise DatabaseNotEmpty(f"{database.location} holds {found:,} other clients")
        started = perf_counter()
        rows = copy_rows(path, database)
        database.execute_sql("VACUUM ANALYZE")  # as autovacuum leaves a settled database
        took = perf_counter() - started
        print(f"copied {rows:,} rows to {database.location} in {took:.1f} s, vacuumed")
    finally:
        db.close_database()


def copy_rows(path: Path, database: db.ClinicDatabase) -> int:
    """Every table's rows from the SQLite file, in place of the new database's reference
    rows, in one transaction; how many rows were written."""
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    tables = [model._meta.table_name for model in COPIED_MODELS]
    written = 0
    try:
        with database.atomic():
            cursor = database.cursor()
            cursor.execute(f"TRUNCATE {', '.join(_quoted(t) for t in tables)} CASCADE")
            for table in tables:
                written += _copy_table(source, cursor, database, table)
            for model in models.ALL_MODELS:
                table = model._meta.table_name
                last = source.execute(f"SELECT max(id) FROM {_quoted(table)}").fetchone()[0]
                database.raise_sequence(table, last)
    finally:
        source.close()
    return written


def _copy_table(source: sqlite3.Connection, cursor, database: db.ClinicDatabase, table: str) -> int:
    columns = database.get_columns(table)
    names = ", ".join(_quoted(column.name) for column in columns)
    flags = [i for i, column in enumerate(columns) if column.data_type == "boolean"]
    insert = f"INSERT INTO {_quoted(table)} ({names}) VALUES %s"
    rows = source.execute(f"SELECT {names} FROM {_quoted(table)}")
    written = 0
    while batch := rows.fetchmany(BATCH):
        if flags:  # SQLite keeps a boolean as 0 or 1
            batch = [_with_booleans(row, flags) for row in batch]
        execute_values(cursor, insert, batch, page_size=BATCH)
        written += len(batch)
    return written


def _with_booleans(row: tuple, flags: list[int]) -> tuple:
    values = list(row)
    for i in flags:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)


def _quoted(name: str) -> str:
    return f'"{name}"'


def server_version(address: str) -> str:
    """The server's PostgreSQL version, e.g. "15.8"."""
    database = db.open_database(address, migrate=False)
    try:
        return database.execute_sql("SHOW server_version").fetchone()[0].split()[0]
    finally:
        db.close_database()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", metavar="ADDRESS", help="postgresql://user@host/database")
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args(argv)
    if not args.server:
        parser.error("give the server database to fill (--server postgresql://...)")
    fill(args.server, clinic_file(args.clients, False), args.clients)
    return 0


if __name__ == "__main__":
    sys.exit(main())
