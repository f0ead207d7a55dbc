"""The migration ladder on either engine: a step above the database's version runs once, in
one transaction, after a copy of the database was put aside; a step that fails leaves the
database as it was. (Steps up to version 8 rebuild tables the SQLite way and only ever run on
files: a clinic server's database starts at version 8; see tests/core/test_schema_v*.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk import db
from frontdesk.services import backup

NEW_COLUMN = "referral_code"


def _add_column(database) -> None:
    database.execute_sql(f"ALTER TABLE client ADD COLUMN {NEW_COLUMN} TEXT")


def _add_column_then_fail(database) -> None:
    _add_column(database)
    raise RuntimeError("the step failed half way")


@pytest.fixture
def next_step(monkeypatch) -> Callable[[Callable], db.Migration]:
    """Put one more step on the ladder, above the latest version."""

    def add(apply: Callable) -> db.Migration:
        step = db.Migration(db.LATEST_VERSION + 1, "a referral code for clients", apply)
        monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, step))
        monkeypatch.setattr(db, "LATEST_VERSION", step.version)
        return step

    return add


def _columns(database) -> list[str]:
    return [column.name for column in database.get_columns("client")]


def _copies_aside(database, step: db.Migration) -> list[Path]:
    if database.is_server:
        return list(backup.default_backup_folder().glob(f"*.before-v{step.version}-*.dump"))
    return list(database.path.parent.glob(f"{database.path.stem}.before-v{step.version}-*"))


def test_a_step_above_the_version_runs_once_after_a_copy_is_put_aside(database, next_step):
    step = next_step(_add_column)
    db.migrate_to_latest(database)
    assert db.schema_version(database) == step.version
    assert NEW_COLUMN in _columns(database)
    assert len(_copies_aside(database, step)) == 1
    db.migrate_to_latest(database)  # nothing left to do: no second copy
    assert len(_copies_aside(database, step)) == 1
    assert db.check_database(database) == []


def test_a_step_that_fails_leaves_the_database_as_it_was(database, next_step):
    before = db.schema_version(database)
    next_step(_add_column_then_fail)
    with pytest.raises(RuntimeError, match="half way"):
        db.migrate_to_latest(database)
    assert db.schema_version(database) == before
    assert NEW_COLUMN not in _columns(database)
