"""Prescription end dates and states; units by the 8-minute rule; balances."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.models import (
    Client,
    Payment,
    Physician,
    Prescription,
    ServiceCode,
    ServiceLine,
    Visit,
)
from frontdesk.services import billing, prescriptions
from frontdesk.services.summary import client_summary

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("written", "months", "end"),
    [
        (date(2026, 1, 10), 6, date(2026, 7, 9)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February has no 30th: its last day
        (date(2025, 11, 15), 12, date(2026, 11, 14)),
    ],
)
def test_end_date(written, months, end):
    assert prescriptions.end_date_for(written, months) == end


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (53, 4), (60, 4), (68, 5)],
)
def test_eight_minute_rule(minutes, units):
    assert billing.units_for_minutes(minutes) == units


@pytest.fixture
def client_with_rx(set_up_clinic):
    _, therapist = set_up_clinic
    client = Client.create(first_name="Ana", last_name="Silva", date_of_birth=date(1980, 4, 17))
    physician = Physician.create(first_name="A", last_name="Chen", npi="1003000126")

    def prescribe(written: date, visits: int, months: int = 6) -> Prescription:
        return Prescription.create(
            client=client,
            physician=physician,
            written_on=written,
            reason="Back pain",
            treatments_prescribed=visits,
            duration_count=months,
            duration_unit="month",
            end_date=prescriptions.end_date_for(written, months),
        )

    def visit(rx: Prescription | None, day: date, status: str = "completed") -> Visit:
        return Visit.create(
            client=client,
            therapist=therapist,
            prescription=rx,
            starts_at=datetime.combine(day, datetime.min.time()),
            minutes=60,
            status=status,
        )

    return client, prescribe, visit


def test_states_active_ending_soon_used_up_expired(client_with_rx):
    _, prescribe, visit = client_with_rx
    rx = prescribe(TODAY - timedelta(days=30), visits=10)
    visit(rx, TODAY - timedelta(days=20))
    visit(rx, TODAY - timedelta(days=10), status="cancelled")  # does not count
    status = prescriptions.status_of(rx, TODAY)
    assert (status.state, status.visits_used, status.visits_left) == ("active", 1, 9)
    assert status.label == "Active, 1 of 10 visits"
    for _ in range(7):
        visit(rx, TODAY - timedelta(days=5))
    assert prescriptions.status_of(rx, TODAY).state == "ending_soon"  # 2 left
    visit(rx, TODAY)
    visit(rx, TODAY)
    assert prescriptions.status_of(rx, TODAY).state == "used_up"
    assert prescriptions.status_of(rx, rx.end_date + timedelta(days=1)).state == "expired"
    assert prescriptions.status_of(rx, rx.end_date - timedelta(days=3)).state == "used_up"


def test_ending_soon_by_date(client_with_rx):
    _, prescribe, _ = client_with_rx
    rx = prescribe(TODAY - timedelta(days=170), visits=20)
    assert prescriptions.status_of(rx, TODAY).state == "ending_soon"


def test_ending_soon_starts_30_days_before_the_end(client_with_rx):
    _, prescribe, _ = client_with_rx
    rx = prescribe(TODAY - timedelta(days=30), visits=20)
    assert prescriptions.ENDING_SOON_DAYS == 30
    last_active = rx.end_date - timedelta(days=31)
    assert prescriptions.status_of(rx, last_active).state == "active"
    assert prescriptions.status_of(rx, last_active + timedelta(days=1)).state == "ending_soon"


def test_current_prescription_prefers_a_usable_one(client_with_rx):
    client, prescribe, _ = client_with_rx
    usable = prescribe(TODAY - timedelta(days=60), visits=12)
    prescribe(TODAY - timedelta(days=5), visits=0)  # newer, but used up from the start
    assert prescriptions.current_prescription(client.id, TODAY) == usable


def test_balance_counts_discounts_and_keeps_gratuity_apart(client_with_rx):
    client, _, visit = client_with_rx
    seen = visit(None, TODAY)
    code = ServiceCode.get(code="97124")
    ServiceLine.create(
        visit=seen, service_code=code, units=4, charge_cents=14000, discount_cents=1000
    )
    assert billing.balance_cents(client.id) == 13000
    Payment.create(
        client=client, received_on=TODAY, amount_cents=10000, gratuity_cents=2000, method="card"
    )
    assert billing.balance_cents(client.id) == 3000
    summary = client_summary(client.id, TODAY)
    assert summary.balance_cents == 3000
    assert summary.has_history and summary.visit_count == 1
    assert summary.prescription is None
