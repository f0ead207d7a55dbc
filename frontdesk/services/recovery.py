"""Put the newest good backup in place of a damaged database file.

Unlike `backup.restore`, nothing here opens the damaged file: it is moved aside (with its
-wal and -shm) under a name saying when it was found damaged, and kept; the backup is
copied into place through a temporary file. Nothing is ever deleted or overwritten.

Nothing may be open yet when these run (at start), so an encrypted clinic's passphrase is
given to them (`passphrase=`); without one they use the open database's, if any.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontdesk import db
from frontdesk.services import audit, backup
from frontdesk.storage_errors import DatabaseDamaged

log = logging.getLogger(__name__)

COMPANIONS = ("", "-wal", "-shm")  # the database file and the files SQLite keeps beside it


class NoGoodBackup(backup.BackupError):
    """No backup in the folder passes its check; nothing was changed."""


@dataclass(frozen=True)
class GoodBackup:
    """A backup that passed its check, with its row counts."""

    path: Path
    taken_at: datetime
    counts: dict[str, int]

    def summary(self) -> str:
        """'12 clients, 30 visits, 25 payments' (counts only, as a backup's summary)."""
        return backup.counts_summary(self.counts)


@dataclass(frozen=True)
class RecoveryResult:
    restored: GoodBackup
    damaged_kept_as: Path | None  # None when no damaged file was there to keep


def is_damage(error: db.DatabaseUnavailable) -> bool:
    """The database could not be opened because the file is damaged (not missing or locked)."""
    return isinstance(error.__cause__, DatabaseDamaged)


def newest_good_backup(folder: Path, *, passphrase: str | None = None) -> GoodBackup | None:
    """The newest backup in the folder that passes its check (encrypted ones: opens with the
    passphrase), or None."""
    for info in backup.list_backups(folder):
        try:
            return good_backup(info.path, passphrase=passphrase)
        except backup.BackupError:
            log.warning("a backup failed its check and was passed over")
    return None


def damage_in(db_path: Path, *, passphrase: str | None = None) -> list[str]:
    """What the start-up check finds wrong with the file (opening a damaged file counts);
    the database is left closed. Raises db.DatabaseUnavailable for a file missing, locked,
    encrypted (PassphraseNeeded, WrongPassphrase) or not a database for another reason."""
    try:
        database = db.open_database(db_path, passphrase=passphrase)
    except db.DatabaseUnavailable as error:
        if not is_damage(error):
            raise
        return [error.__cause__.problem]
    try:
        return db.startup_check(database)
    finally:
        db.close_database()


def good_backup(path: Path, *, passphrase: str | None = None) -> GoodBackup:
    """The backup file with its counts once it passes its thorough check; RestoreRefused if not."""
    path = Path(path)
    try:
        counts = backup.check_backup_file(path, passphrase=passphrase)
    except backup.BackupError as error:
        raise backup.RestoreRefused(str(error)) from error
    return GoodBackup(path, backup.backup_time(path), counts)


def restore_newest_good_backup(
    db_path: Path,
    folder: Path,
    *,
    now: datetime | None = None,
    actor: str = "",
    passphrase: str | None = None,
) -> RecoveryResult:
    """Move the damaged database aside and put the newest good backup in its place.

    Raises NoGoodBackup, changing nothing, when the folder holds no good backup.
    """
    chosen = newest_good_backup(Path(folder), passphrase=passphrase)
    if chosen is None:
        raise NoGoodBackup(
            f"No good backup was found in {folder}; the damaged file was left as it was."
        )
    return restore_over_damaged(db_path, chosen, now=now, actor=actor, passphrase=passphrase)


def restore_over_damaged(
    db_path: Path,
    chosen: GoodBackup,
    *,
    now: datetime | None = None,
    actor: str = "",
    passphrase: str | None = None,
) -> RecoveryResult:
    """Put `chosen` in place of the damaged database, keeping the damaged file aside.

    With `passphrase` (the clinic is encrypted; default: the open database's) the restored
    file is encrypted with it, a plain backup too; without, it is the backup as it is.
    The database is left open on the restored file, with a "restore" audit event.
    Raises BackupError (nothing changed) when the copy of the backup comes out different.
    """
    db_path = Path(db_path)
    passphrase = passphrase if passphrase is not None else db.current_passphrase()
    db.close_database()
    temporary = _checked_copy(chosen, db_path.with_name(f".{db_path.name}.recovering"), passphrase)
    try:
        kept = _move_aside(db_path, (now or datetime.now()).replace(microsecond=0))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, db_path)
    backup.fsync_folder(db_path.parent)
    database = db.open_database(db_path, passphrase=passphrase)
    detail = f"over a damaged file: {chosen.summary()}"
    with database.atomic():
        audit.record("restore", "database", None, actor=actor, detail=detail)
    log.info("put the newest good backup in place of a damaged database")
    return RecoveryResult(chosen, kept)


def _checked_copy(chosen: GoodBackup, temporary: Path, passphrase: str | None) -> Path:
    """Copy the backup to a private temporary file (encrypted with `passphrase` if given)
    and check the copy holds the same."""
    temporary.unlink(missing_ok=True)  # left by an earlier attempt that was cut short
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    backup_passphrase = db.passphrase_for(chosen.path, passphrase)
    try:
        if backup_passphrase == passphrase:  # the same form: a copy of its bytes
            shutil.copyfile(chosen.path, temporary)
        else:
            db.copy_database(chosen.path, backup_passphrase, temporary, passphrase)
        if backup.check_backup_file(temporary, passphrase=passphrase) != chosen.counts:
            raise backup.BackupError(f"The copy of {chosen.path.name} came out different.")
        backup.fsync(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def damaged_name(db_path: Path, found_at: datetime) -> Path:
    """Where the damaged file is kept: '<name>.damaged-YYYY-MM-DD-HHMMSS' (then -2, -3...)."""
    stem = f"{db_path.name}.damaged-{found_at:%Y-%m-%d-%H%M%S}"
    candidate, number = db_path.with_name(stem), 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in COMPANIONS):
        number += 1
        candidate = db_path.with_name(f"{stem}-{number}")
    return candidate


def _move_aside(db_path: Path, found_at: datetime) -> Path | None:
    """Rename the database and its -wal and -shm files, together, to the damaged name."""
    present = [suffix for suffix in COMPANIONS if Path(f"{db_path}{suffix}").exists()]
    if not present:
        return None
    aside = damaged_name(db_path, found_at)
    for suffix in present:
        os.rename(f"{db_path}{suffix}", f"{aside}{suffix}")
    log.warning("the damaged database was kept aside")
    return aside
