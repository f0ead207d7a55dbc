"""What each role's screens offer: the owner everything; the front desk the desk's work but
not what the notes say; a therapist the notes, written only on their own visits, and no
desk work or balances. Nothing is offered that the core would refuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pypdfium2 as pdfium
import pytest
from helpers import (
    LOGIN_PASSWORD,
    group_box,
    prescribe_for,
    table_rows,
    visible_buttons,
    visible_texts,
)
from PySide6.QtWidgets import QApplication, QGroupBox

from frontdesk import access
from frontdesk.access import Actor
from frontdesk.documents.treatment_history import treatment_history_pdf
from frontdesk.models import Client, ClinicProfile, Prescription, Therapist, Visit
from frontdesk.services import (
    clients,
    clinic,
    history,
    notes,
    physicians,
    users,
    visits,
)
from frontdesk.services.receipts import Problem
from tests.conftest import THERAPIST
from tests.core.conftest import PHYSICIAN
from ui.dialogs.receipt_check import CompletenessDialog
from ui.main_window import MainWindow
from ui.screens.day_sheet import BALANCE_COLUMN, DaySheetPage
from ui.screens.treatment_history import PAIN_COLUMN

TODAY = date.today()
OWN_NOTE = "Tight lower back after lifting boxes."
OTHER_NOTE = "Neck stiff on the left."
WITHHELD = "Treatment notes are not shown to front-desk logins."
DAY_SHEET_WORK = {"Book visit", "Check in", "Complete", "No-show", "Cancel visit"}
MONEY_WORK = {"Take payment", "Receipt", "Account"}
CLIENT_WORK = {
    "Edit client",
    "Archive client",
    "Add coverage",
    "Add workers' comp case",
    "Add auto case",
    "New prescription",
    "Renew prescription",
}


@dataclass
class Day:
    """Today at the clinic: one client, Hannah's and Diego's visits with draft notes, one
    visit completed and owing."""

    client: Client
    prescription: Prescription
    own_visit: Visit  # Hannah's: the therapist login is hers
    other_visit: Visit  # Diego's
    done_visit: Visit  # Hannah's, completed, not paid


def _with_draft(client: Client, therapist: Therapist, hour: int, text: str) -> Visit:
    booked = visits.book_visit(client.id, therapist.id, datetime.combine(TODAY, time(hour)), 60)
    checked_in = visits.check_in(booked.visit.id, booked.visit.version)
    return notes.save_draft(checked_in.id, checked_in.version, {"subjective": text})


@pytest.fixture
def day(set_up_clinic) -> Day:
    hannah = Therapist.get()
    diego = clinic.add_therapist(
        {**THERAPIST, "first_name": "Diego", "last_name": "Ruiz", "license_number": "L-2"}
    )
    client = clients.save_client(
        {"first_name": "Rosa", "last_name": "Marin", "date_of_birth": "02/03/1975"}
    )
    physicians.save_physician(PHYSICIAN)
    rx = prescribe_for(client)
    treated = _with_draft(client, hannah, 8, "Came in stiff.")
    done = visits.complete_visit(treated.id, treated.version)
    return Day(
        client=client,
        prescription=rx,
        own_visit=_with_draft(client, hannah, 10, OWN_NOTE),
        other_visit=_with_draft(client, diego, 12, OTHER_NOTE),
        done_visit=done,
    )


@pytest.fixture
def logins(day) -> None:
    """An owner, a front-desk login and Hannah's therapist login, made by the owner."""
    hannah = Therapist.get(Therapist.first_name == "Hannah")
    for username, name, role, therapist_id in (
        ("dana", "Dana Reyes", "Owner", None),
        ("sam", "Sam Ortiz", "Front desk", None),
        ("hannah", "Hannah Okafor", "Therapist", hannah.id),
    ):
        users.add_user(
            {"username": username, "full_name": name, "role": role}, LOGIN_PASSWORD, therapist_id
        )


def person(username: str) -> Actor:
    return users.sign_in(username, LOGIN_PASSWORD)


# --- the client summary ------------------------------------------------------------------------


def summary_of(window: MainWindow, client: Client) -> QGroupBox:
    window.open_client(client.id)
    page = window.clients_screen.summary_page
    assert page.isVisible()
    return page


def test_the_owner_sees_every_action_on_the_client_and_the_balance(window_for, day):
    page = summary_of(window_for("dana"), day.client)
    assert CLIENT_WORK | {"Export record…", "Open prescription"} <= set(visible_buttons(page))
    assert any(text.startswith("Owes $") for text in visible_texts(group_box(page, "Balance")))


def test_the_front_desk_changes_clients_but_exports_nothing(window_for, day):
    page = summary_of(window_for("sam"), day.client)
    shown = set(visible_buttons(page))
    assert shown >= CLIENT_WORK
    assert "Export record…" not in shown
    assert any(text.startswith("Owes $") for text in visible_texts(group_box(page, "Balance")))


def test_a_therapist_reads_the_client_and_sees_no_desk_work_or_balance(window_for, day):
    page = summary_of(window_for("hannah"), day.client)
    assert sorted(visible_buttons(page)) == ["Back to list", "Open prescription"]
    boxes = [box.title() for box in page.findChildren(QGroupBox) if box.isVisible()]
    assert "Balance" not in boxes and "Recent visits" in boxes
    assert not any("$" in text for text in visible_texts(page))
    assert QApplication.focusWidget() is page.back_button  # where Edit client would have it


def test_a_therapist_opens_a_prescription_only_to_read_it(window_for, day):
    window = window_for("hannah")
    window.open_client(day.client.id)
    window.clients_screen.open_prescription(day.prescription.id)
    view = window.clients_screen.prescription_view
    assert view.isVisible()
    assert visible_buttons(view) == ["Back to client"]


def test_only_those_who_enter_prescriptions_are_offered_a_renewal_request(window_for, day):
    for username, offered in (("sam", True), ("hannah", False)):
        window = window_for(username)
        window.show_screen("Prescriptions")
        shown = visible_buttons(window.prescriptions_screen)
        assert ("Request renewal" in shown) is offered, username
        assert "Open client" in shown


# --- the day sheet -----------------------------------------------------------------------------


def day_sheet_of(window: MainWindow) -> DaySheetPage:
    window.show_screen("Visits")
    sheet = window.visits_screen.day_sheet
    sheet.show_day(TODAY)
    return sheet


def test_the_owner_s_day_sheet_offers_everything(window_for, day):
    sheet = day_sheet_of(window_for("dana"))
    wanted = DAY_SHEET_WORK | MONEY_WORK | {"Treatment note", "History"}
    assert wanted <= set(visible_buttons(sheet))
    assert not sheet.table.isColumnHidden(BALANCE_COLUMN)


def test_the_front_desk_s_day_sheet_has_no_treatment_note(window_for, day):
    window = window_for("sam")
    sheet = day_sheet_of(window)
    shown = set(visible_buttons(sheet))
    assert DAY_SHEET_WORK | MONEY_WORK | {"History"} <= shown
    assert "Treatment note" not in shown
    balances = {row["Balance"] for row in table_rows(sheet, "Day sheet")}
    assert any(text.startswith("$") and text != "$0.00" for text in balances)
    sheet.table.doubleClicked.emit(sheet.table.currentIndex())  # opens no note
    assert window.visits_screen.note_page is None


def test_a_therapist_s_day_sheet_offers_notes_and_history_and_shows_no_balance(window_for, day):
    sheet = day_sheet_of(window_for("hannah"))
    shown = set(visible_buttons(sheet))
    assert {"Treatment note", "History"} <= shown
    assert not shown & (DAY_SHEET_WORK | MONEY_WORK)
    assert sheet.table.isColumnHidden(BALANCE_COLUMN)
    assert {row["Balance"] for row in table_rows(sheet, "Day sheet")} == {"—"}


# --- treatment notes ----------------------------------------------------------------------------


def note_page_for(window: MainWindow, visit: Visit):
    day_sheet_of(window)
    window.visits_screen.open_note(visit.id)
    page = window.visits_screen.note_page
    assert page is not None and page.isVisible()
    return page


def test_a_therapist_writes_and_signs_their_own_visit_s_note(window_for, day):
    page = note_page_for(window_for("hannah"), day.own_visit)
    assert {"Save draft", "Sign note"} <= set(visible_buttons(page))
    assert page.form.input("subjective").toPlainText() == OWN_NOTE
    assert not page.form.input("subjective").isReadOnly()


def test_a_therapist_reads_another_therapist_s_note_without_writing_it(window_for, day):
    page = note_page_for(window_for("hannah"), day.other_visit)
    shown = set(visible_buttons(page))
    assert "Back" in shown and not shown & {"Save draft", "Sign note", "Add addendum"}
    assert page.form.input("subjective").toPlainText() == OTHER_NOTE
    assert page.form.input("subjective").isReadOnly()
    assert "Only Diego Ruiz, LMT writes and signs this note" in " ".join(visible_texts(page))


def test_the_owner_may_write_any_therapist_s_note(window_for, day):
    page = note_page_for(window_for("dana"), day.other_visit)
    assert {"Save draft", "Sign note"} <= set(visible_buttons(page))


def test_the_front_desk_is_told_the_note_is_withheld(window_for, day):
    window = window_for("sam")
    sheet = day_sheet_of(window)
    window.visits_screen.open_note(day.own_visit.id)
    assert window.visits_screen.note_page is None
    assert WITHHELD in visible_texts(sheet)


# --- the treatment history ---------------------------------------------------------------------


def history_details(window: MainWindow, client: Client, visit: Visit) -> str:
    screen = window.visits_screen
    day_sheet_of(window)
    screen.open_history(client.id)
    page = screen.history_page
    rows = [entry.visit_id for entry in page.model.rows]
    page.table.selectRow(rows.index(visit.id))
    return page.details.toPlainText()


def test_the_front_desk_sees_the_history_with_the_note_withheld(window_for, day):
    window = window_for("sam")
    details = history_details(window, day.client, day.own_visit)
    assert WITHHELD in details and OWN_NOTE not in details
    page = window.visits_screen.history_page
    assert "Open note" not in visible_buttons(page)
    assert page.table.isColumnHidden(PAIN_COLUMN)  # blank pain would read as none


@pytest.mark.parametrize("username", ["hannah", "dana"])
def test_those_who_read_notes_see_them_in_the_history(window_for, day, username):
    window = window_for(username)
    details = history_details(window, day.client, day.other_visit)
    assert OTHER_NOTE in details and WITHHELD not in details
    assert "Open note" in visible_buttons(window.visits_screen.history_page)


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return " ".join(page.get_textpage().get_text_range() for page in document)


def test_the_printed_history_says_where_the_front_desk_may_not_read_the_note(day):
    profile = ClinicProfile(name="Harbor Medical Massage")
    with access.acting_as(Actor(9, "desk", access.FRONT_DESK)):
        withheld = pdf_text(
            treatment_history_pdf(history.treatment_history(day.client.id), profile)
        )
    shown = pdf_text(treatment_history_pdf(history.treatment_history(day.client.id), profile))
    assert " ".join(WITHHELD.split()) in " ".join(withheld.split())
    assert OWN_NOTE not in withheld
    assert OWN_NOTE in shown and WITHHELD not in shown


# --- before printing a receipt -----------------------------------------------------------------


def test_the_front_desk_is_offered_only_the_fixes_it_may_make(qtbot, day):
    problems = [
        Problem("The clinic's EIN is missing.", "clinic", 1),
        Problem("The client's address is missing.", "client", day.client.id),
    ]
    with access.acting_as(Actor(9, "desk", access.FRONT_DESK)):
        dialog = CompletenessDialog(problems)
    qtbot.addWidget(dialog)
    dialog.show()
    assert sorted(visible_buttons(dialog)) == ["Back", "Fix client", "Print anyway"]
    assert "• The clinic's EIN is missing." in visible_texts(dialog)
