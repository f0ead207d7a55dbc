"""Encryption at rest: an encrypted clinic file, its passphrase, its backups, the command line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from frontdesk import access, cli, db, encryption, models
from frontdesk.models import AuditEvent, Client
from frontdesk.services import backup, clients
from frontdesk.validation import ValidationError
from tests.conftest import TEST_OWNER

PASSPHRASE = "harbor tide lantern 7"
NEW_PASSPHRASE = "quiet orchard morning 42"
NOW = datetime(2026, 11, 27, 13, 5, 12)
ANA = {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}

pytestmark = pytest.mark.sqlite_only  # about the file itself


def _plain_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as raw:
        counts = backup._counts(raw)
    raw.close()
    return counts


def _records(counts: dict[str, int]) -> dict[str, int]:
    """Row counts without the audit trail's (encrypting, backing up and restoring add to it)."""
    return {table: count for table, count in counts.items() if table != "audit_event"}


def _plain_sqlite_refuses(path: Path) -> None:
    raw = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            raw.execute("SELECT COUNT(*) FROM client").fetchone()
    finally:
        raw.close()


@pytest.fixture(scope="session")
def encrypted_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic encrypted with PASSPHRASE, once per test run."""
    folder = tmp_path_factory.mktemp("encrypted")
    path = folder / "clinic.db"
    shutil.copyfile(demo_template, path)
    with access.acting_as(TEST_OWNER):
        encryption.encrypt_database(path, PASSPHRASE, folder=folder / "backups")
    db.close_database()
    return path


@pytest.fixture
def encrypted_path(encrypted_template: Path, db_path: Path) -> Path:
    """A fresh copy of the encrypted demo clinic for this test, closed."""
    shutil.copyfile(encrypted_template, db_path)
    return db_path


@pytest.fixture
def encrypted_clinic(encrypted_path: Path):
    opened = db.open_database(encrypted_path, passphrase=PASSPHRASE)
    yield opened
    db.close_database()


def test_encrypting_the_demo_clinic_keeps_every_record(demo_clinic, db_path, tmp_path):
    counts = backup.check_backup_file(db_path)
    last_name = Client.select().order_by(Client.id).first().last_name

    safety = encryption.encrypt_database(db_path, PASSPHRASE, folder=tmp_path / "b")

    assert encryption.is_encrypted(db_path)
    _plain_sqlite_refuses(db_path)
    opened = models.database_proxy.obj  # the program goes on, with the encrypted file
    assert isinstance(opened, db.EncryptedClinicDatabase) and not opened.is_closed()
    assert db.current_passphrase() == PASSPHRASE
    assert db.schema_version(opened) == db.LATEST_VERSION
    audited = {"audit_event": counts["audit_event"] + 2}  # the safety backup and "encrypt"
    assert backup._counts(opened.connection()) == {**counts, **audited}
    assert AuditEvent.select().where(AuditEvent.action == "encrypt").count() == 1
    assert db.check_database(opened) == []
    # Beside the file: no plain copy, and no client's name readable in any file.
    beside = {p.name for p in db_path.parent.iterdir() if p.is_file()}
    assert beside <= {"clinic.db", "clinic.db-shm", "clinic.db-wal"}
    for name in beside:
        assert last_name.encode() not in (db_path.parent / name).read_bytes()
    # The file as it was is the one safety backup, plain, in the backup folder.
    assert safety.path.parent == tmp_path / "b"
    assert not encryption.is_encrypted(safety.path)
    assert _plain_counts(safety.path) == counts


def test_an_encrypted_file_opens_only_with_its_passphrase(encrypted_path, demo_template):
    before = encrypted_path.read_bytes()
    with pytest.raises(db.PassphraseNeeded, match=r"clinic\.db is encrypted: type its passphrase"):
        db.open_database(encrypted_path)
    with pytest.raises(db.WrongPassphrase) as refused:
        db.open_database(encrypted_path, passphrase="not the passphrase")
    assert str(refused.value) == (
        "That passphrase does not open clinic.db. Nothing was changed; check it and try again."
    )
    assert isinstance(refused.value, db.DatabaseUnavailable)
    assert encrypted_path.read_bytes() == before
    assert not Path(f"{encrypted_path}-wal").exists()
    _plain_sqlite_refuses(encrypted_path)

    opened = db.open_database(encrypted_path, passphrase=PASSPHRASE)
    try:
        records = _records(backup._counts(opened.connection()))
        assert records == _records(_plain_counts(demo_template))
        assert db.journal_mode(opened) == "wal"
    finally:
        db.close_database()


def test_open_if_closed_reopens_with_the_passphrase_it_was_opened_with(encrypted_clinic):
    db.close_database()
    reopened = db.open_if_closed(encrypted_clinic.path)
    assert not reopened.is_closed() and reopened.passphrase == PASSPHRASE


def test_another_thread_gets_its_own_keyed_connection(encrypted_clinic):
    found = []
    worker = threading.Thread(target=lambda: found.append(Client.select().count()))
    worker.start()
    worker.join()
    assert found == [Client.select().count()] and found[0] > 0


def test_a_file_replaced_under_an_encrypted_database_is_not_written(encrypted_clinic, tmp_path):
    aside = tmp_path / "aside.db"
    encrypted_clinic.path.rename(aside)
    shutil.copyfile(aside, encrypted_clinic.path)
    with pytest.raises(db.DatabaseGone):
        clients.save_client(ANA)


def test_change_passphrase(encrypted_clinic, encrypted_path, tmp_path):
    with pytest.raises(ValidationError) as wrong_old:
        encryption.change_passphrase("not the current one", NEW_PASSPHRASE)
    assert wrong_old.value.field == "Current passphrase"
    with pytest.raises(ValidationError) as weak_new:
        encryption.change_passphrase(PASSPHRASE, "short")
    assert weak_new.value.field == "New passphrase"
    earlier = backup.make_backup(tmp_path / "b", now=NOW)

    encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)

    assert db.current_passphrase() == NEW_PASSPHRASE
    assert AuditEvent.select().where(AuditEvent.action == "change_passphrase").count() == 1
    later = backup.make_backup(tmp_path / "b")
    assert backup.check_backup_file(later.path)["client"] > 0
    with pytest.raises(backup.BackupError, match="encrypted with another one"):
        backup.check_backup_file(earlier.path)
    assert backup.check_backup_file(earlier.path, passphrase=PASSPHRASE)["client"] > 0
    db.close_database()
    with pytest.raises(db.WrongPassphrase):
        db.open_database(encrypted_path, passphrase=PASSPHRASE)
    reopened = db.open_database(encrypted_path, passphrase=NEW_PASSPHRASE)
    assert db.check_database(reopened) == []


def test_only_the_owner_encrypts_or_changes_the_passphrase(demo_clinic, db_path):
    front_desk = access.Actor(1, "desk", access.FRONT_DESK)
    with access.acting_as(front_desk), pytest.raises(access.NotAllowed):
        encryption.encrypt_database(db_path, PASSPHRASE)
    with access.acting_as(front_desk), pytest.raises(access.NotAllowed):
        encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert not encryption.is_encrypted(db_path)


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file locked elsewhere is given up on after 0.2 s rather than 5."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setitem(db.PRAGMAS, "busy_timeout", 200)


def test_refusals_change_nothing(short_waits, demo_clinic, db_path, tmp_path):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        encryption.encrypt_database(db_path, "too short", folder=tmp_path / "b")
    with pytest.raises(encryption.EncryptionRefused, match="not encrypted"):
        encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    other_pc = sqlite3.connect(db_path)
    other_pc.execute("BEGIN")
    other_pc.execute("SELECT COUNT(*) FROM client").fetchone()  # holds a read lock
    try:
        with pytest.raises(encryption.EncryptionRefused, match="another computer"):
            encryption.encrypt_database(db_path, PASSPHRASE, folder=tmp_path / "b")
    finally:
        other_pc.close()
    assert not encryption.is_encrypted(db_path)
    assert not models.database_proxy.obj.is_closed()  # the program goes on, plain
    assert list(db_path.parent.glob(".clinic.db.*")) == []
    encryption.encrypt_database(db_path, PASSPHRASE, folder=tmp_path / "b")
    with pytest.raises(encryption.EncryptionRefused, match="encrypted already"):
        encryption.encrypt_database(db_path, NEW_PASSPHRASE, folder=tmp_path / "b")


def test_backups_of_an_encrypted_clinic_are_encrypted_and_restore(encrypted_clinic, tmp_path):
    before = Client.select().count()
    made = backup.make_backup(tmp_path / "b", now=NOW)
    assert encryption.is_encrypted(made.path)
    _plain_sqlite_refuses(made.path)
    assert backup.check_backup_file(made.path) == made.counts
    assert backup.last_good_backup(tmp_path / "b").path == made.path
    clients.save_client(ANA)

    result = backup.restore(made.path, folder=tmp_path / "b")

    assert Client.select().count() == before
    assert result.counts == made.counts
    assert encryption.is_encrypted(encrypted_clinic.path)
    assert encryption.is_encrypted(result.safety_backup.path)
    assert db.current_passphrase() == PASSPHRASE


def test_a_plain_backup_restored_into_an_encrypted_clinic_stays_encrypted(
    encrypted_clinic, demo_template, tmp_path
):
    plain = tmp_path / "b" / "frontdesk-2026-01-02-030405.db"
    plain.parent.mkdir()
    shutil.copyfile(demo_template, plain)
    backup.restore(plain, folder=tmp_path / "b")
    assert encryption.is_encrypted(encrypted_clinic.path)
    restored = backup._counts(models.database_proxy.obj.connection())
    assert _records(restored) == _records(_plain_counts(plain))


def test_the_copy_before_a_migration_is_encrypted(encrypted_path, monkeypatch):
    step = db.Migration(db.LATEST_VERSION + 1, "test step", lambda d: None)
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, step))
    monkeypatch.setattr(db, "LATEST_VERSION", step.version)
    db.open_database(encrypted_path, passphrase=PASSPHRASE)
    db.close_database()
    [copy] = encrypted_path.parent.glob(f"clinic.before-v{step.version}-*.db")
    _plain_sqlite_refuses(copy)
    opened = db.open_database(copy, migrate=False, passphrase=PASSPHRASE)
    assert db.schema_version(opened) == step.version - 1
    db.close_database()


def test_cli_check_takes_the_passphrase_from_the_environment(encrypted_path, monkeypatch, capsys):
    monkeypatch.setenv(cli.PASSPHRASE_VARIABLE, PASSPHRASE)
    assert cli.main(["--db", str(encrypted_path), "check"]) == 0
    said = capsys.readouterr()
    assert "OK (schema version" in said.out
    monkeypatch.setenv(cli.PASSPHRASE_VARIABLE, "not the passphrase")
    assert cli.main(["--db", str(encrypted_path), "check"]) == 1
    said = capsys.readouterr()
    assert "That passphrase does not open clinic.db" in said.out
    assert "not the passphrase" not in said.out + said.err


def test_cli_encrypt_and_change_passphrase(demo_clinic, db_path, monkeypatch, capsys):
    db.close_database()
    monkeypatch.setenv(cli.NEW_PASSPHRASE_VARIABLE, PASSPHRASE)
    assert cli.main(["--db", str(db_path), "encrypt"]) == 0
    assert "encrypted" in capsys.readouterr().out
    assert encryption.is_encrypted(db_path)
    monkeypatch.setenv(cli.PASSPHRASE_VARIABLE, PASSPHRASE)
    monkeypatch.setenv(cli.NEW_PASSPHRASE_VARIABLE, NEW_PASSPHRASE)
    assert cli.main(["--db", str(db_path), "change-passphrase"]) == 0
    said = capsys.readouterr()
    assert PASSPHRASE not in said.out + said.err and NEW_PASSPHRASE not in said.out + said.err
    monkeypatch.delenv(cli.PASSPHRASE_VARIABLE)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["--db", str(db_path), "check"]) == 1
    assert "FRONTDESK_PASSPHRASE" in capsys.readouterr().out


def test_the_plain_copies_left_beside_an_encrypted_file_are_named(demo_clinic, db_path, tmp_path):
    older = db_path.with_name("clinic.before-v8-20261101-090000.db")
    shutil.copyfile(db_path, older)  # as an upgrade leaves it beside the file
    encryption.encrypt_database(db_path, PASSPHRASE, folder=tmp_path / "backups")
    assert encryption.plain_copies_beside(db_path) == [older]
    assert not encryption.is_encrypted(older) and encryption.is_encrypted(db_path)


def test_the_passphrase_stays_while_another_computer_has_the_file_open(
    short_waits, encrypted_clinic, encrypted_path
):
    other_pc = db.connect_file(encrypted_path, PASSPHRASE)
    other_pc.execute("BEGIN")
    other_pc.execute("SELECT COUNT(*) FROM client").fetchone()  # holds a read lock
    try:
        with pytest.raises(encryption.EncryptionRefused, match="another computer"):
            encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    finally:
        other_pc.close()
    assert Client.select().count() > 0  # the program goes on, with the passphrase it had
    db.close_database()
    db.open_database(encrypted_path, passphrase=PASSPHRASE)


def test_cli_restores_a_backup_made_before_the_passphrase_changed(
    encrypted_clinic, encrypted_path, tmp_path, monkeypatch, capsys
):
    made = backup.make_backup(tmp_path / "backups")
    encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    db.close_database()
    monkeypatch.setenv(cli.PASSPHRASE_VARIABLE, NEW_PASSPHRASE)
    assert cli.main(["--db", str(encrypted_path), "restore", str(made.path)]) == 1
    assert "another one" in capsys.readouterr().err  # the backup's passphrase is asked for
    monkeypatch.setenv(cli.BACKUP_PASSPHRASE_VARIABLE, PASSPHRASE)
    assert cli.main(["--db", str(encrypted_path), "restore", str(made.path)]) == 0
    said = capsys.readouterr()
    assert "restored the backup" in said.out
    assert PASSPHRASE not in said.out + said.err
    db.open_database(encrypted_path, passphrase=NEW_PASSPHRASE)  # today's passphrase still


def test_an_encrypted_file_whose_random_bytes_look_like_a_sqlite_version_is_still_encrypted(
    tmp_path,
):
    """One encrypted file in about 4,300 has bytes at offset 96 that read as a SQLite
    version number, where a plain file whose first bytes were damaged keeps it."""
    page = bytearray(os.urandom(4096))
    page[96:100] = (3_040_001).to_bytes(4, "big")
    page[72:92] = os.urandom(20)
    looks_like_a_version = tmp_path / "clinic.db"
    looks_like_a_version.write_bytes(bytes(page) * 2)
    assert db.is_encrypted(looks_like_a_version)
