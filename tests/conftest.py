"""Shared test set-up: every test gets its own database file; Qt runs offscreen.

No test touches the user's real data, config or cache folders: they are
pointed into the test's own temporary folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from frontdesk import access, db
from frontdesk.services import clinic
from tests.faults import FaultyCursor

CLINIC = {
    "name": "Harbor Medical Massage",
    "address_line1": "12 Front St",
    "city": "Salem",
    "state": "OR",
    "zip_code": "97301",
    "phone": "(503) 555-0100",
    "ein": "93-1234567",
    "npi": "1234567893",
}
THERAPIST = {
    "first_name": "Hannah",
    "last_name": "Okafor",
    "credentials": "LMT",
    "license_number": "LMT-21873",
    "license_state": "OR",
    "npi": "1245319599",
}


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME"):
        folder = tmp_path / "home" / variable.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("FRONTDESK_DB", raising=False)


TEST_OWNER = access.Actor(None, "test owner", access.OWNER)


@pytest.fixture(autouse=True)
def signed_in_owner():
    """Tests act as the clinic's owner unless they sign in someone else (`access.acting_as`)."""
    with access.acting_as(TEST_OWNER) as owner:
        yield owner


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.db"


@pytest.fixture
def database(db_path: Path):
    opened = db.open_database(db_path)
    yield opened
    db.close_database()


@pytest.fixture
def set_up_clinic(database):
    """A database with the clinic profile and one therapist."""
    return clinic.setup_clinic(CLINIC, THERAPIST)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic, built once per test run (the screens count from today too)."""
    from frontdesk.demo import build_demo_clinic

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db.open_database(path)
    try:
        build_demo_clinic(today=date.today())
    finally:
        db.close_database()  # checkpointed: the one file holds everything
    return path


@pytest.fixture
def demo_clinic(demo_template: Path, db_path: Path):
    """A fresh copy of the demo clinic for this test, opened."""
    shutil.copyfile(demo_template, db_path)
    opened = db.open_database(db_path)
    yield opened
    db.close_database()


@pytest.fixture
def fail_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[sqlite3.Error], None]:
    """Make every write to the database fail from now on with the given SQLite error."""

    def inject(error: sqlite3.Error) -> None:
        real_cursor = db.ClinicDatabase.cursor
        monkeypatch.setattr(
            db.ClinicDatabase,
            "cursor",
            lambda self, *a, **k: FaultyCursor(real_cursor(self, *a, **k), error),
        )

    return inject
