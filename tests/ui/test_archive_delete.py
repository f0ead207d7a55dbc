"""Archiving clients with history, deleting clients without: always after a confirmation."""

from __future__ import annotations

from helpers import (
    add_client,
    answering,
    click,
    click_button,
    find_button,
    find_input,
    focused_name,
    press,
    row_names,
    type_text,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import AuditEvent, Client


def open_client(qtbot, window, typed: str, name: str) -> None:
    """Ctrl+F, type, wait for `name` to lead the list, Enter."""
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, typed)
    qtbot.waitUntil(lambda: row_names(window)[:1] == [name])
    press(qtbot, Qt.Key.Key_Return)
    assert name in visible_texts(window)


def test_archived_clients_are_listed_only_with_show_archived(qtbot, demo_window):
    names = row_names(demo_window)
    assert len(names) == 39 and not any("(archived)" in name for name in names)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Garcia")
    qtbot.waitUntil(
        lambda: any(t.startswith("No client matches") for t in visible_texts(demo_window))
    )
    assert row_names(demo_window) == []

    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == ["Garcia, Maria (archived)"]
    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == []


def test_archive_from_the_summary_after_confirming(qtbot, demo_window):
    adams = Client.get(last_name="Adams")
    open_client(qtbot, demo_window, "Adams", "Adams, Richard")
    assert "Delete client" not in visible_buttons(demo_window)  # has visits: archive only

    with answering(qtbot, "No", title="Archive client") as box:
        click_button(qtbot, demo_window, "Archive client")
    assert "Archive Adams, Richard?" in box.text
    assert Client.get_by_id(adams.id).archived is False

    with answering(qtbot, "Yes", title="Archive client"):
        click_button(qtbot, demo_window, "Archive client")
    assert Client.get_by_id(adams.id).archived is True
    assert AuditEvent.get(action="archive", entity="client").entity_id == adams.id
    assert "Adams, Richard (archived)" in visible_texts(demo_window)
    assert "Restore client" in visible_buttons(demo_window)

    click_button(qtbot, demo_window, "Back to list")
    assert row_names(demo_window) == []  # the search "Adams" again, without the archived
    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == ["Adams, Richard (archived)"]


def test_restore_brings_an_archived_client_back(qtbot, demo_window):
    click_button(qtbot, demo_window, "Show archived")
    open_client(qtbot, demo_window, "Garcia", "Garcia, Maria (archived)")
    click_button(qtbot, demo_window, "Restore client")  # no question: nothing is lost
    assert Client.get(last_name="Garcia").archived is False
    assert "Archive client" in visible_buttons(demo_window)


def test_client_without_history_is_deleted_after_confirming(qtbot, window):
    zelda = add_client()
    open_client(qtbot, window, "Quil", "Quillfeather, Zelda")
    assert "Archive client" not in visible_buttons(window)  # nothing to keep

    with answering(qtbot, "No", title="Delete client"):
        click_button(qtbot, window, "Delete client")
    assert Client.select().count() == 1

    with answering(qtbot, "Yes", title="Delete client") as box:
        click(qtbot, find_button(window, "Delete client"))
    assert "Delete Quillfeather, Zelda for good?" in box.text
    assert not Client.select().where(Client.id == zelda.id).exists()
    assert AuditEvent.get(action="delete").entity_id == zelda.id
    assert find_input(window, "Find client").isVisible()
    qtbot.waitUntil(lambda: focused_name() == "Find client")  # once the box has closed
    assert row_names(window) == []
    assert not window.header.isVisible()


def test_client_with_history_has_no_delete_button(qtbot, demo_window):
    open_client(qtbot, demo_window, "Nakamura", "Nakamura, Michelle")
    assert "Delete client" not in visible_buttons(demo_window)
    assert {"Edit client", "Archive client", "Back to list"} <= set(visible_buttons(demo_window))
