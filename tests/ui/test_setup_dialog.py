"""First run: the clinic's profile, its first therapist and the owner's login, all saved
or none."""

from __future__ import annotations

import pytest
from helpers import (
    answering,
    answering_with_key,
    click_button,
    enter_text,
    error_line,
    field_error,
    fill,
    fill_form,
    find_button,
    find_input,
    press,
    shows_whole,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk import access, db, encryption
from frontdesk.models import ClinicProfile, Therapist, User
from frontdesk.services import clinic, users
from ui.app import run
from ui.dialogs.setup import SetupDialog

CLINIC_FORM = {
    "Clinic name": "Harbor Medical Massage",
    "Address": "12 Front St",
    "City": "Salem",
    "State": "or",
    "ZIP": "97301",
    "Phone": "503-555-0100",
    "EIN": "931234567",
    "Organization NPI": "1234567893",
}
THERAPIST_FORM = {
    "First name": "Hannah",
    "Last name": "Okafor",
    "Credentials": "LMT",
    "License number": "lmt-21873",
    "License state": "OR",
    "NPI": "1245319599",
}

PASSWORD = "harbor lights 42"
OWNER_FORM = {
    "Login name": "dana",
    "Full name": "Dana Reyes",
    "Password": PASSWORD,
    "Confirm password": PASSWORD,
}


@pytest.fixture
def dialog(qtbot, database):
    assert clinic.needs_setup()
    shown = SetupDialog()
    qtbot.addWidget(shown, before_close_func=lambda d: d.done(0))  # no "Quit set-up?" box
    shown.show()
    qtbot.waitExposed(shown)
    return shown


NOT_SAVED = "Not saved: correct the fields marked in red."


def assert_nothing_saved() -> None:
    assert ClinicProfile.select().count() == 0
    assert Therapist.select().count() == 0
    assert User.select().count() == 0


def test_a_weak_or_mistyped_owner_password_saves_nothing(qtbot, dialog):
    fill_form(qtbot, dialog, {**CLINIC_FORM, **THERAPIST_FORM, **OWNER_FORM})
    fill(qtbot, dialog, "Confirm password", "harbor lights 43")
    click_button(qtbot, dialog, "Save and start")
    assert any("The two passwords differ" in text for text in visible_texts(dialog))
    assert_nothing_saved()
    fill(qtbot, dialog, "Password", "short")
    fill(qtbot, dialog, "Confirm password", "short")
    click_button(qtbot, dialog, "Save and start")
    assert any("at least 10 characters" in text for text in visible_texts(dialog))
    assert_nothing_saved()


def test_bad_npi_and_ein_are_shown_beside_the_fields_and_nothing_is_saved(qtbot, dialog):
    fill_form(qtbot, dialog, {**CLINIC_FORM, "EIN": "12-345", "Organization NPI": "1234567890"})
    fill_form(qtbot, dialog, THERAPIST_FORM)
    assert "type the 9-digit EIN as 12-3456789" in field_error(dialog, "EIN")
    assert "1234567890 is not a valid NPI" in field_error(dialog, "Organization NPI")

    click_button(qtbot, dialog, "Save and start")
    assert NOT_SAVED in visible_texts(dialog)
    assert dialog.isVisible()
    assert_nothing_saved()


def test_bad_therapist_npi_saves_not_even_the_clinic(qtbot, dialog):
    fill_form(qtbot, dialog, {**CLINIC_FORM, **THERAPIST_FORM, "NPI": "1245319598"})
    click_button(qtbot, dialog, "Save and start")
    assert "1245319598 is not a valid NPI" in field_error(dialog, "NPI")
    assert field_error(dialog, "Organization NPI") == ""
    assert_nothing_saved()


def test_empty_form_names_the_required_fields(qtbot, dialog):
    click_button(qtbot, dialog, "Save and start")
    for label in ("Clinic name", "EIN", "Organization NPI", "First name", "License number"):
        assert field_error(dialog, label) == "this is required; please fill it in."
    assert field_error(dialog, "NPI") == ""  # the therapist's NPI is optional
    assert_nothing_saved()


def test_good_values_save_all_three_and_sign_the_owner_in(qtbot, dialog):
    fill_form(qtbot, dialog, {**CLINIC_FORM, **THERAPIST_FORM, **OWNER_FORM})
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click_button(qtbot, dialog, "Save and start")

    owner = User.get()
    assert (owner.username, owner.full_name, owner.role) == ("dana", "Dana Reyes", "owner")
    assert access.signed_in().user_id == owner.id
    assert users.sign_in("dana", PASSWORD).role == "owner"

    assert not clinic.needs_setup()
    profile = ClinicProfile.get()
    assert (profile.name, profile.state, profile.phone) == (
        "Harbor Medical Massage",
        "OR",
        "+15035550100",
    )
    assert (profile.ein, profile.npi) == ("93-1234567", "1234567893")
    therapist = Therapist.get()
    assert therapist.display_name == "Hannah Okafor, LMT"
    assert therapist.license_number == "LMT-21873"


def test_enter_in_a_field_saves_once(qtbot, dialog):
    fill_form(qtbot, dialog, {**CLINIC_FORM, **OWNER_FORM})
    fill_form(qtbot, dialog, dict(list(THERAPIST_FORM.items())[:-1]))
    enter_text(qtbot, dialog, "NPI", THERAPIST_FORM["NPI"])
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert Therapist.select().count() == 1
    assert ClinicProfile.select().count() == 1


def test_quit_asks_first_and_saves_nothing(qtbot, dialog):
    fill_form(qtbot, dialog, CLINIC_FORM)
    with qtbot.waitSignal(dialog.rejected, timeout=1000), answering(qtbot, "Yes") as box:
        click_button(qtbot, dialog, "Quit")
    assert box.title == "Quit set-up"
    assert_nothing_saved()


def test_esc_does_not_lose_what_was_typed_unless_confirmed(qtbot, dialog):
    fill_form(qtbot, dialog, CLINIC_FORM)
    with answering(qtbot, "No") as box:
        press(qtbot, Qt.Key.Key_Escape)
    assert box.text == "Quit without saving? The details you typed will be lost."
    assert dialog.isVisible()
    assert find_input(dialog, "Clinic name").text() == "Harbor Medical Massage"


def test_quit_on_an_empty_form_does_not_ask(qtbot, dialog):
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        click_button(qtbot, dialog, "Quit")


def test_enter_on_quit_set_up_keeps_editing(qtbot, dialog):
    fill_form(qtbot, dialog, CLINIC_FORM)
    with answering_with_key(qtbot, Qt.Key.Key_Return, title="Quit set-up"):
        click_button(qtbot, dialog, "Quit")
    assert dialog.isVisible()
    assert find_input(dialog, "Clinic name").text() == "Harbor Medical Massage"


def test_enter_on_the_focused_quit_button_quits_instead_of_saving(qtbot, dialog):
    find_button(dialog, "Quit").setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert_nothing_saved()


def test_the_not_saved_message_goes_once_every_field_is_fixed(qtbot, dialog):
    wrong = {"EIN": "12-345", "NPI": "124531"}
    fill_form(qtbot, dialog, {**CLINIC_FORM, **THERAPIST_FORM, **OWNER_FORM, **wrong})
    click_button(qtbot, dialog, "Save and start")
    assert NOT_SAVED in visible_texts(dialog)
    fill(qtbot, dialog, "EIN", CLINIC_FORM["EIN"])
    assert NOT_SAVED in visible_texts(dialog)  # the NPI is still wrong
    fill(qtbot, dialog, "NPI", THERAPIST_FORM["NPI"])
    assert NOT_SAVED not in visible_texts(dialog)
    assert_nothing_saved()


def test_error_lines_show_their_whole_text(qtbot, dialog):
    labels = [*CLINIC_FORM, *THERAPIST_FORM]
    fill_form(qtbot, dialog, dict.fromkeys(labels, "x!x!x!x!x!"))
    click_button(qtbot, dialog, "Save and start")
    wrong = [label for label in labels if field_error(dialog, label)]
    assert len(wrong) == 10  # all but the clinic's name and address and the credentials
    for label in wrong:
        qtbot.waitUntil(lambda label=label: shows_whole(error_line(dialog, label)), timeout=1000)


def test_the_program_starts_with_set_up_and_quitting_it_ends_cleanly(qtbot, tmp_path):
    with answering(qtbot, "Quit") as box:
        assert run(tmp_path / "first.db") == 0
    assert box.title == "Set up your clinic"
    assert clinic.needs_setup()
    db.close_database()


def test_the_program_names_a_file_that_is_not_a_database(qtbot, tmp_path):
    junk = tmp_path / "letter.db"
    junk.write_text("Dear clinic,\n" * 50)
    with answering(qtbot, "Quit") as box:
        assert run(junk) == 1
    assert "letter.db is not a Front Desk database" in box.text
    assert junk.read_text() == "Dear clinic,\n" * 50  # nothing overwritten


def test_trying_the_demo_clinic_opens_its_own_file_and_leaves_the_database_alone(
    qtbot, tmp_path, demo_template, monkeypatch
):
    import shutil

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from frontdesk.demo import demo_path_for
    from ui import app as app_module
    from ui.main_window import DEMO_TITLE

    clinic_file = tmp_path / "first.db"
    shutil.copyfile(demo_template, demo_path_for(clinic_file))  # built earlier: no wait
    shown = []

    def build(path, settings_path=None):
        window = real_build(path, settings_path=tmp_path / "window.ini")
        shown.append((path, window.windowTitle(), window))
        if path != clinic_file:
            QTimer.singleShot(300, window.close)
        return window

    real_build = app_module.build_main_window
    monkeypatch.setattr(app_module, "build_main_window", build)
    monkeypatch.setattr(app_module, "install_last_resort_handler", lambda: None)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)  # never hang the test run
    guard.start(20_000)
    try:
        with answering(qtbot, "Try the demo clinic", title="Set up your clinic"):
            assert run(clinic_file) == 0
    finally:
        guard.stop()
        for path, _title, window in shown:
            if path != clinic_file:  # that one the program let go of itself
                window.deleteLater()
    assert [(path, title) for path, title, _ in shown] == [  # the clinic's was never finished
        (demo_path_for(clinic_file), DEMO_TITLE),
    ]
    db.open_database(clinic_file)
    assert clinic.needs_setup()  # the clinic's own file is still waiting for its set-up
    db.close_database()
    assert not list((tmp_path / "home").rglob("frontdesk-*.db"))  # the demo is never backed up


def test_the_first_run_can_encrypt_the_new_clinic_s_file(qtbot, dialog, db_path):
    passphrase = "blue heron at the harbor"
    fill_form(qtbot, dialog, {**CLINIC_FORM, **THERAPIST_FORM, **OWNER_FORM})
    dialog.encrypt_box.setChecked(True)
    enter_text(qtbot, dialog, "Passphrase", "short")
    click_button(qtbot, dialog, "Save and start")
    assert any("at least 12 characters" in text for text in visible_texts(dialog))
    assert not encryption.is_encrypted(db_path)
    assert_nothing_saved()
    enter_text(qtbot, dialog, "Passphrase", passphrase)
    enter_text(qtbot, dialog, "Confirm passphrase", passphrase)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        click_button(qtbot, dialog, "Save and start")
    assert encryption.is_encrypted(db_path)
    db.close_database()
    db.open_database(db_path, passphrase=passphrase)
    assert User.get().username == "dana"
