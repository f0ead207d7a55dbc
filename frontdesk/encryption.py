"""Encryption at rest: the clinic's database file encrypted with SQLCipher, by passphrase.

A plain clinic file is encrypted in place (`encrypt_database`): a checked backup of the
file as it was is made first, then an encrypted copy is written beside the file, checked
(it opens with the passphrase, whole, every row there) and put in its place. The program
goes on with the encrypted file. The open encrypted database's passphrase can be changed
(`change_passphrase`); backups made afterwards use the new one. Both are the owner's.
"""

from __future__ import annotations

import hmac
import logging
import os
from pathlib import Path

from frontdesk import db, models
from frontdesk.access import Can, require
from frontdesk.db import is_encrypted as is_encrypted  # the file's header tells
from frontdesk.services import audit, backup
from frontdesk.storage_errors import EncryptionRefused
from frontdesk.validation import ValidationError

log = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 12


def check_passphrase(text: str, field: str = "Passphrase") -> str:
    """The passphrase as typed, when it is long enough; else ValidationError on `field`."""
    if len(text) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(
            field,
            f"type at least {MIN_PASSPHRASE_LENGTH} characters; a few words that only the "
            "clinic knows are easy to remember and hard to guess",
        )
    return text


def encrypt_database(
    path: Path | str, passphrase: str, *, folder: Path | None = None, actor: str = ""
) -> backup.BackupResult:
    """Encrypt the plain clinic file at `path` with `passphrase`, in place; the database is
    left open on the encrypted file. Returns the safety backup of the file as it was, made
    first (plain, in `folder`, by default the backup folder), which the owner may delete.

    Refuses (EncryptionRefused, nothing changed) a file already encrypted or in use by
    another program or computer; ValidationError for a passphrase too short.
    """
    require(Can.MANAGE_BACKUPS)
    path = Path(path)
    check_passphrase(passphrase)
    if not path.is_file():
        raise EncryptionRefused(f"there is no database file {path}", "Check the file's name.")
    if is_encrypted(path):
        raise EncryptionRefused(
            f"{path.name} is encrypted already", "To choose another passphrase, change it."
        )
    db.open_if_closed(path)
    safety = backup.make_backup(folder, actor=actor)
    db.close_database()
    try:
        _replace_with_encrypted(path, passphrase)
    except BaseException:
        db.open_database(path)
        raise
    database = db.open_database(path, passphrase=passphrase)
    with database.atomic():
        audit.record("encrypt", "database", None, actor=actor)
    log.info("encrypted the database file")
    return safety


def _replace_with_encrypted(path: Path, passphrase: str) -> None:
    """Write an encrypted copy beside the closed plain file, check it, put it in its place."""
    if not backup.fold_write_ahead_log(path, None):
        raise EncryptionRefused(
            f"{path.name} is open in another program or on another computer",
            "Close Front Desk everywhere else, then encrypt again.",
        )
    counts = backup.check_backup_file(path, expected_version=db.LATEST_VERSION, thorough=False)
    encrypted = path.with_name(f".{path.name}.encrypting")
    encrypted.unlink(missing_ok=True)  # left by an attempt cut short
    fd = os.open(encrypted, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        db.export_database(path, None, encrypted, passphrase)
        _check_encrypted_copy(encrypted, passphrase, counts)
        backup.fsync(encrypted)
        os.replace(encrypted, path)
        backup.fsync_folder(path.parent)
    except BaseException:
        encrypted.unlink(missing_ok=True)
        raise


def _check_encrypted_copy(copy: Path, passphrase: str, counts: dict[str, int]) -> None:
    """The copy is encrypted, opens with the passphrase, is whole and holds every row."""
    if not is_encrypted(copy):
        raise EncryptionRefused("the encrypted copy came out unencrypted")
    try:
        copied = backup.check_backup_file(
            copy, expected_version=db.LATEST_VERSION, passphrase=passphrase
        )
    except backup.BackupError as error:
        raise EncryptionRefused(f"the encrypted copy failed its check ({error})") from error
    if copied != counts:
        raise EncryptionRefused("the encrypted copy does not hold every record")


def change_passphrase(old: str, new: str, *, actor: str = "") -> None:
    """Encrypt the open encrypted database with the passphrase `new` instead of `old`.

    ValidationError on "Current passphrase" when `old` is not the one it was opened with, on
    "New passphrase" when `new` is too short or the same. Connections opened afterwards,
    and backups, use the new one; another copy of the program still open on the file must
    be restarted (it can no longer read it), so do this with Front Desk closed elsewhere.
    """
    require(Can.MANAGE_BACKUPS)
    database = _open_encrypted_database()
    if not hmac.compare_digest(old.encode(), database.passphrase.encode()):
        raise ValidationError(
            "Current passphrase", "this is not the current passphrase; type the one asked at start"
        )
    check_passphrase(new, "New passphrase")
    if new == old:
        raise ValidationError("New passphrase", "type a passphrase other than the current one")
    database = _alone_on_the_file(database)
    database.rekey(new)
    with database.atomic():
        audit.record("change_passphrase", "database", None, actor=actor)
    log.info("changed the database's passphrase")


def _alone_on_the_file(database: db.EncryptedClinicDatabase) -> db.EncryptedClinicDatabase:
    """The database reopened, once no other program or computer has the file open (they
    could not read it after a new passphrase); EncryptionRefused while one does."""
    path, passphrase = database.path, database.passphrase
    db.close_database()
    try:
        if not backup.fold_write_ahead_log(path, passphrase):
            raise EncryptionRefused(
                f"{path.name} is open in another program or on another computer",
                "Close Front Desk everywhere else, then change the passphrase again.",
            )
    finally:
        reopened = db.open_database(path, passphrase=passphrase)
    return reopened


def _open_encrypted_database() -> db.EncryptedClinicDatabase:
    database = models.database_proxy.obj
    if database is None or database.is_closed():
        raise EncryptionRefused(
            "no database is open", "Open the clinic's database first, then try again."
        )
    if not isinstance(database, db.EncryptedClinicDatabase):
        raise EncryptionRefused(
            f"{database.path.name} is not encrypted", "Encrypt it first, in Settings."
        )
    return database


def plain_copies_beside(path: Path) -> list[Path]:
    """The copies of the file the program put beside it (before a schema upgrade, say)
    that are not encrypted: the owner deletes them once they are not needed."""
    path = Path(path)
    upgrades = path.parent.glob(f"{path.stem}.*{path.suffix}")  # clinic.before-v8-….db
    damaged = path.parent.glob(f"{path.name}.damaged-*")  # set aside at a start
    found = {copy for copy in (*upgrades, *damaged) if copy.is_file()}
    return sorted(copy for copy in found if not is_encrypted(copy))
