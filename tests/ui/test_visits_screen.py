"""The Visits screen: the day sheet, booking (and refusals), check-in, completion, cancelling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from helpers import (
    add_client,
    answering,
    click,
    click_button,
    find_input,
    focused_name,
    pick_suggestion,
    press,
    table_rows,
    type_text,
    visible_texts,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from frontdesk import formatting
from frontdesk.models import Visit
from frontdesk.services import visits
from ui.dialogs.book_visit import BookVisitDialog
from ui.tables import ACCEPTANCE_COLOURS, CONTRAINDICATION_COLOUR

CTRL = Qt.KeyboardModifier.ControlModifier
TOMORROW = date.today() + timedelta(days=1)


@pytest.fixture
def screen(qtbot, demo_window):
    """The demo clinic's Visits screen, reached with Ctrl+4."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)  # the window is active
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert find_input(demo_window, "Navigation").currentItem().text() == "Visits"
    return demo_window


def rows(window) -> list[dict[str, str]]:
    return table_rows(window, "Day sheet")


def status_colour(window, row: int = 0) -> str:
    model = find_input(window, "Day sheet").model()
    index = model.index(row, [c.heading for c in model.columns].index("Status"))
    return index.data(Qt.ItemDataRole.ForegroundRole).color().name()


def shown_day(window) -> date:
    return find_input(window, "Day").date().toPython()


@contextmanager
def booking_dialog(qtbot, work: Callable[[BookVisitDialog], None]) -> Iterator[dict]:
    """Do `work` in the "Book visit" window; yields {"dialog": the window} once it opened."""
    seen: dict = {}

    def act() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            return
        if isinstance(box, BookVisitDialog) and "dialog" not in seen:
            seen["dialog"] = box
            box.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=1000)
            try:
                work(box)
            finally:
                if box.isVisible() and not seen.get("kept_open"):
                    box.reject()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(act)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
    assert "dialog" in seen, "no Book visit window opened"
    assert not seen["dialog"].isVisible()
    owner = seen["dialog"].parentWidget().window()
    if QApplication.activeWindow() is None:  # a desktop hands activation back; offscreen not
        owner.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is owner, timeout=1000)


def fill_booking(qtbot, dialog: BookVisitDialog, last_name: str) -> None:
    """Pick the client by name; the therapist, 9:00 AM on the day and 60 minutes stay."""
    click(qtbot, find_input(dialog, "Client"))
    pick_suggestion(qtbot, last_name)
    qtbot.waitUntil(lambda: dialog.client.record_id is not None)


def book(
    qtbot,
    window,
    last_name: str,
    refused: list[str] | None = None,
    wellness: str = "Wellness massage",
) -> dict:
    """Click "Book visit", pick the client, click "Book visit" in the window.

    When the window says the visit cannot count as medical, its warnings are kept in
    "warnings" and the visit is booked as wellness care for the reason `wellness`. With
    `refused`, the window's red message is appended to it and the window cancelled.
    """

    def work(dialog: BookVisitDialog) -> None:
        fill_booking(qtbot, dialog, last_name)
        click_button(qtbot, dialog, "Book visit")
        warnings = dialog.warnings
        if dialog.isVisible() and warnings.isVisible():
            seen["warnings"] = warnings.text()
            assert focused_name() == "Reason for wellness care"
            type_text(qtbot, wellness)
            click_button(qtbot, dialog, "Book visit")
        if refused is not None:
            assert dialog.isVisible()
            error = find_input(dialog, "Booking error")
            refused.append(error.text())
            click_button(qtbot, dialog, "Cancel")

    with booking_dialog(qtbot, work) as seen:
        click_button(qtbot, window, "Book visit")
    return seen


def test_opens_on_today_with_an_empty_day_sheet(screen):
    today = formatting.us_date(date.today())
    assert shown_day(screen) == date.today()
    assert f"Visits on {today}" in visible_texts(screen)
    assert rows(screen) == []
    assert f"No visits on {today}." in visible_texts(screen)


def test_booking_puts_the_visit_on_the_sheet_and_in_the_database(qtbot, screen):
    client = add_client()
    click_button(qtbot, screen, "Next day")
    assert shown_day(screen) == TOMORROW
    seen = book(qtbot, screen, client.last_name, wellness="No prescription; relaxation massage")
    assert "cannot count as medical care" in seen["warnings"]  # she has no prescription
    [row] = rows(screen)
    visit = Visit.get(Visit.client == client)
    assert (visit.wellness, visit.wellness_reason) == (True, "No prescription; relaxation massage")
    assert row["Prescription"] == "Wellness (non-medical)"
    assert row["Client"] == client.display_name
    assert row["Therapist"] == visit.therapist.display_name
    assert row["Time"] == "9:00 AM"
    assert row["Minutes"] == "60"
    assert row["Status"] == "Scheduled"
    assert row["Balance"] == "$0.00"
    assert visit.starts_at == datetime.combine(TOMORROW, datetime.min.time()).replace(hour=9)
    assert "1 visit" in visible_texts(screen)


def test_booking_the_same_therapist_over_a_visit_is_refused(qtbot, screen):
    first, second = add_client(), add_client(first_name="Yusuf", last_name="Brightwater")
    click_button(qtbot, screen, "Next day")
    book(qtbot, screen, first.last_name)
    refused: list[str] = []
    book(qtbot, screen, second.last_name, refused=refused)
    assert "already has a visit from 9:00 AM to 10:00 AM" in refused[0]
    assert Visit.select().where(Visit.client == second).count() == 0
    assert [row["Client"] for row in rows(screen)] == [first.display_name]


def test_check_in_then_complete_changes_the_status_shown_and_stored(qtbot, screen):
    client = add_client()
    click_button(qtbot, screen, "Next day")
    book(qtbot, screen, client.last_name)
    click_button(qtbot, screen, "Check in")
    assert rows(screen)[0]["Status"] == "Checked in"
    assert Visit.get(Visit.client == client).status == "checked_in"
    click_button(qtbot, screen, "Complete")
    assert rows(screen)[0]["Status"] == "Completed"
    assert Visit.get(Visit.client == client).status == "completed"
    assert status_colour(screen) == ACCEPTANCE_COLOURS["in_network"]  # green: done
    click_button(qtbot, screen, "Check in")  # too late: refused in the message line
    assert "Only a scheduled visit can be checked in." in visible_texts(screen)


def test_cancel_visit_asks_first_and_yes_cancels_it(qtbot, screen):
    client = add_client()
    click_button(qtbot, screen, "Next day")
    book(qtbot, screen, client.last_name)
    with answering(qtbot, "No", title="Cancel visit"):
        click_button(qtbot, screen, "Cancel visit")
    assert rows(screen)[0]["Status"] == "Scheduled"
    with answering(qtbot, "Yes", title="Cancel visit") as box:
        click_button(qtbot, screen, "Cancel visit")
    assert client.display_name in box.text
    assert rows(screen)[0]["Status"] == "Cancelled"
    assert Visit.get(Visit.client == client).status == "cancelled"


def test_previous_and_next_day_and_ctrl_t_move_the_day(qtbot, screen):
    today = date.today()
    click_button(qtbot, screen, "Previous day")
    click_button(qtbot, screen, "Previous day")
    assert shown_day(screen) == today - timedelta(days=2)
    assert f"Visits on {formatting.us_date(today - timedelta(days=2))}" in visible_texts(screen)
    click_button(qtbot, screen, "Next day")
    assert shown_day(screen) == today - timedelta(days=1)
    press(qtbot, Qt.Key.Key_T, CTRL)
    assert shown_day(screen) == today
    click_button(qtbot, screen, "Next day")
    press(qtbot, Qt.Key.Key_4, CTRL)  # the screen's title again: back to today
    assert shown_day(screen) == today


def test_a_visit_changed_elsewhere_is_refused_in_the_message_line(qtbot, screen):
    client = add_client()
    click_button(qtbot, screen, "Next day")
    book(qtbot, screen, client.last_name)
    visit = Visit.get(Visit.client == client)
    visits.record_as_wellness(visit.id, visit.version, "Relaxation")  # at another desk
    click_button(qtbot, screen, "Check in")  # the sheet still shows the older copy
    assert any("changed elsewhere" in text for text in visible_texts(screen))
    assert Visit.get_by_id(visit.id).status == "scheduled"
    assert rows(screen)[0]["Prescription"] == "Wellness (non-medical)"  # as it is now
    click_button(qtbot, screen, "No-show")
    assert rows(screen)[0]["Status"] == "No-show"
    assert status_colour(screen) == CONTRAINDICATION_COLOUR
