"""Every model round-trips through the database with its values intact."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from peewee import IntegrityError

from frontdesk import models as m


def _reload(row):
    return type(row).get_by_id(row.id)


@pytest.fixture
def people(set_up_clinic):
    _, therapist = set_up_clinic
    client = m.Client.create(
        first_name="Ana",
        last_name="Silva",
        date_of_birth=date(1980, 4, 17),
        health_conditions=["blood_clots"],
        pain_areas=["neck", "lower_back"],
        mobile_phone="+15035550123",
        state="OR",
        consent_signed_on=date(2026, 1, 5),
    )
    physician = m.Physician.create(
        first_name="Alicia", last_name="Chen", credentials="MD", npi="1003000126"
    )
    return therapist, client, physician


def test_client_round_trips_with_lists_and_dates(people):
    _, client, _ = people
    again = _reload(client)
    assert again.health_conditions == ["blood_clots"]
    assert again.pain_areas == ["neck", "lower_back"]
    assert again.date_of_birth == date(1980, 4, 17)
    assert again.consent_signed_on == date(2026, 1, 5)
    assert again.full_name == "Ana Silva"
    assert again.created_at <= again.updated_at


def test_clinic_profile_and_therapist_round_trip(set_up_clinic):
    profile, therapist = set_up_clinic
    assert _reload(profile).ein == "93-1234567"
    assert _reload(profile).phone == "+15035550100"
    assert _reload(therapist).display_name == "Hannah Okafor, LMT"


def test_prescription_with_ordered_diagnoses_and_scan(people):
    _, client, physician = people
    rx = m.Prescription.create(
        client=client,
        physician=physician,
        written_on=date(2026, 1, 10),
        reason="Back pain",
        techniques=["myofascial_release"],
        body_areas=["lower_back"],
        treatments_prescribed=12,
        frequency_count=2,
        frequency_period="month",
        duration_months=6,
        end_date=date(2026, 7, 9),
    )
    m.PrescriptionDiagnosis.create(prescription=rx, position=2, code="M62.830", description="b")
    m.PrescriptionDiagnosis.create(prescription=rx, position=1, code="M54.50", description="a")
    m.PrescriptionScan.create(
        prescription=rx, filename="rx.pdf", media_type="application/pdf", data=b"%PDF-1.4 scan"
    )
    again = _reload(rx)
    assert [d.code for d in again.diagnoses.order_by(m.PrescriptionDiagnosis.position)] == [
        "M54.50",
        "M62.830",
    ]
    assert bytes(again.scans[0].data) == b"%PDF-1.4 scan"
    assert again.techniques == ["myofascial_release"]
    with pytest.raises(IntegrityError):
        m.PrescriptionDiagnosis.create(prescription=rx, position=1, code="M54.2", description="c")


def test_payer_coverage_and_injury_case_round_trip(people):
    _, client, _ = people
    payer = m.Payer.get(name="Capital Blue Cross")
    coverage = m.Coverage.create(
        client=client,
        payer=payer,
        member_id="CBC123",
        visits_allowed=20,
        starts_on=date(2026, 1, 1),
    )
    case = m.InjuryCase.create(
        client=client,
        kind="auto",
        date_of_injury=date(2026, 3, 2),
        carrier=payer,
        claim_number="PIP-1",
    )
    assert _reload(coverage).visits_allowed == 20
    assert _reload(case).carrier.name == "Capital Blue Cross"
    assert "PPO" in _reload(payer).plan_types


def test_visit_lines_payments_receipt_and_audit_round_trip(people):
    therapist, client, _ = people
    visit = m.Visit.create(
        client=client,
        therapist=therapist,
        starts_at=datetime(2026, 2, 1, 10, 0),
        minutes=60,
        techniques=["trigger_point_therapy"],
        pain_before=7,
        pain_after=3,
        signed_at=datetime(2026, 2, 1, 17, 0),
        signed_by=therapist,
    )
    m.VisitAddendum.create(visit=visit, author=therapist, text="Client called: felt better.")
    code = m.ServiceCode.get(code="97124")
    line = m.ServiceLine.create(
        visit=visit, service_code=code, units=4, charge_cents=14000, diagnosis_pointers="1"
    )
    payment = m.Payment.create(
        client=client,
        received_on=date(2026, 2, 1),
        amount_cents=14000,
        gratuity_cents=2000,
        method="hsa_fsa_card",
    )
    m.PaymentAllocation.create(payment=payment, visit=visit, amount_cents=14000)
    receipt = m.Receipt.create(
        number=1,
        kind="hsa_fsa",
        client=client,
        issued_on=date(2026, 2, 1),
        snapshot='{"total": 14000}',
    )
    duplicate = m.Receipt.create(
        number=2,
        kind="hsa_fsa",
        client=client,
        issued_on=date(2026, 2, 3),
        snapshot="{}",
        duplicate_of=receipt,
    )
    assert _reload(visit).signed_by.id == therapist.id
    assert _reload(visit).addenda[0].text.startswith("Client called")
    assert _reload(line).charge_cents == 14000
    assert _reload(payment).gratuity_cents == 2000
    assert _reload(payment).allocations[0].visit.id == visit.id
    assert _reload(duplicate).duplicate_of.number == 1
    assert m.AuditEvent.select().where(m.AuditEvent.entity == "therapist").count() == 1


def test_foreign_keys_are_enforced(people):
    therapist, client, _ = people
    m.Visit.create(
        client=client, therapist=therapist, starts_at=datetime(2026, 2, 1, 10), minutes=30
    )
    with pytest.raises(IntegrityError):
        client.delete_instance()
    with pytest.raises(IntegrityError):
        m.Visit.create(client=9999, therapist=therapist, starts_at=datetime(2026, 2, 1), minutes=30)


def test_user_round_trips(set_up_clinic):
    _, therapist = set_up_clinic
    user = m.User.create(
        username="hannah", password_hash="$argon2id$x", role="therapist", therapist=therapist
    )
    assert _reload(user).therapist.last_name == "Okafor"
