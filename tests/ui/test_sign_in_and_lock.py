"""Signing in at start, the window locking itself, signing out and switching user, and what
each role's window shows."""

from __future__ import annotations

import pytest
from helpers import (
    LOGIN_PASSWORD,
    click_button,
    enter_text,
    find_input,
    focused_name,
    press,
    visible_buttons,
    visible_texts,
    working_in,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from frontdesk import access
from frontdesk.models import AuditEvent, Therapist, User
from frontdesk.services import users
from ui import app as app_module
from ui.dialogs.book_visit import BookVisitDialog
from ui.lock import Curtain
from ui.main_window import MainWindow
from ui.sign_in import OwnerLoginDialog, SignInDialog

PASSWORD = LOGIN_PASSWORD


@pytest.fixture
def logins(set_up_clinic) -> dict[str, User]:
    """An owner, a front-desk login and a therapist's, made by the owner."""
    therapist = Therapist.get()
    return {
        "owner": users.add_user(
            {"username": "dana", "full_name": "Dana Reyes", "role": "Owner"}, PASSWORD
        ),
        "desk": users.add_user(
            {"username": "sam", "full_name": "Sam Ortiz", "role": "Front desk"}, PASSWORD
        ),
        "therapist": users.add_user(
            {"username": "hannah", "full_name": "Hannah Okafor", "role": "Therapist"},
            PASSWORD,
            therapist.id,
        ),
    }


def sign_in_on(qtbot, parent, username: str, password: str = PASSWORD) -> None:
    window = parent.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    enter_text(qtbot, parent, "Login name", username)
    enter_text(qtbot, parent, "Password", password)
    press(qtbot, Qt.Key.Key_Return)


def covered_whole(window: QWidget) -> bool:
    """Whether an opaque curtain lies over all of the window."""
    return any(
        curtain.isVisible() and curtain.geometry() == window.rect()
        for curtain in window.findChildren(Curtain)
    )


def rail(window: MainWindow) -> list[str]:
    return [
        window.nav.item(row).text()
        for row in range(window.nav.count())
        if not window.nav.isRowHidden(row)
    ]


def test_the_sign_in_refuses_a_wrong_password_beside_it_and_admits_the_right_one(qtbot, logins):
    dialog = SignInDialog("Harbor Medical Massage")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused_name() == "Login name")
    sign_in_on(qtbot, dialog, "sam", "not my password")
    assert "That login name and password do not match" in " ".join(visible_texts(dialog))
    assert find_input(dialog, "Password").text() == ""  # typed again, never shown
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        sign_in_on(qtbot, dialog, "sam")
    assert access.signed_in().username == "sam"


def test_the_start_asks_who_works_before_any_record_shows(qtbot, logins, open_window, db_path):
    shell = open_window(db_path)

    def sign_in(dialog) -> None:
        sign_in_on(qtbot, dialog, "hannah")

    with access.acting_as(None), working_in(qtbot, SignInDialog, sign_in):
        assert app_module._who_works(shell) == app_module.SIGNED_IN
        assert access.signed_in().username == "hannah"


def test_a_clinic_from_before_logins_makes_the_owner_s_once(
    qtbot, set_up_clinic, open_window, db_path
):
    shell = open_window(db_path)

    def make_owner(dialog) -> None:
        enter_text(qtbot, dialog, "Login name", "dana")
        enter_text(qtbot, dialog, "Full name", "Dana Reyes")
        enter_text(qtbot, dialog, "Password", PASSWORD)
        enter_text(qtbot, dialog, "Confirm password", PASSWORD)
        click_button(qtbot, dialog, "Make the login and sign in")

    with access.acting_as(None), working_in(qtbot, OwnerLoginDialog, make_owner):
        assert app_module._who_works(shell) == app_module.SIGNED_IN
        assert access.signed_in().role == access.OWNER
    assert [(u.username, u.role) for u in User.select()] == [("dana", "owner")]


def test_the_status_bar_names_the_person_and_the_rail_shows_their_role_s_screens(window_for):
    window = window_for("sam")
    assert find_input(window, "Signed in").text() == "Signed in: Sam Ortiz (Front desk)"
    assert rail(window) == ["Clients", "Prescriptions", "Insurers", "Visits", "Receipts"]
    assert "New client" in visible_buttons(window)
    window.go_to("Insurers")
    assert "Add insurer" not in visible_buttons(window)  # the owner's directory


def test_a_therapist_sees_no_insurers_receipts_or_settings_and_cannot_add_clients(window_for):
    window = window_for("hannah")
    assert rail(window) == ["Clients", "Prescriptions", "Visits"]
    new_client = [a for a in window.file_menu.actions() if a.text() == "&New client"]
    assert new_client and not new_client[0].isVisible()
    assert "New client" not in visible_buttons(window)


def test_the_idle_window_locks_and_keeps_a_half_typed_intake(qtbot, window_for):
    window = window_for("sam")
    window.new_client()
    enter_text(qtbot, window, "First name", "Zelda")
    window.session.idle.set_minutes(0)  # no time at all: locks on the next turn
    qtbot.waitUntil(lambda: window.session.covered, timeout=2000)
    assert covered_whole(window)
    unlock = window.session.unlock
    assert QApplication.activeModalWidget() is unlock  # nothing beneath takes a key or click
    assert "Locked while Sam Ortiz was away" in " ".join(visible_texts(unlock))
    assert find_input(unlock, "Login name").text() == "sam"
    window.session.idle.set_minutes(10)
    sign_in_on(qtbot, unlock, "sam")
    assert not window.session.covered and not covered_whole(window)
    assert find_input(window, "First name").text() == "Zelda"  # nothing typed was lost


def test_only_the_same_person_or_an_owner_unlocks(qtbot, window_for):
    window = window_for("sam")
    window.new_client()
    enter_text(qtbot, window, "First name", "Zelda")
    window.session.lock()
    unlock = window.session.unlock
    sign_in_on(qtbot, unlock, "hannah")
    assert window.session.covered
    assert "Only Sam Ortiz or the clinic's owner can unlock" in " ".join(visible_texts(unlock))
    sign_in_on(qtbot, unlock, "dana")
    assert not window.session.covered
    assert access.signed_in().username == "dana"
    assert find_input(window, "Find client").isVisible()  # nothing of Sam's left open
    assert find_input(window, "Signed in").text() == "Signed in: Dana Reyes (Owner)"


def test_signing_out_covers_the_window_until_anyone_signs_in(qtbot, window_for):
    window = window_for("dana")
    window.session.sign_out()
    assert window.session.covered and access.signed_in() is None
    assert find_input(window.session.unlock, "Login name").text() == ""
    sign_in_on(qtbot, window.session.unlock, "hannah")
    assert rail(window) == ["Clients", "Prescriptions", "Visits"]
    assert find_input(window, "Signed in").text() == "Signed in: Hannah Okafor (Therapist)"
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity == "user")]
    assert actions[-2:] == ["sign_in", "sign_in"]  # dana at the start, hannah after


def test_ctrl_l_locks_the_window(qtbot, window_for):
    window = window_for("sam")
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.covered


def test_a_dialog_open_at_the_lock_stays_open_under_its_curtain(qtbot, window_for):
    window = window_for("sam")
    window.go_to("Visits")

    def lock_while_booking(dialog) -> None:
        enter_text(qtbot, dialog, "Client", "Zel")
        window.session.lock()
        assert dialog.isVisible() and covered_whole(dialog)  # open, and nothing of it shows
        sign_in_on(qtbot, window.session.unlock, "sam")
        assert dialog.isVisible() and not covered_whole(dialog)
        assert find_input(dialog, "Client").text() == "Zel"
        seen["kept_open"] = False

    seen: dict = {}
    with working_in(qtbot, BookVisitDialog, lock_while_booking):
        click_button(qtbot, window, "Book visit")


def test_a_window_that_opens_while_locked_is_covered_as_it_appears(qtbot, window_for):
    window = window_for("sam")
    window.session.lock()
    late = QDialog(window)
    late.setWindowTitle("A document made in the background")
    late.show()
    assert covered_whole(late)
    late.close()


def test_a_box_that_opens_while_locked_leaves_the_sign_in_working(qtbot, window_for):
    window = window_for("sam")
    window.session.lock()
    box = QMessageBox(QMessageBox.Icon.Warning, "Front Desk", "Something happened.", parent=window)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.show()
    assert covered_whole(box)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is window.session.unlock)
    sign_in_on(qtbot, window.session.unlock, "sam")
    assert not window.session.covered and not covered_whole(box)
    box.close()


def test_an_owner_taking_over_ends_the_other_person_s_form_without_asking(qtbot, window_for):
    from ui.dialogs.physician import PhysicianDialog

    window = window_for("sam")
    dialog = PhysicianDialog("Moreau", window)
    dialog.open()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    enter_text(qtbot, dialog, "First name", "Lucie")
    assert dialog.page.form.dirty  # closing it as sam would ask about unsaved changes
    window.session.lock()
    sign_in_on(qtbot, window.session.unlock, "dana")  # no "Unsaved changes" question
    assert not dialog.isVisible()
    assert access.signed_in().username == "dana"
