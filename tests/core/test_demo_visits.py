"""The demo clinic's month of visits: written through the services, and the books balance."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from peewee import fn

from frontdesk import db
from frontdesk.demo import build_demo_clinic
from frontdesk.models import (
    AuditEvent,
    Client,
    Payment,
    PaymentAllocation,
    Prescription,
    ServiceCode,
    ServiceLine,
    Visit,
    VisitAddendum,
)
from frontdesk.services import ledger, prescriptions, visits

TODAY = date(2026, 11, 27)  # a Friday
TODAY_START = datetime.combine(TODAY, time.min)
MONTH_AGO = TODAY_START - timedelta(days=30)
NOT_COUNTED = ("cancelled", "no_show")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Path]:
    """One demo clinic for the whole module: these tests only read it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db.open_database(path)
    build_demo_clinic(today=TODAY)
    yield path
    db.close_database()


def month(query):
    return query.where((Visit.starts_at >= MONTH_AGO) & (Visit.starts_at < TODAY_START))


def test_the_month_has_completed_visits_each_with_its_service_lines(demo):
    completed = list(month(Visit.select().where(Visit.status == "completed")))
    assert len(completed) >= 40
    for visit in completed:
        assert visit.service_lines.count() >= 1, visit.id
    never_charged = Visit.select().where(Visit.status.in_(("scheduled", "checked_in")))
    assert not ServiceLine.select().where(ServiceLine.visit.in_(never_charged)).exists()


def test_most_notes_are_signed_by_the_treating_therapist_a_few_recent_ones_not_yet(demo):
    completed = Visit.select().where(Visit.status == "completed")
    signed = list(completed.where(Visit.signed_at.is_null(False)))
    unsigned = list(completed.where(Visit.signed_at.is_null()))
    assert len(signed) > 10 * len(unsigned) > 0
    for visit in signed:
        assert visit.signed_by_id == visit.therapist_id
        assert visit.starts_at < visit.signed_at < TODAY_START
        assert visit.subjective and visit.objective and visit.assessment and visit.plan
    drafts = [visit for visit in unsigned if visit.subjective]
    assert drafts and all(visit.starts_at >= TODAY_START - timedelta(days=10) for visit in drafts)
    latest_signed = max(visit.starts_at for visit in signed)
    assert min(visit.starts_at for visit in unsigned) >= latest_signed - timedelta(days=7)


def test_medical_notes_use_the_prescriptions_techniques_and_areas_and_pain_eases(demo):
    medical = Visit.select().where(
        Visit.prescription.is_null(False) & Visit.signed_at.is_null(False)
    )
    for visit in medical:
        rx = visit.prescription
        assert visit.techniques and set(visit.techniques) <= set(rx.techniques)
        assert visit.body_areas == rx.body_areas
        assert 0 <= visit.pain_after < visit.pain_before <= 10


def test_a_signed_note_has_an_addendum_by_its_therapist(demo):
    addenda = list(VisitAddendum.select())
    assert addenda
    for addendum in addenda:
        assert addendum.visit.signed_at is not None
        assert addendum.author_id == addendum.visit.therapist_id


def test_a_split_payment_hsa_card_and_cash_with_the_tip_in_cash(demo):
    by_card = (
        PaymentAllocation.select(PaymentAllocation.visit)
        .join(Payment)
        .where(Payment.method == "hsa_fsa_card")
    )
    cash_with_tip = (
        Payment.select()
        .join(PaymentAllocation)
        .where(
            (Payment.method == "cash")
            & (Payment.gratuity_cents > 0)
            & PaymentAllocation.visit.in_(by_card)
        )
    )
    assert cash_with_tip.exists()
    assert (
        not Payment.select()
        .where((Payment.method == "hsa_fsa_card") & (Payment.gratuity_cents > 0))
        .exists()
    )


def test_a_voided_payment_and_a_refund_are_entries_with_their_reasons(demo):
    [void] = Payment.select().where(Payment.kind == "void")
    assert void.reason and ledger.is_voided(void.reverses_id)
    assert void.amount_cents == void.reverses.amount_cents
    [refund] = Payment.select().where(Payment.kind == "refund")
    assert refund.reason and refund.reverses.kind == "payment"


def test_cancellations_with_and_without_a_fee_and_a_no_show(demo):
    cancelled = list(Visit.select().where(Visit.status == "cancelled"))
    charges = ledger.visit_charges(visit.id for visit in cancelled)
    with_fee = [v for v in cancelled if v.fee_cents > 0]
    free = [v for v in cancelled if v.fee_cents == 0]
    assert with_fee and free
    assert all(charges[v.id] == 0 and v.status_reason for v in free)
    assert all(charges[v.id] == v.fee_cents and v.status_reason for v in with_fee)
    [missed] = Visit.select().where(Visit.status == "no_show")
    assert missed.status_reason
    assert not ServiceLine.select().where(ServiceLine.visit.in_([*cancelled, missed])).exists()


def test_wellness_visits_count_against_no_prescription(demo):
    wellness = list(Visit.select().where(Visit.wellness == True))  # noqa: E712
    assert wellness and all(v.wellness_reason and v.prescription_id is None for v in wellness)
    charged = ServiceLine.select().where(ServiceLine.visit.in_(wellness))
    assert charged.exists() and not charged.where(ServiceLine.medical == True).exists()  # noqa: E712
    with_prescription = [v for v in wellness if Prescription.select().where(
        Prescription.client == v.client_id).exists()]  # fmt: skip
    assert with_prescription  # a client whose prescription is used up or ended
    for visit in with_prescription:
        for rx in Prescription.select().where(Prescription.client == visit.client_id):
            counted = Visit.select().where(
                (Visit.prescription == rx.id) & Visit.status.not_in(NOT_COUNTED)
            )
            assert prescriptions.visits_used([rx.id]).get(rx.id, 0) == counted.count()
            assert counted.count() <= rx.treatments_prescribed


def test_no_medical_visit_goes_beyond_its_prescription(demo):
    for rx in Prescription.select():
        used = prescriptions.visits_used([rx.id]).get(rx.id, 0)
        assert used <= rx.treatments_prescribed
        on_it = Visit.select().where(Visit.prescription == rx.id)
        for visit in on_it:
            assert rx.written_on <= visit.starts_at.date() <= rx.end_date


def test_old_visits_keep_the_old_price(demo):
    massage = ServiceCode.get(ServiceCode.code == "97124")
    [change] = massage.prices
    assert TODAY - timedelta(days=30) < change.effective_on < TODAY
    unit_prices = {
        line.visit.starts_at.date() >= change.effective_on: line.charge_cents // line.units
        for line in ServiceLine.select().where(ServiceLine.service_code == massage)
    }
    assert unit_prices == {False: massage.price_cents, True: change.price_cents}


def test_every_clients_balance_is_charges_less_discounts_and_payments_plus_refunds(demo):
    for client in Client.select():
        lines = ServiceLine.select().join(Visit).where(Visit.client == client)
        fees = sum(v.fee_cents for v in Visit.select().where(Visit.client == client))
        live = [
            p
            for p in Payment.select().where(Payment.client == client)
            if not ledger.is_voided(p.id) and p.kind != "void"
        ]
        expected = (
            sum(line.charge_cents for line in lines)
            + fees
            - sum(line.discount_cents for line in lines)
            - sum(p.amount_cents for p in live if p.kind == "payment")
            + sum(p.amount_cents for p in live if p.kind == "refund")
        )
        account = ledger.client_balance(client.id)
        assert account.balance_cents == expected, client.id
        owed_on_visits = ledger.open_charges(v.id for v in client.visits)
        assert all(cents >= 0 for cents in owed_on_visits.values())
        unapplied = sum(ledger.unapplied_cents(p) for p in live if p.kind == "payment")
        assert account.balance_cents == sum(owed_on_visits.values()) - unapplied


def test_some_visits_are_still_owing_and_gratuities_stay_apart(demo):
    visit_ids = [v.id for v in Visit.select().where(Visit.status == "completed")]
    owed = ledger.open_charges(visit_ids)
    assert 3 <= sum(1 for cents in owed.values() if cents > 0) < len(visit_ids) // 3
    tipped = Payment.select().where(Payment.gratuity_cents > 0)
    assert tipped.count() >= 5
    assert {p.method for p in tipped} <= {"cash", "credit_card", "debit_card"}
    carriers = Payment.select().where(Payment.method.in_(("insurer", "workers_comp", "auto")))
    assert {p.method for p in carriers} == {"insurer", "workers_comp", "auto"}
    assert all(p.payer_id and p.reference for p in carriers)


def test_no_therapist_is_booked_twice_and_visits_keep_clinic_hours(demo):
    booked = list(Visit.select().where(Visit.status.not_in(NOT_COUNTED)).order_by(Visit.starts_at))
    for visit in booked:
        assert (
            visits.overlapping_visit(
                visit.therapist_id, visit.starts_at, visit.minutes, exclude=visit.id
            )
            is None
        )
        ends = visit.starts_at + timedelta(minutes=visit.minutes)
        assert visit.starts_at.hour >= 9 and ends <= datetime.combine(ends.date(), time(17))
        assert visit.starts_at.date() == TODAY or visit.starts_at.weekday() < 5


def test_today_has_scheduled_visits_and_one_checked_in_and_the_next_days_are_booked(demo):
    sheet = visits.day_sheet(TODAY)
    statuses = [row.status for row in sheet]
    assert statuses.count("checked_in") == 1 and statuses.count("scheduled") >= 4
    assert set(statuses) == {"scheduled", "checked_in"}
    later = Visit.select().where(Visit.starts_at >= TODAY_START + timedelta(days=1))
    assert later.count() >= 5
    assert {v.status for v in later} == {"scheduled"}
    assert all(v.starts_at.date() <= TODAY + timedelta(days=14) for v in later)


def test_the_audit_trail_shows_every_write_by_the_demo(demo):
    def audited(entity: str, action: str = "create") -> int:
        events = AuditEvent.select().where(
            (AuditEvent.entity == entity) & (AuditEvent.action == action)
        )
        return events.where(AuditEvent.actor == "demo").count()

    assert audited("visit") == Visit.select().count()
    assert audited("payment") == Payment.select().count()
    assert audited("payment_allocation") == PaymentAllocation.select().count()
    assert audited("visit_addendum") == VisitAddendum.select().count()
    assert audited("service_code", "price_change") == 1
    changes = audited("visit", "update")
    assert changes >= 3 * Visit.select().where(Visit.status == "completed").count()
    assert (
        not AuditEvent.select()
        .where(AuditEvent.actor != "demo")
        .where(AuditEvent.entity.in_(("visit", "payment", "payment_allocation")))
        .exists()
    )


def test_every_client_has_visits_and_the_archived_ones_stopped_coming(demo):
    with_visits = Visit.select(fn.COUNT(fn.DISTINCT(Visit.client))).scalar()
    assert with_visits == Client.select().count()
    for client in Client.select().where(Client.archived == True):  # noqa: E712
        last = client.visits.order_by(Visit.starts_at.desc()).first()
        assert last.starts_at < MONTH_AGO


# --- the same seed and day give the same clinic --------------------------------------------


def _content(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, without the moments they were written at."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            kept = ", ".join(
                f'"{c}"'
                for c in columns
                if c not in ("at", "created_at", "updated_at", "chain_hash", "password_hash")
            )
            found[table] = connection.execute(f'SELECT {kept} FROM "{table}" ORDER BY 1').fetchall()
    connection.close()
    return found


def _build(path: Path, today: date) -> dict[str, list[tuple]]:
    db.open_database(path)
    try:
        build_demo_clinic(today=today)
    finally:
        db.close_database()
    return _content(path)


def test_the_build_is_deterministic_for_a_seed_and_a_day(tmp_path):
    sunday = date(2026, 3, 1)  # a weekend day: today's visits still shown, the rest on weekdays
    first = _build(tmp_path / "first.db", sunday)
    second = _build(tmp_path / "second.db", sunday)
    assert first == second
    assert len(first["visit"]) > 150 and len(first["payment"]) > 100
