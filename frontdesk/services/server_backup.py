"""Backups of the clinic server's database: pg_dump's custom format, checked with pg_restore.

The naming, rotation and listing are those of the backups of a SQLite file
(`frontdesk.services.backup`), with the suffix `.dump`. A dump is taken from one snapshot of
the database: the program opens a read-only transaction, counts the clients, visits and
payments in it, and hands its snapshot to pg_dump (`--snapshot`), so the counts reported are
exactly what the dump holds. The check of a dump reads its table of contents
(`pg_restore --list`) and then all its rows (`pg_restore --data-only` to a stream counted
here, nothing written anywhere), so a truncated or damaged dump is refused, and the rows it
holds are compared with the counts taken.

pg_dump and pg_restore connect with the database's own address, given in the child's
environment (PGHOST, PGPORT, PGUSER, PGDATABASE), never on a command line. The password comes
from ~/.pgpass (libpq reads it), or, when the database got it from the system keyring, from
PGPASSWORD in the child's environment only.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import DatabaseError

from frontdesk import clinic_server, db, models
from frontdesk.access import Can, needs
from frontdesk.services import audit, backup
from frontdesk.services.backup import BackupError, RestoreRefused, RestoreResult

log = logging.getLogger(__name__)

CLIENT_PACKAGE = (
    "on Debian or Ubuntu install the package postgresql-client; elsewhere install "
    "PostgreSQL's command line tools"
)
SCHEMA_TABLE = clinic_server.SCHEMA_TABLE
RESTORE_LOCK_WAIT_S = 15  # a restore waits this long for another PC's work, then gives up
RESTORER = "Front Desk restore"  # pg_restore's application name, so the watch can find it
WATCH_EVERY_S = 0.5
COPY_START = re.compile(rb'^COPY (?:[^ ]+\.)?"?([^" (]+)"? ')
COPY_END = b"\\."


class ProgramMissing(BackupError):
    """pg_dump or pg_restore is not installed on this PC; the message says what to install."""


def _program(name: str) -> str:
    """Where pg_dump or pg_restore is; ProgramMissing, saying what to install, when not."""
    found = clinic_server.postgres_program(name)
    if found is None:
        raise ProgramMissing(
            f"{name} is not installed on this PC, and the clinic server's backups need it: "
            f"{CLIENT_PACKAGE}."
        )
    return found


def _environment(database: Any, **more: str) -> dict[str, str]:
    """The child's environment: the database's address, and its password when the program
    got one from the keyring (~/.pgpass is read by the child itself)."""
    address = database.address
    environment = {
        **os.environ,
        "PGHOST": address.host,
        "PGPORT": str(address.port),
        "PGDATABASE": address.database,
        "PGCONNECT_TIMEOUT": str(database.connect_params.get("connect_timeout", 5)),
        **more,
    }
    if address.user:
        environment["PGUSER"] = address.user
    password = database.connect_params.get("password")
    if password is not None:
        environment["PGPASSWORD"] = password
    return environment


def _said(name: str, stderr: str) -> str:
    """What pg_dump or pg_restore said on failing, in one line, with what to do about a
    version mismatch."""
    lines = [line.removeprefix(f"{name}: ").strip() for line in stderr.splitlines()]
    text = "; ".join(line for line in lines if line) or "no message"
    if "version mismatch" in text:
        text += (
            f". This PC's {name} is older than the clinic server: install the client "
            "programs of the server's version (on Debian or Ubuntu postgresql-client-NN, NN "
            "the server's version)"
        )
    return text


def _run(
    name: str,
    arguments: list[str],
    environment: dict[str, str] | None = None,
    *,
    failure: str = "",
    watch: Callable[[], None] | None = None,
) -> str:
    """Run pg_dump or pg_restore; its output, or BackupError saying `failure` (by default
    "<name> failed") and what the program said. `watch` is called every WATCH_EVERY_S
    while the program runs."""
    command = [_program(name), *arguments]
    try:
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except OSError as error:
        raise BackupError(f"{name} could not be started ({error.strerror or error}).") from error
    with process:
        while True:
            try:
                output, said = process.communicate(timeout=WATCH_EVERY_S)
                break
            except subprocess.TimeoutExpired:
                if watch is not None:
                    watch()
    if process.returncode != 0:
        log.warning("%s failed (exit status %d)", name, process.returncode)
        raise BackupError(f"{failure or f'{name} failed'}: {_said(name, said)}")
    return output


# --- taking a dump ---------------------------------------------------------------------------


@contextmanager
def _snapshot(database: Any) -> Iterator[tuple[str, dict[str, int], int]]:
    """A read-only transaction open on the database: its exported snapshot (for pg_dump),
    the row counts of its tables and its schema version, as of that snapshot."""
    with database.atomic(lock_type="DEFERRED"):
        snapshot = database.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
        counts = {
            table: database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in database.get_tables()
            if table != SCHEMA_TABLE
        }
        yield snapshot, counts, database.schema_version()


def write_dump(database: Any, target: Path) -> dict[str, int]:
    """Dump the server's database into `target` (custom format) and check it; the row
    counts, equal in the database and in the dump. BackupError when not."""
    try:
        with _snapshot(database) as (snapshot, counts, version):
            _run(
                "pg_dump",
                ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _environment(database),
            )
    except DatabaseError as error:
        said = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BackupError(f"{database.address.name} could not be read ({said}).") from error
    if check_dump(target, expected_version=version) != counts:
        raise BackupError(f"{target.name} does not hold every record of the database.")
    return counts


def dump_aside(database: Any, reason: str) -> Path:
    """A checked dump of the server's database in the default backup folder, named for
    `reason` (before an upgrade: `clinic.before-v9-20261127-130512.dump`); its path.

    Its name is not a backup's, so rotation never deletes it.
    """
    folder = backup.default_backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{database.address.database}.{reason}-{stamp}{backup.SERVER_SUFFIX}"
    fd, written = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=backup.PARTIAL_SUFFIX)
    os.close(fd)  # made readable by this PC's user only
    partial = Path(written)
    try:
        write_dump(database, partial)
        backup.fsync(partial)
        os.replace(partial, folder / name)
        backup.fsync_folder(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    log.info("dumped the server's database aside before an upgrade")
    return folder / name


# --- checking a dump -------------------------------------------------------------------------


def check_dump(path: Path, *, expected_version: int | None = None) -> dict[str, int]:
    """The row counts of a dump's tables, after reading it through; BackupError when it is
    damaged, not a Front Desk backup, or of a schema other than `expected_version` (without
    one: newer than this program's)."""
    contents = _run(
        "pg_restore", ["--list", str(path)], failure=f"{path.name} is damaged or not a dump"
    )
    if f" TABLE DATA public {SCHEMA_TABLE} " not in contents:
        raise BackupError(f"{path.name} is not a Front Desk backup.")
    counts, versions = _read_through(path)
    version = max((int(line) for line in versions if line.isdigit()), default=0)
    backup.check_contents(path, version, counts, expected_version)
    return counts


def _read_through(path: Path) -> tuple[dict[str, int], list[bytes]]:
    """Every table's row count as pg_restore reads the rows out of the dump, and the schema
    table's lines (nothing else of a row is kept)."""
    with tempfile.TemporaryFile() as errors:
        reader = subprocess.Popen(
            [_program("pg_restore"), "--data-only", "--file=-", str(path)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert reader.stdout is not None
        with reader.stdout:
            counted = _count_copies(reader.stdout)
        if reader.wait() != 0:
            errors.seek(0)
            said = _said("pg_restore", errors.read().decode(errors="replace"))
            raise BackupError(f"{path.name} is damaged ({said}).")
    return counted


def _count_copies(stream: Iterable[bytes]) -> tuple[dict[str, int], list[bytes]]:
    """The rows of each COPY block in pg_restore's output (one line a row)."""
    counts: dict[str, int] = {}
    versions: list[bytes] = []
    table = None
    for line in stream:
        line = line.rstrip(b"\n")
        if table is None:
            started = COPY_START.match(line)
            table = started.group(1).decode() if started else None
            if table is not None and table != SCHEMA_TABLE:
                counts[table] = 0
        elif line == COPY_END:
            table = None
        elif table == SCHEMA_TABLE:
            versions.append(line)
        else:
            counts[table] += 1
    return counts, versions


# --- restoring a dump ------------------------------------------------------------------------


@needs(Can.MANAGE_BACKUPS)
def restore(
    backup_file: Path, *, folder: Path | None = None, now: datetime | None = None, actor: str = ""
) -> RestoreResult:
    """Restore a dump into the server's database, after a safety backup of it.

    Refuses (RestoreRefused, nothing replaced) a dump that fails its check or comes from a
    newer schema. pg_restore replaces every table in one transaction, so a restore that
    fails leaves the database as it was. The database is then reopened (migrated if the dump
    is from an older version) and its schema version and audit trail checked.
    """
    backup_file = Path(backup_file)
    database = models.database_proxy.obj
    try:
        counts = check_dump(backup_file)
    except BackupError as error:
        raise RestoreRefused(str(error)) from error
    try:
        with database.writes_held():  # no other PC's save lands after the safety copy
            safety = backup.make_backup(folder, now=now, actor=actor)
            _restore_watched(database, backup_file)
    finally:
        database.close()
        reopened = db.open_database(database.address.url)
    problems = db.check_database(reopened)
    if problems:
        raise BackupError(
            f"The backup was restored, but its check found: {'; '.join(problems)}. The "
            f"database as it was is in {safety.path}."
        )
    with reopened.atomic():
        audit.record("restore", "database", None, actor=actor, detail=backup.counts_summary(counts))
    log.info("restored the server's database from a backup")
    return RestoreResult(backup_file, backup.backup_time(backup_file), counts, safety)


def _restore_options(database: Any) -> list[str]:
    return [
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        "--exit-on-error",
        f"--dbname={database.address.database}",
    ]


def _restore_watched(database: Any, backup_file: Path) -> None:
    """Run pg_restore, cancelling it when it has waited RESTORE_LOCK_WAIT_S for a table
    another PC holds (pg_restore sets its own lock_timeout to none): its one transaction
    rolls back, and RestoreRefused says why; the database stays as it was."""
    cancelled: list[int] = []

    def cancel_if_stuck() -> None:
        stuck = database.execute_sql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database() AND wait_event_type = 'Lock' "
            "AND now() - query_start > make_interval(secs => %s)",
            (RESTORER, RESTORE_LOCK_WAIT_S),
        ).fetchall()
        for (pid,) in stuck:
            database.execute_sql("SELECT pg_cancel_backend(%s)", (pid,))
            cancelled.append(pid)

    try:
        _run(
            "pg_restore",
            [*_restore_options(database), str(backup_file)],
            _environment(database, PGAPPNAME=RESTORER),
            watch=cancel_if_stuck,
        )
    except BackupError as error:
        if not cancelled:
            raise
        raise RestoreRefused(
            f"Not restored: another PC kept the clinic's records in use for more than "
            f"{RESTORE_LOCK_WAIT_S} seconds, so the database was left as it was. Close Front "
            "Desk on the other PCs, then try again."
        ) from error
