"""Registering someone who seems to be registered already: same names and birth date."""

from __future__ import annotations

import pytest
from helpers import (
    add_client,
    answering,
    click_button,
    enter_text,
    fill_form,
    find_input,
    press,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import Client

TWIN = {"First name": "zelda", "Last name": "Quillfeather", "Date of birth": "3/14/1975"}


@pytest.fixture
def existing(window) -> Client:
    return add_client(mobile_phone="(541) 867-4417")


def register_twin(qtbot, window, answer: str) -> str:
    """Fill in the twin's names and birth date, press Enter, answer the warning."""
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    fill_form(qtbot, window, TWIN)
    enter_text(qtbot, window, "Email", "zelda@example.com")
    with answering(qtbot, answer, title="Possible duplicate") as box:
        press(qtbot, Qt.Key.Key_Return)
    return box.text


def test_warning_names_the_registered_client(qtbot, window, existing):
    text = register_twin(qtbot, window, "Keep editing")
    assert text == "Quillfeather, Zelda, born 03/14/1975, is already registered."


def test_open_existing_client_opens_it_and_saves_nothing(qtbot, window, existing):
    register_twin(qtbot, window, "Open existing client")

    assert Client.select().count() == 1
    assert Client.get().email == ""  # the typed email went nowhere
    assert find_input(window, "Client in focus").text() == "Quillfeather, Zelda"
    assert "Edit client" in visible_buttons(window)
    assert "(541) 867-4417" in visible_texts(window)  # the existing client's summary


def test_save_as_new_client_saves_a_second_person(qtbot, window, existing):
    register_twin(qtbot, window, "Save as new client")

    twins = list(Client.select().order_by(Client.id))
    assert len(twins) == 2
    assert twins[1].first_name == "zelda" and twins[1].email == "zelda@example.com"
    assert "Saved Quillfeather, zelda." in window.statusBar().currentMessage()
    assert "zelda@example.com" in visible_texts(window)  # the new client's summary


def test_keep_editing_stays_on_the_form_with_the_text(qtbot, window, existing):
    register_twin(qtbot, window, "Keep editing")

    assert Client.select().count() == 1
    assert find_input(window, "Email").text() == "zelda@example.com"
    # A second try can still go ahead.
    with answering(qtbot, "Save as new client"):
        click_button(qtbot, window, "Save client")
    assert Client.select().count() == 2
