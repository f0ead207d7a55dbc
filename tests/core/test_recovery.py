"""A damaged database: the start-up check finds it, and the newest good backup replaces it."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from frontdesk import db
from frontdesk.models import AuditEvent
from frontdesk.services import backup, clients, recovery

TAKEN = datetime(2026, 11, 27, 9, 30, 0)
FOUND = datetime(2026, 11, 27, 14, 0, 0)
ANA = {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}


def damage_a_table(path: Path, table: str = "visit") -> None:
    """Flip the bytes at the start of the table's first page (its b-tree header)."""
    with sqlite3.connect(path) as raw:
        page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        root = page.fetchone()[0]
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    _flip(path, (root - 1) * page_size, 64)


def damage_the_header(path: Path) -> None:
    """Flip the file's first bytes: SQLite no longer knows it as a database."""
    _flip(path, 0, 32)


def _flip(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as file:
        file.seek(offset)
        flipped = bytes(byte ^ 0xFF for byte in file.read(length))
        file.seek(offset)
        file.write(flipped)


def backed_up_then_damaged(demo_template: Path, db_path: Path, folder: Path) -> Path:
    """The demo clinic backed up into `folder`, a client saved after that, then damaged."""
    shutil.copyfile(demo_template, db_path)
    db.open_database(db_path)
    made = backup.make_backup(folder, now=TAKEN)
    clients.save_client(ANA)
    db.close_database()
    damage_a_table(db_path)
    return made.path


def rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as raw:
        found = raw.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
    raw.close()
    return found


def folder_state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_the_start_up_check_passes_a_good_file_and_finds_a_damaged_table(demo_template, db_path):
    shutil.copyfile(demo_template, db_path)
    assert db.startup_check(db.open_database(db_path)) == []
    db.close_database()
    damage_a_table(db_path)
    problems = db.startup_check(db.open_database(db_path))
    db.close_database()
    assert problems
    assert all(problem.startswith("quick check: ") for problem in problems)
    assert len(problems) <= 5


def test_a_file_too_damaged_to_open_is_told_apart_from_an_unreadable_one(db_path, tmp_path):
    db.open_database(db_path)
    db.close_database()
    damage_the_header(db_path)
    with pytest.raises(db.DatabaseUnavailable) as damaged:
        db.open_database(db_path)
    assert recovery.is_damage(damaged.value)
    (tmp_path / "a folder.db").mkdir()
    with pytest.raises(db.DatabaseUnavailable) as unreadable:
        db.open_database(tmp_path / "a folder.db")
    assert not recovery.is_damage(unreadable.value)


def test_the_newest_good_backup_replaces_the_damaged_file_which_is_kept(
    demo_template, db_path, tmp_path
):
    folder = tmp_path / "backups"
    made = backed_up_then_damaged(demo_template, db_path, folder)
    damaged_bytes = db_path.read_bytes()

    result = recovery.restore_newest_good_backup(db_path, folder, now=FOUND, actor="owner")

    kept = tmp_path / "clinic.db.damaged-2026-11-27-140000"
    assert result.damaged_kept_as == kept
    assert kept.read_bytes() == damaged_bytes
    assert (result.restored.path, result.restored.taken_at) == (made, TAKEN)
    assert result.restored.summary().startswith("41 clients")  # Ana, saved later, is gone
    for table in ("client", "visit", "payment", "service_line", "prescription"):
        assert rows(db_path, table) == rows(made, table)
    database = db.models.database_proxy.obj
    assert db.startup_check(database) == []
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (event.action, event.entity, event.actor) == ("restore", "database", "owner")
    assert event.detail == "over a damaged file: 41 clients, 226 visits, 224 payments"
    assert not list(tmp_path.glob(".clinic.db.*"))  # no temporary file left behind
    assert made.exists()  # the backup itself is untouched
    db.close_database()


def test_the_write_ahead_log_goes_aside_with_the_damaged_file(demo_template, db_path, tmp_path):
    folder = tmp_path / "backups"
    backed_up_then_damaged(demo_template, db_path, folder)
    Path(f"{db_path}-wal").write_bytes(b"left by a program that stopped")

    result = recovery.restore_newest_good_backup(db_path, folder, now=FOUND)

    kept_log = Path(f"{result.damaged_kept_as}-wal")
    assert kept_log.read_bytes() == b"left by a program that stopped"
    assert db.startup_check(db.models.database_proxy.obj) == []
    db.close_database()


def test_a_damaged_newer_backup_is_passed_over_and_nothing_is_overwritten(
    demo_template, db_path, tmp_path
):
    folder = tmp_path / "backups"
    good = backed_up_then_damaged(demo_template, db_path, folder)
    newer = folder / "frontdesk-2026-11-27-120000.db"
    shutil.copyfile(good, newer)
    damage_a_table(newer)
    (folder / "frontdesk-2026-11-27-130000.db.partial").write_bytes(b"cut short")
    earlier = tmp_path / "clinic.db.damaged-2026-11-27-140000"
    earlier.write_bytes(b"found damaged before")

    result = recovery.restore_newest_good_backup(db_path, folder, now=FOUND)

    assert result.restored.path == good
    assert result.damaged_kept_as == tmp_path / "clinic.db.damaged-2026-11-27-140000-2"
    assert earlier.read_bytes() == b"found damaged before"
    db.close_database()


def test_with_no_good_backup_it_says_so_and_changes_nothing(demo_template, db_path, tmp_path):
    folder = tmp_path / "backups"
    made = backed_up_then_damaged(demo_template, db_path, folder)
    damage_a_table(made)
    before = folder_state(tmp_path), folder_state(folder)

    with pytest.raises(recovery.NoGoodBackup, match="No good backup was found in"):
        recovery.restore_newest_good_backup(db_path, folder, now=FOUND)
    with pytest.raises(recovery.NoGoodBackup):
        recovery.restore_newest_good_backup(db_path, tmp_path / "never made", now=FOUND)

    assert (folder_state(tmp_path), folder_state(folder)) == before


@pytest.mark.parametrize("damage", ["a table", "the header"])
def test_the_restore_command_puts_a_backup_in_place_of_a_damaged_file(
    demo_template, db_path, tmp_path, capsys, damage
):
    from frontdesk import cli

    made = backed_up_then_damaged(demo_template, db_path, tmp_path / "usb")
    if damage == "the header":
        damage_the_header(db_path)
    assert cli.main(["--db", str(db_path), "restore", str(made)]) == 0
    out = capsys.readouterr().out
    assert "it was damaged; restored the backup of" in out and "41 clients" in out
    assert len(list(tmp_path.glob("clinic.db.damaged-*"))) == 1
    assert rows(db_path, "client") == rows(made, "client")
    assert cli.main(["--db", str(db_path), "check"]) == 0
