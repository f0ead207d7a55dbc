"""Enter and Esc on the intake form and the summary; the failed-save line follows the fixes."""

from __future__ import annotations

from helpers import (
    answering,
    click_button,
    enter_text,
    fill,
    fill_form,
    find_input,
    focused_name,
    press,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import Client

GOOD = {"First name": "Maria", "Last name": "Ortega", "Date of birth": "04/07/1980"}


def open_new_client_form(qtbot) -> None:
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert focused_name() == "First name"


def test_enter_on_a_drop_down_saves(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, GOOD)
    find_input(window, "Sex").setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert Client.get().last_name == "Ortega"
    assert "Ortega, Maria" in visible_texts(window)  # the summary opened


def test_enter_in_a_note_starts_a_new_line_instead_of_saving(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, GOOD)
    notes = find_input(window, "Notes")
    notes.setFocus()
    qtbot.keyClicks(notes, "Prefers light pressure")
    press(qtbot, Qt.Key.Key_Return)
    assert Client.select().count() == 0
    assert notes.toPlainText() == "Prefers light pressure\n"


def test_enter_on_the_cancel_button_cancels(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, GOOD)
    window.clients_screen.intake_page.cancel_button.setFocus()
    with answering(qtbot, "Discard changes", title="Unsaved changes"):
        press(qtbot, Qt.Key.Key_Return)
    assert Client.select().count() == 0
    assert window.clients_screen.pages.currentWidget() is window.clients_screen.list_page


def test_failed_save_names_the_fields_and_clears_when_they_are_fixed(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, {**GOOD, "ZIP": "123"})
    press(qtbot, Qt.Key.Key_Return)
    assert "Not saved: check ZIP." in visible_texts(window)
    fill(qtbot, window, "ZIP", "97301")
    assert not any(text.startswith("Not saved") for text in visible_texts(window))
    assert Client.select().count() == 0


def test_failed_save_scrolls_to_a_field_below_the_fold(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, GOOD)
    enter_text(qtbot, window, "Consent signed on", "13/13/2025")
    click_button(qtbot, window, "Save client")
    page = window.clients_screen.intake_page
    consent = find_input(window, "Consent signed on")
    assert focused_name() == "Consent signed on"
    viewport = page.scroll.viewport()
    top = consent.mapTo(viewport, consent.rect().topLeft()).y()
    assert 0 <= top < viewport.height()


def test_esc_on_the_summary_goes_back_to_the_list(qtbot, window):
    open_new_client_form(qtbot)
    fill_form(qtbot, window, GOOD)
    press(qtbot, Qt.Key.Key_Return)
    assert window.header.isVisible()
    press(qtbot, Qt.Key.Key_Escape)
    assert window.clients_screen.pages.currentWidget() is window.clients_screen.list_page
    assert not window.header.isVisible()
    assert focused_name() == "Find client"
