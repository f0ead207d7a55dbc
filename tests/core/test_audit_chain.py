"""The tamper-evident audit trail: each event chained to the one before; `check` names the
first event changed or the event after one removed; the Audit page's list and filters."""

from __future__ import annotations

import getpass
from datetime import date, datetime

import pytest

from frontdesk import access, cli, db
from frontdesk.models import AuditEvent, database_proxy
from frontdesk.services import audit
from tests.concurrency import at_once
from tests.other_pc import OtherPC


def _events(count: int) -> list[int]:
    """Record `count` events on clients 1..count; their ids."""
    for number in range(1, count + 1):
        audit.record("update", "client", number, actor="desk", detail="fields: phone")
    return [e.id for e in AuditEvent.select().order_by(AuditEvent.id)]


def _tamper(sql: str, *params) -> None:
    """Change the database behind Front Desk's back, as anyone with the sqlite3 module (or a
    login to the clinic server) could."""
    with OtherPC() as other:
        other.execute(sql, params)


def _check(path, capsys) -> tuple[int, str]:
    code = cli.main(["--db", str(path), "check"])
    db.close_database()
    return code, capsys.readouterr().out


@pytest.fixture
def trail(database) -> list[int]:
    """Eight events in a closed database; their ids."""
    ids = _events(8)
    db.close_database()
    return ids


def test_each_event_is_chained_to_the_one_before(database):
    _events(3)
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    previous = None
    for event in events:
        fields = (event.id, event.at, event.actor, event.action, event.entity,
                  event.entity_id, event.detail)  # fmt: skip
        assert event.chain_hash == audit.chain_hash(previous, fields)
        previous = event.chain_hash
    assert len(set(e.chain_hash for e in events)) == 3
    assert audit.verify_chain() == audit.ChainCheck(events=3)


def test_the_encoding_cannot_be_shifted_between_fields(database):
    at = datetime(2026, 11, 27, 9, 30)
    one = audit.chain_hash(None, (1, at, "desk", "update", "client", 1, "ab"))
    other = audit.chain_hash(None, (1, at, "desk", "update", "clienta", 1, "b"))
    blank = audit.chain_hash(None, (1, at, "desk", "update", "client", None, "ab"))
    assert len({one, other, blank}) == 3


def test_the_actor_is_the_login_signed_in_else_the_pc_user(database, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "frontdesk1")
    audit.record("print", "receipt", 4)
    assert AuditEvent.get().actor == "test owner"  # the login signed in
    with access.acting_as(None):  # a clinic's first set-up, before any login exists
        audit.record("print", "receipt", 5)
    assert AuditEvent.get(AuditEvent.entity_id == 5).actor == "frontdesk1"

    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert audit.pc_user() == "unknown"


def test_an_event_rolled_back_leaves_the_chain_whole(database):
    _events(2)
    with pytest.raises(RuntimeError), database_proxy.atomic():
        audit.record("delete", "client", 9, actor="desk")
        raise RuntimeError("the save failed")
    _events(1)
    assert AuditEvent.select().count() == 3  # (a server's sequence skips the id rolled back)
    assert audit.verify_chain().intact


def test_two_pcs_writing_at_once_never_chain_onto_the_same_event(database):
    def write() -> None:
        for number in range(15):
            audit.record("update", "visit", number, actor="room")

    at_once(write)
    assert audit.verify_chain() == audit.ChainCheck(events=30)


def test_check_names_the_event_changed_with_the_sqlite3_module(database, trail, capsys):
    assert _check(database.location, capsys)[0] == 0
    _tamper("UPDATE audit_event SET detail = 'fields: email' WHERE id = ?", trail[4])
    code, out = _check(database.location, capsys)
    assert code == 1
    assert f"PROBLEM: audit trail: event #{trail[4]} is not as it was recorded" in out


def test_check_names_the_event_after_one_deleted(database, trail, capsys):
    _tamper("DELETE FROM audit_event WHERE id = ?", trail[3])
    code, out = _check(database.location, capsys)
    assert code == 1
    assert f"audit trail: an event before #{trail[4]} is missing" in out


def test_check_sees_the_newest_events_deleted(database, trail, capsys):
    _tamper("DELETE FROM audit_event WHERE id >= ?", trail[6])
    code, out = _check(database.location, capsys)
    assert code == 1
    assert f"the newest events, after #{trail[5]}, are missing" in out


def test_a_hash_rewritten_to_match_breaks_the_next_event(database, trail):
    db.open_database(database.location)
    event = AuditEvent.get_by_id(trail[2])
    fields = (event.id, event.at, "owner", event.action, event.entity, event.entity_id,
              event.detail)  # fmt: skip
    forged = audit.chain_hash(AuditEvent.get_by_id(trail[1]).chain_hash, fields)
    db.close_database()
    _tamper("UPDATE audit_event SET actor = 'owner', chain_hash = ? WHERE id = ?",
            forged, trail[2])  # fmt: skip
    db.open_database(database.location)
    try:
        check = audit.verify_chain()
    finally:
        db.close_database()
    assert (check.broken_id, check.reason, check.events) == (trail[3], audit.CHANGED, 3)
    assert check.summary() == (
        f"The audit trail was changed: event #{trail[3]} is not as it was recorded."
    )


def test_the_list_filters_by_dates_kind_and_record_newest_first(database):
    rows = [
        (datetime(2026, 11, 1, 9), "client", 7),
        (datetime(2026, 11, 2, 23, 59), "client", 8),
        (datetime(2026, 11, 3, 0, 0), "visit", 7),
        (datetime(2026, 11, 5, 12), "client", 7),
    ]
    for at, entity, entity_id in rows:
        audit.record("update", entity, entity_id, actor="desk")
        AuditEvent.update(at=at).where(AuditEvent.id == AuditEvent.select().count()).execute()
    ids = lambda **filters: [e.id for e in audit.list_events(**filters)]  # noqa: E731
    assert ids() == [4, 3, 2, 1]
    assert ids(start=date(2026, 11, 2), end=date(2026, 11, 3)) == [3, 2]
    assert ids(kind="client") == [4, 2, 1]
    assert ids(kind="client", record_id=7) == [4, 1]
    assert ids(record_id=7, end=date(2026, 11, 4)) == [3, 1]
    assert ids(limit=2) == [4, 3]
    assert audit.entity_kinds() == ["client", "visit"]
