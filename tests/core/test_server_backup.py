"""Backups of a clinic server's database: real dumps of the throwaway server, checked with
pg_restore, listed, rotated and restored as the backups of a SQLite file are."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from frontdesk import clinic_server, db
from frontdesk.models import Client
from frontdesk.services import backup, clients, clinic, server_backup
from tests.conftest import CLINIC, THERAPIST
from tests.other_pc import OtherPC

NOW = datetime(2026, 11, 27, 13, 5, 12)
ANA = {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}
BEN = {"first_name": "Ben", "last_name": "Okoro", "date_of_birth": "09/02/1975"}


@pytest.fixture
def server(server_database):
    """A set-up clinic on a fresh database of the throwaway server, opened."""
    opened = server_database("postgres_template")
    clinic.setup_clinic(CLINIC, THERAPIST)
    yield opened
    db.close_database()


def test_a_dump_is_written_checked_private_and_listed(server, tmp_path):
    clients.save_client(ANA)
    made = backup.make_backup(tmp_path / "b", now=NOW)
    assert made.path == tmp_path / "b" / "frontdesk-2026-11-27-130512.dump"
    assert made.summary() == "1 client, 0 visits, 0 payments"
    assert made.path.stat().st_mode & 0o077 == 0
    assert list(made.path.parent.iterdir()) == [made.path]  # no .partial left
    assert backup.check_backup_file(made.path) == made.counts
    listing = server_backup._run("pg_restore", ["--list", str(made.path)])
    assert "TABLE DATA public client" in listing
    assert [info.path for info in backup.list_backups(tmp_path / "b")] == [made.path]
    assert backup.last_good_backup(tmp_path / "b").path == made.path


def test_dumps_and_file_backups_in_one_folder_are_listed_and_rotated_apart(server, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    days = [NOW - timedelta(days=n) for n in range(1, 12)]
    for day in days:
        for suffix in backup.SUFFIXES:
            (folder / f"frontdesk-{day:%Y-%m-%d-%H%M%S}{suffix}").write_bytes(b"x")
    made = backup.automatic_backup(folder, now=NOW)  # rotates
    kept = backup.backups_to_keep([NOW, *days], NOW.date())
    assert {info.taken_at for info in backup.list_backups(folder)} == kept
    assert all(info.path.suffix == ".dump" for info in backup.list_backups(folder))
    files = sorted(p.name for p in folder.glob("*.db"))
    assert files == sorted(
        f"frontdesk-{t:%Y-%m-%d-%H%M%S}.db" for t in backup.backups_to_keep(days, NOW.date())
    )
    assert made.path.exists()


def test_restore_brings_back_a_deleted_client_and_keeps_a_safety_dump(server, tmp_path):
    ana = clients.save_client(ANA)
    clients.save_client(BEN)
    made = backup.make_backup(tmp_path / "b", now=NOW)
    clients.delete_client(ana.id)
    assert Client.select().count() == 1

    result = backup.restore(made.path, folder=tmp_path / "b", now=NOW + timedelta(hours=1))

    assert sorted(c.first_name for c in Client.select()) == ["Ana", "Ben"]
    assert result.counts["client"] == 2 and result.taken_at == NOW
    assert result.safety_backup.path.name == "frontdesk-2026-11-27-140512.dump"
    assert backup.check_backup_file(result.safety_backup.path)["client"] == 1
    assert db.check_database(db.models.database_proxy.obj) == []
    clients.save_client({**BEN, "first_name": "Carl"})  # the id sequences came back too


def test_a_restore_another_pc_keeps_waiting_gives_up_and_changes_nothing(
    server, tmp_path, monkeypatch
):
    ana = clients.save_client(ANA)
    made = backup.make_backup(tmp_path / "b", now=NOW)
    clients.delete_client(ana.id)
    monkeypatch.setattr(server_backup, "RESTORE_LOCK_WAIT_S", 1)
    with OtherPC() as other:  # another PC in the middle of reading the clients
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM client").fetchone()
        with pytest.raises(backup.RestoreRefused, match="another PC kept the clinic's records"):
            backup.restore(made.path, folder=tmp_path / "b", now=NOW + timedelta(hours=1))
        other.execute("ROLLBACK")
    assert Client.select().count() == 0  # as it was: the deleted client not back
    clients.save_client(BEN)  # nothing left locked: saves go on
    assert db.check_database(db.models.database_proxy.obj) == []


def _truncated(path: Path, target: Path) -> Path:
    target.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    return target


def _flipped(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 256] = bytes(b ^ 0xFF for b in data[middle : middle + 256])
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("damage", [_truncated, _flipped])
def test_a_damaged_dump_is_refused_and_nothing_is_replaced(server, tmp_path, damage):
    clients.save_client(ANA)
    made = backup.make_backup(tmp_path / "b", now=NOW)
    bad = damage(made.path, tmp_path / "bad.dump")
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.check_backup_file(bad)
    clients.save_client(BEN)
    with pytest.raises(backup.RestoreRefused, match="damaged"):
        backup.restore(bad, folder=tmp_path / "b")
    assert Client.select().count() == 2
    assert len(backup.list_backups(tmp_path / "b")) == 1  # refused before backing up


def test_a_file_backup_is_not_restored_into_the_server(server, tmp_path):
    not_a_dump = tmp_path / "frontdesk-2026-11-27-130512.db"
    not_a_dump.write_bytes(b"x")
    with pytest.raises(backup.RestoreRefused, match="backup of a database file"):
        backup.restore(not_a_dump, folder=tmp_path / "b")


def test_a_dump_that_fails_its_check_is_deleted(server, tmp_path, monkeypatch):
    monkeypatch.setattr(server_backup, "check_dump", lambda path, **_: {"client": -1})
    with pytest.raises(backup.BackupFailed, match="does not hold every record"):
        backup.make_backup(tmp_path / "b", now=NOW)
    assert list((tmp_path / "b").iterdir()) == []


def test_missing_pg_dump_says_what_to_install(server, tmp_path, monkeypatch):
    monkeypatch.setattr(clinic_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(clinic_server, "DEBIAN_PROGRAMS", str(tmp_path / "none" / "*" / "bin"))
    with pytest.raises(backup.BackupFailed, match="pg_dump is not installed") as failed:
        backup.make_backup(tmp_path / "b", now=NOW)
    assert "postgresql-client" in str(failed.value)
    assert list((tmp_path / "b").iterdir()) == []


def test_the_dump_before_an_upgrade_is_checked_and_outside_the_rotation(server, tmp_path):
    aside = server.copy_aside("before-v9")
    assert aside.parent == backup.default_backup_folder()
    assert aside.name.startswith(f"{server.address.database}.before-v9-")
    assert aside.suffix == ".dump" and aside.stat().st_mode & 0o077 == 0
    assert backup.check_backup_file(aside)["client"] == 0
    assert backup.rotate(aside.parent, today=NOW.date() + timedelta(days=400)) == []
    assert [p.name for p in aside.parent.iterdir()] == [aside.name]


def test_the_password_goes_to_the_child_in_its_environment_only(monkeypatch):
    address = SimpleNamespace(user="desk", host="server1", port=5433, database="clinic")
    database = SimpleNamespace(address=address, connect_params={"password": "s3cret"})
    seen = {}

    class Finished:
        returncode = 0

        def __init__(self, command, env, **_):
            seen.update(command=command, env=env)

        def communicate(self, timeout=None):
            return "", ""

        def __enter__(self):
            return self

        def __exit__(self, *_exc):
            return None

    monkeypatch.setattr(server_backup.subprocess, "Popen", Finished)
    server_backup._run("pg_dump", ["--format=custom"], server_backup._environment(database))
    assert not any("s3cret" in part for part in seen["command"])
    assert seen["env"]["PGPASSWORD"] == "s3cret"
    assert (seen["env"]["PGHOST"], seen["env"]["PGPORT"]) == ("server1", "5433")
    assert (seen["env"]["PGUSER"], seen["env"]["PGDATABASE"]) == ("desk", "clinic")


def test_a_server_newer_than_pg_dump_is_said_plainly():
    said = server_backup._said(
        "pg_dump",
        "pg_dump: error: aborting because of server version mismatch\n"
        "pg_dump: detail: server version: 17.2; pg_dump version: 15.18\n",
    )
    assert "server version: 17.2; pg_dump version: 15.18" in said
    assert "postgresql-client-NN" in said


def test_a_text_file_is_not_a_dump(postgres, tmp_path):  # the server's programs read it
    text = tmp_path / "frontdesk-2026-11-27-130512.dump"
    text.write_text("not a dump")
    with pytest.raises(backup.BackupError, match="damaged or not a dump"):
        backup.check_backup_file(text)
