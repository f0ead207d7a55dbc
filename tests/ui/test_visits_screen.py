"""The Visits screen: the day sheet, booking (and refusals), check-in, completion, cancelling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from helpers import (
    add_client,
    click,
    click_button,
    find_button,
    find_input,
    focused_name,
    key_in,
    pick_suggestion,
    prescribe_for,
    press,
    tab_to,
    table_rows,
    type_text,
    visible_texts,
    working_in,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from frontdesk import formatting
from frontdesk.models import Payment, Visit
from frontdesk.services import clinic, ledger, visits
from tests.pdf_text import pdf_text
from ui.dialogs.amount_reason import AmountReasonDialog
from ui.dialogs.book_visit import BookVisitDialog
from ui.dialogs.payment import PaymentDialog
from ui.dialogs.receipt_preview import ReceiptPreviewDialog
from ui.tables import ACCEPTANCE_COLOURS, CONTRAINDICATION_COLOUR

CTRL = Qt.KeyboardModifier.ControlModifier
FREE_DAY = date.today() + timedelta(days=120)  # the demo books nothing so far ahead


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


def show_free_day(qtbot, window) -> None:
    """The day before FREE_DAY, then Next day: a day with no visits yet."""
    window.visits_screen.day_sheet.show_day(FREE_DAY - timedelta(days=1))
    click_button(qtbot, window, "Next day")
    assert shown_day(window) == FREE_DAY


def shown_day(window) -> date:
    return find_input(window, "Day").date().toPython()


def booking_dialog(qtbot, work: Callable[[BookVisitDialog], None]):
    """Do `work` in the "Book visit" window; yields {"dialog": the window} once it opened."""
    return working_in(qtbot, BookVisitDialog, work)


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


def test_opens_on_today_with_the_days_visits_in_time_order(screen):
    today = formatting.us_date(date.today())
    assert shown_day(screen) == date.today()
    assert f"Visits on {today}" in visible_texts(screen)
    expected = visits.day_sheet(date.today())
    assert [(row["Time"], row["Client"]) for row in rows(screen)] == [
        (row.time, row.client) for row in expected
    ]


def test_an_empty_day_says_so(qtbot, screen):
    screen.visits_screen.day_sheet.show_day(FREE_DAY)
    assert rows(screen) == []
    assert f"No visits on {formatting.us_date(FREE_DAY)}." in visible_texts(screen)


def test_booking_puts_the_visit_on_the_sheet_and_in_the_database(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
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
    assert visit.starts_at == datetime.combine(FREE_DAY, datetime.min.time()).replace(hour=9)
    assert "1 visit" in visible_texts(screen)


def test_booking_the_same_therapist_over_a_visit_is_refused(qtbot, screen):
    first, second = add_client(), add_client(first_name="Yusuf", last_name="Brightwater")
    show_free_day(qtbot, screen)
    book(qtbot, screen, first.last_name)
    refused: list[str] = []
    book(qtbot, screen, second.last_name, refused=refused)
    assert "already has a visit from 9:00 AM to 10:00 AM" in refused[0]
    assert Visit.select().where(Visit.client == second).count() == 0
    assert [row["Client"] for row in rows(screen)] == [first.display_name]


def in_outcome_window(qtbot, typed: dict[str, str], key: Qt.Key = Qt.Key.Key_Return) -> Callable:
    """Work for working_in: key in each field of the window, then press `key` (Enter acts)."""

    def work(dialog: AmountReasonDialog) -> None:
        for name, text in typed.items():
            key_in(qtbot, name, text)
        press(qtbot, key)

    return work


def outcome(qtbot, window, action: str, typed: dict[str, str] | None = None) -> dict:
    """Tab to the day sheet's `action` button, press Space, fill its window, press Enter."""
    with working_in(qtbot, AmountReasonDialog, in_outcome_window(qtbot, typed or {})) as seen:
        find_button(window, action).setFocus()
        press(qtbot, Qt.Key.Key_Space)
    return seen


def test_check_in_then_complete_charges_the_visit_at_the_days_price(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)
    click_button(qtbot, screen, "Check in")
    assert rows(screen)[0]["Status"] == "Checked in"
    assert Visit.get(Visit.client == client).status == "checked_in"
    seen = outcome(qtbot, screen, "Complete")
    assert "It is charged:" in seen["dialog"].intro.text()
    visit = Visit.get(Visit.client == client)
    [line] = visit.service_lines
    assert visit.status == "completed" and line.charge_cents > 0
    assert rows(screen)[0]["Status"] == "Completed"
    assert rows(screen)[0]["Balance"] == formatting.money(line.charge_cents)
    assert formatting.money(line.charge_cents) in seen["dialog"].intro.text()
    assert status_colour(screen) == ACCEPTANCE_COLOURS["in_network"]  # green: done
    click_button(qtbot, screen, "Check in")  # too late: refused in the message line
    assert "Only a scheduled visit can be checked in." in visible_texts(screen)


def test_a_courtesy_discount_needs_its_reason_and_comes_off_the_charge(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)

    def without_then_with_reason(dialog: AmountReasonDialog) -> None:
        key_in(qtbot, "Courtesy discount", "10")
        press(qtbot, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert dialog.reason_error.text() == "say why."
        assert focused_name() == "Reason for the discount"
        assert Visit.get(Visit.client == client).status == "scheduled"  # nothing saved
        type_text(qtbot, "Regular client")
        press(qtbot, Qt.Key.Key_Return)

    with working_in(qtbot, AmountReasonDialog, without_then_with_reason):
        click_button(qtbot, screen, "Complete")
    [line] = Visit.get(Visit.client == client).service_lines
    assert (line.discount_cents, line.discount_reason) == (1000, "Regular client")
    assert rows(screen)[0]["Balance"] == formatting.money(line.charge_cents - 1000)


def test_cancelling_late_charges_the_fee_typed_and_back_changes_nothing(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)
    with working_in(qtbot, AmountReasonDialog, in_outcome_window(qtbot, {}, Qt.Key.Key_Escape)):
        click_button(qtbot, screen, "Cancel visit")
    assert rows(screen)[0]["Status"] == "Scheduled"
    typed = {"Late-cancel fee": "$25", "Reason": "Called an hour before"}
    seen = outcome(qtbot, screen, "Cancel visit", typed)
    assert client.display_name in seen["dialog"].intro.text()
    visit = Visit.get(Visit.client == client)
    assert (visit.status, visit.fee_cents, visit.status_reason) == (
        "cancelled", 2500, "Called an hour before",
    )  # fmt: skip
    assert rows(screen)[0]["Status"] == "Cancelled"
    assert rows(screen)[0]["Balance"] == "$25.00"


def test_a_bad_fee_is_shown_beside_the_field_and_nothing_changes(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)

    def bad_fee(dialog: AmountReasonDialog) -> None:
        key_in(qtbot, "No-show fee", "twenty")
        press(qtbot, Qt.Key.Key_Return)
        assert "type an amount in dollars and cents" in dialog.amount_error.text()
        assert dialog.isVisible()

    with working_in(qtbot, AmountReasonDialog, bad_fee):
        click_button(qtbot, screen, "No-show")
    visit = Visit.get(Visit.client == client)
    assert (visit.status, visit.fee_cents) == ("scheduled", 0)


def test_a_no_show_without_a_fee_costs_nothing(qtbot, screen):
    client = add_client()
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)
    outcome(qtbot, screen, "No-show", {"Reason": "No answer"})
    assert rows(screen)[0]["Status"] == "No-show"
    assert rows(screen)[0]["Balance"] == "$0.00"
    assert status_colour(screen) == CONTRAINDICATION_COLOUR


def test_check_in_of_a_visit_whose_prescription_is_used_up_asks_why_wellness(qtbot, screen):
    client = add_client()
    rx = prescribe_for(client, treatments_prescribed="1")
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)  # medical: the prescription's one visit
    visit = Visit.get(Visit.client == client)
    assert (visit.prescription_id, visit.wellness) == (rx.id, False)
    therapist = visit.therapist_id
    earlier = datetime.combine(FREE_DAY - timedelta(days=7), datetime.min.time())
    visits.book_visit(client.id, therapist, earlier.replace(hour=9), 60, prescription_id=rx.id)

    def give_reason(dialog: AmountReasonDialog) -> None:
        assert "All 1 prescribed visits are used or booked" in dialog.intro.text()
        press(qtbot, Qt.Key.Key_Return)  # no reason: refused beside the field
        assert dialog.reason_error.text() == "say why."
        type_text(qtbot, "Prescription used up; wellness massage")
        press(qtbot, Qt.Key.Key_Return)

    with working_in(qtbot, AmountReasonDialog, give_reason):
        click_button(qtbot, screen, "Check in")
    visit = Visit.get_by_id(visit.id)
    assert (visit.status, visit.wellness, visit.prescription_id) == ("checked_in", True, None)
    assert rows(screen)[0]["Prescription"] == "Wellness (non-medical)"


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
    show_free_day(qtbot, screen)
    book(qtbot, screen, client.last_name)
    visit = Visit.get(Visit.client == client)
    visits.record_as_wellness(visit.id, visit.version, "Relaxation")  # at another desk
    click_button(qtbot, screen, "Check in")  # the sheet still shows the older copy
    assert any("changed elsewhere" in text for text in visible_texts(screen))
    assert Visit.get_by_id(visit.id).status == "scheduled"
    assert rows(screen)[0]["Prescription"] == "Wellness (non-medical)"  # as it is now
    outcome(qtbot, screen, "No-show")
    assert rows(screen)[0]["Status"] == "No-show"


def next_saturday() -> date:
    """A day the demo clinic books nothing on (it books weekdays), after tomorrow."""
    day = date.today() + timedelta(days=2)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def demo_client_free_to_book(day: date):
    """A demo client whose current prescription would count a visit on `day` as medical."""
    from frontdesk.models import Client
    from frontdesk.services import booking

    for client in Client.select().where(~Client.archived).order_by(Client.last_name):
        same_name = Client.select().where(Client.last_name == client.last_name).count()
        rx_id = booking.booking_choices(client.id, day).prescription_id
        if same_name == 1 and rx_id and not booking.booking_warnings(client.id, day, rx_id):
            return client
    raise AssertionError("no demo client has a prescription for that day")


def test_the_receptionist_books_checks_in_and_takes_a_split_payment_by_keyboard(
    qtbot, screen, monkeypatch, tmp_path
):
    saturday = next_saturday()
    client = demo_client_free_to_book(saturday)
    sheet = screen.visits_screen.day_sheet
    find_button(screen, "Next day").setFocus()
    while shown_day(screen) < saturday:
        press(qtbot, Qt.Key.Key_Space)

    def book_it(dialog: BookVisitDialog) -> None:
        assert focused_name() == "Client"
        pick_suggestion(qtbot, client.last_name)
        qtbot.waitUntil(lambda: dialog.client.record_id == client.id)
        assert dialog.choices["prescription"].currentData() is not None  # chosen for her
        find_button(dialog, "Book visit").setFocus()
        press(qtbot, Qt.Key.Key_Space)

    with booking_dialog(qtbot, book_it):
        find_button(screen, "Book visit").setFocus()
        press(qtbot, Qt.Key.Key_Space)
    visit = Visit.get((Visit.client == client) & (Visit.starts_at >= saturday))
    assert (visit.wellness, visit.prescription_id is not None) == (False, True)
    assert sheet.selected_row().visit_id == visit.id
    find_button(screen, "Check in").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert Visit.get_by_id(visit.id).status == "checked_in"
    outcome(qtbot, screen, "Complete")
    charge = ledger.visit_charges([visit.id])[visit.id]
    assert charge > 2000

    def split(dialog: PaymentDialog) -> None:
        key_in(qtbot, "Method", "HSA")
        key_in(qtbot, "Amount", "20")
        press(qtbot, Qt.Key.Key_Return)
        key_in(qtbot, "Method", "Cash")
        key_in(qtbot, "Gratuity", "10")
        press(qtbot, Qt.Key.Key_Return)
        with working_in(qtbot, ReceiptPreviewDialog, save_receipt):
            press(qtbot, Qt.Key.Key_Space)  # on "Print receipt", where the focus now is
        find_button(dialog, "Close").setFocus()
        press(qtbot, Qt.Key.Key_Space)

    def save_receipt(preview: ReceiptPreviewDialog) -> None:
        find_button(preview, "Save as PDF…").setFocus()
        press(qtbot, Qt.Key.Key_Space)
        find_button(preview, "Close").setFocus()
        press(qtbot, Qt.Key.Key_Space)

    saved = tmp_path / "receipt.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(saved), ""))
    with working_in(qtbot, PaymentDialog, split):
        find_button(screen, "Take payment").setFocus()
        press(qtbot, Qt.Key.Key_Space)
    receipt_text = pdf_text(saved.read_bytes())
    assert "Receipt no. 1" in receipt_text and "PAID IN FULL" in receipt_text
    paid = {p.method: p for p in Payment.select().where(Payment.client == client)}
    assert paid["hsa_fsa_card"].amount_cents == 2000
    assert (paid["cash"].amount_cents, paid["cash"].gratuity_cents) == (charge - 2000, 1000)
    [row] = [r for r in rows(screen) if r["Client"] == client.display_name]
    assert (row["Status"], row["Balance"]) == ("Completed", "$0.00")


def _no_prescription(client) -> tuple[date, list[str]]:
    return FREE_DAY, []


def _used_up(client) -> tuple[date, list[str]]:
    rx = prescribe_for(client, treatments_prescribed="1")
    therapist = clinic.active_therapists()[-1]
    on_day = datetime.combine(FREE_DAY - timedelta(days=30), datetime.min.time()).replace(hour=8)
    visits.book_visit(client.id, therapist.id, on_day, 60, prescription_id=rx.id)
    return FREE_DAY - timedelta(days=20), []


def _after_end(client) -> tuple[date, list[str]]:
    prescribe_for(client, duration="1 months")
    return FREE_DAY, []


def _before_written(client) -> tuple[date, list[str]]:
    prescribe_for(client)
    return date.today() - timedelta(days=3), []


def _area_not_prescribed(client) -> tuple[date, list[str]]:
    prescribe_for(client)  # the lower back only
    return date.today() + timedelta(days=30), ["Neck (cervical)"]


@pytest.mark.parametrize(
    ("prepare", "warned"),
    [
        (_no_prescription, "No prescription on file"),
        (_used_up, "All 1 prescribed visits are used or booked"),
        (_after_end, "after the prescription ended"),
        (_before_written, "before the prescription was written"),
        (_area_not_prescribed, "Not on the prescription: Neck (cervical)"),
    ],
)
def test_booking_warns_of_each_reason_and_books_only_as_wellness(qtbot, screen, prepare, warned):
    client = add_client()
    day, extra_areas = prepare(client)
    screen.visits_screen.day_sheet.show_day(day)
    seen: dict = {}

    def by_keyboard(dialog: BookVisitDialog) -> None:
        pick_suggestion(qtbot, client.last_name)
        qtbot.waitUntil(lambda: dialog.client.record_id == client.id)
        for area in extra_areas:
            tab_to(qtbot, area)
            press(qtbot, Qt.Key.Key_Space)
        find_button(dialog, "Book visit").setFocus()
        press(qtbot, Qt.Key.Key_Space)
        seen["warnings"] = dialog.warnings.text()
        assert focused_name() == "Reason for wellness care"
        type_text(qtbot, "Client chose a wellness massage")
        press(qtbot, Qt.Key.Key_Return)

    with booking_dialog(qtbot, by_keyboard):
        find_button(screen, "Book visit").setFocus()
        press(qtbot, Qt.Key.Key_Space)
    assert warned in seen["warnings"]
    visit = Visit.get(
        (Visit.client == client) & (Visit.starts_at >= datetime.combine(day, datetime.min.time()))
    )
    assert (visit.wellness, visit.prescription_id) == (True, None)
    assert visit.wellness_reason == "Client chose a wellness massage"
