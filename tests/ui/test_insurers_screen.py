"""The Insurers screen: "Do you take my insurance?" answered by typing a few letters."""

from __future__ import annotations

import pytest
from helpers import (
    answering,
    click_button,
    field_error,
    fill,
    find_button,
    find_input,
    focused_name,
    key_in,
    press,
    type_text,
    visible_texts,
    working_in_dialog,
)
from PySide6.QtCore import Qt

from frontdesk.models import Payer
from ui.dialogs.form_dialog import FormDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def look_up(qtbot, window, typed: str) -> list[str]:
    """Go to Insurers, type `typed` in the search box; the names listed, best first."""
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert focused_name() == "Find insurer"
    type_text(qtbot, typed)
    found = find_input(window, "Insurers found")
    screen = window.insurers_screen
    qtbot.waitUntil(lambda: not screen.timer.isActive())
    return [found.item(row).text().split("\n")[0] for row in range(found.count())]


def details(window) -> str:
    return " ".join(visible_texts(window.insurers_screen.details))


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("prio", "Priority Health"),
        ("priority ppo", "Priority Health"),
        ("capitol blue", "Capital Blue Cross"),
        ("hmsa", "HMSA"),
        ("choose", "ChooseHealthy Affinity Program"),
    ],
)
def test_a_few_letters_find_the_payer_first_with_its_acceptance(qtbot, window, typed, first):
    assert look_up(qtbot, window, typed)[0] == first
    assert first in details(window)
    assert "What to do next" in details(window)


def test_the_va_says_what_to_get_before_the_first_visit(qtbot, window):
    look_up(qtbot, window, "veterans")
    steps = find_input(window, "What to do next").text()
    assert "authorization" in steps and "Never bill the veteran" in steps


def test_an_unknown_insurer_points_to_the_discount_programs(qtbot, window):
    assert look_up(qtbot, window, "aetna") == []
    assert "No insurer matches “aetna”" in details(window)
    advice = find_input(window, "No match").text()
    assert "ChooseHealthy" in advice and "Whole Health Living" in advice
    assert not find_button(window, "Edit insurer").isEnabled()


def test_an_insurer_is_added_to_the_directory_and_found(qtbot, window):
    look_up(qtbot, window, "Moda Health")

    def add_moda(dialog: FormDialog) -> None:
        assert find_input(dialog, "Name").text() == "Moda Health"
        fill(qtbot, dialog, "Also known as", "Moda")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, add_moda):
        click_button(qtbot, window, "Add insurer")
    assert Payer.get(Payer.name == "Moda Health").aliases == ["Moda"]
    assert look_up(qtbot, window, "moda")[0] == "Moda Health"


def test_a_payer_is_deactivated_not_deleted_and_hidden_from_the_lookup(qtbot, window):
    look_up(qtbot, window, "providence")
    click_button(qtbot, window, "Deactivate insurer")
    assert not Payer.get(Payer.name == "Providence Health Plan").active
    find_input(window, "Find insurer").setFocus()
    find_button(window, "Reactivate insurer")  # the screen keeps showing it, marked inactive
    assert "(inactive)" in details(window)
    find_input(window, "Show inactive").setChecked(False)
    assert look_up(qtbot, window, "providence") == []


def test_bad_input_in_the_insurer_form_is_refused_and_nothing_saved(qtbot, window):
    look_up(qtbot, window, "HMSA")
    count = Payer.select().count()

    def rename_to_a_twin(dialog: FormDialog) -> None:
        fill(qtbot, dialog, "Name", "Priority Health")
        with answering(qtbot, "Discard changes"):
            press(qtbot, Qt.Key.Key_Return)
            assert "Not saved" in " ".join(visible_texts(dialog))
            press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, rename_to_a_twin):
        click_button(qtbot, window, "Edit insurer")
    assert Payer.select().count() == count
    assert Payer.select().where(Payer.name == "HMSA").exists()


def test_editing_an_insurer_shows_its_aliases_as_typed_and_keeps_them(qtbot, window):
    look_up(qtbot, window, "HMSA")
    before = Payer.get(Payer.name == "HMSA")

    def change_the_phone(dialog: FormDialog) -> None:
        assert find_input(dialog, "Also known as").text() == ", ".join(before.aliases)
        assert find_input(dialog, "Plan types").text() == ", ".join(before.plan_types)
        fill(qtbot, dialog, "Phone", "808 555 0147")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, change_the_phone):
        click_button(qtbot, window, "Edit insurer")
    after = Payer.get(Payer.name == "HMSA")
    assert (after.aliases, after.plan_types) == (before.aliases, before.plan_types)
    assert after.phone == "+18085550147"


def test_a_programs_discount_and_unit_rounding_are_saved_and_shown(qtbot, window):
    look_up(qtbot, window, "choose")

    def set_the_programs_terms(dialog: FormDialog) -> None:
        discount = find_input(dialog, "Discount (%)")
        assert discount.text() == ""
        assert discount.placeholderText().startswith("Discount programs only")
        key_in(qtbot, "Timed units", "Whole")
        key_in(qtbot, "Discount (%)", "20")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, set_the_programs_terms):
        click_button(qtbot, window, "Edit insurer")
    program = Payer.get(Payer.name == "ChooseHealthy Affinity Program")
    assert (program.unit_rounding, program.discount_percent) == ("whole", 20)
    qtbot.waitUntil(lambda: "Whole units only (each full 15 minutes)" in details(window))
    assert "20% off the fee" in details(window)


def test_a_discount_on_an_insurer_is_refused_beside_it(qtbot, window):
    look_up(qtbot, window, "HMSA")
    qtbot.waitUntil(lambda: "8-minute rule" in details(window))  # new rows show once laid out
    assert "Discount" not in visible_texts(window.insurers_screen.details)

    def give_a_discount(dialog: FormDialog) -> None:
        key_in(qtbot, "Discount (%)", "10")
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Discount (%)").startswith("only a discount program's rate")
        with answering(qtbot, "Discard changes"):
            press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, give_a_discount):
        click_button(qtbot, window, "Edit insurer")
    hmsa = Payer.get(Payer.name == "HMSA")
    assert (hmsa.discount_percent, hmsa.version) == (0, 1)
