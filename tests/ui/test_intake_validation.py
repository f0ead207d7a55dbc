"""Bad input on the intake form: shown beside the field when it is left; nothing is saved."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import (
    click_button,
    enter_text,
    field_error,
    fill,
    fill_form,
    focused_name,
    press,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk.models import AuditEvent, Client

NEXT_YEAR = date.today().year + 1
GOOD = {"First name": "Maria", "Last name": "Ortega", "Date of birth": "04/07/1980"}


def open_new_client_form(qtbot, window) -> None:
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert focused_name() == "First name"


def assert_nothing_saved() -> None:
    assert Client.select().count() == 0
    assert not AuditEvent.select().where(AuditEvent.entity == "client").exists()


@pytest.mark.parametrize(
    ("label", "typed", "message"),
    [
        ("Date of birth", "13/45/1990", "13/45/1990 is not a real date"),
        ("Date of birth", f"01/02/{NEXT_YEAR}", f"01/02/{NEXT_YEAR} is after today"),
        ("Date of birth", "4/7/80", "type the year with all 4 digits (1980 or 2080)"),
        ("Date of birth", "April 7", "type the date as MM/DD/YYYY"),
        ("Mobile phone", "555-1234", "type a 10-digit US number"),
        ("Home phone", "(503) 555-0142 x12", "without an extension"),
        ("Email", "maria@", "type a full address like jane@example.com"),
        ("ZIP", "9730", "type 5 digits, or ZIP+4"),
        ("State", "ZZ", "type the 2-letter postal code or the full name"),
        ("Last name", "Ortega3", "use letters, spaces, hyphens"),
    ],
)
def test_bad_value_is_shown_beside_the_field_on_leaving_and_save_refuses(
    qtbot, window, label, typed, message
):
    open_new_client_form(qtbot, window)
    fill_form(qtbot, window, GOOD)
    fill(qtbot, window, label, typed)

    assert message in field_error(window, label)
    assert focused_name() != label  # Tab really left the field
    click_button(qtbot, window, "Save client")

    assert f"Not saved: check {label}." in visible_texts(window)
    assert focused_name() == label  # the cursor goes back to what needs fixing
    assert message in field_error(window, label)
    assert_nothing_saved()


def test_error_clears_once_the_field_is_corrected(qtbot, window):
    open_new_client_form(qtbot, window)
    fill(qtbot, window, "ZIP", "9730")
    assert field_error(window, "ZIP")
    fill(qtbot, window, "ZIP", "97301-1234")
    assert field_error(window, "ZIP") == ""


def test_emptied_required_name_is_flagged_when_left(qtbot, window):
    open_new_client_form(qtbot, window)
    fill(qtbot, window, "First name", "Maria")
    assert field_error(window, "First name") == ""
    fill(qtbot, window, "First name", "")
    assert field_error(window, "First name") == "this is required; please fill it in."


def test_saving_an_empty_form_names_every_required_field(qtbot, window):
    open_new_client_form(qtbot, window)
    press(qtbot, Qt.Key.Key_Return)

    assert "Not saved: check First name, Last name and Date of birth." in visible_texts(window)
    for label in ("First name", "Last name", "Date of birth"):
        assert field_error(window, label) == "this is required; please fill it in."
    assert focused_name() == "First name"
    assert_nothing_saved()


def test_several_bad_fields_are_counted_and_nothing_is_saved(qtbot, window):
    open_new_client_form(qtbot, window)
    fill_form(qtbot, window, {**GOOD, "Email": "maria@", "ZIP": "123", "State": "Oregon"})
    enter_text(qtbot, window, "Mobile phone", "12")
    press(qtbot, Qt.Key.Key_Return)

    assert "Not saved: check ZIP, Mobile phone and Email." in visible_texts(window)
    assert field_error(window, "State") == ""  # a full state name is fine
    assert field_error(window, "Mobile phone")
    assert focused_name() == "ZIP"  # the first field that needs fixing, in form order
    assert_nothing_saved()


def test_a_consent_date_before_the_birth_date_is_refused_beside_it(qtbot, window):
    open_new_client_form(qtbot, window)
    fill_form(qtbot, window, {**GOOD, "Consent signed on": "01/05/1901"})
    click_button(qtbot, window, "Save client")

    assert "Not saved: check Consent signed on." in visible_texts(window)
    assert field_error(window, "Consent signed on") == (
        "this is before the date of birth (04/07/1980); check the date."
    )
    assert_nothing_saved()
