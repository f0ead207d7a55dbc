"""Leaving the intake form with changes typed in asks first: save, discard or stay."""

from __future__ import annotations

import pytest
from helpers import (
    answering,
    click_button,
    enter_text,
    fill_form,
    find_input,
    focused_name,
    press,
    row_names,
    visible_texts,
)
from PySide6.QtCore import Qt

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
