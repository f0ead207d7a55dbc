"""Settings ▸ Audit: whether the trail is intact, and its events filtered by date, kind and
record."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from helpers import add_client, field_error, fill, find_input, press, table_rows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk import formatting
from frontdesk.models import AuditEvent
from frontdesk.services import audit
from frontdesk.storage_errors import DatabaseBusy

CTRL = Qt.KeyboardModifier.ControlModifier


def open_audit(qtbot, window):
    """Settings (Ctrl+6), its Audit tab, once the chain has been checked."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_6, CTRL)
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.audit)
    section = screen.audit
    qtbot.waitUntil(lambda: not section.checking)
    return section


@pytest.fixture
def section(qtbot, demo_window):
    return open_audit(qtbot, demo_window)


def choose_kind(section, kind: str) -> None:
    combo = find_input(section, "Kind")
    combo.setCurrentIndex(combo.findText(kind))


def chain_line(section) -> tuple[str, str]:
    line = find_input(section, "Audit trail")
    return line.text(), line.property("role")


def test_the_page_says_the_trail_is_intact(section):
    count = AuditEvent.select().count()
    assert chain_line(section) == (
        f"The audit trail is intact: {count} events, each linked to the one before.",
        "ok",
    )
    rows = table_rows(section, "Audit events")
    assert len(rows) == min(count, audit.LIST_LIMIT)
    assert list(rows[0]) == ["When", "Who", "Action", "Kind", "Record", "Detail"]


def test_the_filters_change_what_the_table_shows(qtbot, section):
    choose_kind(section, "payment")
    assert {row["Kind"] for row in table_rows(section, "Audit events")} == {"payment"}
    fill(qtbot, section, "Record id", "3")
    rows = table_rows(section, "Audit events")
    expected = AuditEvent.select().where(
        (AuditEvent.entity == "payment") & (AuditEvent.entity_id == 3)
    )
    assert rows
    assert [(r["Kind"], r["Record"]) for r in rows] == [("payment", "3")] * expected.count()
    tomorrow = formatting.us_date(date.today() + timedelta(days=1))
    fill(qtbot, section, "From", tomorrow)
    assert table_rows(section, "Audit events") == []
    assert find_input(section, "Events shown").text() == "No events match."
    fill(qtbot, section, "From", "")
    fill(qtbot, section, "To", formatting.us_date(date.today()))
    assert len(table_rows(section, "Audit events")) == len(rows)


def test_bad_filters_are_shown_beside_the_field_and_leave_the_table(qtbot, section):
    choose_kind(section, "client")
    before = table_rows(section, "Audit events")
    fill(qtbot, section, "From", "13/45/2026")
    assert "is not a real date" in field_error(section, "From")
    assert table_rows(section, "Audit events") == before
    fill(qtbot, section, "From", "")
    fill(qtbot, section, "Record id", "twelve")
    assert field_error(section, "Record id").startswith("type a whole number")
    assert table_rows(section, "Audit events") == before
    fill(qtbot, section, "Record id", "")
    fill(qtbot, section, "From", "02/01/2026")
    fill(qtbot, section, "To", "01/01/2026")
    assert field_error(section, "To").startswith("this is before the From date (02/01/2026)")
    assert table_rows(section, "Audit events") == before
    fill(qtbot, section, "To", "")
    assert field_error(section, "To") == ""


def test_an_event_changed_outside_front_desk_turns_the_line_red(qtbot, window, db_path):
    add_client()
    changed = AuditEvent.select().order_by(AuditEvent.id.desc()).get().id
    add_client(first_name="Yusuf", last_name="Brightwater")
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE audit_event SET actor = 'someone' WHERE id = ?", (changed,))
    raw.close()
    section = open_audit(qtbot, window)
    assert chain_line(section) == (
        f"The audit trail was changed: event #{changed} is not as it was recorded.",
        "contraindication",
    )


def test_a_storage_error_is_shown_beside_the_list(qtbot, window, monkeypatch):
    section = open_audit(qtbot, window)
    before = table_rows(section, "Audit events")

    def busy(*_args, **_kwargs):
        raise DatabaseBusy("the file clinic.db is locked by another program or another copy")

    monkeypatch.setattr(audit, "list_events", busy)
    fill(qtbot, section, "Record id", "1")
    assert (
        find_input(section, "Message").text().startswith("Not shown: the file clinic.db is locked")
    )
    assert table_rows(section, "Audit events") == before
