"""Nothing lost, nothing silent: stale saves, two PCs saving at once, files gone or replaced,
storage faults, ids."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from frontdesk import db
from frontdesk.models import AuditEvent, Client, Visit
from frontdesk.services import clients, records, visits
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseGone,
    DatabaseReadOnly,
    DiskError,
    DiskFull,
    RecordMissing,
    ServerUnreachable,
    StorageError,
)
from tests.faults import DISK_FULL, sqlite_error
from tests.other_pc import OtherPC, stored, wait_for_other_saves

ANA = {
    "first_name": "Ana",
    "last_name": "Silva",
    "date_of_birth": "04/17/1980",
    "city": "Salem",
    "mobile_phone": "(503) 555-0123",
}


def _stored(client_id: int) -> dict[str, Any]:
    """The client's row as another program reading the database would see it."""
    return stored("client", client_id)


def _audit_count() -> int:
    return AuditEvent.select().count()


# --- two copies editing one client --------------------------------------------------------


def _save_in_another_copy(location: str, client_id: int, version: int, changes: dict) -> None:
    """Another Front Desk process on the same database saves the client."""
    script = textwrap.dedent(
        f"""
        from frontdesk import access, db
        from frontdesk.services import clients
        access.sign_in_as(access.Actor(None, "other copy", access.OWNER))
        db.open_database({location!r})
        clients.save_client({{**{ANA!r}, **{changes!r}}}, {client_id}, version={version})
        db.close_database()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_a_save_based_on_an_old_version_is_refused_and_the_newer_change_kept(database):
    client = clients.save_client(ANA)
    opened_version = client.version
    _save_in_another_copy(
        database.location, client.id, opened_version, {"mobile_phone": "503 555 0199"}
    )
    audit_before = _audit_count()

    with pytest.raises(RecordChanged) as refused:
        clients.save_client({**ANA, "city": "Portland"}, client.id, version=opened_version)

    row = _stored(client.id)
    assert (row["city"], row["mobile_phone"]) == ("Salem", "+15035550199")
    assert _audit_count() == audit_before
    opened = {**client.__data__}
    assert clients.changed_field_labels(opened, refused.value.current) == ["Mobile phone"]


def test_saving_with_no_change_writes_nothing_and_audits_nothing(database):
    client = clients.save_client(ANA)
    before = (_stored(client.id)["updated_at"], client.version, _audit_count())
    same = clients.save_client({**ANA, "city": " Salem "}, client.id, version=client.version)
    assert (_stored(client.id)["updated_at"], same.version, _audit_count()) == before


def test_each_save_raises_the_version_and_the_next_save_uses_it(database):
    client = clients.save_client(ANA)
    once = clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    twice = clients.save_client({**ANA, "city": "Eugene"}, client.id, version=once.version)
    assert (client.version, once.version, twice.version) == (1, 2, 3)
    assert _stored(client.id)["city"] == "Eugene"


def test_saving_a_client_deleted_elsewhere_says_it_no_longer_exists(database):
    client = clients.save_client(ANA)
    clients.delete_client(client.id)
    with pytest.raises(RecordMissing, match="no longer exists"):
        clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    assert Client.select().count() == 0


# --- the file gone or replaced -----------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_deleted_database_file_is_noticed_and_nothing_claims_to_be_saved(database, db_path):
    clients.save_client(ANA)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(DatabaseGone, match=r"clinic\.db was moved, deleted or replaced"):
        clients.save_client({**ANA, "first_name": "Bea"})


@pytest.mark.sqlite_only
def test_a_replaced_database_file_is_not_written_to(database, db_path, tmp_path):
    clients.save_client(ANA)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE note (text TEXT)")
    raw.close()
    shutil.move(other, db_path)
    with pytest.raises(DatabaseGone):
        clients.save_client({**ANA, "first_name": "Bea"})
    with sqlite3.connect(db_path) as raw:
        tables = [row[0] for row in raw.execute("SELECT name FROM sqlite_master")]
    raw.close()
    assert tables == ["note"]


# --- storage faults with SQLite's own error codes ----------------------------------------


FAULTS = [
    (sqlite3.OperationalError, "database or disk is full", 13, "SQLITE_FULL", DiskFull),
    (sqlite3.OperationalError, "database is locked", 5, "SQLITE_BUSY", DatabaseBusy),
    (sqlite3.OperationalError, "disk I/O error", 778, "SQLITE_IOERR_WRITE", DiskError),
    (
        sqlite3.OperationalError,
        "attempt to write a readonly database",
        8,
        "SQLITE_READONLY",
        DatabaseReadOnly,
    ),
    (
        sqlite3.DatabaseError,
        "database disk image is malformed",
        11,
        "SQLITE_CORRUPT",
        DatabaseDamaged,
    ),
]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("kind", "message", "code", "name", "expected"), FAULTS)
def test_storage_faults_become_one_clear_error_and_change_nothing(
    database, fail_writes, kind, message, code, name, expected
):
    client = clients.save_client(ANA)
    audit_before = _audit_count()
    fail_writes(sqlite_error(kind, message, code, name))
    with pytest.raises(expected) as raised:
        clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    assert isinstance(raised.value, StorageError)
    assert "clinic.db" in str(raised.value) and raised.value.remedy in str(raised.value)
    assert _stored(client.id)["city"] == "Salem"
    assert _audit_count() == audit_before


def test_a_database_locked_by_another_program_is_reported_as_locked(database):
    client = clients.save_client(ANA)
    wait_for_other_saves(0.05)
    holder = OtherPC()
    holder.begin_write()
    try:
        with pytest.raises(DatabaseBusy, match=r"locked by another program|Another PC is saving"):
            clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    finally:
        holder.rollback()
        holder.close()
    assert _stored(client.id)["city"] == "Salem"


def _server_drops(database) -> None:
    """The server ends this program's connection (a restart, the network gone)."""
    with OtherPC() as other:
        other.execute("SELECT pg_terminate_backend(?)", (database.connection().info.backend_pid,))


@pytest.mark.server_only
def test_a_connection_lost_in_the_middle_of_a_save_saves_nothing_and_the_next_reconnects(
    database, monkeypatch
):
    from frontdesk.services import audit

    client = clients.save_client(ANA)
    audit_before = _audit_count()
    record = audit.record

    def drop_then_record(*args, **kwargs):
        _server_drops(database)
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", drop_then_record)
    with pytest.raises(ServerUnreachable):
        clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    monkeypatch.setattr(audit, "record", record)
    assert _stored(client.id)["city"] == "Salem" and _audit_count() == audit_before
    saved = clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    assert saved.version == client.version + 1 and _stored(client.id)["city"] == "Bend"


@pytest.mark.server_only
def test_a_lost_connection_to_the_server_is_reported_and_the_next_save_reconnects(database):
    client = clients.save_client(ANA)
    audit_before = _audit_count()
    _server_drops(database)
    with pytest.raises(ServerUnreachable, match="could not be reached"):
        clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    assert _stored(client.id)["city"] == "Salem"
    saved = clients.save_client({**ANA, "city": "Bend"}, client.id, version=client.version)
    assert saved.version == client.version + 1 and _stored(client.id)["city"] == "Bend"
    assert _audit_count() == audit_before + 1


# --- two PCs saving at once ---------------------------------------------------------------

OTHER_PC_COMMITS_AFTER_S = 0.3  # well within the busy timeout


def _move_to_bend(other: OtherPC, client_id: int) -> None:
    other.execute(
        "UPDATE client SET city = 'Bend', version = version + 1 WHERE id = ?", (client_id,)
    )


def _while_another_pc_saves(client_id: int, action: Callable[[], Any]) -> Any:
    """Run `action` while another PC is saving the client; it commits a moment later."""
    other = OtherPC()
    other.begin_write()
    _move_to_bend(other, client_id)
    committing = threading.Timer(OTHER_PC_COMMITS_AFTER_S, other.commit)
    committing.start()
    try:
        return action()
    finally:
        committing.join()
        other.close()


def test_a_save_begun_while_another_pc_saves_waits_for_it_and_succeeds(database):
    ana = clients.save_client(ANA)
    bea = clients.save_client({**ANA, "first_name": "Bea"})
    changes = {**ANA, "city": "Portland"}
    saved = _while_another_pc_saves(
        bea.id, lambda: clients.save_client(changes, ana.id, version=ana.version)
    )
    assert saved.version == ana.version + 1
    assert (_stored(ana.id)["city"], _stored(bea.id)["city"]) == ("Portland", "Bend")


def test_a_visit_booked_while_another_pc_saves_waits_for_it_and_is_booked(set_up_clinic):
    therapist = set_up_clinic[1]
    ana = clients.save_client(ANA)
    bea = clients.save_client({**ANA, "first_name": "Bea"})
    starts_at = datetime(2026, 12, 1, 10)

    def book() -> visits.Booking:
        return visits.book_visit(ana.id, therapist.id, starts_at, 60, wellness_reason="Relaxation")

    booked = _while_another_pc_saves(bea.id, book)
    assert Visit.get_by_id(booked.visit.id).client_id == ana.id
    assert _stored(bea.id)["city"] == "Bend"


def test_a_save_holds_the_write_lock_from_its_first_read_so_another_pc_waits(database, monkeypatch):
    ana = clients.save_client(ANA)
    bea = clients.save_client({**ANA, "first_name": "Bea"})
    other = OtherPC()

    def another_pc_saves() -> None:
        other.begin_write()  # as Front Desk on another PC does
        _move_to_bend(other, bea.id)
        other.commit()

    other_pc = threading.Thread(target=another_pc_saves)
    other_pc_waited: list[bool] = []
    first_read = records.get_record

    def read_then_let_another_pc_save(*args: object) -> object:
        found = first_read(*args)
        if not other_pc_waited:  # between the save's first read and its first write
            other_pc.start()
            other_pc.join(OTHER_PC_COMMITS_AFTER_S)
            other_pc_waited.append(other_pc.is_alive())
        return found

    monkeypatch.setattr(records, "get_record", read_then_let_another_pc_save)
    try:
        clients.save_client({**ANA, "city": "Portland"}, ana.id, version=ana.version)
    finally:
        other_pc.join()
        other.close()
    assert other_pc_waited == [True]
    assert (_stored(ana.id)["city"], _stored(bea.id)["city"]) == ("Portland", "Bend")


def test_a_deferred_read_keeps_one_snapshot_and_does_not_hold_up_another_pc(database):
    ana = clients.save_client(ANA)
    with OtherPC(wait_s=0) as other, database.atomic(lock_type="DEFERRED"):
        assert clients.get_client(ana.id).city == "Salem"
        _move_to_bend(other, ana.id)  # no waiting
        assert clients.get_client(ana.id).city == "Salem"
    assert _stored(ana.id)["city"] == "Bend"


DISK_FULL_SCRIPT = """
import sys
from frontdesk import access, db
from frontdesk.services import clients
from frontdesk.storage_errors import DiskFull
access.sign_in_as(access.Actor(None, "disk filler", access.OWNER))
folder = sys.argv[1]
db.open_database(folder + "/clinic.db")
client = clients.save_client(
    {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980"}
)
with open(folder + "/filler", "wb", buffering=0) as filler:
    try:
        while True:
            filler.write(b"x" * 4096)
    except OSError:
        pass
try:
    for number in range(200):
        clients.save_client(
            {"first_name": "Bea", "last_name": "Silva", "date_of_birth": "04/17/1980",
             "notes": "n" * 3000},
            allow_duplicate=True,
        )
except DiskFull as error:
    print("refused:", error)
"""


def test_a_full_disk_is_reported_as_full_on_a_real_small_file_system(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    command = f'mount -t tmpfs -o size=4m tmpfs {mount} && "{sys.executable}" -c "$0" {mount}'
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", command, DISK_FULL_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "refused: The disk holding clinic.db is full. Free some space" in result.stdout
    assert "Traceback" not in result.stderr


def test_opening_a_database_on_a_full_disk_says_the_disk_is_full(tmp_path, fail_writes):
    fail_writes(DISK_FULL)
    with pytest.raises(db.DatabaseUnavailable, match=r"disk holding clinic\.db is full"):
        db.open_database(tmp_path / "clinic.db")


# --- ids, and copies of a live file --------------------------------------------------------


def test_the_id_of_a_deleted_newest_client_is_never_given_again(database):
    clients.save_client(ANA)
    newest = clients.save_client({**ANA, "first_name": "Bea"})
    clients.delete_client(newest.id)
    third = clients.save_client({**ANA, "first_name": "Cy"})
    assert third.id == newest.id + 1


@pytest.mark.sqlite_only
def test_a_plain_copy_of_the_file_between_saves_holds_every_save(database, db_path, tmp_path):
    client = clients.save_client(ANA)
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path, copy)  # the main file only: no -wal beside it
    with sqlite3.connect(copy) as raw:
        names = raw.execute("SELECT first_name FROM client WHERE id = ?", (client.id,)).fetchall()
    raw.close()
    assert names == [("Ana",)]


def _version_1_file(path: Path) -> None:
    schema = (Path(__file__).parent / "data" / "schema_v1.sql").read_text(encoding="utf-8")
    with sqlite3.connect(path) as raw:
        raw.executescript(schema)
        raw.execute(
            "INSERT INTO client (id, created_at, updated_at, address_line1, address_line2, city,"
            " state, zip_code, first_name, middle_name, last_name, preferred_name, date_of_birth,"
            " sex, mobile_phone, home_phone, email, preferred_contact, emergency_name,"
            " emergency_relation, emergency_phone, employer, occupation, health_conditions,"
            " health_notes, current_complaint, pain_areas, referral_source, notes, archived,"
            " search_key) VALUES (41, '2026-01-02 10:00:00', '2026-01-02 10:00:00', '', '',"
            " 'Salem', 'OR', '', 'Ana', '', 'Silva', '', '1980-04-17', '', '', '', '', '', '',"
            " '', '', '', '', '[]', '', '', '[]', '', '', 0, ' silva ana')"
        )
        raw.execute(
            "INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
            "VALUES ('2026-01-03 10:00:00', '', 'delete', 'client', 42, '')"
        )
        raw.execute("PRAGMA user_version = 1")
    raw.close()


def test_a_version_1_file_is_upgraded_keeping_its_clients_and_never_reusing_ids(db_path):
    _version_1_file(db_path)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION
        assert db.check_database(database) == []
        kept = Client.get_by_id(41)
        assert (kept.first_name, kept.city, kept.version) == ("Ana", "Salem", 1)
        newcomer = clients.save_client({**ANA, "first_name": "Bea"})
        assert newcomer.id == 43  # 42 was a client the audit trail saw deleted
        assert list(db_path.parent.glob("clinic.before-v2-*.db"))
    finally:
        db.close_database()
