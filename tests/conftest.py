"""Shared test set-up: every test gets its own database; Qt runs offscreen.

No test touches the user's real data, config or cache folders: they are
pointed into the test's own temporary folder.

The core tests that use a database (`database`, `set_up_clinic`, `demo_clinic`) run on both
engines: on a SQLite file and on a throwaway PostgreSQL server (tests/postgres_server.py).
A module or test about the file itself says `pytest.mark.sqlite_only`.
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
from tests import postgres_server
from tests.faults import FaultyCursor

ENGINES = ("sqlite", "postgresql")
DATABASE_FIXTURES = {"database", "demo_clinic"}
_server_missing: list[str] = []  # why the PostgreSQL part did not run, once


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself; not run on the clinic server"
    )
    config.addinivalue_line(
        "markers", "server_only: about the clinic server itself; run on PostgreSQL only"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Core tests on a database run once per engine (`engine` names it in the test's id)."""
    in_core = "tests/core/" in Path(str(metafunc.definition.path)).as_posix()
    on_database = DATABASE_FIXTURES & set(metafunc.fixturenames)
    if not (in_core and on_database) or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    server_only = metafunc.definition.get_closest_marker("server_only")
    metafunc.parametrize("engine", ENGINES[1:] if server_only else ENGINES, indirect=True)


def pytest_terminal_summary(terminalreporter) -> None:
    if _server_missing:
        terminalreporter.write_line(
            f"PostgreSQL part did NOT run: {_server_missing[0]} "
            f"(set {postgres_server.REQUIRED_VARIABLE}=required to make this a failure)",
            yellow=True,
        )


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine this test runs on ("sqlite" unless parametrized)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres(request: pytest.FixtureRequest):
    """The run's throwaway PostgreSQL server, started at its first use."""
    try:
        programs = postgres_server.server_programs()
    except postgres_server.ServerMissing as missing:
        if postgres_server.required():
            pytest.fail(str(missing), pytrace=False)
        _server_missing.append(str(missing))
        pytest.skip(str(missing))
    del programs
    with postgres_server.throwaway_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_template(postgres) -> str:
    """A server database holding the empty clinic's schema and reference data, to clone."""
    name = postgres.new_database()
    db.open_database(postgres.url(name))
    db.close_database()
    return name


@pytest.fixture(scope="session")
def postgres_demo_template(postgres) -> str:
    """The demo clinic on the server, built once per run, to clone."""
    from frontdesk.demo import build_demo_clinic

    name = postgres.new_database()
    db.open_database(postgres.url(name))
    try:
        build_demo_clinic(today=date.today())
    finally:
        db.close_database()
    return name


@pytest.fixture
def server_database(request: pytest.FixtureRequest, postgres):
    """Open a fresh server database cloned from the named template fixture; drop it after."""

    def clone(template_fixture: str):
        name = postgres.new_database(request.getfixturevalue(template_fixture))
        request.addfinalizer(lambda: postgres.drop(name))
        return db.open_database(postgres.url(name))

    return clone


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
def database(engine: str, db_path: Path, request: pytest.FixtureRequest):
    """The clinic's database, empty but for reference data, opened: a SQLite file at
    `db_path`, or a server database when the test runs on PostgreSQL."""
    if engine == "postgresql":
        opened = request.getfixturevalue("server_database")("postgres_template")
    else:
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
def demo_clinic(engine: str, db_path: Path, request: pytest.FixtureRequest):
    """A fresh copy of the demo clinic for this test, opened (on the engine of the test)."""
    if engine == "postgresql":
        opened = request.getfixturevalue("server_database")("postgres_demo_template")
    else:
        shutil.copyfile(request.getfixturevalue("demo_template"), db_path)
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
