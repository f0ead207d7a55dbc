"""Moving a clinic: the demo clinic copied from its file to a clinic server and back to a new
file, every table's count and checksum equal; a target that holds a clinic is refused, a
failed copy leaves nothing behind, and a changed row is found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frontdesk import cli, clinic_copy, db
from frontdesk.models import AuditEvent, Client, Visit
from frontdesk.services import audit, clients

PASSPHRASE = "harbor tide lantern 7"
ANA = {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo clinic's file, closed."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def empty_server(postgres, request: pytest.FixtureRequest) -> str:
    """The address of a new, empty server database (dropped after the test)."""
    name = postgres.new_database()
    request.addfinalizer(lambda: postgres.drop(name))
    return postgres.url(name)


def _copy(source: Path | str, target: Path | str) -> clinic_copy.CopyResult:
    """Open `source`, copy it into `target`, close it."""
    try:
        return clinic_copy.copy_clinic(db.open_database(source), target)
    finally:
        db.close_database()


def _sums(location: Path | str) -> list[clinic_copy.TableSum]:
    """Every table's count and checksum, read on a database opened as it is."""
    database = db.open_database(location, migrate=False)
    try:
        return [clinic_copy.table_sum(database, m) for m in clinic_copy.copied_models()]
    finally:
        db.close_database()


def _client_names(location: Path) -> set[str]:
    db.open_database(location)
    try:
        return {name for c in Client.select() for name in (c.first_name, c.last_name)}
    finally:
        db.close_database()


def _highest(model) -> int:
    return model.select(model.id).order_by(model.id.desc()).first().id


def test_the_demo_clinic_copies_to_the_server_and_back_with_every_sum_equal(
    demo_file, empty_server, tmp_path
):
    there = _copy(demo_file, empty_server)
    back = _copy(empty_server, tmp_path / "back.db")

    for result in (there, back):
        assert result.ok, [clinic_copy.describe(c) for c in result.tables if not c.equal]
        assert result.problems == ()
    assert [c.table for c in there.tables] == [
        m._meta.table_name for m in clinic_copy.copied_models()
    ]
    counts = {check.table: check.source.rows for check in there.tables}
    assert counts["client"] > 0 and counts["audit_event"] > 0 and counts["client_search_word"] > 0
    assert [c.target for c in there.tables] == [c.source for c in back.tables]
    assert _sums(demo_file) == _sums(tmp_path / "back.db")
    assert there.plain_file is False and back.plain_file is True


def test_an_encrypted_clinic_copies_to_a_plain_file(demo_file, tmp_path):
    encrypted, plain = tmp_path / "encrypted.db", tmp_path / "plain.db"
    db.copy_database(demo_file, None, encrypted, PASSPHRASE)
    source = db.open_database(encrypted, passphrase=PASSPHRASE)
    try:
        result = clinic_copy.copy_clinic(source, plain)
    finally:
        db.close_database()

    assert result.ok and result.plain_file
    assert db.is_encrypted(encrypted) and not db.is_encrypted(plain)
    assert _sums(plain) == _sums(demo_file)


@pytest.fixture
def demo_on_server(demo_file, empty_server) -> str:
    """The demo clinic copied onto an empty server database; its address."""
    assert _copy(demo_file, empty_server).ok
    return empty_server


def test_the_copy_on_the_server_opens_checks_and_hands_out_new_ids(demo_on_server):
    database = db.open_database(demo_on_server)
    try:
        assert db.check_database(database) == []
        last_client, last_event = _highest(Client), _highest(AuditEvent)
        events = AuditEvent.select().count()

        added = clients.save_client(ANA)

        assert added.id > last_client
        assert _highest(AuditEvent) > last_event
        assert AuditEvent.select().count() == events + 1
        assert audit.verify_chain().intact
        assert db.check_database(database) == []
    finally:
        db.close_database()


def test_a_server_database_holding_a_clinic_is_refused_and_left_as_it_was(
    demo_file, demo_on_server
):
    before = _sums(demo_on_server)

    with pytest.raises(clinic_copy.CopyRefused, match="already holds a clinic"):
        _copy(demo_file, demo_on_server)

    assert _sums(demo_on_server) == before


def test_a_file_holding_a_clinic_is_refused_and_left_as_it_was(demo_file, tmp_path):
    other = tmp_path / "other.db"
    shutil.copyfile(demo_file, other)
    before = other.read_bytes()

    with pytest.raises(clinic_copy.CopyRefused, match="already holds a clinic"):
        _copy(demo_file, other)

    assert other.read_bytes() == before


def _fail_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the copy fail after every row was written, before it commits."""

    def fail(*_args) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(clinic_copy, "_raise_sequence", fail)


def test_a_failed_copy_leaves_no_new_file(demo_file, tmp_path, monkeypatch):
    _fail_at_the_end(monkeypatch)
    target = tmp_path / "back.db"

    with pytest.raises(RuntimeError, match="went away"):
        _copy(demo_file, target)

    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("back")) == []


def test_a_failed_copy_leaves_the_server_database_empty(demo_file, empty_server, monkeypatch):
    _fail_at_the_end(monkeypatch)

    with pytest.raises(RuntimeError, match="went away"):
        _copy(demo_file, empty_server)

    database = db.open_database(empty_server, migrate=False)
    try:
        assert database.get_tables() == []
        assert database.schema_version() == 0
    finally:
        db.close_database()


def test_a_row_changed_on_the_target_is_found(demo_file, demo_on_server):
    source = db.ClinicDatabase(demo_file)
    target = db.open_database(demo_on_server)
    try:
        first = Visit.select().order_by(Visit.id).first()
        Visit.update(minutes=first.minutes + 1).where(Visit.id == first.id).execute()

        checks = clinic_copy.verify(source, target)
    finally:
        source.close()
        db.close_database()

    assert [c.table for c in checks if not c.equal] == ["visit"]
    (visit,) = [c for c in checks if c.table == "visit"]
    assert visit.source.rows == visit.target.rows
    assert visit.source.checksum != visit.target.checksum
    assert "DIFFERENT on the target" in clinic_copy.describe(visit)


def test_the_command_copies_both_ways_and_refuses_a_second_copy(
    demo_file, empty_server, tmp_path, capsys
):
    back = tmp_path / "back.db"
    names = _client_names(demo_file)

    assert cli.main(["--db", str(demo_file), "copy-to", empty_server]) == 0
    there = capsys.readouterr()
    assert cli.main(["--db", empty_server, "copy-to", str(back)]) == 0
    home = capsys.readouterr()
    assert cli.main(["--db", str(demo_file), "copy-to", empty_server]) == 1
    refused = capsys.readouterr()

    lines = there.out.splitlines()
    assert len(lines) == len(clinic_copy.copied_models()) + 1
    assert any(line.startswith("client: ") and " rows, checksum " in line for line in lines)
    assert lines[-1].startswith(f"{demo_file} -> {empty_server}: ")
    assert lines[-1].endswith("every count and checksum equal")
    assert there.err == ""
    assert "every count and checksum equal" in home.out
    assert f"{back} is a plain file" in home.out
    assert refused.out == ""
    assert refused.err.startswith("Not copied: ") and "already holds a clinic" in refused.err
    printed = there.out + there.err + home.out + home.err + refused.err
    assert names and not any(name in printed for name in names)
