"""Verified backups of the clinic's database, their rotation, and restoring one.

Backups are taken with SQLite's online backup API on a separate read connection, so
they are consistent while the program runs and writes (in WAL mode a reader never
waits for a writer). Each copy is written to a `.partial` file, checked (integrity,
schema version, row counts equal to the source's counted in the same read
transaction), and only then given its final name `frontdesk-YYYY-MM-DD-HHMMSS.db`.

A backup of an encrypted database is encrypted with the same passphrase; a function that
reads a file takes its passphrase from the open database unless one is given (a plain
file is read as it is).

The default folder is `backups` in the user's data folder (platformdirs, as for the
default database), so a backup does not sit in a folder a person might clear out
together with the database; pass another folder (another disk, a USB stick) to keep
copies away from the database's disk.

A clinic server's database is backed up with pg_dump instead (`server_backup`): the same
names with the suffix `.dump`, the same rotation (each suffix's backups rotated apart), the
same listing and restore.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import platformdirs
from peewee import DatabaseError

from frontdesk import db, formatting, models
from frontdesk.access import Can, needs
from frontdesk.services import audit
from frontdesk.storage_errors import DatabaseBusy

log = logging.getLogger(__name__)

BACKUP_PREFIX = "frontdesk-"
BACKUP_SUFFIX = ".db"
SERVER_SUFFIX = ".dump"  # a clinic server's backup (pg_dump's custom format)
SUFFIXES = (BACKUP_SUFFIX, SERVER_SUFFIX)
PARTIAL_SUFFIX = ".partial"
LEFTOVER_SUFFIXES = (PARTIAL_SUFFIX, f"{PARTIAL_SUFFIX}-journal")  # a copy cut short
LEFTOVER_AGE = timedelta(hours=1)  # younger ones may be another PC's backup under way
NAME_PATTERN = re.compile(
    r"^frontdesk-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})?(?:-(\d+))?\.(?:db|dump)$"
)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_ALL_DAYS = 1  # every backup of today and yesterday stays
RECENT = timedelta(minutes=1)  # an automatic backup is skipped after one this recent
REPORTED_TABLES = ("client", "visit", "payment")


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why and what to do."""


class BackupFailed(BackupError):
    """The backup could not be written or failed its check; no file was left behind."""


class FolderNotWritable(BackupError):
    """The chosen backup folder cannot be created or written; `reason` says why."""

    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(f"{folder} cannot be written ({reason}).")
        self.folder = folder
        self.reason = reason


class RestoreRefused(BackupError):
    """The backup cannot be restored (damaged, from a newer program); nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    taken_at: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """'12 clients, 30 visits, 25 payments' (counts only)."""
        return counts_summary(self.counts)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    taken_at: datetime
    counts: dict[str, int]
    safety_backup: BackupResult

    def summary(self) -> str:
        return counts_summary(self.counts)


def counts_summary(counts: dict[str, int]) -> str:
    """'42 clients, 226 visits, 224 payments': a copy's size in words (counts only)."""
    return ", ".join(formatting.counted(counts.get(table, 0), table) for table in REPORTED_TABLES)


def default_backup_folder() -> Path:
    """`backups` in the user's data folder (where the default database lives too)."""
    return Path(platformdirs.user_data_dir(db.APP_NAME, appauthor=False)) / "backups"


def _table_names() -> list[str]:
    return [model._meta.table_name for model in models.ALL_MODELS]


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the program's tables that the file holds."""
    present = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return {
        table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in _table_names()
        if table in present
    }


def open_database_path() -> Path | None:
    """The file of the database open on this thread, or None when none is open (or it is
    a clinic server's, which has no file on this PC)."""
    database = models.database_proxy.obj
    if database is None or database.is_closed():
        return None
    return getattr(database, "path", None)


def _on_server() -> bool:
    """Whether the clinic's database is a clinic server's (open on any thread)."""
    return getattr(models.database_proxy.obj, "is_server", False)


def _suffix() -> str:
    """The suffix of the open database's backups: `.dump` for a server, else `.db`."""
    return SERVER_SUFFIX if _on_server() else BACKUP_SUFFIX


def _open_database() -> db.ClinicDatabase:
    database = models.database_proxy.obj
    if database is None or database.is_closed():
        raise BackupError("No database is open; open the clinic's database first.")
    return database


def fsync(path: Path) -> None:
    """The file's bytes on the disk, not only in the system's cache."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """A rename or new file in the folder on the disk (where the system allows it)."""
    if os.name != "posix":
        return
    try:
        fsync(folder)
    except OSError:
        log.debug("the folder could not be synced")


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _free_name(folder: Path, taken_at: datetime, suffix: str) -> Path:
    stem = f"{BACKUP_PREFIX}{taken_at:%Y-%m-%d-%H%M%S}"
    candidate, number = folder / f"{stem}{suffix}", 1
    while candidate.exists() or candidate.with_name(candidate.name + PARTIAL_SUFFIX).exists():
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    return candidate


def _passphrase(given: str | None) -> str | None:
    """The passphrase to read files with: the one given, else the open database's."""
    return given if given is not None else db.current_passphrase()


def _connect_read_only(path: Path, passphrase: str | None = None) -> sqlite3.Connection:
    return db.connect_file(path, db.passphrase_for(path, _passphrase(passphrase)), mode="ro")


def _copy(source_path: Path, target: Path, passphrase: str | None) -> dict[str, int]:
    """Copy the database into `target` (encrypted with `passphrase` as the database is);
    return the source's counts from the same snapshot."""
    # mode=rw never creates the file: a database gone stays gone
    source = db.connect_file(source_path, passphrase, mode="rw")
    try:
        source.execute(f"PRAGMA busy_timeout = {db.BUSY_TIMEOUT_MS}")
        source.execute("BEGIN")
        counts = _counts(source)  # the first read starts the snapshot the copy is taken from
        copy = db.connect_file(target, passphrase)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        source.execute("COMMIT")
    finally:
        source.close()
    return counts


def check_backup_file(
    path: Path,
    *,
    expected_version: int | None = None,
    thorough: bool = True,
    passphrase: str | None = None,
) -> dict[str, int]:
    """Integrity, schema version and row counts of a backup file; raise BackupError if bad.

    With `expected_version` the schema must equal it; without, it must be one this
    program can open (not newer than its own). `thorough` runs PRAGMA integrity_check,
    which also matches every index to its table's rows (before a restore); without it,
    PRAGMA quick_check reads and checks every page and row, several times faster on a
    large clinic: enough for a fresh page-by-page copy (whose indexes are as the
    database's) and for finding the last good backup.

    An encrypted file is read with `passphrase`, by default the open database's. A clinic
    server's backup (`.dump`) is read through with pg_restore (`server_backup.check_dump`).
    """
    if Path(path).suffix == SERVER_SUFFIX:
        from frontdesk.services import server_backup

        return server_backup.check_dump(Path(path), expected_version=expected_version)
    passphrase = db.passphrase_for(path, _passphrase(passphrase))
    if passphrase is None and db.is_encrypted(path):
        raise BackupError(
            f"{path.name} is encrypted or not a database; it can be checked only with the "
            "clinic's passphrase (open the encrypted clinic database first)."
        )
    try:
        connection = _connect_read_only(path, passphrase)
    except db.ENGINE_ERRORS as error:
        raise BackupError(f"{path.name} could not be opened ({error}).") from error
    check = "integrity_check" if thorough else "quick_check"
    try:
        integrity = [row[0] for row in connection.execute(f"PRAGMA {check}")]
        if integrity != ["ok"]:
            raise BackupError(f"{path.name} is damaged ({check}: {integrity[0]}).")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        counts = _counts(connection)
    except db.ENGINE_ERRORS as error:
        raise _unreadable(path, passphrase, error) from error
    finally:
        connection.close()
    check_contents(path, version, counts, expected_version)
    return counts


def check_contents(
    path: Path, version: int, counts: dict[str, int], expected_version: int | None
) -> None:
    """BackupError for a backup of another schema than `expected_version` (without one: of a
    newer Front Desk), or one that is not a Front Desk backup at all (no clients table)."""
    if expected_version is not None and version != expected_version:
        raise BackupError(f"{path.name} has schema version {version}, expected {expected_version}.")
    if version > db.LATEST_VERSION:
        raise BackupError(
            f"{path.name} was written by a newer Front Desk (schema {version}); "
            "install the newer version to restore it."
        )
    if version < 1 or "client" not in counts:
        raise BackupError(f"{path.name} is not a Front Desk backup.")


def _unreadable(path: Path, passphrase: str | None, error: Exception) -> BackupError:
    """What an engine error while reading a backup file means, in words."""
    if passphrase is not None and "not a database" in str(error):
        return BackupError(
            f"{path.name} does not open with the clinic's passphrase: it was encrypted with "
            "another one (before the passphrase was changed?), or it is damaged."
        )
    return BackupError(f"{path.name} is damaged or not a database ({error}).")


def make_backup(
    folder: Path | None = None, *, now: datetime | None = None, actor: str = ""
) -> BackupResult:
    """Back up the open database into `folder` and verify the copy; raise BackupFailed if bad."""
    database = _open_database()
    folder = Path(folder) if folder is not None else default_backup_folder()
    taken_at = (now or datetime.now()).replace(microsecond=0)
    try:
        target = _free_name(folder, taken_at, _suffix())
        partial = target.with_name(target.name + PARTIAL_SUFFIX)
        _create_private(partial)
    except OSError as error:
        raise BackupFailed(
            f"The backup folder {folder} could not be written ({error.strerror or error}). "
            "Check that the disk is connected and has space."
        ) from error
    try:
        source_counts = _write_checked_copy(database, partial)
        fsync(partial)
        os.replace(partial, target)
        fsync_folder(folder)
        _remember_good(target, _stamp(target), database.passphrase)  # just checked
    except (BackupError, *db.ENGINE_ERRORS, OSError) as error:
        partial.unlink(missing_ok=True)
        log.warning("a backup failed its check and was deleted")
        raise BackupFailed(f"The backup failed and was deleted: {error}") from error
    with database.atomic():
        audit.record("backup", "database", None, actor=actor, detail=counts_summary(source_counts))
    return BackupResult(target, taken_at, source_counts)


def _write_checked_copy(database: db.ClinicDatabase, partial: Path) -> dict[str, int]:
    """Copy the database into `partial` and check the copy holds what the database holds;
    the counts. A clinic server's is dumped (`server_backup.write_dump`)."""
    if database.is_server:
        from frontdesk.services import server_backup

        return server_backup.write_dump(database, partial)
    source_counts = _copy(database.path, partial, database.passphrase)
    copy_counts = check_backup_file(partial, expected_version=db.LATEST_VERSION, thorough=False)
    if copy_counts != source_counts:
        raise BackupError(f"{partial.name} does not hold every record of the database.")
    return source_counts


# --- listing and rotation ------------------------------------------------------------------


def _parse(path: Path) -> tuple[datetime, int] | None:
    match = NAME_PATTERN.match(path.name)
    if match is None:
        return None
    year, month, day, hour, minute, second, number = match.groups()
    try:
        taken = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    return taken, int(number or 1)


def _backups(folder: Path, suffix: str) -> list[tuple[datetime, int, Path]]:
    """(taken_at, number, path) of every backup file in the folder with the suffix (`.db`
    or `.dump`), newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = _parse(path)
        if parsed is not None and path.suffix == suffix and path.is_file():
            found.append((*parsed, path))
    return sorted(found, reverse=True)


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    """The backups of the open database's kind in the folder (a file's, else a clinic
    server's), newest first."""
    folder = Path(folder) if folder is not None else default_backup_folder()
    return [
        BackupInfo(path, taken, path.stat().st_size)
        for taken, _number, path in _backups(folder, _suffix())
    ]


def last_good_backup(
    folder: Path | None = None, *, passphrase: str | None = None
) -> BackupInfo | None:
    """The newest backup that passes its quick check (pages and rows whole, a schema this
    program reads, opens with the passphrase if encrypted); a restore checks it again."""
    return next((info for info in list_backups(folder) if _is_good(info.path, passphrase)), None)


# Backups found good while the program runs, with the size and time of the file then: the
# last good backup is looked for at every start and hour, and a large clinic's file takes a
# second or more to read through; an unchanged file need not be read again. An encrypted
# one is good only for the passphrase it was read with (kept in memory only, as the open
# database keeps it).
_found_good: dict[tuple[Path, str | None], tuple[int, int]] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def _is_good(path: Path, passphrase: str | None = None) -> bool:
    passphrase = db.passphrase_for(path, _passphrase(passphrase))
    stamp = _stamp(path)
    if stamp is not None and _found_good.get((path, passphrase)) == stamp:
        return True
    try:
        check_backup_file(path, thorough=False, passphrase=passphrase)
    except BackupError:
        return False
    _remember_good(path, stamp, passphrase)
    return True


def _remember_good(path: Path, stamp: tuple[int, int] | None, passphrase: str | None) -> None:
    if stamp is not None:
        _found_good[(path, passphrase)] = stamp


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _week_start(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def backups_to_keep(taken: Iterable[datetime], today: date) -> set[datetime]:
    """The newest of each of the last 7 days, 4 ISO weeks and 12 months, and every one of
    today and yesterday (the copy a restore took first, say); future ones too."""
    times = sorted(taken, reverse=True)
    keep = {t for t in times if (today - t.date()).days <= KEEP_ALL_DAYS}
    periods = (
        (lambda d: d, KEEP_DAILY, lambda d: (today - d).days),
        (_week_start, KEEP_WEEKLY, lambda w: (_week_start(today) - w).days // 7),
        (_month_index, KEEP_MONTHLY, lambda m: _month_index(today) - m),
    )
    for period_of, how_many, age in periods:
        seen = set()
        for t in times:  # newest first: the first seen of a period is its newest
            period = period_of(t.date())
            if period in seen or not 0 <= age(period) < how_many:
                continue
            seen.add(period)
            keep.add(t)
    return keep


def rotate(folder: Path | None = None, *, today: date) -> list[Path]:
    """Keep 7 daily, 4 weekly and 12 monthly backups; delete the others and return them,
    together with copies cut short more than LEFTOVER_AGE ago.

    Only files named like a backup (or like one plus `.partial`, `.partial-journal`) are
    touched; the names' timestamps decide, and the files' own age for copies cut short.
    The backups of a file (`.db`) and of a clinic server (`.dump`) are rotated apart.
    """
    folder = Path(folder) if folder is not None else default_backup_folder()
    not_kept = [path for suffix in SUFFIXES for path in _backups_not_kept(folder, today, suffix)]
    deleted = [*not_kept, *_leftovers(folder)]
    for path in deleted:
        path.unlink(missing_ok=True)
    if deleted:
        log.info("rotation deleted %d old backups or copies cut short", len(deleted))
    return deleted


def _backups_not_kept(folder: Path, today: date, suffix: str) -> list[Path]:
    found = _backups(folder, suffix)
    newest_of_time: dict[datetime, Path] = {}
    for taken, _number, path in found:  # newest first: the highest number wins a tie
        newest_of_time.setdefault(taken, path)
    kept = {newest_of_time[t] for t in backups_to_keep(newest_of_time, today)}
    return [path for _taken, _number, path in found if path not in kept]


def _is_cut_short(path: Path) -> bool:
    """Named like a backup plus `.partial` or `.partial-journal` (a copy never finished)."""
    name, _dot, suffix = path.name.rpartition(".")
    return f".{suffix}" in LEFTOVER_SUFFIXES and NAME_PATTERN.match(name) is not None


def _leftovers(folder: Path) -> list[Path]:
    """Copies cut short (a killed backup) last modified more than LEFTOVER_AGE ago.

    A younger one may be a backup another PC is writing into the same folder right now.
    """
    if not folder.is_dir():
        return []
    oldest_kept = (datetime.now() - LEFTOVER_AGE).timestamp()
    found = []
    for path in folder.iterdir():
        try:
            if _is_cut_short(path) and path.is_file() and path.stat().st_mtime < oldest_kept:
                found.append(path)
        except FileNotFoundError:  # finished or removed meanwhile
            continue
    return found


def backup_time(path: Path) -> datetime:
    """When a backup was taken: from its name, else the file's modification time."""
    parsed = _parse(path)
    if parsed is not None:
        return parsed[0]
    return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)


# --- automatic backups and the backup folder -------------------------------------------------


def good_backup_since(folder: Path, since: datetime) -> bool:
    """Whether the folder holds a backup taken at or after `since` that passes its check."""
    for info in list_backups(folder):  # newest first
        if info.taken_at < since:
            return False
        if _is_good(info.path):
            return True
    return False


def needs_daily_backup(folder: Path, today: date) -> bool:
    """True when the folder holds no good backup taken today."""
    return not good_backup_since(folder, datetime.combine(today, time()))


def automatic_backup(folder: Path, *, now: datetime | None = None, actor: str = "") -> BackupResult:
    """Back up into `folder`, then rotate it (only files named like a backup are touched).

    Safe on a worker thread: a thread with no connection of its own to the open database
    gets one for the audit record and closes it afterwards. A failed rotation is logged
    and the backup stands.
    """
    database = models.database_proxy.obj
    if database is None:
        raise BackupError("No database is open; open the clinic's database first.")
    opened_here = database.is_closed()
    if opened_here:
        try:
            database.connect()
        except DatabaseError as error:
            raise database.translate(error) from error
    try:
        made = make_backup(folder, now=now, actor=actor)
    finally:
        if opened_here:
            database.close()
    try:
        rotate(folder, today=made.taken_at.date())
    except OSError as error:
        log.warning("old backups could not be rotated (%s)", error.strerror or type(error).__name__)
    return made


def daily_backup(
    folder: Path, *, now: datetime | None = None, actor: str = ""
) -> BackupResult | None:
    """The backup at the first start of a day; None when a good one from today is there."""
    now = now or datetime.now()
    if not needs_daily_backup(folder, now.date()):
        return None
    return automatic_backup(folder, now=now, actor=actor)


def backup_at_close(
    folder: Path, *, now: datetime | None = None, actor: str = ""
) -> BackupResult | None:
    """The backup as the program closes; None when no database is open on this thread or a
    good backup was taken in the last minute."""
    now = now or datetime.now()
    database = models.database_proxy.obj
    if database is None or database.is_closed() or good_backup_since(folder, now - RECENT):
        return None
    return automatic_backup(folder, now=now, actor=actor)


def _device(path: Path) -> int:
    return path.stat().st_dev


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def same_disk(folder: Path, database_path: Path) -> bool:
    """Whether the folder (or, until it exists, its nearest existing parent) is on the disk
    that holds the database file."""
    try:
        return _device(_nearest_existing(Path(folder))) == _device(Path(database_path))
    except OSError:
        return False


def check_writable(folder: Path) -> None:
    """Create the folder if needed and write a scratch file in it; FolderNotWritable if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise FolderNotWritable(folder, error.strerror or str(error)) from error


# --- restore ---------------------------------------------------------------------------------


@needs(Can.MANAGE_BACKUPS)
def fold_write_ahead_log(path: Path, passphrase: str | None) -> bool:
    """Fold the -wal file into the database and remove it, so it cannot meet another file;
    False (nothing done) when another program or computer is using the database."""
    connection = db.connect_file(path, passphrase)
    try:
        if connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
            return False
        connection.execute("PRAGMA journal_mode = DELETE")
    except db.ENGINE_ERRORS as error:
        found = db.storage_error(error, path.name)
        if isinstance(found, DatabaseBusy):  # locked: someone is reading or writing it
            return False
        raise found or error from error
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return True


def _drop_write_ahead_log(path: Path, passphrase: str | None) -> None:
    """`fold_write_ahead_log`, refused (RestoreRefused) while the file is in use elsewhere."""
    if not fold_write_ahead_log(path, passphrase):
        raise RestoreRefused(
            f"{path.name} is still open in another program or on another computer; "
            "close Front Desk everywhere else, then restore again."
        )


@needs(Can.MANAGE_BACKUPS)
def restore(
    backup: Path,
    *,
    folder: Path | None = None,
    now: datetime | None = None,
    actor: str = "",
    passphrase: str | None = None,
) -> RestoreResult:
    """Replace the open database with `backup`, after backing up the current one.

    Refuses (RestoreRefused, nothing replaced) a backup that fails its check or comes
    from a newer schema. The database is reopened afterwards (migrated if the backup
    is from an older version). The restored file keeps the database's form: encrypted
    with its passphrase when it is encrypted (a plain backup too), else plain. An
    encrypted backup is read with `passphrase`, by default the database's.

    A clinic server's database is restored from a `.dump` by `server_backup.restore`.
    """
    backup = Path(backup)
    if not backup.is_file():
        raise RestoreRefused(f"{backup} is not a file.")
    database = _open_database()
    _refuse_other_kind(backup, database.is_server)
    if database.is_server:
        from frontdesk.services import server_backup

        return server_backup.restore(backup, folder=folder, now=now, actor=actor)
    path, clinic_passphrase = database.path, database.passphrase
    backup_passphrase = db.passphrase_for(backup, passphrase or clinic_passphrase)
    try:
        counts = check_backup_file(backup, passphrase=backup_passphrase)
    except BackupError as error:
        raise RestoreRefused(str(error)) from error
    safety = make_backup(folder, now=now, actor=actor)
    temporary = path.with_name(f".{path.name}.restoring")
    temporary.unlink(missing_ok=True)
    _create_private(temporary)
    try:
        db.copy_database(backup, backup_passphrase, temporary, clinic_passphrase)
        if check_backup_file(temporary, passphrase=clinic_passphrase) != counts:
            raise RestoreRefused(f"The copy of {backup.name} came out different.")
        fsync(temporary)
        db.close_database()
        _drop_write_ahead_log(path, clinic_passphrase)
        os.replace(temporary, path)
        fsync_folder(path.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if models.database_proxy.obj is None or models.database_proxy.obj.is_closed():
            db.open_database(path, passphrase=clinic_passphrase)
        raise
    reopened = db.open_database(path, passphrase=clinic_passphrase)
    with reopened.atomic():
        audit.record("restore", "database", None, actor=actor, detail=counts_summary(counts))
    log.info("restored the database from a backup")
    return RestoreResult(backup, backup_time(backup), counts, safety)


def _refuse_other_kind(backup: Path, on_server: bool) -> None:
    """RestoreRefused for a clinic server's backup (`.dump`) given to a file, or the other
    way round: each engine restores only its own backups."""
    if (backup.suffix == SERVER_SUFFIX) == on_server:
        return
    if on_server:
        raise RestoreRefused(
            f"{backup.name} is a backup of a database file; a clinic server restores only "
            f"its own backups ({SERVER_SUFFIX} files)."
        )
    raise RestoreRefused(
        f"{backup.name} is a backup of a clinic server's database; restore it with the "
        "server's address (--db postgresql://...)."
    )
