"""The few ways storage can fail, each saying what happened and what to do.

The database layer turns engine errors into these; screens show them beside the
action that failed ("Not saved: the disk holding clinic.db is full. ...") and keep
what was typed. Messages name files and records by kind, never a client's details.
"""

from __future__ import annotations


class StorageError(Exception):
    """Storage refused a read or write; nothing was changed.

    `problem` is what happened, as a phrase ("the disk holding clinic.db is full");
    `remedy` is what a person can do about it, as a sentence.
    """

    remedy = "Try again; if it keeps happening, restart Front Desk."

    def __init__(self, problem: str, remedy: str | None = None) -> None:
        self.problem = problem
        if remedy is not None:
            self.remedy = remedy
        super().__init__(f"{problem[:1].upper()}{problem[1:]}. {self.remedy}")


class DiskFull(StorageError):
    remedy = "Free some space on that disk, then try again."


class DatabaseBusy(StorageError):
    remedy = "Wait a moment and try again; close other programs that have the file open."


class DatabaseGone(StorageError):
    remedy = (
        "Nothing was written. Close Front Desk, put the file back or restore it from a "
        "backup, then start Front Desk again."
    )


class DatabaseDamaged(StorageError):
    remedy = "Stop using this file: close Front Desk and restore the latest backup."


class DatabaseReadOnly(StorageError):
    remedy = "Check that the file and its folder may be written (not read-only), then try again."


class DiskError(StorageError):
    remedy = "Check the disk or drive (is it still connected?), then try again."


class ServerUnreachable(StorageError):
    """The clinic server (PostgreSQL) did not answer; nothing was saved."""

    remedy = (
        "Nothing was saved. Check that the clinic server is on and that this PC is on the "
        "clinic's network, then try again."
    )


class RecordMissing(StorageError):
    """The record was deleted (for example on another computer) after it was opened."""

    remedy = "Go back to the list and open it again, or re-enter it."


class NotAllowed(StorageError):
    """The person signed in may not do this (their role), or nobody is; nothing was read or
    changed. Shown like the refusals above, beside the action."""

    remedy = "Ask the clinic's owner, or sign in as someone who may."


class EncryptionRefused(StorageError):
    """The database could not be encrypted, or its passphrase changed (already encrypted,
    not encrypted, in use elsewhere); nothing was changed."""

    remedy = "Nothing was changed."
