"""Enter presses the focused button but never destroys; Ctrl+Q quits; notes checked on leaving."""

from __future__ import annotations

from helpers import (
    add_client,
    answering_with_key,
    field_error,
    find_button,
    find_input,
    focused_name,
    paste,
    press,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import Client

CTRL = Qt.KeyboardModifier.ControlModifier


def focus_button(window, text: str) -> None:
    find_button(window, text).setFocus(Qt.FocusReason.TabFocusReason)


def test_enter_presses_the_focused_button_on_the_summary(qtbot, window):
    client = add_client()
    window.clients_screen.open_client(client.id)
    press(qtbot, Qt.Key.Key_Return)  # the cursor starts on Edit client
    assert focused_name() == "First name"
    assert find_input(window, "First name").text() == "Zelda"

    press(qtbot, Qt.Key.Key_Escape)  # nothing changed: back to the summary
    focus_button(window, "Back to list")
    press(qtbot, Qt.Key.Key_Return)
    assert focused_name() == "Find client"


def test_enter_on_new_client_in_the_list_opens_the_intake_form(qtbot, window):
    focus_button(window, "New client")
    press(qtbot, Qt.Key.Key_Return)
    assert focused_name() == "First name"


def test_enter_on_delete_asks_and_enter_again_keeps_the_client(qtbot, window):
    client = add_client()
    window.clients_screen.open_client(client.id)
    focus_button(window, "Delete client")
    with answering_with_key(qtbot, Qt.Key.Key_Return, title="Delete client") as box:
        press(qtbot, Qt.Key.Key_Return)
    assert "for good?" in box.text
    assert Client.get_or_none(Client.id == client.id) is not None
    assert client.display_name in visible_texts(window)


def test_ctrl_q_quits(qtbot, window):
    press(qtbot, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()


def test_a_note_is_checked_when_the_cursor_leaves_it(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    page = window.clients_screen.intake_page
    page.scroll.ensureWidgetVisible(find_input(window, "Current complaint"))
    paste(qtbot, window, "Current complaint", "x" * 2001)
    assert "is too long (2001 characters)" in field_error(window, "Current complaint")
    paste(qtbot, window, "Current complaint", "Low back pain after lifting")
    assert field_error(window, "Current complaint") == ""
