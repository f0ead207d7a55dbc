"""Taking payments by keyboard: a split payment with a tip, voids, refunds, the account."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from helpers import (
    add_client,
    field_error,
    find_button,
    find_input,
    key_in,
    press,
    table_rows,
    working_in,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from frontdesk import formatting
from frontdesk.models import Payment, PaymentAllocation, Therapist, Visit
from frontdesk.services import ledger, visits
from tests.pdf_text import pdf_text
from ui.dialogs.amount_reason import AmountReasonDialog
from ui.dialogs.client_account import ClientAccountDialog
from ui.dialogs.payment import PaymentDialog
from ui.dialogs.receipt_check import CompletenessDialog
from ui.dialogs.receipt_preview import ReceiptPreviewDialog

CTRL = Qt.KeyboardModifier.ControlModifier
DAY = date.today() + timedelta(days=120)  # the demo books nothing so far ahead


def completed_visit(hour: int = 9) -> Visit:
    """A new client's wellness visit, completed and charged."""
    client = add_client()
    therapist = Therapist.select().where(Therapist.active).first()
    booked = visits.book_visit(
        client.id, therapist.id, datetime.combine(DAY, time(hour)), 60, wellness_reason="Relax"
    )
    return visits.complete_visit(booked.visit.id, booked.visit.version)


def charge_of(visit: Visit) -> int:
    return ledger.visit_charges([visit.id])[visit.id]


def press_button(qtbot, window, text: str) -> None:
    find_button(window, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


@pytest.fixture
def sheet(qtbot, demo_window):
    """The day sheet of DAY, reached with Ctrl+4."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_4, CTRL)
    return demo_window


def show_visit(window, visit: Visit) -> None:
    window.visits_screen.day_sheet.show_day(DAY)
    window.visits_screen.day_sheet.select_visit(visit.id)


def day_row(window, visit: Visit) -> dict[str, str]:
    [row] = [r for r in table_rows(window, "Day sheet") if r["Client"] == visit.client.display_name]
    return row


def test_a_split_payment_card_then_cash_with_a_tip(qtbot, sheet):
    visit = completed_visit()
    charge = charge_of(visit)
    show_visit(sheet, visit)
    assert day_row(sheet, visit)["Balance"] == formatting.money(charge)

    def pay_in_two_parts(dialog: PaymentDialog) -> None:
        amount = find_input(dialog, "Amount")
        assert amount.text() == formatting.money(charge)  # what is owed
        key_in(qtbot, "Method", "HSA")
        key_in(qtbot, "Amount", "60")
        key_in(qtbot, "Reference", "4242")
        press(qtbot, Qt.Key.Key_Return)
        assert dialog.isVisible()  # the rest is still owed: the window stays for it
        assert amount.text() == formatting.money(charge - 6000)
        assert "$60.00 by HSA/FSA card" in find_input(dialog, "Account").text()
        key_in(qtbot, "Method", "Cash")
        key_in(qtbot, "Gratuity", "15")
        press(qtbot, Qt.Key.Key_Return)
        assert QApplication.focusWidget() is dialog.receipt_button  # paid: the receipt next
        press_button(qtbot, dialog, "Close")

    with working_in(qtbot, PaymentDialog, pay_in_two_parts):
        press_button(qtbot, sheet, "Take payment")
    card, cash = Payment.select().where(Payment.client == visit.client_id).order_by(Payment.id)
    assert (card.method, card.amount_cents, card.gratuity_cents, card.reference) == (
        "hsa_fsa_card", 6000, 0, "4242",
    )  # fmt: skip
    assert (cash.method, cash.amount_cents, cash.gratuity_cents) == (
        "cash", charge - 6000, 1500,
    )  # fmt: skip
    put_on_visit = PaymentAllocation.select().where(PaymentAllocation.visit == visit.id)
    assert sorted(a.amount_cents for a in put_on_visit) == sorted([6000, charge - 6000])
    assert day_row(sheet, visit)["Balance"] == "$0.00"
    assert ledger.client_balance(visit.client_id).balance_cents == 0  # the tip is apart


def test_an_hsa_card_cannot_pay_a_tip(qtbot, sheet):
    visit = completed_visit()
    show_visit(sheet, visit)

    def tip_on_hsa(dialog: PaymentDialog) -> None:
        key_in(qtbot, "Method", "HSA")
        key_in(qtbot, "Gratuity", "10")
        press(qtbot, Qt.Key.Key_Return)
        assert "cannot pay a gratuity" in field_error(dialog, "Gratuity")
        assert dialog.isVisible()
        dialog.page.form.dirty = False

    with working_in(qtbot, PaymentDialog, tip_on_hsa):
        press_button(qtbot, sheet, "Take payment")
    assert not Payment.select().where(Payment.client == visit.client_id).exists()


def test_voiding_a_payment_keeps_it_marked_and_the_visit_owes_again(qtbot, sheet):
    visit = completed_visit()
    charge = charge_of(visit)
    ledger.record_payment(
        {"method": "cash", "received_on": formatting.us_date(date.today()), "amount_cents": "85"},
        visit.client_id,
        allocations={visit.id: min(8500, charge)},
    )
    show_visit(sheet, visit)

    def void_it(account: ClientAccountDialog) -> None:
        assert table_rows(account, "Ledger")[0]["Entry"] == "Payment"

        def give_reason(dialog: AmountReasonDialog) -> None:
            press(qtbot, Qt.Key.Key_Return)  # no reason: refused
            assert dialog.reason_error.text() == "say why."
            key_in(qtbot, "Reason", "Entered twice")
            press(qtbot, Qt.Key.Key_Return)

        with working_in(qtbot, AmountReasonDialog, give_reason):
            press_button(qtbot, account, "Void entry")
        listed = table_rows(account, "Ledger")
        assert listed[0]["Entry"].startswith("Void of #")
        assert listed[1]["State"] == "Voided"
        assert "Balance owed" in find_input(account, "Balance").text()
        press_button(qtbot, account, "Close")

    with working_in(qtbot, ClientAccountDialog, void_it):
        press_button(qtbot, sheet, "Account")
    void = Payment.get((Payment.client == visit.client_id) & (Payment.kind == "void"))
    assert void.reason == "Entered twice"
    assert Payment.select().where(Payment.client == visit.client_id).count() == 2  # none deleted
    assert day_row(sheet, visit)["Balance"] == formatting.money(charge)


def test_an_overpayment_stays_as_credit_and_can_be_refunded(qtbot, sheet):
    visit = completed_visit()
    charge = charge_of(visit)
    show_visit(sheet, visit)

    def overpay(dialog: PaymentDialog) -> None:
        key_in(qtbot, "Amount", formatting.money(charge + 2000))
        assert "$20.00 stays on the account as a credit." in find_input(dialog, "Applies to").text()
        press(qtbot, Qt.Key.Key_Return)
        press_button(qtbot, dialog, "Close")

    with working_in(qtbot, PaymentDialog, overpay):
        press_button(qtbot, sheet, "Take payment")
    assert ledger.client_balance(visit.client_id).credit_cents == 2000

    def refund(account: ClientAccountDialog) -> None:
        assert "Credit: $20.00" in find_input(account, "Balance").text()
        with working_in(qtbot, AmountReasonDialog, refund_all):
            press_button(qtbot, account, "Refund")
        assert "Balance owed: $0.00" in find_input(account, "Balance").text()
        press_button(qtbot, account, "Close")

    def refund_all(dialog: AmountReasonDialog) -> None:
        assert dialog.amount.text() == "$20.00"
        key_in(qtbot, "Reason", "Overpaid")
        press(qtbot, Qt.Key.Key_Return)

    with working_in(qtbot, ClientAccountDialog, refund):
        press_button(qtbot, sheet, "Account")
    refund_entry = Payment.get((Payment.client == visit.client_id) & (Payment.kind == "refund"))
    assert (refund_entry.amount_cents, refund_entry.reason) == (2000, "Overpaid")


def test_the_day_sheet_prints_the_receipt_of_a_visit(qtbot, sheet, monkeypatch, tmp_path):
    visit = completed_visit()  # wellness care: never printed as medical
    charge = charge_of(visit)
    ledger.record_payment(
        {"method": "cash", "received_on": formatting.us_date(date.today()), "amount_cents": "500"},
        visit.client_id,
        allocations={visit.id: charge},
    )
    show_visit(sheet, visit)
    saved = tmp_path / "receipt.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(saved), ""))

    def save(preview: ReceiptPreviewDialog) -> None:
        press_button(qtbot, preview, "Save as PDF…")
        press_button(qtbot, preview, "Close")

    def print_anyway(check: CompletenessDialog) -> None:
        listed = " ".join(label.text() for label in check.findChildren(QLabel))
        assert "address" in listed  # the new client gave none
        press_button(qtbot, check, "Print anyway")

    with (
        working_in(qtbot, ReceiptPreviewDialog, save),
        working_in(qtbot, CompletenessDialog, print_anyway),
    ):
        press_button(qtbot, sheet, "Receipt")
    text = pdf_text(saved.read_bytes())
    assert visit.client.last_name in text and "Receipt no. 1" in text
    assert "Non-medical service: not HSA/FSA eligible" in text


def test_a_payment_taken_elsewhere_meanwhile_is_not_turned_into_credit(qtbot, sheet):
    visit = completed_visit()
    charge = charge_of(visit)
    show_visit(sheet, visit)

    def paid_elsewhere(dialog: PaymentDialog) -> None:
        ledger.record_payment(  # the same visit paid at another desk, meanwhile
            {
                "method": "cash",
                "received_on": formatting.us_date(date.today()),
                "amount_cents": "1",
            },
            visit.client_id,
            allocations={visit.id: 100},
        )
        press(qtbot, Qt.Key.Key_Return)  # the amount shown: what was owed when it opened
        assert "account changed meanwhile" in dialog.page.summary.text()
        assert "credit" in find_input(dialog, "Applies to").text()  # shown as it is now
        dialog.page.form.dirty = False
        press_button(qtbot, dialog, "Close")

    with working_in(qtbot, PaymentDialog, paid_elsewhere):
        press_button(qtbot, sheet, "Take payment")
    payments = Payment.select().where(Payment.client == visit.client_id)
    assert [p.amount_cents for p in payments] == [100]  # only the other desk's
    assert ledger.client_balance(visit.client_id).balance_cents == charge - 100
