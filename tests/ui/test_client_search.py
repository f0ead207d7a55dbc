"""Finding a client in a busy clinic: search-as-you-type by name, phone or birth date."""

from __future__ import annotations

import pytest
from helpers import (
    add_client,
    click_button,
    demo_client,
    find_button,
    find_input,
    focused_name,
    press,
    row_names,
    table_rows,
    type_text,
    typed_name,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt

ZELDA = "Quillfeather, Zelda (Zee)"
ZOLTAN = "Quimby, Zoltan"


@pytest.fixture
def clinic_window(demo_window):
    """The demo clinic plus two clients whose names and numbers no demo client shares."""
    add_client(preferred_name="Zee", mobile_phone="(541) 867-4417", home_phone="503-555-0142")
    add_client(first_name="Zoltan", last_name="Quimby", date_of_birth="11/30/1961")
    return demo_window


def find(qtbot, window, text: str) -> None:
    """Ctrl+F, then type `text` into the Find client box."""
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused_name() == "Find client"
    type_text(qtbot, text)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Qui", [ZELDA, ZOLTAN]),  # last name prefix, 3 letters
        ("quil", [ZELDA]),  # any case
        ("Zoltan", [ZOLTAN]),  # first name
        ("Zee", [ZELDA]),  # preferred name
        ("8674417", [ZELDA]),  # mobile phone digits
        ("(541) 867", [ZELDA]),  # typed the way it is printed
        ("03/14/1975", [ZELDA]),  # date of birth
        ("Zel Quil", [ZELDA]),  # first and last name together
    ],
)
def test_search_by_each_key_then_enter_opens_the_first_match(qtbot, clinic_window, typed, found):
    find(qtbot, clinic_window, typed)
    assert row_names(clinic_window) != found  # debounced: the list waits for a pause in typing
    qtbot.waitUntil(lambda: row_names(clinic_window) == found, timeout=2000)
    assert f"{len(found)} client{'s' if len(found) > 1 else ''}" in visible_texts(clinic_window)
    press(qtbot, Qt.Key.Key_Return)

    assert found[0] in visible_texts(clinic_window)  # the summary's heading
    assert find_input(clinic_window, "Client in focus").text() == found[0]
    assert find_button(clinic_window, "Edit client").hasFocus()


def test_rows_show_birth_date_and_phone_in_us_format(qtbot, clinic_window):
    find(qtbot, clinic_window, "Quil")
    qtbot.waitUntil(lambda: len(table_rows(clinic_window)) == 1)
    row = table_rows(clinic_window)[0]
    assert row["Date of birth"] == "03/14/1975"
    assert row["Phone"] == "(541) 867-4417"
    assert row["Prescription"] == "None (wellness)"


def test_search_with_no_match_shows_an_empty_list(qtbot, clinic_window):
    find(qtbot, clinic_window, "Xyzzy")
    qtbot.waitUntil(lambda: row_names(clinic_window) == [])
    assert any(text.startswith("No client matches") for text in visible_texts(clinic_window))
    press(qtbot, Qt.Key.Key_Return)  # nothing to open: stays on the list
    assert focused_name() == "Find client"


def test_enter_before_the_pause_searches_at_once_and_opens(qtbot, clinic_window):
    find(qtbot, clinic_window, "Zoltan")
    press(qtbot, Qt.Key.Key_Return)  # a fast typist does not wait for the list
    assert find_input(clinic_window, "Client in focus").text() == ZOLTAN


@pytest.mark.parametrize("typed", ["_", "%", "%_"])
def test_wildcards_find_no_one(qtbot, clinic_window, typed):
    find(qtbot, clinic_window, typed)
    qtbot.waitUntil(
        lambda: f"No client matches “{typed}”" in " ".join(visible_texts(clinic_window))
    )
    assert row_names(clinic_window) == []


def test_a_birth_date_typed_year_first_finds_the_client(qtbot, clinic_window):
    find(qtbot, clinic_window, "1975-03-14")
    qtbot.waitUntil(lambda: row_names(clinic_window) == [ZELDA])


def test_an_archived_match_is_offered_instead_of_registering_a_new_client(qtbot, clinic_window):
    archived = demo_client(archived=True)
    find(qtbot, clinic_window, typed_name(archived))
    message = (
        f"No active client matches “{typed_name(archived)}”; 1 archived client does. "
        "Tick Show archived to see them."
    )
    qtbot.waitUntil(lambda: message in visible_texts(clinic_window))
    assert row_names(clinic_window) == []
    click_button(qtbot, clinic_window, "Show archived matches")
    assert find_button(clinic_window, "Show archived").isChecked()
    assert row_names(clinic_window) == [f"{archived.display_name} (archived)"]
    assert "Show archived matches" not in visible_buttons(clinic_window)
