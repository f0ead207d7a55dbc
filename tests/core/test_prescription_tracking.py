"""Visits against a prescription: what counts, the state on any date, and visit warnings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.models import Client, Visit
from frontdesk.services import prescriptions
from frontdesk.services.prescriptions import check_visit, status_of
from tests.core.conftest import TODAY, rx_form

DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("written", "count", "unit", "end"),
    [
        (date(2026, 1, 10), 6, "month", date(2026, 7, 9)),
        (date(2026, 1, 31), 1, "month", date(2026, 2, 28)),  # no Feb 31: the month's last day
        (date(2026, 3, 31), 1, "month", date(2026, 4, 30)),
        (date(2026, 8, 31), 1, "month", date(2026, 9, 30)),
        (date(2026, 1, 28), 1, "month", date(2026, 2, 27)),
        (date(2028, 1, 30), 1, "month", date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), 12, "month", date(2029, 2, 28)),  # written on a leap day
        (date(2028, 2, 29), 1, "month", date(2028, 3, 28)),
        (date(2027, 2, 28), 12, "month", date(2028, 2, 27)),
        (date(2026, 12, 31), 2, "month", date(2027, 2, 28)),
        (date(2026, 1, 1), 6, "week", date(2026, 2, 11)),
        (date(2028, 2, 23), 1, "week", date(2028, 2, 29)),
        (date(2026, 11, 27), 1, "week", date(2026, 12, 3)),
    ],
)
def test_end_dates(written, count, unit, end):
    assert prescriptions.end_date_for(written, count, unit) == end


def test_cancelled_and_no_show_visits_are_not_used(prescribe, book):
    rx = prescribe(treatments_prescribed="4")
    book(rx, date(2026, 10, 5))
    book(rx, date(2026, 10, 12), status="scheduled")
    book(rx, date(2026, 10, 19), status="cancelled")
    book(rx, date(2026, 10, 26), status="no_show")
    book(None, date(2026, 10, 27))  # a wellness visit uses nothing
    status = status_of(rx, TODAY)
    assert (status.visits_used, status.visits_left, status.state) == (2, 2, "ending_soon")
    assert status.label == "Ending soon, 2 of 4 visits"


def test_visits_used_and_state_on_any_date(prescribe, book):
    rx = prescribe(treatments_prescribed="3", written_on="01/31/2026", duration="1 month")
    assert rx.end_date == date(2026, 2, 28)
    book(rx, date(2026, 1, 31))
    book(rx, date(2026, 2, 14))
    book(rx, date(2026, 2, 28))  # the last visit on the end date
    on = lambda day: (status_of(rx, day).visits_used, status_of(rx, day).state)  # noqa: E731
    assert on(date(2026, 1, 30)) == (0, "not_started")
    assert on(date(2026, 1, 31)) == (1, "ending_soon")  # ends within 30 days
    assert on(date(2026, 2, 13)) == (1, "ending_soon")
    assert on(date(2026, 2, 14)) == (2, "ending_soon")
    assert on(date(2026, 2, 28)) == (3, "used_up")
    assert on(date(2026, 3, 1)) == (3, "expired")
    assert status_of(rx, date(2026, 3, 1)).visits_left == 0


def test_states_with_few_visits_left_or_near_the_end(prescribe, book):
    rx = prescribe(treatments_prescribed="5", written_on="01/01/2026", duration="12 months")
    assert status_of(rx, date(2026, 2, 1)).state == "active"
    book(rx, date(2026, 1, 5))
    book(rx, date(2026, 1, 6))
    assert status_of(rx, date(2026, 2, 1)).state == "active"  # 3 left
    book(rx, date(2026, 1, 7))
    assert status_of(rx, date(2026, 2, 1)).state == "ending_soon"  # 2 left
    assert status_of(rx, date(2026, 12, 31)).state == "ending_soon"  # its last day
    assert status_of(rx, date(2027, 1, 1)).state == "expired"


# --- warnings for a proposed visit ------------------------------------------------------------


def test_no_prescription_on_file(patient):
    found = check_visit(patient.id, TODAY, ["neck"])
    assert found.prescription_id is None
    assert found.kinds == ("no_prescription",)
    assert "wellness (non-medical)" in found.warnings[0].message


def test_a_visit_within_the_prescription_has_no_warning(prescribe, patient):
    rx = prescribe()
    found = check_visit(patient.id, TODAY, ["lower_back"])
    assert (found.prescription_id, found.warnings) == (rx.id, ())


def test_dates_edges_written_and_end(prescribe, patient):
    rx = prescribe(written_on="08/31/2026", duration="1 month")  # ends 09/30/2026
    kinds = lambda day: check_visit(patient.id, day, ["lower_back"]).kinds  # noqa: E731
    assert kinds(date(2026, 8, 31)) == ()
    assert kinds(date(2026, 9, 30)) == ()  # the end date itself
    assert kinds(date(2026, 10, 1)) == ("after_end_date",)
    assert kinds(date(2026, 8, 30)) == ("before_date_written",)
    late = check_visit(patient.id, date(2026, 10, 1), [], prescription_id=rx.id)
    assert late.warnings[0].message == (
        "The visit on 10/01/2026 is after the prescription ended (09/30/2026); "
        "ask the physician for a renewal."
    )
    early = check_visit(patient.id, date(2026, 8, 30), [])
    assert early.warnings[0].message == (
        "The visit on 08/30/2026 is before the prescription was written (08/31/2026)."
    )


def test_used_up_counts_every_booked_visit_but_not_the_one_being_changed(prescribe, book, patient):
    rx = prescribe(treatments_prescribed="2")
    first = book(rx, date(2026, 10, 5))
    assert check_visit(patient.id, date(2026, 10, 10), []).kinds == ()
    book(rx, date(2026, 12, 1), status="scheduled")  # booked ahead: it counts
    book(rx, date(2026, 10, 20), status="cancelled")
    found = check_visit(patient.id, date(2026, 10, 10), [])
    assert found.kinds == ("used_up",)
    assert found.warnings[0].message == (
        "All 2 prescribed visits are used or booked (2); this would be visit 3. "
        "Ask the physician for a renewal."
    )
    assert check_visit(patient.id, date(2026, 10, 6), [], visit_id=first.id).kinds == ()


def test_a_body_area_not_prescribed(prescribe, patient):
    prescribe(body_areas=["neck", "upper_back"])
    found = check_visit(patient.id, TODAY, ["neck", "knee_left", "knee_left", "foot_right"])
    assert found.kinds == ("area_not_prescribed",)
    assert found.warnings[0].message == (
        "Not on the prescription: Left knee, Right ankle and foot. "
        "It covers: Neck (cervical), Upper back (thoracic)."
    )


def test_several_warnings_at_once(prescribe, book, patient):
    rx = prescribe(treatments_prescribed="1", written_on="01/01/2026", duration="1 month")
    book(rx, date(2026, 1, 5))
    found = check_visit(patient.id, date(2026, 2, 1), ["chest"])
    assert found.kinds == ("after_end_date", "used_up", "area_not_prescribed")


def test_the_visit_falls_under_the_renewed_prescription(prescribe, book, patient):
    old = prescribe(written_on="01/02/2026", duration="6 months", treatments_prescribed="2")
    new = prescribe(written_on="07/01/2026", duration="6 months")
    book(old, date(2026, 1, 5))
    book(old, date(2026, 1, 12))
    assert check_visit(patient.id, date(2026, 3, 1), []).prescription_id == old.id
    assert check_visit(patient.id, date(2026, 7, 1), []).prescription_id == new.id
    assert check_visit(patient.id, date(2027, 6, 1), []).prescription_id == new.id
    assert check_visit(patient.id, date(2025, 12, 1), []).prescription_id == old.id
    # overlapping: the older one is used up, the newer one covers the day
    overlap = prescribe(written_on="06/15/2026", duration="1 month", treatments_prescribed="1")
    assert check_visit(patient.id, date(2026, 7, 2), []).prescription_id == new.id
    book(overlap, date(2026, 6, 16))  # now every prescription covering 06/20 is used up
    found = check_visit(patient.id, date(2026, 6, 20), [])
    assert (found.prescription_id, found.kinds) == (overlap.id, ("used_up",))


def test_visits_of_another_client_do_not_count(prescribe, book, patient, therapist):
    rx = prescribe(treatments_prescribed="1")
    other = Client.create(first_name="Bea", last_name="Silva", date_of_birth=date(1990, 1, 1))
    assert check_visit(other.id, TODAY, []).kinds == ("no_prescription",)
    assert check_visit(patient.id, TODAY, []).prescription_id == rx.id


# --- lists -------------------------------------------------------------------------------------


def test_a_clients_prescriptions_newest_first(prescribe, book, patient, physician):
    old = prescribe(written_on="01/02/2026", duration="6 months", treatments_prescribed="2")
    new = prescribe(written_on="09/01/2026", duration="6 months", diagnosis_codes="M54.2")
    book(new, date(2026, 9, 7))
    rows = prescriptions.client_prescriptions(patient.id, TODAY)
    assert [row.prescription_id for row in rows] == [new.id, old.id]
    first = rows[0]
    assert (first.state, first.status.visits_used, first.status.visits_prescribed) == (
        "active",
        1,
        12,
    )
    assert (first.end_date, first.primary_code, first.has_scan) == (
        date(2027, 2, 28),
        "M54.2",
        False,
    )
    assert (first.client_name, first.physician_name) == ("Silva, Ana", "Alicia Chen, MD")
    assert rows[1].state == "expired"


@pytest.fixture
def clinic_list(physician, therapist):
    """Clients whose newest prescriptions are in every state (dates relative to 11/27/2026)."""

    def client(name: str, *forms: dict, used: int = 0, archived: bool = False) -> None:
        person = Client.create(
            first_name=name, last_name="Test", date_of_birth=date(1970, 1, 1), archived=archived
        )
        for form in forms:
            rx = prescriptions.save_prescription(
                rx_form(physician.id, **form), person.id, today=TODAY
            )
        for number in range(used):
            Visit.create(
                client=person,
                therapist=therapist,
                prescription=rx,
                starts_at=datetime(2026, 11, 1 + number, 10),
                minutes=60,
            )

    client("Active", {"written_on": "11/01/2026"})
    client("Soon", {"written_on": "06/15/2026"})  # ends 12/14/2026
    client("Few", {"written_on": "11/01/2026", "treatments_prescribed": "3"}, used=1)
    client("Used", {"written_on": "11/01/2026", "treatments_prescribed": "2"}, used=2)
    client("Lapsed", {"written_on": "03/01/2026"})  # ended 08/31/2026: 88 days ago
    client("Old", {"written_on": "01/01/2026", "duration": "1 month"})  # 300 days ago
    client("Renewed", {"written_on": "03/01/2026"}, {"written_on": "11/20/2026"})
    client(
        "Gone", {"written_on": "11/01/2026", "treatments_prescribed": "1"}, used=1, archived=True
    )


def _names(show: str) -> list[tuple[str, str]]:
    rows = prescriptions.clinic_prescriptions(show, TODAY)
    return [(row.client_name.split(", ")[1], row.state) for row in rows]


def test_the_clinics_prescriptions_that_need_attention(clinic_list):
    assert _names("attention") == [
        ("Lapsed", "expired"),
        ("Soon", "ending_soon"),
        ("Few", "ending_soon"),  # the same end date: by name
        ("Used", "used_up"),
    ]
    assert _names("ending_soon") == [("Soon", "ending_soon"), ("Few", "ending_soon")]
    assert _names("used_up") == [("Used", "used_up")]
    assert _names("expired") == [("Lapsed", "expired")]
    everything = _names("all")
    assert len(everything) == 9
    assert everything[0] == ("Renewed", "active")  # newest written first
    assert ("Old", "expired") in everything and ("Gone", "used_up") in everything


def test_a_clinic_row_says_who_what_and_until_when(clinic_list):
    row = prescriptions.clinic_prescriptions("used_up", TODAY)[0]
    assert (row.client_name, row.physician_name) == ("Test, Used", "Alicia Chen, MD")
    assert (row.status.usage, row.end_date) == ("2 of 2 visits", date(2027, 4, 30))
    assert [key for key, _ in prescriptions.FILTERS] == [
        "attention",
        "ending_soon",
        "used_up",
        "expired",
        "all",
    ]
    with pytest.raises(ValueError):
        prescriptions.clinic_prescriptions("soon", TODAY)
