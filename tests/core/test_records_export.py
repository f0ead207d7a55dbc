"""Records exports: a client's whole record as one folder, clients and payments as CSV.

Each export holds what the database holds (and no other client's rows), is audited
once with counts only, and is put in place whole or not at all.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import itertools
import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from frontdesk import cli, db
from frontdesk.models import (
    AuditEvent,
    Client,
    Coverage,
    Payment,
    PaymentAllocation,
    Prescription,
    PrescriptionDiagnosis,
    PrescriptionScan,
    Receipt,
    Visit,
    VisitAddendum,
)
from frontdesk.services import ledger, receipts
from frontdesk.services import records_export as exports
from frontdesk.services.history import record_printed, treatment_history
from frontdesk.services.prescriptions.scans import attach_scan
from frontdesk.storage_errors import RecordMissing
from frontdesk.validation import ValidationError, ValidationErrors
from tests.core.test_prescription_scans import png_bytes
from tests.pdf_text import pdf_text

TODAY = date(2026, 11, 27)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder to export into (the test's database lives beside it)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def client(demo_clinic) -> Client:
    """A demo client with visits, an addendum, payments and a prescription, given a scan of
    the prescription and an HSA/FSA receipt."""
    with_addendum = Visit.select(Visit.client).join(VisitAddendum)
    chosen = (
        Client.select()
        .where(
            Client.id.in_(with_addendum) & Client.id.in_(Prescription.select(Prescription.client))
        )
        .order_by(Client.id)
        .first()
    )
    prescription = Prescription.get(Prescription.client == chosen)
    attach_scan(prescription.id, png_bytes(), "rx scan.png")
    payment = Payment.select().where(Payment.client == chosen).order_by(Payment.id).first()
    receipts.issue(receipts.draft_receipt(chosen.id, payment_id=payment.id))
    return chosen


def _export(client: Client, folder: Path) -> tuple[exports.ExportResult, dict[str, Any]]:
    made = exports.export_client_record(client.id, folder, actor="front desk", today=TODAY)
    return made, json.loads((made.path / "record.json").read_text(encoding="utf-8"))


def _ids(rows: list[dict[str, Any]]) -> set[int]:
    return {row["id"] for row in rows}


def _values(data: Any, key: str) -> set[Any]:
    """Every value stored under `key` anywhere in the record."""
    found: set[Any] = set()
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key and not isinstance(value, dict | list):
                found.add(value)
            found |= _values(value, key)
    elif isinstance(data, list):
        for item in data:
            found |= _values(item, key)
    return found


# --- a client's record ---------------------------------------------------------------------


def test_the_record_holds_every_row_about_the_client(client, out):
    made, record = _export(client, out)
    assert made.path == out / f"client-{client.id}-record-2026-11-27"
    rows = record["records"]
    visits = Visit.select().where(Visit.client == client)
    rx = Prescription.select().where(Prescription.client == client)
    expected = {
        "visit": visits,
        "payment": Payment.select().where(Payment.client == client),
        "prescription": rx,
        "prescription_diagnosis": PrescriptionDiagnosis.select().where(
            PrescriptionDiagnosis.prescription.in_(rx)
        ),
        "prescription_scan": PrescriptionScan.select().where(PrescriptionScan.prescription.in_(rx)),
        "visit_addendum": VisitAddendum.select().where(VisitAddendum.visit.in_(visits)),
        "coverage": Coverage.select().where(Coverage.client == client),
        "receipt": Receipt.select().where(Receipt.client == client),
        "payment_allocation": PaymentAllocation.select()
        .join(Payment)
        .where(Payment.client == client),
    }
    for table, query in expected.items():
        assert _ids(rows[table]) == {row.id for row in query}, table
    assert len(rows["visit_addendum"]) >= 1 and len(rows["prescription_scan"]) == 1
    assert record["client"]["id"] == client.id
    assert record["client"]["date_of_birth"] == client.date_of_birth.isoformat()
    assert _values(record, "client_id") == {client.id}  # no other client's rows
    assert {"physician", "therapist"} <= set(record["referenced"])
    header = record["header"]
    assert header["client_id"] == client.id and header["schema_version"] == db.LATEST_VERSION
    assert header["program_version"] and header["exported_at"]


def test_every_column_is_exported_by_its_name_in_the_database(client, out):
    _, record = _export(client, out)
    visit = record["records"]["visit"][0]
    assert set(visit) == {f.column_name for f in Visit._meta.sorted_fields}
    stored = Visit.get_by_id(visit["id"])
    assert visit["starts_at"] == stored.starts_at.isoformat()
    assert visit["fee_cents"] == stored.fee_cents and visit["therapist_id"] == stored.therapist_id
    payment = record["records"]["payment"][0]
    assert payment["amount_cents"] == Payment.get_by_id(payment["id"]).amount_cents
    receipt = record["records"]["receipt"][0]
    assert receipt["snapshot"]["number"] == receipt["number"]  # the JSON kept, as JSON


def test_audit_events_about_the_clients_rows_are_included(client, out):
    other = Client.select().where(Client.id != client.id).first()
    for printed in (client, other):
        record_printed(treatment_history(printed.id))
    _, record = _export(client, out)
    events = record["audit_events"]
    entities = {e["entity"] for e in events}
    assert {"treatment_history", "visit", "payment", "prescription_scan", "receipt"} <= entities
    for event in events:
        if event["entity"] == "treatment_history":
            assert event["entity_id"] == client.id


def test_the_pdfs_and_the_scan_are_written(client, out):
    made, record = _export(client, out)
    history = pdf_text((made.path / exports.HISTORY_FILE).read_bytes())
    assert "TREATMENT HISTORY" in history.upper() and client.last_name in history
    [receipt] = Receipt.select().where(Receipt.client == client)
    copy = made.path / "receipts" / f"hsa_fsa-{receipt.number}.pdf"
    assert "DUPLICATE" in pdf_text(copy.read_bytes()).upper()
    assert record["documents"] == [exports.HISTORY_FILE, f"receipts/hsa_fsa-{receipt.number}.pdf"]
    [scan] = record["records"]["prescription_scan"]
    kept = made.path / scan["data"]["file"]
    assert kept.read_bytes() == PrescriptionScan.get_by_id(scan["id"]).data
    assert scan["data"]["sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert kept.name.endswith("rx scan.png")


def test_one_audit_event_with_counts_and_no_reprints(client, out):
    before = AuditEvent.select().count()
    made, _ = _export(client, out)
    new = list(AuditEvent.select().where(AuditEvent.id > before).order_by(AuditEvent.id))
    [event] = new
    assert (event.action, event.entity, event.entity_id) == ("export", "client", client.id)
    visits = Visit.select().where(Visit.client == client).count()
    assert event.detail == made.summary() and f"{visits} visits" in event.detail
    assert client.last_name not in event.detail and client.first_name not in event.detail
    assert "1 receipt" in made.summary() and "1 scan" in made.summary()


def test_an_export_never_overwrites_an_earlier_one(client, out):
    first, _ = _export(client, out)
    second, _ = _export(client, out)
    assert second.path.name == f"{first.path.name}-2"
    assert sorted(p.name for p in out.iterdir()) == [first.path.name, second.path.name]


def _nothing_left(folder: Path, events_before: int) -> None:
    assert list(folder.iterdir()) == []
    assert AuditEvent.select().count() == events_before


def test_a_failure_while_writing_leaves_nothing(client, out, monkeypatch):
    before = AuditEvent.select().count()
    real_write = exports.Folder.write

    def write(self, relative: str, data: bytes) -> str:
        if relative.endswith(".pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, relative, data)

    monkeypatch.setattr(exports.Folder, "write", write)
    with pytest.raises(exports.ExportFailed) as failed:
        _export(client, out)
    assert str(failed.value).startswith(f"The folder {out} could not be written (No space")
    _nothing_left(out, before)


def test_a_failure_putting_it_in_place_leaves_nothing(client, out, monkeypatch):
    before = AuditEvent.select().count()

    def refuse(*_args: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(exports.os, "rename", refuse)
    with pytest.raises(exports.ExportFailed, match="Permission denied"):
        _export(client, out)
    _nothing_left(out, before)


def test_a_folder_that_cannot_be_made_is_refused(client, out):
    blocked = out / "a file"
    blocked.write_text("")
    with pytest.raises(exports.ExportFailed, match="could not be written"):
        _export(client, blocked / "records")


def test_a_client_that_is_gone_is_refused(demo_clinic, out):
    with pytest.raises(RecordMissing):
        exports.export_client_record(99_999, out)
    assert list(out.iterdir()) == []


# --- CSV lists ---------------------------------------------------------------------------------


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_clients_list_has_every_client_and_defuses_formulas(demo_clinic, out):
    Client.create(first_name="=HYPERLINK(1)", last_name="@Evil", date_of_birth=date(1990, 1, 2))
    made = exports.export_clients_csv(out / "clients.csv")
    rows = _csv(made.path)
    assert len(rows) == Client.select().count() == made.counts["row"]
    last = rows[-1]
    assert (last["First name"], last["Last name"]) == ("'=HYPERLINK(1)", "'@Evil")
    assert last["Date of birth"] == "01/02/1990" and last["Archived"] == "No"
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity, event.detail) == (
        "export",
        "client",
        f"clients CSV: {len(rows)} rows",
    )
    assert list(out.iterdir()) == [made.path]  # no partial file left beside it


def test_payments_are_listed_for_the_period_only(demo_clinic, out):
    start, end = date.today() - timedelta(days=365), date.today() - timedelta(days=60)
    in_period = Payment.select().where(Payment.received_on.between(start, end))
    made = exports.export_payments_csv(out / "payments.csv", start, end)
    rows = _csv(made.path)
    assert 0 < len(rows) < Payment.select().count()  # the demo has payments on both sides
    listed = in_period.order_by(Payment.received_on, Payment.id)
    assert [int(row["Entry id"]) for row in rows] == [p.id for p in listed]
    first = Payment.get_by_id(int(rows[0]["Entry id"]))
    assert rows[0]["Amount"] == exports.dollars(first.amount_cents)
    assert rows[0]["Kind"] == ledger.KIND_LABELS[first.kind]
    assert rows[0]["Client id"] == str(first.client_id)
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity) == ("export", "payment")
    period = f"{start:%m/%d/%Y} to {end:%m/%d/%Y}"
    assert event.detail == f"payments CSV, {period}: {len(rows)} rows"


def test_a_voided_payment_says_so(demo_clinic, out):
    payment = Payment.select().where(Payment.kind == "payment").order_by(Payment.id).first()
    PaymentAllocation.delete().where(PaymentAllocation.payment == payment).execute()
    void = ledger.void_entry(payment.id, "Entered twice", on=payment.received_on)
    day = payment.received_on
    rows = {
        int(row["Entry id"]): row
        for row in _csv(exports.export_payments_csv(out / "p.csv", day, day).path)
    }
    assert rows[payment.id]["Status"] == "Voided"
    assert (rows[void.id]["Kind"], rows[void.id]["Reverses entry"]) == ("Void", str(payment.id))


def test_money_is_plain_dollars():
    assert [exports.dollars(c) for c in (8500, 5, -550, 123456)] == [
        "85.00",
        "0.05",
        "-5.50",
        "1234.56",
    ]


def test_a_period_ending_before_it_starts_is_refused(demo_clinic, out):
    with pytest.raises(ValidationError, match="before the From date"):
        exports.export_payments_csv(out / "p.csv", date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValidationErrors) as refused:
        exports.period({"start": "02/30/2026", "end": ""})
    assert set(refused.value.by_field()) == {"From", "To"}
    assert list(out.iterdir()) == []


def test_a_csv_that_fails_midway_leaves_the_old_file(demo_clinic, out, monkeypatch):
    listed = out / "clients.csv"
    listed.write_text("the old list\n")

    def fail(*_args: Any) -> list[str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports, "_cells", fail)
    before = AuditEvent.select().count()
    with pytest.raises(exports.ExportFailed, match=r"The file .*clients\.csv could not be"):
        exports.export_clients_csv(listed)
    assert listed.read_text() == "the old list\n" and list(out.iterdir()) == [listed]
    assert AuditEvent.select().count() == before


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 14), (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2026, 11, 27), (date(2026, 1, 1), date(2026, 11, 27))),
    ],
)
def test_the_default_period_suits_the_accountant(today, expected):
    assert exports.default_period(today) == expected


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def clinic_file(client, demo_clinic) -> tuple[str, Client]:
    db.close_database()
    return demo_clinic.location, client


def _run(path: Path | str, *args: str) -> int:
    return cli.main(["--db", str(path), *args])


def _no_names(text: str, client: Client) -> None:
    for name in (client.first_name, client.last_name):
        assert name not in text


def test_export_client_command(clinic_file, tmp_path, capsys):
    path, client = clinic_file
    out = tmp_path / "records"
    assert _run(path, "export", "client", "--client", str(client.id), "--out", str(out)) == 0
    said = capsys.readouterr()
    [folder] = out.iterdir()
    assert said.out.startswith(f"{folder}: record of client {client.id} (")
    assert "visits" in said.out and said.err == ""
    _no_names(said.out, client)
    assert (folder / "record.json").exists()
    assert _run(path, "export", "client", "--client", "99999", "--out", str(out)) == 1
    assert capsys.readouterr().err.startswith("Not exported: This client no longer exists")


def test_export_clients_and_payments_commands(clinic_file, tmp_path, capsys):
    path, client = clinic_file
    clients_csv, payments_csv = tmp_path / "clients.csv", tmp_path / "payments.csv"
    assert _run(path, "export", "clients", "--out", str(clients_csv)) == 0
    year = date.today().year
    period = ["--from", f"01/01/{year}", "--to", f"12/31/{year}"]
    assert _run(path, "export", "payments", *period, "--out", str(payments_csv)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{clients_csv}: {len(_csv(clients_csv))} clients"
    assert lines[1] == (
        f"{payments_csv}: {len(_csv(payments_csv))} ledger entries from "
        f"01/01/{year} to 12/31/{year}"
    )
    _no_names("\n".join(lines), client)


def test_export_payments_command_refuses_bad_dates(clinic_file, tmp_path, capsys):
    path, _ = clinic_file
    out = tmp_path / "payments.csv"
    period = ["--from", "02/01/2026", "--to", "01/01/2026"]
    assert _run(path, "export", "payments", *period, "--out", str(out)) == 1
    assert capsys.readouterr().err.startswith("Not exported: To: this is before the From date")
    assert not out.exists()


def test_a_csv_whose_audit_event_cannot_be_committed_leaves_the_old_file(
    demo_clinic, out, monkeypatch
):
    listed = out / "clients.csv"
    listed.write_text("the old list\n")

    real_commit, commits = type(demo_clinic).commit, itertools.count()

    def refuse_commit(database) -> None:  # the reading commits; the export's own does not
        if next(commits) > 0:
            raise sqlite3.OperationalError("database or disk is full")
        real_commit(database)

    monkeypatch.setattr(type(demo_clinic), "commit", refuse_commit)
    with pytest.raises(sqlite3.OperationalError):
        exports.export_clients_csv(listed)
    assert listed.read_text() == "the old list\n" and list(out.iterdir()) == [listed]
