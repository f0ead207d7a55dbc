"""Schema 6: the audit trail is chained by hash (events kept from before are chained in
order, same ids); the clinic profile may hold a logo, none until one is added."""

from __future__ import annotations

import sqlite3

from frontdesk import db
from frontdesk.models import AuditEvent, ClinicProfile
from frontdesk.services import audit
from tests.core.test_schema_v4 import _insert, _version_3_file

OLD_EVENTS = (
    (3, "2026-01-02 10:00:00", "desk", "create", "client", 7, ""),
    (4, "2026-01-02 10:05:00", "desk", "update", "client", 7, "fields: email"),
    (6, "2026-01-03 08:00:00", "", "backup", "database", None, "client=1"),  # 5 was never kept
)


def _older_file_with_events(db_path) -> None:
    _version_3_file(db_path)
    with sqlite3.connect(db_path) as raw:
        _insert(raw, "clinic_profile", id=1, name="Harbor Medical Massage")
        for event_id, at, actor, action, entity, entity_id, detail in OLD_EVENTS:
            _insert(raw, "audit_event", id=event_id, at=at, actor=actor, action=action,
                    entity=entity, entity_id=entity_id, detail=detail)  # fmt: skip
    raw.close()


def test_an_older_file_has_its_events_chained_in_order_and_no_logo(db_path):
    _older_file_with_events(db_path)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION >= 6
        assert db.check_database(database) == []
        kept = [
            (e.id, str(e.at), e.actor, e.action, e.entity, e.entity_id, e.detail)
            for e in AuditEvent.select().order_by(AuditEvent.id)
        ]
        assert kept == list(OLD_EVENTS)
        hashes = [e.chain_hash for e in AuditEvent.select().order_by(AuditEvent.id)]
        assert hashes[0] == audit.chain_hash(None, OLD_EVENTS[0])
        assert hashes[2] == audit.chain_hash(hashes[1], OLD_EVENTS[2])
        assert audit.verify_chain() == audit.ChainCheck(events=3)
        assert ClinicProfile.get_by_id(1).logo is None
    finally:
        db.close_database()


def test_events_after_the_upgrade_chain_onto_the_old_ones(db_path):
    _older_file_with_events(db_path)
    db.open_database(db_path)
    try:
        audit.record("update", "client", 7, actor="desk", detail="fields: phone")
        newest = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
        assert newest.id == 7
        assert audit.verify_chain().summary() == (
            "The audit trail is intact: 4 events, each linked to the one before."
        )
    finally:
        db.close_database()


def test_a_new_database_has_the_logo_column_empty(set_up_clinic):
    profile = ClinicProfile.get()
    assert profile.logo is None
    profile.logo = "iVBORw0KGgo="
    profile.save()
    assert ClinicProfile.get().logo == "iVBORw0KGgo="
