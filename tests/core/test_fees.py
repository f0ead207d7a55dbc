"""Units by the 8-minute rule and payers' rounding; prices by date; a visit's charge."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from frontdesk.models import Coverage, Payer, ServiceCode, ServiceLine
from frontdesk.services import fees, ledger, visits
from frontdesk.validation import ValidationError
from tests.core.conftest import TODAY

DAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4),
     (60, 4), (67, 4), (68, 5), (75, 5), (82, 5), (83, 6), (90, 6)],
)  # fmt: skip
def test_the_eight_minute_rule(minutes, units):
    assert fees.units_for(minutes) == units == fees.units_for(minutes, "cms")


@pytest.mark.parametrize(
    ("minutes", "whole", "round_up"),
    [(0, 0, 0), (1, 0, 1), (14, 0, 1), (15, 1, 1), (16, 1, 2), (29, 1, 2), (30, 2, 2), (60, 4, 4)],
)
def test_payers_that_round_otherwise(minutes, whole, round_up):
    assert fees.units_for(minutes, "whole") == whole
    assert fees.units_for(minutes, "round_up") == round_up


def test_an_unknown_rounding_or_negative_minutes_are_refused():
    with pytest.raises(ValueError, match="rounding"):
        fees.units_for(30, "nearest")
    with pytest.raises(ValueError, match="negative"):
        fees.units_for(-1)


def book_and_complete(patient, therapist, minutes=60, day=DAY, hour=10, **discounts):
    booked = visits.book_visit(
        patient.id, therapist.id, datetime.combine(day, time(hour)), minutes
    ).visit
    return visits.complete_visit(booked.id, booked.version, **discounts)


def line_of(visit) -> ServiceLine:
    return ServiceLine.get(ServiceLine.visit == visit.id)


def test_a_massage_prescription_is_charged_97124_by_units_with_its_diagnoses(
    prescribe, patient, therapist
):
    prescribe()
    line = line_of(book_and_complete(patient, therapist, minutes=53))
    assert (line.service_code.code, line.units, line.charge_cents) == ("97124", 4, 4 * 3500)
    assert (line.diagnosis_pointers, line.medical, line.discount_cents) == ("1,2", True, 0)


def test_manual_therapy_is_charged_97140(prescribe, patient, therapist):
    prescribe(modality="Manual therapy")
    line = line_of(book_and_complete(patient, therapist, minutes=30))
    assert (line.service_code.code, line.units, line.charge_cents) == ("97140", 2, 8000)


def test_under_eight_minutes_nothing_is_charged(prescribe, patient, therapist):
    prescribe()
    visit = book_and_complete(patient, therapist, minutes=7)
    assert not ServiceLine.select().where(ServiceLine.visit == visit.id).exists()


def test_a_visit_without_prescription_is_charged_the_wellness_session(patient, therapist):
    line = line_of(book_and_complete(patient, therapist, minutes=45))
    assert (line.service_code.code, line.units, line.charge_cents) == ("WELL60", 1, 9500)
    assert (line.medical, line.diagnosis_pointers) == (False, "")


def test_without_a_wellness_code_it_is_97124_marked_non_medical(patient, therapist):
    ServiceCode.update(active=False).where(~ServiceCode.medical).execute()
    line = line_of(book_and_complete(patient, therapist, minutes=30))
    assert (line.service_code.code, line.units, line.medical) == ("97124", 2, False)


def test_a_price_change_applies_from_its_date_and_never_alters_past_visits(
    prescribe, patient, therapist
):
    prescribe()
    code = ServiceCode.get(code="97124")
    before = book_and_complete(patient, therapist, day=date(2026, 10, 20))
    fees.set_price(code.id, 4000, date(2026, 11, 1))
    after = book_and_complete(patient, therapist, day=date(2026, 11, 2))
    assert line_of(before).charge_cents == 4 * 3500
    assert line_of(after).charge_cents == 4 * 4000
    late = visits.book_visit(patient.id, therapist.id, datetime(2026, 10, 27, 10), 60).visit
    fees.set_price(code.id, 4500, date(2026, 11, 20))  # a later change: October stays
    assert line_of(visits.complete_visit(late.id, late.version)).charge_cents == 4 * 3500
    assert [fees.price_on(code, d) for d in (date(2026, 1, 1), DAY, TODAY)] == [3500, 4000, 4500]
    assert line_of(before).charge_cents == 4 * 3500


def test_a_second_change_on_the_same_day_replaces_the_first(set_up_clinic):
    code = ServiceCode.get(code="97140")
    fees.set_price(code.id, 4200, DAY)
    fees.set_price(code.id, 4300, DAY)
    assert fees.price_on(code, DAY) == 4300
    with pytest.raises(ValidationError):
        fees.set_price(code.id, -1, DAY)


def test_a_discount_programs_rate_and_a_courtesy_discount(prescribe, patient, therapist):
    program = Payer.get(name="ChooseHealthy Affinity Program")
    program.discount_percent = 20
    program.save()
    Coverage.create(client=patient, payer=program)
    prescribe()
    visit = book_and_complete(
        patient, therapist, courtesy_cents=500, courtesy_reason="Waited 20 minutes"
    )
    line = line_of(visit)
    assert (line.charge_cents, line.discount_cents) == (14000, 2800 + 500)
    assert line.discount_reason == "Discount program 20%; Waited 20 minutes"
    assert ledger.open_charges([visit.id]) == {visit.id: 14000 - 3300}


def test_a_courtesy_discount_needs_a_reason_and_fits_the_charge(prescribe, patient, therapist):
    prescribe()
    booked = visits.book_visit(patient.id, therapist.id, datetime(2026, 11, 2, 10), 60).visit
    with pytest.raises(ValidationError, match="why"):
        visits.complete_visit(booked.id, booked.version, courtesy_cents=500)
    with pytest.raises(ValidationError, match=r"\$140\.00"):
        visits.complete_visit(booked.id, booked.version, courtesy_cents=99999, courtesy_reason="x")
    assert visits.get_visit(booked.id).status == "scheduled"  # nothing half-saved
    assert not ServiceLine.select().exists()


def test_a_payer_rounding_whole_units(prescribe, patient, therapist):
    payer = Payer.get(name="Priority Health")
    payer.unit_rounding = "whole"
    payer.save()
    Coverage.create(client=patient, payer=payer, member_id="P1")
    prescribe()
    assert line_of(book_and_complete(patient, therapist, minutes=53)).units == 3
