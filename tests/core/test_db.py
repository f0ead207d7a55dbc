"""Opening the database: pragmas, private file, migrations with a copy aside, checks."""

from __future__ import annotations

import stat

import pytest

from frontdesk import db
from frontdesk.models import Payer, ServiceCode


@pytest.mark.sqlite_only
def test_new_database_has_the_pragmas_and_the_latest_schema(database, db_path):
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 2  # FULL
    assert pragma("busy_timeout") == db.BUSY_TIMEOUT_MS
    assert db.schema_version(database) == db.LATEST_VERSION
    assert db.check_database(database) == []


@pytest.mark.sqlite_only
def test_new_database_file_is_readable_by_its_owner_only(database, db_path):
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_new_database_is_seeded_with_payers_and_fee_schedule(database):
    names = {payer.name for payer in Payer.select()}
    assert {"Capital Blue Cross", "HMSA", "Whole Health Living Program", "Self-pay"} <= names
    massage = ServiceCode.get(code="97124")
    assert massage.timed and massage.price_cents > 0


def test_reopening_does_not_migrate_or_copy_again(db_path):
    db.open_database(db_path)
    db.close_database()
    db.open_database(db_path)
    db.close_database()
    assert [p.name for p in db_path.parent.glob("clinic.before-*")] == []


def test_a_file_from_a_newer_program_is_refused(db_path):
    opened = db.open_database(db_path)
    opened.execute_sql(f"PRAGMA user_version = {db.LATEST_VERSION + 1}")
    db.close_database()
    with pytest.raises(db.DatabaseUnavailable, match="newer Front Desk"):
        db.open_database(db_path)
    db.close_database()


def test_migration_copies_the_file_aside_first(db_path, monkeypatch):
    opened = db.open_database(db_path)
    ServiceCode.create(code="X1", description="Test code", price_cents=100)
    db.close_database()
    calls = []
    step = db.Migration(db.LATEST_VERSION + 1, "test step", lambda d: calls.append(d))
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, step))
    monkeypatch.setattr(db, "LATEST_VERSION", step.version)
    opened = db.open_database(db_path)
    assert calls and db.schema_version(opened) == step.version
    copies = list(db_path.parent.glob(f"clinic.before-v{step.version}-*.db"))
    assert len(copies) == 1
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    db.close_database()
    backup = db.open_database(copies[0], migrate=False)
    assert db.schema_version(backup) == step.version - 1
    assert ServiceCode.get(code="X1").price_cents == 100
    db.close_database()


def test_a_failing_migration_changes_nothing(db_path, monkeypatch):
    db.open_database(db_path)
    db.close_database()

    def broken(database):
        database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        raise ValueError("boom")

    step = db.Migration(db.LATEST_VERSION + 1, "broken step", broken)
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, step))
    monkeypatch.setattr(db, "LATEST_VERSION", step.version)
    with pytest.raises(ValueError):
        db.open_database(db_path)
    database = db.models.database_proxy.obj
    assert "half_done" not in database.get_tables()
    assert db.schema_version(database) == step.version - 1
    db.close_database()


def test_check_reports_a_wrong_schema_version(database):
    database.set_schema_version(0)
    assert db.check_database(database) == [f"schema version 0, expected {db.LATEST_VERSION}"]


def test_default_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_DB", str(tmp_path / "elsewhere.db"))
    assert db.default_db_path() == tmp_path / "elsewhere.db"
    monkeypatch.delenv("FRONTDESK_DB")
    assert db.default_db_path().name == "frontdesk.db"
    assert str(db.default_db_path()).startswith(str(tmp_path))


def test_a_file_that_is_not_a_database_is_refused_with_a_message(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list, not a database\n" * 100)
    with pytest.raises(db.DatabaseUnavailable, match="is not a Front Desk database"):
        db.open_database(junk)
    assert junk.read_text().startswith("shopping list")


def test_a_folder_that_cannot_be_written_is_refused_with_a_message(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(db.DatabaseUnavailable, match="could not be created or opened"):
        db.open_database(blocked / "clinic.db")
