"""Booking, double booking, check-in, completion, no-shows, cancellations, wellness, day sheet."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from frontdesk.models import AuditEvent, Coverage, Payer, ServiceLine, Visit
from frontdesk.services import booking, clinic, prescriptions, visits
from frontdesk.services.records import RecordChanged
from tests.conftest import THERAPIST

DAY = date(2026, 11, 2)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_booking_defaults_to_the_days_prescription_and_primary_coverage(
    prescribe, patient, therapist
):
    rx = prescribe()
    Coverage.create(client=patient, payer=Payer.get(name="HMSA"), priority=2, member_id="S")
    primary = Coverage.create(
        client=patient, payer=Payer.get(name="Priority Health"), member_id="P"
    )
    booking = visits.book_visit(patient.id, therapist.id, at(10), 60)
    visit = Visit.get_by_id(booking.visit.id)
    assert (visit.prescription_id, visit.coverage_id, visit.status) == (
        rx.id,
        primary.id,
        "scheduled",
    )
    assert booking.warnings == ()
    assert AuditEvent.get(entity="visit", entity_id=visit.id).action == "create"


def test_booking_without_prescription_warns_it_is_wellness(patient, therapist):
    booking = visits.book_visit(patient.id, therapist.id, at(10), 60)
    assert [w.kind for w in booking.warnings] == ["no_prescription"]
    assert booking.visit.prescription_id is None


def test_a_therapists_double_booking_is_refused_naming_the_other_visit(patient, therapist):
    first = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    with pytest.raises(visits.DoubleBooking) as refused:
        visits.book_visit(patient.id, therapist.id, at(10, 45), 30)
    assert refused.value.visit_id == first.id
    assert "10:00 AM to 11:00 AM" in str(refused.value) and "Silva, Ana" in str(refused.value)
    assert Visit.select().count() == 1
    visits.book_visit(patient.id, therapist.id, at(11), 30)  # back to back is fine
    visits.book_visit(patient.id, therapist.id, at(9), 60)
    other = clinic.add_therapist({**THERAPIST, "first_name": "Diego", "license_number": "LMT-1"})
    visits.book_visit(patient.id, other.id, at(10, 30), 60)  # another therapist is free


def test_a_cancelled_visits_time_can_be_booked_again(patient, therapist):
    first = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    visits.cancel_visit(first.id, first.version)
    visits.book_visit(patient.id, therapist.id, at(10), 60)


def test_check_in_then_complete_each_versioned(prescribe, patient, therapist):
    prescribe()
    visit = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    arrived = visits.check_in(visit.id, visit.version)
    with pytest.raises(RecordChanged):
        visits.complete_visit(visit.id, visit.version)  # an old copy
    done = visits.complete_visit(arrived.id, arrived.version)
    assert (done.status, done.version) == ("completed", visit.version + 2)
    with pytest.raises(visits.VisitRefused, match="completed"):
        visits.cancel_visit(done.id, done.version)
    with pytest.raises(visits.VisitRefused):
        visits.check_in(done.id, done.version)


def test_cancelled_without_fee_has_no_charge_and_never_counts(prescribe, patient, therapist):
    rx = prescribe(treatments_prescribed="1")
    visit = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    cancelled = visits.cancel_visit(visit.id, visit.version, reason="Sick")
    assert (cancelled.status, cancelled.fee_cents, cancelled.status_reason) == (
        "cancelled",
        0,
        "Sick",
    )
    assert not ServiceLine.select().exists()
    assert prescriptions.status_of(rx, DAY).visits_used == 0
    assert visits.day_sheet(DAY)[0].balance_cents == 0
    again = visits.book_visit(patient.id, therapist.id, at(14), 60)
    assert again.warnings == ()  # the one prescribed visit is still free


def test_a_late_cancel_fee_is_charged_but_not_counted(prescribe, patient, therapist):
    rx = prescribe()
    visit = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    visits.cancel_visit(visit.id, visit.version, fee_cents=2500, reason="Cancelled at 9:30")
    assert visits.day_sheet(DAY)[0].balance_cents == 2500
    assert prescriptions.status_of(rx, DAY).visits_used == 0


def test_a_no_show_may_carry_a_fee(patient, therapist):
    visit = visits.book_visit(patient.id, therapist.id, at(10), 60).visit
    missed = visits.mark_no_show(visit.id, visit.version, fee_cents=4000)
    assert (missed.status, missed.fee_cents) == ("no_show", 4000)


def test_a_wellness_visit_never_counts_against_the_prescription(prescribe, patient, therapist):
    rx = prescribe(treatments_prescribed="1")
    visits.book_visit(patient.id, therapist.id, at(9), 60)
    booking = visits.book_visit(patient.id, therapist.id, at(11), 60)
    assert "used_up" in [w.kind for w in booking.warnings]
    with pytest.raises(Exception, match="Reason"):
        visits.record_as_wellness(booking.visit.id, booking.visit.version, "  ")
    wellness = visits.record_as_wellness(
        booking.visit.id, booking.visit.version, "Prescription used up; client chose wellness"
    )
    assert (wellness.wellness, wellness.prescription_id) == (True, None)
    assert prescriptions.status_of(rx, DAY).visits_used == 1
    done = visits.complete_visit(wellness.id, wellness.version)
    line = ServiceLine.get(ServiceLine.visit == done.id)
    assert (line.medical, line.service_code.code) == (False, "WELL60")
    assert prescriptions.status_of(rx, DAY).visits_used == 1


def test_the_day_sheet(prescribe, patient, therapist):
    prescribe()
    Coverage.create(client=patient, payer=Payer.get(name="Capital Blue Cross"), member_id="C1")
    late = visits.book_visit(patient.id, therapist.id, at(14), 30).visit
    early = visits.book_visit(patient.id, therapist.id, at(9, 30), 60).visit
    visits.complete_visit(early.id, early.version)
    visits.book_visit(patient.id, therapist.id, at(9, day=date(2026, 11, 3)), 60)
    rows = visits.day_sheet(DAY)
    assert [row.visit_id for row in rows] == [early.id, late.id]
    first = rows[0]
    assert (first.time, first.client, first.therapist, first.minutes) == (
        "9:30 AM", "Silva, Ana", "Hannah Okafor, LMT", 60,
    )  # fmt: skip
    assert first.prescription_state == "Active, 2 of 12 visits"  # both on the day
    assert (first.payer, first.status_label, first.balance_cents) == (
        "Capital Blue Cross", "Completed", 14000,
    )  # fmt: skip
    assert (rows[1].status, rows[1].balance_cents) == ("scheduled", 0)


def test_another_clients_prescription_is_refused(prescribe, patient, therapist, set_up_clinic):
    from frontdesk.models import Client

    rx = prescribe()
    other = Client.create(first_name="Bo", last_name="Lee", date_of_birth=date(1990, 1, 1))
    with pytest.raises(visits.VisitRefused, match="another client"):
        visits.book_visit(other.id, therapist.id, at(10), 60, prescription_id=rx.id)


def test_a_visit_booked_as_wellness_never_counts_and_carries_its_reason(
    prescribe, patient, therapist
):
    rx = prescribe(treatments_prescribed="1")
    visits.book_visit(patient.id, therapist.id, at(9), 60)
    warned = booking.booking_warnings(patient.id, at(11).date(), rx.id)
    assert [warning.kind for warning in warned] == ["used_up"]
    booked = visits.book_visit(
        patient.id, therapist.id, at(11), 60, wellness_reason="Prescription used up"
    )
    assert booked.warnings == []
    stored = Visit.get_by_id(booked.visit.id)
    assert (stored.wellness, stored.prescription_id, stored.injury_case_id) == (True, None, None)
    assert stored.wellness_reason == "Prescription used up"
    assert prescriptions.status_of(rx, DAY).visits_used == 1
