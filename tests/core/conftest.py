"""Fixtures for the prescription tests: a client, a physician, prescriptions and visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest

from frontdesk.models import Client, Physician, Prescription, Therapist, Visit
from frontdesk.services import physicians, prescriptions

TODAY = date(2026, 11, 27)
BORN = date(1980, 4, 17)
PHYSICIAN = {
    "first_name": "Alicia",
    "last_name": "Chen",
    "credentials": "MD",
    "npi": "1003000126",
    "practice": "Eastside Family Medicine",
    "phone": "(503) 555-0142",
    "fax": "(503) 555-0143",
}


def rx_form(physician_id: int, /, **changes: Any) -> dict[str, Any]:
    """A prescription form as the receptionist fills it in, with some fields changed."""
    form = {
        "physician_id": str(physician_id),
        "written_on": "10/01/2026",
        "reason": "Low back pain",
        "diagnosis_codes": "M54.50, M62.830",
        "modality": "Massage therapy",
        "techniques": ["myofascial_release", "trigger_point_therapy"],
        "body_areas": ["lower_back", "hip_left"],
        "treatments_prescribed": "12",
        "frequency": "2 per month",
        "duration": "6 months",
        "end_date": "",
        "notes": "",
    }
    return {**form, **changes}


@pytest.fixture
def therapist(set_up_clinic) -> Therapist:
    return set_up_clinic[1]


@pytest.fixture
def patient(set_up_clinic) -> Client:
    return Client.create(first_name="Ana", last_name="Silva", date_of_birth=BORN)


@pytest.fixture
def physician(set_up_clinic) -> Physician:
    return physicians.save_physician(PHYSICIAN)


@pytest.fixture
def prescribe(patient: Client, physician: Physician) -> Callable[..., Prescription]:
    """Save a prescription for the patient through the service, with some fields changed."""

    def save(**changes: Any) -> Prescription:
        form = rx_form(physician.id, **changes)
        return prescriptions.save_prescription(form, patient.id, today=TODAY)

    return save


@pytest.fixture
def book(patient: Client, therapist: Therapist) -> Callable[..., Visit]:
    """Record a visit of the patient on a day, linked to a prescription (or None)."""

    def visit(rx: Prescription | None, day: date, status: str = "completed") -> Visit:
        return Visit.create(
            client=patient,
            therapist=therapist,
            prescription=rx,
            starts_at=datetime.combine(day, time(10)),
            minutes=60,
            status=status,
        )

    return visit


@pytest.fixture
def emily(therapist: Therapist, physician: Physician):
    """A self-paying client with medical and wellness visits and their payments (see
    tests.core.receipt_fixtures)."""
    from tests.core.receipt_fixtures import self_pay_client  # it imports this module

    return self_pay_client(therapist, physician)


@pytest.fixture
def marco(therapist: Therapist, physician: Physician):
    """A workers' comp client with a case, its coverage, visits and the carrier's payment."""
    from tests.core.receipt_fixtures import work_injury_client  # it imports this module

    return work_injury_client(therapist, physician)
