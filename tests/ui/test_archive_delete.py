"""Archiving clients with history, deleting clients without: always after a confirmation."""

from __future__ import annotations

from helpers import (
    add_client,
    answering,
    click,
    click_button,
    demo_client,
    find_button,
    find_input,
    focused_name,
    press,
    row_names,
    type_text,
    typed_name,
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
    archived = demo_client(archived=True)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, typed_name(archived))
    qtbot.waitUntil(
        lambda: any(t.startswith("No active client matches") for t in visible_texts(demo_window))
    )
    assert row_names(demo_window) == []

    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == [f"{archived.display_name} (archived)"]
    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == []


def test_archive_from_the_summary_after_confirming(qtbot, demo_window):
    adams = demo_client(condition="blood_clots")
    name = adams.display_name
    open_client(qtbot, demo_window, typed_name(adams), name)
    assert "Delete client" not in visible_buttons(demo_window)  # has visits: archive only

    with answering(qtbot, "No", title="Archive client") as box:
        click_button(qtbot, demo_window, "Archive client")
    assert f"Archive {name}?" in box.text
    assert Client.get_by_id(adams.id).archived is False

    with answering(qtbot, "Yes", title="Archive client"):
        click_button(qtbot, demo_window, "Archive client")
    assert Client.get_by_id(adams.id).archived is True
    assert AuditEvent.get(action="archive", entity="client").entity_id == adams.id
    assert f"{name} (archived)" in visible_texts(demo_window)
    assert "Restore client" in visible_buttons(demo_window)

    click_button(qtbot, demo_window, "Back to list")
    assert row_names(demo_window) == []  # the same search again, without the archived
    click_button(qtbot, demo_window, "Show archived")
    assert row_names(demo_window) == [f"{name} (archived)"]


def test_restore_brings_an_archived_client_back(qtbot, demo_window):
    click_button(qtbot, demo_window, "Show archived")
    archived = demo_client(archived=True)
    open_client(qtbot, demo_window, typed_name(archived), f"{archived.display_name} (archived)")
    click_button(qtbot, demo_window, "Restore client")  # no question: nothing is lost
    assert Client.get_by_id(archived.id).archived is False
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
    someone = demo_client(healthy=True)
    open_client(qtbot, demo_window, typed_name(someone), someone.display_name)
    assert "Delete client" not in visible_buttons(demo_window)
    assert {"Edit client", "Archive client", "Back to list"} <= set(visible_buttons(demo_window))
