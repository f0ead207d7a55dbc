"""Leaving the intake form with changes typed in asks first: save, discard or stay."""

from __future__ import annotations

import pytest
from helpers import (
    add_client,
    answering,
    click,
    click_button,
    enter_text,
    fill,
    fill_form,
    find_button,
    find_input,
    focused_name,
    press,
    row_names,
    type_text,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk import catalog
from frontdesk.models import Client

CTRL = Qt.KeyboardModifier.ControlModifier


def press_escape(qtbot, window) -> None:
    press(qtbot, Qt.Key.Key_Escape)


def click_cancel(qtbot, window) -> None:
    click_button(qtbot, window, "Cancel")


def press_ctrl_f(qtbot, window) -> None:
    press(qtbot, Qt.Key.Key_F, CTRL)


WAYS_OUT = [press_escape, click_cancel, press_ctrl_f]


def start_typing(qtbot, window) -> None:
    press(qtbot, Qt.Key.Key_N, CTRL)
    enter_text(qtbot, window, "First name", "Zelda")


def on_form(window) -> bool:
    return "New client" in visible_texts(window)


@pytest.mark.parametrize("leave", WAYS_OUT)
def test_cancel_keeps_the_form_and_the_text(qtbot, window, leave):
    start_typing(qtbot, window)
    with answering(qtbot, "Keep editing", title="Unsaved changes") as box:
        leave(qtbot, window)
    assert box.text == "This client has changes that are not saved."
    assert on_form(window)
    assert find_input(window, "First name").text() == "Zelda"
    assert Client.select().count() == 0


@pytest.mark.parametrize("leave", WAYS_OUT)
def test_discard_leaves_and_saves_nothing(qtbot, window, leave):
    start_typing(qtbot, window)
    with answering(qtbot, "Discard changes", title="Unsaved changes"):
        leave(qtbot, window)
    assert not on_form(window)
    assert find_input(window, "Find client").isVisible()
    assert Client.select().count() == 0


@pytest.mark.parametrize("leave", WAYS_OUT)
def test_save_saves_then_leaves(qtbot, window, leave):
    start_typing(qtbot, window)
    fill_form(qtbot, window, {"Last name": "Quillfeather", "Date of birth": "03/14/1975"})
    with answering(qtbot, "Save", title="Unsaved changes"):
        leave(qtbot, window)
    assert Client.get().display_name == "Quillfeather, Zelda"
    assert not on_form(window)


def test_save_with_bad_input_stays_on_the_form(qtbot, window):
    start_typing(qtbot, window)
    with answering(qtbot, "Save", title="Unsaved changes"):
        press(qtbot, Qt.Key.Key_Escape)
    assert on_form(window)
    assert "Not saved: check" in " ".join(visible_texts(window))
    assert Client.select().count() == 0


def test_untouched_form_is_left_without_a_question(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    press(qtbot, Qt.Key.Key_Escape)  # a stray box would fail the test
    assert focused_name() == "Find client"
    assert row_names(window) == []


def test_typing_a_letter_and_deleting_it_is_no_change(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(qtbot, "Z")
    press(qtbot, Qt.Key.Key_Backspace)
    press(qtbot, Qt.Key.Key_Escape)  # a stray box would fail the test
    assert focused_name() == "Find client"


def test_ticking_a_box_and_unticking_it_is_no_change(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    box = find_button(window, catalog.health_conditions()[0].label)
    click(qtbot, box)
    click(qtbot, box)
    press(qtbot, Qt.Key.Key_Escape)
    assert focused_name() == "Find client"


def test_an_edit_put_back_as_it_was_is_no_change(qtbot, window):
    add_client(mobile_phone="(541) 867-4417")
    press(qtbot, Qt.Key.Key_F, CTRL)
    type_text(qtbot, "Quil")
    qtbot.waitUntil(lambda: row_names(window) == ["Quillfeather, Zelda"])
    press(qtbot, Qt.Key.Key_Return)
    click_button(qtbot, window, "Edit client")
    fill(qtbot, window, "Mobile phone", "541 867 4417")  # shown again as (541) 867-4417
    enter_text(qtbot, window, "Last name", "Quillfeathers")
    press(qtbot, Qt.Key.Key_Backspace)
    press(qtbot, Qt.Key.Key_Escape)
    assert "Edit client: Quillfeather, Zelda" not in visible_texts(window)
    assert find_button(window, "Edit client").isVisible()
