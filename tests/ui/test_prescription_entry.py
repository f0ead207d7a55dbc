"""Entering a physician's prescription by keyboard, as a receptionist does at the desk."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import (
    click_button,
    find_button,
    find_input,
    focused_name,
    form_rows,
    group_box,
    open_client_summary,
    pick_suggestion,
    press,
    tab_to,
    table_rows,
    type_text,
    visible_texts,
)
from PySide6.QtCore import Qt

from frontdesk import formatting
from frontdesk.models import Client, Prescription
from frontdesk.services.prescriptions import end_date_for

CTRL = Qt.KeyboardModifier.ControlModifier
TAB = Qt.Key.Key_Tab


@pytest.fixture
def wellness_client(demo_window) -> Client:
    """A demo client with no prescription yet."""
    with_prescription = Prescription.select(Prescription.client)
    return (
        Client.select()
        .where(Client.archived == False, Client.id.not_in(with_prescription))  # noqa: E712
        .order_by(Client.last_name)
        .first()
    )


def test_the_seed_example_is_entered_by_keyboard_and_shown_everywhere(
    qtbot, demo_window, wellness_client
):
    window = demo_window
    open_client_summary(qtbot, window, wellness_client)
    find_button(window, "New prescription").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert focused_name() == "Physician"

    pick_suggestion(qtbot, "Haines")
    tab_to(qtbot, "Date written")  # today, already filled in
    press(qtbot, TAB)
    type_text(qtbot, "back pain")
    press(qtbot, TAB)
    assert focused_name() == "Diagnosis codes"
    type_text(qtbot, "m5450")
    press(qtbot, Qt.Key.Key_Return)
    assert find_input(window, "Chosen diagnosis codes").count() == 1
    tab_to(qtbot, "Number of treatments")
    type_text(qtbot, "24")
    press(qtbot, TAB)
    type_text(qtbot, "2 per month")
    press(qtbot, TAB)
    type_text(qtbot, "12 months")
    press(qtbot, TAB)
    tab_to(qtbot, "Lower back (lumbar)")
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Return)

    stored = Prescription.get(Prescription.client == wellness_client.id)
    written = date.today()
    end = end_date_for(written, 12, "month")
    assert (stored.treatments_prescribed, stored.frequency_count, stored.duration_count) == (
        24,
        2,
        12,
    )
    assert (stored.reason, stored.body_areas, stored.end_date) == ("back pain", ["lower_back"], end)
    assert [d.code for d in stored.diagnoses] == ["M54.50"]
    assert "Prescription saved." in window.statusBar().currentMessage()
    details = form_rows(group_box(window, "The physician's order"))
    assert details["Visits"] == "0 used, 24 left"
    assert details["Diagnosis codes"] == "M54.50  Low back pain, unspecified"

    press(qtbot, Qt.Key.Key_Escape)  # back to the client's summary
    summary = form_rows(group_box(window, "Prescription"))
    assert summary["Visits"] == "0 used, 24 left of 24"
    assert summary["Ends"] == formatting.us_date(end)
    assert table_rows(window, "Client's prescriptions")[0]["State"] == "Active"

    press(qtbot, Qt.Key.Key_2, CTRL)
    find_input(window, "Show").setCurrentIndex(4)  # All
    rows = table_rows(window, "Prescriptions")
    assert any(row["Client"] == wellness_client.display_name for row in rows)


def test_a_save_with_nothing_chosen_names_every_missing_field_and_writes_nothing(
    qtbot, demo_window, wellness_client
):
    window = demo_window
    open_client_summary(qtbot, window, wellness_client)
    find_button(window, "New prescription").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Return)
    message = find_input(window, "Save message").text()
    for label in ("Physician", "Reason for medical necessity", "Diagnosis codes", "Body areas"):
        assert label in message
    assert not Prescription.select().where(Prescription.client == wellness_client.id).exists()
    assert "Not saved" in " ".join(visible_texts(window))


def test_the_diagnosis_list_is_reordered_and_trimmed_by_keyboard(
    qtbot, demo_window, wellness_client
):
    window = demo_window
    open_client_summary(qtbot, window, wellness_client)
    find_button(window, "New prescription").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, "Diagnosis codes")
    for code in ("M54.50", "M62.830", "M54.2"):
        type_text(qtbot, code)
        press(qtbot, Qt.Key.Key_Return)
    codes = find_input(window, "Chosen diagnosis codes")
    codes.setFocus()
    codes.setCurrentRow(2)
    press(qtbot, Qt.Key.Key_Up, CTRL)
    press(qtbot, Qt.Key.Key_Up, CTRL)
    assert codes.item(0).text() == "1. M54.2  Cervicalgia (primary)"
    codes.setCurrentRow(2)
    press(qtbot, Qt.Key.Key_Delete)
    texts = [codes.item(row).text().split("  ")[0] for row in range(codes.count())]
    assert texts == ["1. M54.2", "2. M54.50"]


def test_a_prescription_names_the_injury_case_it_treats(qtbot, demo_window):
    window = demo_window
    treated = Prescription.select().where(Prescription.injury_case.is_null(False)).first()
    case = treated.injury_case
    open_client_summary(qtbot, window, treated.client)
    rows = table_rows(window, "Client's prescriptions")
    find_input(window, "Client's prescriptions").selectRow(
        [row["Written"] for row in rows].index(formatting.us_date(treated.written_on))
    )
    click_button(qtbot, window, "Open prescription")
    shown = form_rows(group_box(window, "The physician's order"))["Injury case"]
    assert case.claim_number in shown
    click_button(qtbot, window, "Edit prescription")
    choice = find_input(window, "Injury case")
    assert case.claim_number in choice.currentText()
    choice.setFocus()
    choice.setCurrentIndex(0)  # "Not for an injury case"
    press(qtbot, Qt.Key.Key_Return)
    assert Prescription.get_by_id(treated.id).injury_case is None
