"""Another PC on the same clinic database: a DB-API connection of its own to the open
database, the file's (sqlite3) or the clinic server's (psycopg2), with the same few verbs on
both. Statements are written with `?` placeholders, as for SQLite."""

from __future__ import annotations

import sqlite3
from typing import Any

from frontdesk import clinic_server, db
from frontdesk.models import database_proxy


class OtherPC:
    """A connection in autocommit mode; `begin_write` takes the clinic's write lock as
    Front Desk's own saves do (SQLite: BEGIN IMMEDIATE; server: the advisory lock)."""

    def __init__(self, *, wait_s: float = db.BUSY_TIMEOUT_MS / 1000) -> None:
        self.database = database_proxy.obj
        if self.database.is_server:
            import psycopg2

            self.connection = psycopg2.connect(
                dbname=self.database.address.database,
                **{key: value for key, value in self.database.connect_params.items()},
            )
            self.connection.autocommit = True
            self.execute(f"SET lock_timeout = {int(wait_s * 1000)}")
        else:
            self.connection = sqlite3.connect(
                self.database.path, timeout=wait_s, isolation_level=None, check_same_thread=False
            )

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        if not self.database.is_server:
            return self.connection.execute(sql, params)
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor

    def row(self, table: str, record_id: int) -> dict[str, Any]:
        """The record as this PC reads it, column by column."""
        cursor = self.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
        names = [column[0] for column in cursor.description]
        found = cursor.fetchone()
        return dict(zip(names, found, strict=True)) if found else {}

    def begin_write(self) -> None:
        if self.database.is_server:
            self.execute("BEGIN")
            self.execute("SELECT pg_advisory_xact_lock(?)", (clinic_server.WRITE_LOCK,))
        else:
            self.execute("BEGIN IMMEDIATE")

    def can_take_write_lock(self) -> bool:
        """Whether this PC could begin a save right now, without waiting."""
        if self.database.is_server:
            key = (clinic_server.WRITE_LOCK,)
            taken = self.execute("SELECT pg_try_advisory_lock(?)", key).fetchone()[0]
            if taken:
                self.execute("SELECT pg_advisory_unlock(?)", key)
            return taken
        try:
            self.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        self.execute("ROLLBACK")
        return True

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> OtherPC:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def stored(table: str, record_id: int) -> dict[str, Any]:
    """The record as another program reading the clinic's database would see it."""
    with OtherPC() as other:
        return other.row(table, record_id)


def wait_for_other_saves(seconds: float) -> None:
    """Make this PC's saves wait at most `seconds` for another PC's (then DatabaseBusy)."""
    database = database_proxy.obj
    if database.is_server:
        database.execute_sql(f"SET lock_timeout = {int(seconds * 1000)}")
    else:
        database.execute_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
