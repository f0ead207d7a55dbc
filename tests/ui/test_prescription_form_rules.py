"""The prescription form's rules as the receptionist meets them: codes, the plan, the end date."""

from __future__ import annotations

import pytest
from helpers import (
    click_button,
    demo_client,
    enter_text,
    field_error,
    fill,
    fill_form,
    find_input,
    open_prescription,
    press,
    start_new_prescription,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from frontdesk import formatting
from frontdesk.models import Prescription
from frontdesk.services import prescriptions
from ui.tables import CAUTION_COLOUR

PLAN = {"Number of treatments": "24", "Frequency": "2 per month", "Duration": "12 months"}


@pytest.fixture
def form(qtbot, demo_window):
    """A new prescription form for a demo client (Adams, Susan: 11 of 12 visits used)."""
    start_new_prescription(qtbot, demo_window, demo_client())
    return demo_window


def edit_prescription_of(qtbot, window, client) -> None:
    open_prescription(qtbot, window, client)
    click_button(qtbot, window, "Edit prescription")


def add_code(qtbot, window, typed: str) -> None:
    """Type into Diagnosis codes and press Enter (before any suggestion shows)."""
    enter_text(qtbot, window, "Diagnosis codes", typed)
    press(qtbot, Qt.Key.Key_Return)


def chosen_codes(window) -> list[str]:
    codes = find_input(window, "Chosen diagnosis codes")
    return [codes.item(row).data(Qt.ItemDataRole.UserRole) for row in range(codes.count())]


def text_of(window, label: str) -> str:
    return find_input(window, label).text()


def prescription_count() -> int:
    return Prescription.select().count()


# --- diagnosis codes ------------------------------------------------------------------------


def test_a_category_is_refused_with_its_billable_codes_offered(qtbot, form):
    add_code(qtbot, form, "M54.5")
    assert field_error(form, "Diagnosis codes") == (
        "M54.5 is a category; use a billable code: M54.50, M54.51, M54.59."
    )
    assert chosen_codes(form) == []
    assert text_of(form, "Diagnosis codes") == "M54.5"  # kept, to finish typing
    popup = find_input(form, "Diagnosis codes").completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    offered = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    assert "M54.50  Low back pain, unspecified" in offered


def test_a_code_that_does_not_exist_is_refused(qtbot, form):
    add_code(qtbot, form, "Q99.99")
    assert field_error(form, "Diagnosis codes") == (
        "Q99.99 is not in the ICD-10-CM code set; type the code from the prescription, e.g. M54.50."
    )
    assert chosen_codes(form) == []


def test_a_billable_code_is_added_and_the_refusal_goes(qtbot, form):
    add_code(qtbot, form, "M54.5")
    add_code(qtbot, form, "M54.50")
    assert chosen_codes(form) == ["M54.50"]
    assert text_of(form, "Diagnosis codes") == ""
    assert field_error(form, "Diagnosis codes") == ""


# --- saving with errors ---------------------------------------------------------------------


def test_a_save_with_errors_names_every_bad_field_and_writes_nothing(qtbot, form):
    before = prescription_count()
    fill(qtbot, form, "Date written", "02/30/2026")
    fill(qtbot, form, "Reason for medical necessity", "Low back pain")
    fill_form(qtbot, form, {**PLAN, "Frequency": "now and then"})
    click_button(qtbot, form, "Save prescription")
    assert text_of(form, "Save message") == (
        "Not saved: check Physician, Date written, Diagnosis codes, Frequency and Body areas."
    )
    assert field_error(form, "Frequency") == "type it as 2 per week or 1 per month."
    assert field_error(form, "Reason for medical necessity") == ""
    assert prescription_count() == before


# --- the plan -------------------------------------------------------------------------------


def test_the_amber_plan_warning_says_what_the_plan_adds_up_to(qtbot, form):
    fill_form(qtbot, form, {**PLAN, "Number of treatments": "10"})
    warning = find_input(form, "Plan warning")
    assert warning.text() == "2 per month for 12 months is 24 treatments, not 10."
    warning.ensurePolished()
    assert warning.palette().color(QPalette.ColorRole.WindowText) == QColor(CAUTION_COLOUR)

    fill(qtbot, form, "Number of treatments", "24")
    assert not warning.isVisible()


def test_fewer_treatments_than_visits_used_is_refused_with_the_numbers(qtbot, demo_window):
    adams = demo_client()
    [stored] = Prescription.select().where(Prescription.client == adams)
    edit_prescription_of(qtbot, demo_window, adams)
    fill(qtbot, demo_window, "Number of treatments", "5")
    refusal = "11 visits are already used or booked on this prescription; type 11 or more, not 5."
    assert field_error(demo_window, "Number of treatments") == refusal  # said on leaving it
    click_button(qtbot, demo_window, "Save prescription")
    assert field_error(demo_window, "Number of treatments") == refusal
    assert text_of(demo_window, "Save message") == "Not saved: check Number of treatments."
    assert Prescription.get_by_id(stored.id).treatments_prescribed == 12


# --- the end date ---------------------------------------------------------------------------


def test_the_end_date_follows_date_written_and_duration(qtbot, form):
    fill(qtbot, form, "Date written", "03/10/2026")
    fill(qtbot, form, "Duration", "12 months")
    assert text_of(form, "End date") == "03/09/2027"
    fill(qtbot, form, "Duration", "6 weeks")
    assert text_of(form, "End date") == "04/20/2026"
    fill(qtbot, form, "Date written", "03/17/2026")
    assert text_of(form, "End date") == "04/27/2026"


def test_an_end_date_typed_over_stays_as_typed(qtbot, form):
    fill(qtbot, form, "Date written", "03/10/2026")
    fill(qtbot, form, "Duration", "12 months")
    fill(qtbot, form, "End date", "12/31/2026")
    fill(qtbot, form, "Duration", "6 months")
    fill(qtbot, form, "Date written", "03/01/2026")
    assert text_of(form, "End date") == "12/31/2026"


def test_on_an_opened_prescription_the_end_date_follows_a_corrected_duration(qtbot, demo_window):
    adams = demo_client()
    [stored] = Prescription.select().where(Prescription.client == adams)
    edit_prescription_of(qtbot, demo_window, adams)
    assert text_of(demo_window, "End date") == formatting.us_date(stored.end_date)
    fill(qtbot, demo_window, "Duration", "12 months")
    end = prescriptions.end_date_for(stored.written_on, 12, "month")
    assert text_of(demo_window, "End date") == formatting.us_date(end)
    click_button(qtbot, demo_window, "Save prescription")
    assert Prescription.get_by_id(stored.id).end_date == end
