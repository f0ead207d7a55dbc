"""Editing a registered client from their summary."""

from __future__ import annotations

import pytest
from helpers import (
    add_client,
    answering,
    click_button,
    enter_text,
    field_error,
    find_input,
    form_rows,
    group_box,
    open_edit_form,
    press,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import AuditEvent, Client


@pytest.fixture
def zelda(window) -> Client:
    return add_client(mobile_phone="(541) 867-4417", email="zelda@example.com")


def test_form_opens_with_the_stored_values_as_typed(qtbot, window, zelda):
    open_edit_form(qtbot, window, zelda)
    assert find_input(window, "First name").text() == "Zelda"
    assert find_input(window, "Date of birth").text() == "03/14/1975"
    assert find_input(window, "Mobile phone").text() == "(541) 867-4417"
    assert find_input(window, "Email").text() == "zelda@example.com"


def test_changed_phone_is_saved_and_shown(qtbot, window, zelda):
    open_edit_form(qtbot, window, zelda)
    enter_text(qtbot, window, "Mobile phone", "503 555 0199")
    press(qtbot, Qt.Key.Key_Return)

    assert Client.get_by_id(zelda.id).mobile_phone == "+15035550199"
    assert AuditEvent.get(action="update", entity="client").entity_id == zelda.id
    assert form_rows(group_box(window, "Contact"))["Mobile phone"] == "(503) 555-0199"
    assert "Quillfeather, Zelda" in visible_texts(window)


def test_failed_save_of_an_edit_changes_nothing(qtbot, window, zelda):
    before = Client.get_by_id(zelda.id).__data__
    open_edit_form(qtbot, window, zelda)
    enter_text(qtbot, window, "Mobile phone", "503 555 0199")
    enter_text(qtbot, window, "Email", "zelda@")
    press(qtbot, Qt.Key.Key_Return)
    assert "Not saved: check Email." in visible_texts(window)
    assert field_error(window, "Email")

    with answering(qtbot, "Discard changes", title="Unsaved changes"):
        click_button(qtbot, window, "Cancel")
    assert Client.get_by_id(zelda.id).__data__ == before
    assert (
        not AuditEvent.select()
        .where(AuditEvent.entity == "client", AuditEvent.action == "update")
        .exists()
    )
    # Back on the unchanged summary.
    assert form_rows(group_box(window, "Contact"))["Mobile phone"] == "(541) 867-4417"
