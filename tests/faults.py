"""Storage faults for tests: SQLite's errors, with their real result codes."""

from __future__ import annotations

import sqlite3


def sqlite_error(kind: type[sqlite3.Error], message: str, code: int, name: str) -> sqlite3.Error:
    """An error exactly as SQLite raises it, with its result code."""
    error = kind(message)
    error.sqlite_errorcode, error.sqlite_errorname = code, name
    return error


DISK_FULL = sqlite_error(sqlite3.OperationalError, "database or disk is full", 13, "SQLITE_FULL")


class FaultyCursor:
    """A cursor whose writes fail the way SQLite fails them."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "COMMIT", "CREATE")

    def __init__(self, cursor: sqlite3.Cursor, error: sqlite3.Error) -> None:
        self.cursor, self.error = cursor, error

    def execute(self, sql: str, params=()):
        if sql.lstrip().upper().startswith(self.WRITES):
            raise self.error
        return self.cursor.execute(sql, params)

    def __getattr__(self, name: str):
        return getattr(self.cursor, name)
