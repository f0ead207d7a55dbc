"""The Receipts screen end to end, by keyboard: a new receipt previewed, printed, listed, and
a duplicate; the completeness check and its Fix buttons; receipts from the day sheet."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from helpers import (
    answering,
    find_button,
    find_input,
    focused_name,
    key_in,
    pdf_printer,
    pick_suggestion,
    press,
    table_rows,
    working_in,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from frontdesk.models import Client, InjuryCase, Payment, PaymentAllocation, Receipt
from frontdesk.services import receipts
from tests.pdf_text import pdf_text
from ui.dialogs import receipt_flow
from ui.dialogs.new_receipt import NewReceiptDialog
from ui.dialogs.receipt_check import CompletenessDialog
from ui.dialogs.receipt_preview import ReceiptPreviewDialog
from ui.pdf_view import PdfPreviewDialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def printed(monkeypatch, tmp_path) -> Path:
    """Where the print dialog's printer writes: a PDF file instead of paper."""
    path = tmp_path / "printed.pdf"
    preview = partial(ReceiptPreviewDialog, make_printer=pdf_printer(path))
    monkeypatch.setattr(receipt_flow, "ReceiptPreviewDialog", preview)
    return path


@pytest.fixture
def screen(qtbot, demo_window):
    """The demo clinic's Receipts screen, reached with Ctrl+5."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_5, CTRL)
    assert find_input(demo_window, "Navigation").currentItem().text() == "Receipts"
    return demo_window


def press_button(qtbot, window, text: str) -> None:
    find_button(window, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


def a_paying_client() -> tuple[Client, Payment]:
    """A demo client with a payment put on visits, and that payment."""
    on_visits = PaymentAllocation.select(PaymentAllocation.payment)
    payment = (
        Payment.select()
        .where((Payment.kind == "payment") & Payment.id.in_(on_visits))
        .order_by(Payment.received_on.desc(), Payment.id.desc())
        .first()
    )
    return payment.client, payment


def choose_client(qtbot, dialog: NewReceiptDialog, client: Client) -> None:
    assert focused_name() == "Client"
    pick_suggestion(qtbot, client.last_name)
    qtbot.waitUntil(lambda: dialog.client.record_id is not None)
    assert dialog.client.record_id == client.id, "pick a demo client whose last name is unique"


def test_a_new_receipt_is_previewed_printed_numbered_and_listed(qtbot, screen, printed):
    client, payment = a_paying_client()
    seen: dict = {}

    def in_preview(preview: ReceiptPreviewDialog) -> None:
        assert "Receipt no. assigned when printed" in pdf_text(preview.pdf_bytes)
        assert Receipt.select().count() == 0  # not numbered by looking
        with answering(qtbot, "Print"):
            press_button(qtbot, preview, "Print…")
        status = find_input(preview, "Status")
        qtbot.waitUntil(lambda: status.text().startswith("Sent"), timeout=10_000)
        seen["text"] = pdf_text(preview.pdf_bytes)
        press_button(qtbot, preview, "Close")

    def in_new_receipt(dialog: NewReceiptDialog) -> None:
        choose_client(qtbot, dialog, client)
        assert dialog.payment.currentData() == receipts.payment_choices(client.id)[0].payment_id
        dialog.payment.setCurrentIndex(dialog.payment.findData(payment.id))
        press_button(qtbot, dialog, "Preview")

    with (
        working_in(qtbot, ReceiptPreviewDialog, in_preview),
        working_in(qtbot, NewReceiptDialog, in_new_receipt),
    ):
        press_button(qtbot, screen, "New receipt")
    [receipt] = Receipt.select()
    assert (receipt.number, receipt.kind, receipt.client_id) == (1, "hsa_fsa", client.id)
    assert "Receipt no. 1" in seen["text"] and client.last_name in seen["text"]
    assert printed.exists() and printed.stat().st_size > 0
    [row] = table_rows(screen, "Receipts issued")
    assert (row["No."], row["Client"], row["Kind"]) == ("1", client.display_name, "HSA/FSA receipt")


def test_a_duplicate_is_marked_and_takes_no_number(qtbot, screen, monkeypatch, tmp_path):
    client, payment = a_paying_client()
    original = receipts.issue(receipts.draft_receipt(client.id, payment_id=payment.id))
    screen.receipts_screen.refresh()
    saved = tmp_path / "duplicate.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(saved), ""))

    def in_preview(preview: PdfPreviewDialog) -> None:
        press_button(qtbot, preview, "Save as PDF…")
        press_button(qtbot, preview, "Close")

    screen.receipts_screen.table.setFocus()
    with working_in(qtbot, PdfPreviewDialog, in_preview):
        press_button(qtbot, screen, "Print duplicate")
    text = pdf_text(saved.read_bytes())
    assert f"DUPLICATE of receipt {original.number}" in text
    assert Receipt.select().count() == 1


def test_the_search_finds_a_receipt_by_client(qtbot, screen):
    client, payment = a_paying_client()
    receipts.issue(receipts.draft_receipt(client.id, payment_id=payment.id))
    key_in(qtbot, "Find receipt", client.last_name)
    qtbot.waitUntil(lambda: len(table_rows(screen, "Receipts issued")) == 1)
    key_in(qtbot, "Find receipt", "nobody-by-this-name")
    qtbot.waitUntil(lambda: table_rows(screen, "Receipts issued") == [])
    assert "No receipt matches." in find_input(screen, "Count").text()


def test_a_gap_is_listed_with_a_fix_button_that_opens_the_client(qtbot, screen, printed):
    client, payment = a_paying_client()
    Client.update(address_line1="", city="", zip_code="").where(Client.id == client.id).execute()

    def in_check(check: CompletenessDialog) -> None:
        fixes = [b for b in check.findChildren(type(check.back_button)) if "Fix client" in b.text()]
        assert fixes, "the missing address offers Fix client"
        fixes[0].setFocus()
        press(qtbot, Qt.Key.Key_Space)

    def in_new_receipt(dialog: NewReceiptDialog) -> None:
        choose_client(qtbot, dialog, client)
        dialog.payment.setCurrentIndex(dialog.payment.findData(payment.id))
        press_button(qtbot, dialog, "Preview")

    with (
        working_in(qtbot, CompletenessDialog, in_check),
        working_in(qtbot, NewReceiptDialog, in_new_receipt),
    ):
        press_button(qtbot, screen, "New receipt")
    assert Receipt.select().count() == 0  # nothing printed
    assert find_input(screen, "Navigation").currentItem().text() == "Clients"
    assert screen.clients_screen.pages.currentWidget() is screen.clients_screen.intake_page
    assert screen.clients_screen.intake_page.record_id == client.id
    screen.clients_screen.intake_page.form.dirty = False


def preview_and_save(qtbot, screen, choose, saved: Path) -> None:
    """New receipt, `choose(dialog)` fills it, Preview, then Save as PDF in the preview."""

    def in_preview(preview: ReceiptPreviewDialog) -> None:
        press_button(qtbot, preview, "Save as PDF…")
        press_button(qtbot, preview, "Close")

    def in_new_receipt(dialog: NewReceiptDialog) -> None:
        choose(dialog)
        press_button(qtbot, dialog, "Preview")

    with (
        working_in(qtbot, ReceiptPreviewDialog, in_preview),
        working_in(qtbot, NewReceiptDialog, in_new_receipt),
    ):
        press_button(qtbot, screen, "New receipt")
    assert saved.exists()


def test_a_superbill_for_a_workers_comp_client(qtbot, screen, monkeypatch, tmp_path):
    case = InjuryCase.get(InjuryCase.kind == "workers_comp")
    saved = tmp_path / "superbill.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(saved), ""))

    def superbill(dialog: NewReceiptDialog) -> None:
        choose_client(qtbot, dialog, case.client)
        key_in(qtbot, "Kind", "Superbill")
        assert dialog.start.date().toPython() == date.today() - timedelta(days=30)

    preview_and_save(qtbot, screen, superbill, saved)
    text = pdf_text(saved.read_bytes())
    assert "SUPERBILL" in text.upper() and case.claim_number in text
    assert Receipt.get().kind == "superbill"


def test_a_year_end_statement(qtbot, screen, monkeypatch, tmp_path):
    client, _payment = a_paying_client()
    saved = tmp_path / "statement.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(saved), ""))

    def statement(dialog: NewReceiptDialog) -> None:
        choose_client(qtbot, dialog, client)
        key_in(qtbot, "Kind", "Year-end")
        last_year = date.today().year - 1
        assert dialog.start.date().toPython() == date(last_year, 1, 1)  # as clinics send them
        dialog.start.setDate(date(date.today().year, 1, 1))  # the demo began this year
        dialog.end.setDate(date(date.today().year, 12, 31))

    preview_and_save(qtbot, screen, statement, saved)
    text = pdf_text(saved.read_bytes())
    assert "YEAR-END STATEMENT" in text.upper() and client.last_name in text
    assert Receipt.get().kind == "year_end"
