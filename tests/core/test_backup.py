"""Verified backups, their rotation, and restoring one (service and command line).

The tests on a database run on a SQLite file and on the clinic server (pg_dump); those about
the file itself (its pages, its -wal, another connection to it) on SQLite only.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk import cli, db
from frontdesk.models import AuditEvent, Client
from frontdesk.services import backup, clients

NOW = datetime(2026, 11, 27, 13, 5, 12)
ANA = {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}
BEN = {"first_name": "Ben", "last_name": "Okoro", "date_of_birth": "09/02/1975"}


@pytest.fixture
def suffix(engine: str) -> str:
    """The suffix of the engine's backups."""
    return backup.SERVER_SUFFIX if engine == "postgresql" else backup.BACKUP_SUFFIX


@pytest.fixture
def location(database, db_path: Path) -> Path | str:
    """The --db value of the open database: its file, or the server's address."""
    return database.location if database.is_server else db_path


def _clients() -> list[tuple]:
    return [
        (c.id, c.first_name, c.last_name, c.date_of_birth, c.version)
        for c in Client.select().order_by(Client.id)
    ]


def test_backup_is_written_checked_named_and_audited(set_up_clinic, tmp_path, suffix):
    clients.save_client(ANA)
    made = backup.make_backup(tmp_path / "backups", now=NOW, actor="tester")
    assert made.path == tmp_path / "backups" / f"frontdesk-2026-11-27-130512{suffix}"
    assert made.counts["client"] == 1
    assert made.summary() == "1 client, 0 visits, 0 payments"
    assert backup.check_backup_file(made.path) == made.counts
    assert list(made.path.parent.iterdir()) == [made.path]  # no -wal, -shm or .partial
    assert made.path.stat().st_mode & 0o077 == 0
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (event.action, event.actor, event.detail) == (
        "backup",
        "tester",
        "1 client, 0 visits, 0 payments",
    )
    again = backup.make_backup(tmp_path / "backups", now=NOW)
    assert again.path.name == f"frontdesk-2026-11-27-130512-2{suffix}"
    assert [info.path for info in backup.list_backups(tmp_path / "backups")] == [
        again.path,
        made.path,
    ]
    assert backup.last_good_backup(tmp_path / "backups").path == again.path


def test_default_folder_is_in_the_user_data_folder(set_up_clinic, tmp_path):
    made = backup.make_backup(now=NOW)
    assert made.path.parent == backup.default_backup_folder()
    assert str(made.path).startswith(str(tmp_path / "home"))


def test_round_trip_brings_back_exactly_what_was_there(set_up_clinic, tmp_path, suffix):
    ana = clients.save_client(ANA)
    ben = clients.save_client(BEN)
    before = _clients()
    made = backup.make_backup(tmp_path / "b", now=NOW)
    clients.save_client({**ANA, "first_name": "Anna"}, ana.id, version=ana.version)
    clients.delete_client(ben.id)
    clients.save_client({**BEN, "first_name": "Carl"})
    assert _clients() != before

    result = backup.restore(made.path, folder=tmp_path / "b", now=NOW + timedelta(hours=1))

    assert _clients() == before
    assert result.counts["client"] == 2
    assert result.taken_at == NOW
    assert result.summary().startswith("2 clients")
    assert result.safety_backup.path.name == f"frontdesk-2026-11-27-140512{suffix}"
    assert backup.check_backup_file(result.safety_backup.path)["client"] == 2  # Anna, Carl
    assert db.check_database(db.models.database_proxy.obj) == []
    assert AuditEvent.select().where(AuditEvent.action == "restore").count() == 1


def _corrupt(path: Path) -> None:
    """Flip every byte of the page in the middle of the file."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    start = (len(data) // page_size // 2) * page_size
    data[start : start + page_size] = bytes(b ^ 0xFF for b in data[start : start + page_size])
    path.write_bytes(bytes(data))


@pytest.mark.sqlite_only
def test_a_corrupt_backup_is_refused_and_nothing_is_replaced(set_up_clinic, tmp_path, db_path):
    for number in range(30):  # enough pages that the middle of the file holds records
        clients.save_client({**ANA, "date_of_birth": f"04/{number + 1:02d}/1980"})
    made = backup.make_backup(tmp_path / "b", now=NOW)
    bad = tmp_path / "bad.db"
    shutil.copyfile(made.path, bad)
    _corrupt(bad)
    before = _clients()
    with pytest.raises(backup.RestoreRefused, match="damaged"):
        backup.restore(bad, folder=tmp_path / "b")
    assert _clients() == before
    assert len(backup.list_backups(tmp_path / "b")) == 1  # refused before backing up
    assert backup.last_good_backup(tmp_path / "b").path == made.path


@pytest.mark.sqlite_only
def test_a_backup_from_a_newer_schema_is_refused(set_up_clinic, tmp_path):
    made = backup.make_backup(tmp_path / "b", now=NOW)
    newer = tmp_path / "newer.db"
    shutil.copyfile(made.path, newer)
    with sqlite3.connect(newer) as raw:
        raw.execute(f"PRAGMA user_version = {db.LATEST_VERSION + 1}")
    raw.close()
    clients.save_client(ANA)
    with pytest.raises(backup.RestoreRefused, match="newer Front Desk"):
        backup.restore(newer, folder=tmp_path / "b")
    assert Client.select().count() == 1


@pytest.mark.sqlite_only
def test_a_file_that_fails_its_check_is_deleted(set_up_clinic, tmp_path, monkeypatch):
    calls = itertools.count()  # the source's count and the copy's differ
    monkeypatch.setattr(backup, "_counts", lambda connection: {"client": next(calls)})
    with pytest.raises(backup.BackupFailed, match="deleted"):
        backup.make_backup(tmp_path / "b", now=NOW)
    assert list((tmp_path / "b").iterdir()) == []


@pytest.mark.sqlite_only
def test_backup_while_another_connection_is_writing(set_up_clinic, db_path, tmp_path):
    ana = clients.save_client(ANA)
    clients.save_client(BEN)
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM client WHERE id = ?", (ana.id,))
    # The copy does not wait for the writer; its audit event waits for the writer's commit.
    committing = threading.Timer(0.5, writer.execute, ("COMMIT",))
    committing.start()
    try:
        made = backup.make_backup(tmp_path / "b", now=NOW)
    finally:
        committing.join()
        writer.close()
    assert made.counts["client"] == 2  # the committed state, not the open transaction
    assert backup.check_backup_file(made.path)["client"] == 2
    assert Client.select().count() == 1


# --- rotation ------------------------------------------------------------------------------


def _expected(times: list[datetime], today: date) -> set[datetime]:
    """Independent reckoning: newest per day (7), per ISO week (4), per month (12), and
    every one of today and yesterday."""

    def newest(key, allowed):
        best: dict = {}
        for t in times:
            k = key(t.date())
            if k in allowed and (k not in best or t > best[k]):
                best[k] = t
        return set(best.values())

    days = {today - timedelta(days=n) for n in range(7)}
    weeks = {(today - timedelta(weeks=n)).isocalendar()[:2] for n in range(4)}
    months, (y, m) = set(), (today.year, today.month)
    for _ in range(12):
        months.add((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    daily = newest(lambda d: d, days)
    weekly = newest(lambda d: d.isocalendar()[:2], weeks)
    monthly = newest(lambda d: (d.year, d.month), months)
    assert (len(daily), len(weekly), len(monthly)) == (7, 4, 12)
    recent = {t for t in times if (today - t.date()).days <= 1}
    return daily | weekly | monthly | recent


def test_rotation_over_a_simulated_year(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    start, made = date(2025, 11, 1), []
    day = start
    for _ in range(400):  # twice a day (start and close), rotated after each day
        for hour in (8, 18):
            taken = datetime(day.year, day.month, day.day, hour, 0, 0)
            (folder / f"frontdesk-{taken:%Y-%m-%d-%H%M%S}.db").write_bytes(b"x")
            made.append(taken)
        backup.rotate(folder, today=day)
        day += timedelta(days=1)
    today = day - timedelta(days=1)

    kept = {info.taken_at for info in backup.list_backups(folder)}
    assert kept == _expected(made, today)
    recent = {t for t in made if (today - t.date()).days <= 1}
    assert recent <= kept  # every backup of today and yesterday
    assert all(t.hour == 18 for t in kept - recent)  # before that, the newest of each day
    assert 12 < len(kept) < 7 + 4 + 12  # the periods overlap: each file is kept once
    assert (folder / "notes.txt").exists()
    assert backup.rotate(folder, today=today) == []


def test_rotation_returns_what_it_deleted_and_keeps_future_files(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    names = [
        "frontdesk-2026-11-27-080000.db",
        "frontdesk-2026-11-27-180000.db",
        "frontdesk-2026-11-27-180000-2.db",
        "frontdesk-2024-01-01-080000.db",
        "frontdesk-2027-01-01-080000.db",
    ]
    for name in names:
        (folder / name).write_bytes(b"x")
    deleted = backup.rotate(folder, today=date(2026, 11, 27))
    # one too old, and a same-second earlier one; the rest of today's and future ones stay
    assert sorted(p.name for p in deleted) == sorted([names[1], names[3]])
    assert sorted(p.name for p in folder.iterdir()) == sorted([names[0], names[2], names[4]])
    later = backup.rotate(folder, today=date(2026, 11, 29))
    assert [p.name for p in later] == [names[0]]  # two days on, the day's newest stays


def _file_modified(path: Path, ago: timedelta) -> Path:
    path.write_bytes(b"x")
    when = (datetime.now() - ago).timestamp()
    os.utime(path, (when, when))
    return path


def test_rotation_removes_copies_cut_short_over_an_hour_ago_and_nothing_else(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    cut_short = "frontdesk-2026-11-27-130512.db.partial"
    long_ago, just_now = timedelta(hours=1, minutes=2), timedelta(minutes=58)
    old = [_file_modified(folder / name, long_ago) for name in (cut_short, cut_short + "-journal")]
    under_way = "frontdesk-2026-11-27-140000-2.db.partial"  # maybe another PC's backup
    fresh = [
        _file_modified(folder / name, just_now) for name in (under_way, under_way + "-journal")
    ]
    others = [
        _file_modified(folder / name, long_ago)
        for name in (
            "notes.partial",
            "frontdesk-copy.db.partial",
            "frontdesk-2026-11-27-130512.db.partial.bak",
            "frontdesk-2026-11-27-130512.db-journal",
            "frontdesk-2026-11-27-130512.partial",
        )
    ]
    deleted = backup.rotate(folder, today=NOW.date())
    assert sorted(deleted) == sorted(old)
    assert sorted(folder.iterdir()) == sorted(fresh + others)


# --- automatic backups and the backup folder ----------------------------------------------


def test_the_daily_backup_is_made_once_a_day(set_up_clinic, tmp_path):
    folder = tmp_path / "b"
    assert backup.needs_daily_backup(folder, NOW.date())
    first = backup.daily_backup(folder, now=NOW)
    assert first is not None and first.taken_at == NOW
    assert not backup.needs_daily_backup(folder, NOW.date())
    assert backup.daily_backup(folder, now=NOW + timedelta(hours=5)) is None
    tomorrow = NOW + timedelta(days=1)
    assert backup.needs_daily_backup(folder, tomorrow.date())
    assert backup.daily_backup(folder, now=tomorrow).taken_at == tomorrow
    assert len(backup.list_backups(folder)) == 2


def test_a_damaged_backup_from_today_does_not_count(set_up_clinic, tmp_path, suffix):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / f"frontdesk-{NOW:%Y-%m-%d-%H%M%S}{suffix}").write_bytes(b"not a database")
    assert backup.needs_daily_backup(folder, NOW.date())
    assert backup.daily_backup(folder, now=NOW + timedelta(minutes=1)) is not None


def test_an_automatic_backup_rotates_only_backup_files(set_up_clinic, tmp_path, suffix):
    folder = tmp_path / "b"
    folder.mkdir()
    old = folder / f"frontdesk-2024-01-01-080000{suffix}"
    old.write_bytes(b"x")
    (folder / "notes.txt").write_text("not a backup")
    (folder / "frontdesk-copy.db").write_bytes(b"kept")
    made = backup.automatic_backup(folder, now=NOW)
    assert not old.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made.path.name, "notes.txt", "frontdesk-copy.db"]
    )


def test_an_automatic_backup_works_on_a_worker_thread(set_up_clinic, database, tmp_path):
    clients.save_client(ANA)
    results: list = []
    worker = threading.Thread(
        target=lambda: results.append(backup.automatic_backup(tmp_path / "b", now=NOW))
    )
    worker.start()
    worker.join()
    [made] = results
    assert made.counts["client"] == 1
    assert AuditEvent.select().where(AuditEvent.action == "backup").count() == 1
    assert not database.is_closed()  # this thread's connection is untouched


def test_the_backup_at_close_skips_a_recent_one_and_a_closed_database(set_up_clinic, tmp_path):
    folder = tmp_path / "b"
    first = backup.make_backup(folder, now=NOW)
    assert backup.backup_at_close(folder, now=NOW + timedelta(seconds=59)) is None
    made = backup.backup_at_close(folder, now=NOW + timedelta(seconds=61))
    kept = [made.path, first.path]  # rotated: every backup of today stays
    assert [info.path for info in backup.list_backups(folder)] == kept
    db.close_database()
    assert backup.backup_at_close(folder, now=NOW + timedelta(hours=1)) is None
    assert [info.path for info in backup.list_backups(folder)] == kept


def test_same_disk_looks_at_the_nearest_existing_folder(tmp_path, monkeypatch):
    database = tmp_path / "clinic.db"
    database.write_bytes(b"")
    assert backup.same_disk(tmp_path / "not" / "made" / "yet", database)
    assert not backup.same_disk(tmp_path / "b", tmp_path / "missing.db")
    stick = tmp_path / "stick"
    stick.mkdir()
    real = backup._device
    monkeypatch.setattr(backup, "_device", lambda p: 99 if p == stick else real(p))
    assert not backup.same_disk(stick / "backups", database)


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(backup.FolderNotWritable) as refused:
        backup.check_writable(blocker / "backups")
    assert refused.value.reason
    backup.check_writable(tmp_path / "new" / "backups")
    assert list((tmp_path / "new" / "backups").iterdir()) == []


# --- the command line ----------------------------------------------------------------------


def test_cli_backup_and_restore(set_up_clinic, location, tmp_path, capsys):
    clients.save_client(ANA)
    before = _clients()
    db.close_database()
    folder = tmp_path / "usb"
    assert cli.main(["--db", str(location), "backup", "--to", str(folder)]) == 0
    out = capsys.readouterr().out
    (made,) = backup.list_backups(folder)
    assert str(made.path) in out and "1 client, 0 visits, 0 payments" in out
    assert "Silva" not in out

    db.open_database(location)
    clients.save_client(BEN)
    db.close_database()

    assert cli.main(["--db", str(location), "restore", str(made.path)]) == 0
    out = capsys.readouterr().out
    assert "restored the backup of" in out and "1 client," in out
    db.open_database(location)
    assert _clients() == before
    db.close_database()
    assert len(backup.list_backups()) == 1  # the database as it was, in the default folder


@pytest.mark.sqlite_only
def test_cli_refusals_exit_1_with_a_message(set_up_clinic, db_path, tmp_path, capsys):
    made = backup.make_backup(tmp_path / "b", now=NOW)
    db.close_database()
    bad = tmp_path / "bad.db"
    shutil.copyfile(made.path, bad)
    with sqlite3.connect(bad) as raw:
        raw.execute(f"PRAGMA user_version = {db.LATEST_VERSION + 1}")
    raw.close()
    assert cli.main(["--db", str(db_path), "restore", str(bad)]) == 1
    assert "Not restored:" in capsys.readouterr().err
    assert cli.main(["--db", str(db_path), "restore", str(tmp_path / "none.db")]) == 1
    assert "is not a file" in capsys.readouterr().err
    missing = tmp_path / "missing.db"
    assert cli.main(["--db", str(missing), "backup", "--to", str(tmp_path / "b")]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not missing.exists()


def test_a_backup_damaged_after_it_was_found_good_is_good_no_more(set_up_clinic, tmp_path):
    folder = tmp_path / "b"
    older = backup.make_backup(folder, now=NOW - timedelta(days=1))
    newer = backup.make_backup(folder, now=NOW)
    assert backup.last_good_backup(folder).path == newer.path
    with newer.path.open("r+b") as file:  # the same size, other bytes
        file.seek(100)
        file.write(b"\xff" * 64)
    later = newer.path.stat().st_mtime + 1
    os.utime(newer.path, (later, later))
    assert backup.last_good_backup(folder).path == older.path
