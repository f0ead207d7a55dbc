"""The large clinic generator (bench/large_clinic.py) at a small size, so the benchmarks keep
working: the generated file is a valid clinic the services read as they read their own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from peewee import fn

from bench.large_clinic import DatabaseNotEmpty, generate
from frontdesk import access, db
from frontdesk.models import (
    Client,
    ClientSearchWord,
    Payment,
    PaymentAllocation,
    Physician,
    Prescription,
    ServiceLine,
    Visit,
    search_word_rows,
)
from frontdesk.services import clients, fees, ledger, summary
from frontdesk.services.prescriptions.status import visits_used
from frontdesk.textsearch import fold
from tests.conftest import TEST_OWNER

TODAY = date(2026, 11, 27)
CLIENTS = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("large") / "clinic.db"
    with access.acting_as(TEST_OWNER):  # built once for the module, before any test signs in
        return path, generate(path, CLIENTS, seed=5, today=TODAY)


@pytest.fixture
def clinic(generated: tuple[Path, dict[str, int]]) -> Iterator[db.ClinicDatabase]:
    database = db.open_database(generated[0])
    yield database
    db.close_database()


def test_the_generated_file_passes_every_check_the_program_makes(clinic):
    assert db.check_database(clinic) == []
    assert db.startup_check(clinic) == []
    assert db.journal_mode(clinic) == "wal"


def test_counts_follow_the_clinic_ratios(clinic, generated):
    counts = generated[1]
    assert counts["client"] == Client.select().count() == CLIENTS
    assert counts["visit"] == Visit.select().count() == CLIENTS * 10
    assert counts["payment"] == Payment.select().count() == CLIENTS * 3
    assert counts["prescription"] == Prescription.select().count() == CLIENTS // 5
    completed = Visit.select().where(Visit.status == "completed").count()
    assert counts["service_line"] == ServiceLine.select().count() == completed
    assert completed > CLIENTS * 9


def _found(text: str) -> set[int]:
    return {row.id for row in clients.search_clients(text, limit=10_000)}


def test_names_with_accents_hyphens_and_apostrophes_are_found_as_typed_or_plain(clinic):
    for sign in ("'", "-", "ễ"):
        client = Client.select().where(Client.last_name.contains(sign)).order_by(Client.id).first()
        assert client is not None, sign
        assert client.id in _found(f"{client.last_name} {client.first_name}")
        assert client.id in _found(fold(f"{client.first_name} {client.last_name}"))


def test_search_keys_are_what_saving_the_record_would_store(clinic):
    for model in (Client, Physician):
        for record in model.select().order_by(model.id).limit(50):
            stored = record.search_key
            record.prepare_save()
            assert record.search_key == stored != ""


def test_search_words_are_what_saving_the_client_would_store(clinic, generated):
    assert generated[1]["client_search_word"] == ClientSearchWord.select().count()
    for client in Client.select().order_by(Client.id).limit(50):
        stored = ClientSearchWord.select().where(ClientSearchWord.client == client.id)
        assert {tuple(row) for row in stored.tuples()} == set(search_word_rows(client))


def _charges(client_id: int) -> int:
    lines = (
        ServiceLine.select(fn.SUM(ServiceLine.charge_cents - ServiceLine.discount_cents))
        .join(Visit)
        .where(Visit.client == client_id)
        .scalar()
    )
    fees_due = Visit.select(fn.SUM(Visit.fee_cents)).where(Visit.client == client_id).scalar()
    return (lines or 0) + (fees_due or 0)


def test_every_balance_is_charges_less_payments_and_no_visit_is_overpaid(clinic):
    owing, checked = 0, 120
    for client in Client.select().order_by(Client.id).limit(checked):
        paid = Payment.select(fn.SUM(Payment.amount_cents)).where(Payment.client == client.id)
        balance = ledger.client_balance(client.id).balance_cents
        assert balance == _charges(client.id) - paid.scalar()
        owing += balance > 0
    assert 0 < owing < checked // 4
    visit_ids = [visit.id for visit in Visit.select(Visit.id)]
    assert min(ledger.open_charges(visit_ids).values()) >= 0
    for payment in Payment.select().limit(100):
        assert ledger.unapplied_cents(payment) >= 0


def test_the_client_summary_of_a_prescribed_client(clinic):
    prescription = Prescription.select().order_by(Prescription.id.desc()).first()
    shown = summary.client_summary(prescription.client_id, today=TODAY)
    assert shown.visit_count == 10
    assert shown.balance_cents == ledger.client_balance(prescription.client_id).balance_cents
    assert shown.diagnoses and all(description for _, description in shown.diagnoses)


def test_prescribed_visits_fall_within_their_prescription_and_never_exceed_it(clinic):
    prescriptions = list(Prescription.select())
    used = visits_used(p.id for p in prescriptions)
    for prescription in prescriptions:
        assert used[prescription.id] <= prescription.treatments_prescribed
        for visit in prescription.visits:
            assert prescription.written_on <= visit.starts_at.date() <= prescription.end_date


def test_notes_are_signed_by_the_treating_therapist_who_is_never_double_booked(clinic):
    for visit in Visit.select().where(Visit.status == "completed").limit(200):
        assert visit.signed_by_id == visit.therapist_id
        assert visit.signed_at > visit.starts_at
        assert visit.subjective and visit.plan and visit.body_areas
    twice = (
        Visit.select(Visit.therapist, Visit.starts_at)
        .group_by(Visit.therapist, Visit.starts_at)
        .having(fn.COUNT(Visit.id) > 1)
    )
    assert not twice.exists()


def test_charges_are_what_the_fee_schedule_charges(clinic):
    for line in ServiceLine.select().order_by(ServiceLine.id).limit(60):
        (plan,) = fees.plan_lines(line.visit)
        stored = (line.service_code_id, line.units, line.charge_cents, line.discount_cents)
        assert stored == (plan.code.id, plan.units, plan.charge_cents, plan.discount_cents)
        assert (line.diagnosis_pointers, line.medical) == (plan.diagnosis_pointers, plan.medical)
    assert PaymentAllocation.select().count() > 0


def _rows(path: Path, tables: list[str]) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        rows = {
            t: connection.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables
        }
    connection.close()
    return rows


def test_the_same_seed_gives_the_same_clinic_and_another_seed_another(tmp_path):
    seeds = {"one": 7, "two": 7, "other": 8}
    paths = [tmp_path / f"{name}.db" for name in seeds]
    counts = [
        generate(path, 30, seed=seed, today=TODAY)
        for path, seed in zip(paths, seeds.values(), strict=True)
    ]
    tables = ["clinic_profile", *counts[0]]  # all but the reference data every new file gets
    first, second, other = (_rows(path, tables) for path in paths)
    assert first == second
    assert first["client"] != other["client"]


def test_a_database_with_clients_is_refused(tmp_path):
    path = tmp_path / "small.db"
    generate(path, 5, seed=1, today=TODAY)
    with pytest.raises(DatabaseNotEmpty):
        generate(path, 5, seed=1, today=TODAY)
