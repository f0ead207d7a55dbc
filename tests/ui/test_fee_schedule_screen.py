"""Settings, Fee schedule: codes and prices kept by keyboard; a price changes from a date."""

from __future__ import annotations

from datetime import date, timedelta

from helpers import (
    answering,
    field_error,
    find_button,
    find_input,
    focused_name,
    key_in,
    press,
    table_rows,
    type_text,
    visible_texts,
    working_in_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.formatting import us_date
from frontdesk.models import ServiceCode, ServicePrice
from tests.faults import DISK_FULL
from ui.dialogs.form_dialog import FormDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def go_to_settings(qtbot, window) -> None:
    """Ctrl+<its number in the rail>: the Settings screen; its Fee schedule tab, the cursor in
    the schedule."""
    number = window.screen_titles().index("Settings") + 1
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)  # the window is active
    press(qtbot, Qt.Key(ord(str(number))), CTRL)
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.fee_schedule)  # the third tab
    screen.fee_schedule.show_start()
    assert focused_name() == "Fee schedule"


def fee_rows(window) -> dict[str, dict[str, str]]:
    """The fee schedule as shown, by code."""
    return {row["Code"]: row for row in table_rows(window, "Fee schedule")}


def select_code(qtbot, window, code: str) -> None:
    """Arrow down the list (from the top) to the code."""
    table = find_input(window, "Fee schedule")
    press(qtbot, Qt.Key.Key_Home, CTRL)
    for _ in range(table.model().rowCount()):
        if table.currentIndex().siblingAtColumn(0).data() == code:
            return
        press(qtbot, Qt.Key.Key_Down)
    raise AssertionError(f"{code} is not in the fee schedule")


def press_button(qtbot, window, text: str) -> None:
    """Tab-like: put the focus on the button, then Space, as the keyboard does."""
    find_button(window, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


# --- the screen -----------------------------------------------------------------------------


def test_settings_is_the_last_screen_and_lists_the_fee_schedule(qtbot, window):
    assert window.screen_titles()[-1] == "Settings"
    go_to_settings(qtbot, window)
    assert "Settings" in visible_texts(window)
    rows = fee_rows(window)
    assert list(rows) == sorted(code.code for code in ServiceCode.select())
    assert rows["97124"]["Price today"] == "$35.00"
    assert rows["97124"]["Billed"] == "Per 15 minutes"
    assert rows["WELL60"]["Billed"] == "60-minute session"
    assert (rows["WELL60"]["Kind"], rows["WELL60"]["Next change"]) == ("Wellness", "—")


def test_choosing_settings_again_returns_to_the_first_code(qtbot, window):
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "WELL90")
    go_to_settings(qtbot, window)
    table = find_input(window, "Fee schedule")
    assert table.currentIndex().row() == 0


# --- changing a price -------------------------------------------------------------------------


def test_a_new_price_typed_and_entered_is_charged_from_today(qtbot, window):
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "WELL60")

    def type_the_price(dialog: FormDialog) -> None:
        assert "Price today: $95.00" in visible_texts(dialog)
        assert find_input(dialog, "From").text() == us_date(date.today())
        assert focused_name() == "New price"
        type_text(qtbot, "105")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, type_the_price):
        press_button(qtbot, window, "Change price")
    assert fee_rows(window)["WELL60"]["Price today"] == "$105.00"
    change = ServicePrice.get()
    assert (change.service_code.code, change.price_cents) == ("WELL60", 10500)
    assert change.effective_on == date.today()
    assert ServiceCode.get(code="WELL60").price_cents == 9500  # the original price stays
    assert focused_name() == "Fee schedule"


def test_a_price_from_a_later_date_shows_as_the_next_change(qtbot, window):
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "97140")
    later = date.today() + timedelta(days=40)

    def plan_a_change(dialog: FormDialog) -> None:
        type_text(qtbot, "$1,042.5")
        key_in(qtbot, "From", us_date(later))
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, plan_a_change):
        press_button(qtbot, window, "Change price")
    row = fee_rows(window)["97140"]
    assert row["Price today"] == "$40.00"
    assert row["Next change"] == f"$1,042.50 from {us_date(later)}"


def test_a_bad_price_is_refused_beside_it_and_nothing_saved(qtbot, window):
    go_to_settings(qtbot, window)

    def type_a_bad_price(dialog: FormDialog) -> None:
        type_text(qtbot, "-5")
        key_in(qtbot, "From", "13/01/2026")
        press(qtbot, Qt.Key.Key_Return)
        assert "negative" in field_error(dialog, "New price")
        assert "MM/DD/YYYY" in field_error(dialog, "From")
        assert "Not saved: check New price and From." in visible_texts(dialog)
        with answering(qtbot, "Discard changes"):
            press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, type_a_bad_price):
        press_button(qtbot, window, "Change price")
    assert not ServicePrice.select().exists()


def test_a_full_disk_is_said_in_the_dialog_and_the_typing_kept(qtbot, window, fail_writes):
    go_to_settings(qtbot, window)

    def save_on_a_full_disk(dialog: FormDialog) -> None:
        type_text(qtbot, "50")
        fail_writes(DISK_FULL)
        press(qtbot, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert dialog.page.summary.text().startswith("Not saved: the disk holding clinic.db")
        assert find_input(dialog, "New price").text() == "$50.00"
        dialog.page.form.dirty = False
        press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, save_on_a_full_disk):
        press_button(qtbot, window, "Change price")
    assert not ServicePrice.select().exists()


# --- codes ------------------------------------------------------------------------------------


def test_a_code_is_added_in_the_clinics_own_words(qtbot, window):
    go_to_settings(qtbot, window)

    def add_hot_stone(dialog: FormDialog) -> None:
        key_in(qtbot, "Code", "well75")
        key_in(qtbot, "Description", "Hot stone massage, 75 minutes")
        key_in(qtbot, "Billed by", "The")  # a space would open the list
        key_in(qtbot, "Minutes", "75")
        key_in(qtbot, "Price", "150")
        key_in(qtbot, "Kind", "Wellness")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, add_hot_stone):
        press_button(qtbot, window, "Add code")
    added = ServiceCode.get(code="WELL75")
    assert (added.timed, added.unit_minutes, added.price_cents, added.medical) == (
        False,
        75,
        15000,
        False,
    )
    row = fee_rows(window)["WELL75"]
    assert (row["Billed"], row["Price today"], row["Status"]) == (
        "75-minute session",
        "$150.00",
        "Active",
    )
    table = find_input(window, "Fee schedule")
    assert table.currentIndex().siblingAtColumn(0).data() == "WELL75"  # the new code selected


def test_a_code_already_in_the_schedule_is_refused_beside_it(qtbot, window):
    go_to_settings(qtbot, window)
    count = ServiceCode.select().count()

    def add_a_twin(dialog: FormDialog) -> None:
        key_in(qtbot, "Code", "97124")
        key_in(qtbot, "Description", "Massage again")
        key_in(qtbot, "Price", "40")
        press(qtbot, Qt.Key.Key_Return)
        assert field_error(dialog, "Code") == "97124 is already in the fee schedule; edit it there."
        with answering(qtbot, "Discard changes"):
            press(qtbot, Qt.Key.Key_Escape)

    with working_in_dialog(qtbot, add_a_twin):
        press_button(qtbot, window, "Add code")
    assert ServiceCode.select().count() == count


def test_a_code_is_edited_and_made_inactive_from_the_list(qtbot, window):
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "WELL30")

    def retire_it(dialog: FormDialog) -> None:
        assert find_input(dialog, "Minutes").text() == "30"
        key_in(qtbot, "Description", "Short wellness massage, 30 minutes")
        key_in(qtbot, "Status", "Inactive")
        press(qtbot, Qt.Key.Key_Return)

    with working_in_dialog(qtbot, retire_it):
        press(qtbot, Qt.Key.Key_Return)  # Enter on a code opens it
    code = ServiceCode.get(code="WELL30")
    assert (code.description, code.active, code.version) == (
        "Short wellness massage, 30 minutes",
        False,
        2,
    )
    row = fee_rows(window)["WELL30"]
    assert (row["Description"], row["Status"]) == ("Short wellness massage, 30 minutes", "Inactive")


def test_a_code_visits_are_charged_by_is_not_deleted_and_says_why(qtbot, window):
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "97124")
    with answering(qtbot, "Yes", title="Delete code"):
        press_button(qtbot, window, "Delete code")
    assert "Front Desk charges visits by 97124 on its own" in " ".join(visible_texts(window))
    assert "97124" in fee_rows(window)


def test_an_unused_code_is_deleted_after_asking(qtbot, window):
    unused = ServiceCode.create(code="X1", description="Trial", price_cents=100, timed=False)
    go_to_settings(qtbot, window)
    select_code(qtbot, window, "X1")
    with answering(qtbot, "No", title="Delete code"):
        press_button(qtbot, window, "Delete code")
    assert "X1" in fee_rows(window)
    with answering(qtbot, "Yes", title="Delete code"):
        press_button(qtbot, window, "Delete code")
    assert "X1" not in fee_rows(window)
    assert not ServiceCode.select().where(ServiceCode.id == unused.id).exists()
