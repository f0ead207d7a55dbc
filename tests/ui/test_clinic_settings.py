"""Settings ▸ Clinic and Therapists, by keyboard: the profile saved in place, therapists
added, edited and made inactive (never deleted)."""

from __future__ import annotations

import pytest
from helpers import (
    field_error,
    find_button,
    find_input,
    focused_name,
    key_in,
    press,
    table_rows,
    working_in_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.models import ClinicProfile, Therapist
from frontdesk.services import clinic

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def settings(qtbot, window):
    """The Settings screen (Ctrl+6), on its first tab: the clinic."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_6, CTRL)
    assert find_input(window, "Navigation").currentItem().text() == "Settings"
    return window


def press_button(qtbot, parent, text: str) -> None:
    find_button(parent, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


def test_the_clinic_profile_is_saved_in_place_with_its_receipt_footer(qtbot, settings):
    section = settings.settings_screen.clinic
    assert find_input(section, "Clinic name").text() == clinic.clinic_profile().name
    key_in(qtbot, "Phone", "5035550199")
    key_in(qtbot, "Receipt footer", "Thank you for trusting us with your care.")
    press_button(qtbot, section, "Save clinic")
    profile = ClinicProfile.get()
    assert profile.phone == "+15035550199"
    assert profile.receipt_footer == "Thank you for trusting us with your care."
    assert find_input(section, "Saved").text() == "Saved."
    assert find_input(section, "Phone").text() == "(503) 555-0199"


def test_a_bad_ein_is_shown_beside_it_and_nothing_is_saved(qtbot, settings):
    section = settings.settings_screen.clinic
    before = ClinicProfile.get().ein
    key_in(qtbot, "EIN", "12")
    press_button(qtbot, section, "Save clinic")
    assert field_error(section, "EIN")
    assert ClinicProfile.get().ein == before


def test_a_therapist_is_added_then_made_inactive_and_back(qtbot, settings):
    screen = settings.settings_screen
    screen.sections.setCurrentWidget(screen.therapists)
    screen.therapists.show_start()
    assert focused_name() == "Therapists"

    def new_therapist(dialog) -> None:
        for name, text in (
            ("First name", "Rosa"),
            ("Last name", "Delgado"),
            ("Credentials", "LMT"),
            ("License number", "LMT-30411"),
            ("License state", "OR"),
        ):
            key_in(qtbot, name, text)
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, new_therapist):
        press_button(qtbot, screen.therapists, "Add therapist")
    rosa = Therapist.get(Therapist.last_name == "Delgado")
    assert (rosa.license_number, rosa.license_state, rosa.active) == ("LMT-30411", "OR", True)
    assert screen.therapists.selected().id == rosa.id
    press_button(qtbot, screen.therapists, "Deactivate")
    assert not Therapist.get_by_id(rosa.id).active
    assert rosa.id not in [t.id for t in clinic.active_therapists()]
    listed = {row["Name"]: row for row in table_rows(settings, "Therapists")}
    assert listed[rosa.display_name]["Status"] == "Inactive"
    press_button(qtbot, screen.therapists, "Make active")
    assert Therapist.get_by_id(rosa.id).active


def _picture_file(tmp_path, name: str = "logo.png"):
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (300, 100), "#1F4E79").save(path, "PNG")
    return path


def test_a_logo_is_chosen_shown_and_removed(qtbot, settings, tmp_path, monkeypatch):
    section = settings.settings_screen.clinic
    monkeypatch.setattr(section, "choose_logo_file", lambda: _picture_file(tmp_path))
    assert find_input(section, "Logo").text() == "None"
    press_button(qtbot, section, "Choose logo…")
    assert ClinicProfile.get().logo is not None
    assert not find_input(section, "Logo").pixmap().isNull()
    assert find_input(section, "Saved").text() == "Logo saved."
    press_button(qtbot, section, "Remove logo")
    assert ClinicProfile.get().logo is None
    assert find_input(section, "Logo").text() == "None"


def test_a_file_that_is_not_a_picture_is_refused_beside_the_logo(
    qtbot, settings, tmp_path, monkeypatch
):
    section = settings.settings_screen.clinic
    letter = tmp_path / "letter.png"
    letter.write_text("Dear clinic")
    monkeypatch.setattr(section, "choose_logo_file", lambda: letter)
    press_button(qtbot, section, "Choose logo…")
    assert "choose a PNG or JPEG picture" in find_input(section, "Logo message").text()
    assert ClinicProfile.get().logo is None


def test_the_logo_waits_until_typed_changes_are_saved(qtbot, settings, tmp_path, monkeypatch):
    section = settings.settings_screen.clinic
    monkeypatch.setattr(section, "choose_logo_file", lambda: _picture_file(tmp_path))
    key_in(qtbot, "Phone", "5035550199")
    press_button(qtbot, section, "Choose logo…")
    assert "save or undo your changes" in find_input(section, "Logo message").text()
    assert ClinicProfile.get().logo is None
    assert find_input(section, "Phone").text() == "(503) 555-0199"  # what was typed stays
