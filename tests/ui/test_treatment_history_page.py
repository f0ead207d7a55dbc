"""The treatment history page: a demo client's visits, the filter, Open note, Print history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from helpers import (
    add_client,
    chips,
    click_button,
    find_input,
    press,
    table_rows,
    visible_texts,
)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from frontdesk.models import AuditEvent, Client, InjuryCase, Therapist, Visit
from frontdesk.services import visits
from frontdesk.services.history import when_text
from tests.faults import DISK_FULL
from tests.pdf_text import pdf_text
from ui.pdf_view import PdfPreviewDialog
from ui.screens.treatment_history import TreatmentHistoryPage


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    """The PDF is made and rendered in the background: let that finish before the page goes."""
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def client(demo_clinic) -> Client:
    """A demo client with a workers' comp or auto case, a contraindication and a wellness visit."""
    case = InjuryCase.select().order_by(InjuryCase.id).first()
    Client.update(health_conditions=["blood_clots", "pregnancy"]).where(
        Client.id == case.client_id
    ).execute()
    therapist = Therapist.select().order_by(Therapist.id).first()
    later = datetime.combine(date.today() + timedelta(days=60), time(7))
    visits.book_visit(case.client_id, therapist.id, later, 30, wellness_reason="Relaxation")
    return Client.get_by_id(case.client_id)


def open_page(qtbot, client: Client) -> TreatmentHistoryPage:
    shown = TreatmentHistoryPage()
    qtbot.addWidget(shown)
    shown.resize(1180, 760)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    shown.show_client(client.id)
    return shown


@pytest.fixture
def page(qtbot, client) -> TreatmentHistoryPage:
    """The history of the demo client with a case."""
    return open_page(qtbot, client)


@pytest.fixture
def small_page(qtbot, set_up_clinic) -> TreatmentHistoryPage:
    """The history of a new client with two wellness visits (no demo clinic: quicker)."""
    client = add_client()
    therapist = Therapist.get()
    for day in (3, 10):
        starts = datetime(2026, 10, day, 10)
        visits.book_visit(client.id, therapist.id, starts, 60, wellness_reason="Relaxation")
    return open_page(qtbot, client)


def rows(page) -> list[dict[str, str]]:
    return table_rows(page, "Visits")


def newest_first(query) -> list[Visit]:
    return list(query.order_by(Visit.starts_at.desc(), Visit.id.desc()))


def stored_visits(client: Client) -> list[Visit]:
    return newest_first(Visit.select().where(Visit.client == client))


def dates(visits_or_rows) -> list[str]:
    """The date and time of each visit or row, as the list shows them."""
    return [
        item["Date"] if isinstance(item, dict) else when_text(item.starts_at)
        for item in visits_or_rows
    ]


def test_shows_the_clients_visits_newest_first_under_alerts_and_progress(page, client):
    assert page.heading.text() == f"Treatment history: {client.display_name}"
    stored = stored_visits(client)
    shown = rows(page)
    assert dates(shown) == dates(stored)
    assert (shown[0]["Care"], shown[0]["Note"]) == ("Wellness (non-medical)", "No note")
    assert [row["Note"] == "Signed" for row in shown] == [v.signed_at is not None for v in stored]
    assert chips(page.alerts_box.layout()) == [
        ("Blood clots / deep vein thrombosis (DVT)", "contraindication"),
        ("Pregnancy", "warning"),
    ]
    texts = " ".join(visible_texts(page))
    assert "Prescription of" in texts and "used," in texts and "ends" in texts
    assert f"{len(stored)} visits, newest first" in texts


def test_the_selected_visit_shows_its_whole_note(qtbot, demo_clinic):
    medical = Visit.signed_at.is_null(False) & Visit.prescription.is_null(False)
    signed = newest_first(Visit.select().where(medical))[0]
    page = TreatmentHistoryPage()
    qtbot.addWidget(page)
    page.show()
    page.show_client(signed.client_id)
    page.table.setFocus()
    while page.current_entry().visit_id != signed.id:
        press(qtbot, Qt.Key.Key_Down)
    details = find_input(page, "Visit details").toPlainText()
    assert signed.subjective.splitlines()[0] in details
    assert signed.plan.splitlines()[0] in details
    assert f"Signed by {signed.signed_by.display_name}" in details
    assert "Billed: 97" in details  # a CPT code: medical massage or manual therapy
    assert "Wellness" not in details


def test_the_filter_chosen_by_keyboard_changes_the_list(qtbot, page, client):
    everything = rows(page)
    find_input(page, "Show").setFocus()
    press(qtbot, Qt.Key.Key_Down)  # the newest prescription
    chosen = find_input(page, "Show").currentData()
    assert chosen.label.startswith("Prescription of")
    under_it = stored_visits(client)[1:]  # all but the wellness visit
    under_it = [v for v in under_it if v.prescription_id == chosen.record_id]
    assert dates(rows(page)) == dates(under_it) and len(rows(page)) < len(everything)
    assert {row["Care"] for row in rows(page)} == {chosen.label}
    case = InjuryCase.get(InjuryCase.client == client)
    press(qtbot, Qt.Key.Key_End)  # the injury case
    assert find_input(page, "Show").currentText().startswith(("Workers'", "Auto"))
    of_case = newest_first(Visit.select().where(Visit.injury_case == case))
    assert dates(rows(page)) == dates(of_case)
    press(qtbot, Qt.Key.Key_Home)
    assert find_input(page, "Show").currentText() == "All visits"
    assert rows(page) == everything


def test_open_note_and_enter_on_a_visit_ask_for_that_visits_note(qtbot, page, client):
    stored = stored_visits(client)
    with qtbot.waitSignal(page.note_requested) as asked:
        click_button(qtbot, page, "Open note")
    assert asked.args == [stored[0].id]
    page.table.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.note_requested) as asked:
        press(qtbot, Qt.Key.Key_Return)
    assert asked.args == [stored[1].id]


def test_back_and_escape_ask_to_go_back(qtbot, small_page):
    with qtbot.waitSignal(small_page.back_requested):
        click_button(qtbot, small_page, "Back")
    small_page.table.setFocus()
    with qtbot.waitSignal(small_page.back_requested):
        press(qtbot, Qt.Key.Key_Escape)


def test_tab_goes_from_the_filter_through_the_visits_to_the_buttons(qtbot, small_page):
    find_input(small_page, "Show").setFocus()
    order = []
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        order.append(widget.accessibleName() or widget.text())
    assert order == ["Visits", "Visit details", "Open note", "Print history", "Back"]


def test_print_history_previews_the_filtered_history(qtbot, page, client):
    find_input(page, "Show").setFocus()
    press(qtbot, Qt.Key.Key_Down)  # the prescription's visits only
    chosen = find_input(page, "Show").currentText()
    click_button(qtbot, page, "Print history")
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    preview = page.preview
    assert isinstance(preview, PdfPreviewDialog)
    assert preview.windowTitle() == "Treatment history"
    qtbot.waitUntil(lambda: "page" in find_input(preview, "Page count").text(), timeout=10_000)
    printed = " ".join(pdf_text(preview.pdf_bytes).split())
    assert client.full_name in printed and "Page 1 of" in printed
    assert f"Showing: {chosen}" in printed
    assert "Wellness (non-medical)" not in printed  # not one of the prescription's visits
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity, event.entity_id) == (
        "print",
        "treatment_history",
        client.id,
    )
    click_button(qtbot, preview, "Close")
    assert not preview.isVisible()
    assert page.print_button.isEnabled()


def test_a_storage_problem_is_said_on_the_page(qtbot, small_page, fail_writes):
    shown = small_page.heading.text()
    fail_writes(DISK_FULL)
    click_button(qtbot, small_page, "Print history")
    message = find_input(small_page, "Message").text()
    assert message.startswith("Not printed: the disk holding clinic.db is full.")
    assert small_page.preview is None
    small_page.show_client(999_999)
    message = find_input(small_page, "Message").text()
    assert message.startswith("Could not show the treatment history: this client no longer")
    assert small_page.heading.text() == shown  # what was shown stays
