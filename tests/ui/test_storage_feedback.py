"""What the screens say when a save cannot happen: changed elsewhere, storage faults, file gone."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from helpers import (
    add_client,
    answering,
    click_button,
    enter_text,
    find_input,
    open_edit_form,
    press,
    row_names,
    type_text,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import AuditEvent, Client
from frontdesk.services import clients
from frontdesk.storage_errors import DiskError
from tests.faults import DISK_FULL
from ui.errors import UNEXPECTED, show_unexpected


@pytest.fixture
def zelda(window) -> Client:
    return add_client(city="Salem", mobile_phone="(541) 867-4417")


def save_elsewhere(client: Client, **changes: str) -> None:
    """Another window or PC saves the client from the version it opened."""
    raw = {"first_name": client.first_name, "last_name": client.last_name}
    raw |= {"date_of_birth": "03/14/1975", "city": client.city, "mobile_phone": "541 867 4417"}
    clients.save_client({**raw, **changes}, client.id, version=client.version)


def summary_line(window) -> str:
    return window.clients_screen.intake_page.summary.text()


def test_a_save_over_a_newer_change_is_refused_and_the_typing_kept(qtbot, window, zelda):
    open_edit_form(qtbot, window, zelda)
    save_elsewhere(zelda, mobile_phone="503 555 0199")
    enter_text(qtbot, window, "City", "Portland")
    with answering(qtbot, "Keep editing", title="Changed elsewhere") as box:
        press(qtbot, Qt.Key.Key_Return)
    assert "Changed there: Mobile phone." in box.text
    assert find_input(window, "City").text() == "Portland"
    assert "Not saved: changed elsewhere (Mobile phone)" in summary_line(window)
    stored = Client.get_by_id(zelda.id)
    assert (stored.city, stored.mobile_phone) == ("Salem", "+15035550199")


def test_reloading_shows_the_newer_version(qtbot, window, zelda):
    open_edit_form(qtbot, window, zelda)
    save_elsewhere(zelda, mobile_phone="503 555 0199")
    enter_text(qtbot, window, "City", "Portland")
    with answering(qtbot, "Reload their version"):
        press(qtbot, Qt.Key.Key_Return)
    assert find_input(window, "Mobile phone").text() == "(503) 555-0199"
    assert find_input(window, "City").text() == "Salem"
    enter_text(qtbot, window, "City", "Portland")
    press(qtbot, Qt.Key.Key_Return)
    stored = Client.get_by_id(zelda.id)
    assert (stored.city, stored.mobile_phone) == ("Portland", "+15035550199")


def test_a_full_disk_is_said_beside_save_and_nothing_is_written(qtbot, window, zelda, fail_writes):
    open_edit_form(qtbot, window, zelda)
    audit_before = AuditEvent.select().count()
    enter_text(qtbot, window, "City", "Portland")
    fail_writes(DISK_FULL)
    press(qtbot, Qt.Key.Key_Return)
    assert summary_line(window) == (
        "Not saved: the disk holding clinic.db is full. "
        "Free some space on that disk, then try again."
    )
    assert find_input(window, "City").text() == "Portland"
    assert Client.get_by_id(zelda.id).city == "Salem"
    assert AuditEvent.select().count() == audit_before


def test_a_deleted_database_file_stops_saving_with_a_clear_message(
    qtbot, window, zelda, db_path: Path
):
    open_edit_form(qtbot, window, zelda)
    enter_text(qtbot, window, "City", "Portland")
    db_path.unlink()
    press(qtbot, Qt.Key.Key_Return)
    assert summary_line(window).startswith(
        "Not saved: the file clinic.db was moved, deleted or replaced after it was opened."
    )
    assert find_input(window, "City").text() == "Portland"


def test_a_client_deleted_elsewhere_cannot_be_archived_and_says_why(qtbot, window, zelda):
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Quil")
    qtbot.waitUntil(lambda: row_names(window) == ["Quillfeather, Zelda"])
    press(qtbot, Qt.Key.Key_Return)
    clients.delete_client(zelda.id)
    with answering(qtbot, "Yes"):
        click_button(qtbot, window, "Delete client")
    assert any(
        text.startswith("Not deleted: this client no longer exists")
        for text in visible_texts(window)
    )


def test_the_last_resort_handler_shows_a_calm_message_and_logs_no_details(qtbot, window, caplog):
    try:
        raise ValueError("Quillfeather, Zelda: 03/14/1975")
    except ValueError as error:
        with caplog.at_level(logging.ERROR), answering(qtbot, "OK") as box:
            show_unexpected(type(error), error, error.__traceback__)
    assert box.text == UNEXPECTED
    assert "ValueError" in caplog.text and "Quillfeather" not in caplog.text


def test_a_search_that_cannot_read_says_so_above_the_list(qtbot, window, zelda, monkeypatch):
    def unreadable(*_args, **_kwargs):
        raise DiskError("the file clinic.db could not be read or written (a disk error)")

    monkeypatch.setattr(clients, "search_clients", unreadable)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Quil")
    qtbot.waitUntil(lambda: find_input(window, "Problem").isVisible())
    assert find_input(window, "Problem").text() == (
        "Could not search: the file clinic.db could not be read or written (a disk error). "
        "Check the disk or drive (is it still connected?), then try again."
    )


def test_opening_a_client_deleted_elsewhere_goes_back_to_the_list_and_says_why(
    qtbot, window, zelda
):
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Quil")
    qtbot.waitUntil(lambda: not window.clients_screen.list_page.timer.isActive())
    assert row_names(window) == ["Quillfeather, Zelda"]
    clients.delete_client(zelda.id)
    press(qtbot, Qt.Key.Key_Return)
    problem = find_input(window, "Problem").text()
    assert problem.startswith("Could not open the client: this client no longer exists")
    assert find_input(window, "Find client").isVisible()
