"""Settings ▸ Users: the owner adds, changes, disables and resets logins; anyone changes
their own password. Each password costs a hash (~0.1 s): the tests make few."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import (
    answering,
    click_row,
    field_error,
    find_input,
    key_in,
    press,
    press_button,
    table_rows,
    working_in,
    working_in_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from frontdesk import access
from frontdesk.models import Therapist, User
from frontdesk.services import clinic, users
from ui.dialogs.change_password import ChangePasswordDialog, PasswordsDialog, change_my_password

CTRL = Qt.KeyboardModifier.ControlModifier
GOOD = "quiet river stones 41"
NEWER = "amber lantern hill 77"
LOCK = clinic.LOCK_MINUTES


@pytest.fixture
def page(qtbot, window):
    """The Settings screen (Ctrl+6) on its Users tab, the list of logins focused."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_6, CTRL)
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.users)
    screen.users.show_start()
    return screen.users


def add_login(name: str, role: str = access.FRONT_DESK, therapist_id: int | None = None):
    raw = {"username": name, "full_name": name.title(), "role": role}
    return users.add_user(raw, GOOD, therapist_id)


def listed(page) -> dict[str, dict[str, str]]:
    return {row["Login name"]: row for row in table_rows(page, "Logins")}


def fill_login(qtbot, values: dict[str, str]) -> None:
    for label, text in values.items():
        key_in(qtbot, label, text)


def test_a_front_desk_login_and_a_therapist_login_are_added(qtbot, page):
    def front_desk(dialog) -> None:
        assert not find_input(dialog, "Therapist").isEnabled()  # the front desk has none
        assert find_input(dialog, "Password").echoMode() == QLineEdit.EchoMode.Password
        fill_login(
            qtbot,
            {
                "Login name": "Desk.One",
                "Full name": "Front Desk PC",
                "Password": GOOD,
                "Confirm password": GOOD,
            },
        )
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, front_desk):
        press_button(qtbot, page, "Add login…")
    desk = User.get(User.username == "desk.one")
    assert (desk.full_name, desk.role, desk.therapist_id, desk.active) == (
        "Front Desk PC",
        access.FRONT_DESK,
        None,
        True,
    )
    assert listed(page)["desk.one"]["Role"] == "Front desk"
    assert find_input(page, "Done").text() == "Login added."

    hannah = Therapist.get()

    def therapist(dialog) -> None:
        fill_login(qtbot, {"Login name": "hannah", "Full name": "Hannah Okafor", "Role": "T"})
        assert find_input(dialog, "Therapist").isEnabled()
        key_in(qtbot, "Therapist", "Hannah")
        fill_login(qtbot, {"Password": GOOD, "Confirm password": GOOD})
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, therapist):
        press_button(qtbot, page, "Add login…")
    login = User.get(User.username == "hannah")
    assert (login.role, login.therapist_id) == (access.THERAPIST, hannah.id)
    row = listed(page)["hannah"]
    assert (row["Role"], row["Therapist"], row["Status"]) == (
        "Therapist",
        hannah.display_name,
        "Active",
    )


def test_refused_logins_change_nothing(qtbot, page):
    add_login("taken")
    page.refresh()
    before = [(u.id, u.version, u.password_hash) for u in User.select()]

    def refusals(dialog) -> None:
        fill_login(qtbot, {"Login name": "rosa", "Full name": "Rosa Delgado", "Password": "short"})
        press(qtbot, Qt.Key.Key_Return)
        assert "at least 10 characters" in field_error(dialog, "Password")
        fill_login(qtbot, {"Password": "password123", "Confirm password": "password123"})
        press(qtbot, Qt.Key.Key_Return)
        assert "too common" in field_error(dialog, "Password")
        fill_login(qtbot, {"Password": GOOD, "Confirm password": GOOD + "!"})
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Confirm password") == "The two passwords differ."
        fill_login(qtbot, {"Login name": "Taken", "Confirm password": GOOD})
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Login name") == "That login name is taken; choose another."
        fill_login(qtbot, {"Login name": "rosa", "Role": "T"})
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Therapist") == "Choose the therapist this login is for."
        assert "Therapist" in find_input(dialog, "Save message").text()
        with answering(qtbot, "Discard changes", title="Unsaved changes"):
            press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, refusals):
        press_button(qtbot, page, "Add login…")
    assert [(u.id, u.version, u.password_hash) for u in User.select()] == before
    assert list(listed(page)) == ["taken"]


def test_a_login_is_changed_in_its_window(qtbot, page):
    add_login("desk")
    page.refresh()

    def rename(dialog) -> None:
        assert find_input(dialog, "Login name").text() == "desk"
        assert not [w for w in dialog.findChildren(QLineEdit) if w.accessibleName() == "Password"]
        key_in(qtbot, "Full name", "Reception PC")
        press(qtbot, Qt.Key.Key_Return)

    click_row(qtbot, page, "Logins", "Login name", "desk")
    with working_in_dialog(qtbot, rename):
        press_button(qtbot, page, "Edit…")
    assert User.get(User.username == "desk").full_name == "Reception PC"
    assert listed(page)["desk"]["Full name"] == "Reception PC"


def test_a_login_is_disabled_and_enabled_but_never_the_only_owner(qtbot, page):
    add_login("maria", access.OWNER)
    add_login("desk")
    page.refresh()
    click_row(qtbot, page, "Logins", "Login name", "desk")
    press_button(qtbot, page, "Disable")
    assert not User.get(User.username == "desk").active
    assert listed(page)["desk"]["Status"] == "Disabled"
    press_button(qtbot, page, "Enable")
    assert User.get(User.username == "desk").active
    assert listed(page)["desk"]["Status"] == "Active"

    click_row(qtbot, page, "Logins", "Login name", "maria")
    press_button(qtbot, page, "Disable")
    assert User.get(User.username == "maria").active
    assert find_input(page, "Message").text() == (
        "Not changed: this is the clinic's only active owner login. "
        "Make another login an owner first."
    )


def test_a_password_reset_ends_a_lockout_and_the_new_one_signs_in(qtbot, page):
    desk = add_login("desk")
    later = datetime.now() + timedelta(minutes=4)
    User.update(locked_until=later).where(User.id == desk.id).execute()
    page.refresh()
    assert listed(page)["desk"]["Status"].startswith("Active, locked until ")
    hash_before = User.get_by_id(desk.id).password_hash

    def reset(dialog) -> None:
        key_in(qtbot, "New password", "qwertyuiop")
        key_in(qtbot, "Confirm new password", "qwertyuiop")
        press(qtbot, Qt.Key.Key_Return)
        assert "too common" in field_error(dialog, "New password")
        key_in(qtbot, "New password", NEWER)
        key_in(qtbot, "Confirm new password", GOOD)
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Confirm new password") == "The two passwords differ."
        assert User.get_by_id(desk.id).password_hash == hash_before
        key_in(qtbot, "Confirm new password", NEWER)
        press(qtbot, Qt.Key.Key_Return)

    click_row(qtbot, page, "Logins", "Login name", "desk")
    with working_in(qtbot, PasswordsDialog, reset):
        press_button(qtbot, page, "Reset password…")
    assert find_input(page, "Done").text() == "Password reset for desk."
    assert listed(page)["desk"]["Status"] == "Active"
    assert users.sign_in("desk", NEWER).username == "desk"


def test_the_lock_time_is_saved_and_a_bad_one_refused_beside_it(qtbot, page):
    assert find_input(page, LOCK).text() == "10"
    for bad in ("0", "abc"):
        key_in(qtbot, LOCK, bad)
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(page, LOCK)
        assert clinic.lock_minutes() == 10
    key_in(qtbot, LOCK, "25")
    press_button(qtbot, page, "Save lock time")
    assert clinic.lock_minutes() == 25
    assert field_error(page, LOCK) == ""
    assert find_input(page, "Lock time saved").text() == "Saved."


def test_a_person_changes_their_own_password(qtbot, window):
    login = add_login("desk")
    hash_before = login.password_hash
    shown: dict[str, str] = {}

    def change(dialog) -> None:
        for name in ("Current password", "New password", "Confirm new password"):
            assert find_input(dialog, name).echoMode() == QLineEdit.EchoMode.Password
        key_in(qtbot, "Current password", "not my password")
        key_in(qtbot, "New password", NEWER)
        key_in(qtbot, "Confirm new password", NEWER)
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Current password") == "That is not your current password."
        key_in(qtbot, "Current password", GOOD)
        key_in(qtbot, "New password", "short")
        press(qtbot, Qt.Key.Key_Return)
        assert "at least 10 characters" in field_error(dialog, "New password")
        key_in(qtbot, "New password", NEWER)
        key_in(qtbot, "Confirm new password", NEWER + "?")
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Confirm new password") == "The two passwords differ."
        assert User.get_by_id(login.id).password_hash == hash_before
        key_in(qtbot, "Confirm new password", NEWER)
        press(qtbot, Qt.Key.Key_Return)

    with (
        access.acting_as(users.sign_in("desk", GOOD)),
        working_in(qtbot, ChangePasswordDialog, change),
    ):
        shown["status"] = change_my_password(window)
    assert shown["status"] == "Your password was changed."
    assert users.sign_in("desk", NEWER).user_id == login.id


def test_cancelling_the_change_password_window_changes_nothing(qtbot, window):
    def cancel(dialog) -> None:
        key_in(qtbot, "Current password", "anything")
        press(qtbot, Qt.Key.Key_Escape)

    with working_in(qtbot, ChangePasswordDialog, cancel):
        assert change_my_password(window) == ""
