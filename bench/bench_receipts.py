"""Receipt speed: one HSA/FSA receipt, and a year-end statement of 100 visits, made ready.

    python bench/bench_receipts.py

"Ready" is what the Print button does: draft (read and check), issue (take the number and
keep the snapshot) and draw the PDF. Targets: a receipt under 50 ms, the statement under
300 ms (median of several runs; the first run also loads reportlab and the ICD-10-CM index).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)

from frontdesk import db
from frontdesk.models import Client, database_proxy
from frontdesk.services import clinic, ledger, physicians, prescriptions, receipts, visits

VISITS = 100
RUNS = 9
RECEIPT_MS, STATEMENT_MS = 50.0, 300.0
YEAR = 2025
CLINIC = {
    "name": "Harbor Medical Massage",
    "address_line1": "12 Front St",
    "city": "Salem",
    "state": "OR",
    "zip_code": "97301",
    "phone": "(503) 555-0100",
    "ein": "93-1234567",
    "npi": "1234567893",
}
THERAPIST = {
    "first_name": "Hannah",
    "last_name": "Okafor",
    "credentials": "LMT",
    "license_number": "LMT-21873",
    "license_state": "OR",
}
PHYSICIAN = {"first_name": "Alicia", "last_name": "Chen", "credentials": "MD", "npi": "1003000126"}


def _prescription(client_id: int, physician_id: int) -> None:
    form = {
        "physician_id": str(physician_id),
        "written_on": f"01/02/{YEAR}",
        "reason": "Low back pain",
        "diagnosis_codes": "M54.50, M62.830",
        "modality": "Massage therapy",
        "body_areas": ["lower_back"],
        "treatments_prescribed": str(VISITS),
        "frequency": "2 per week",
        "duration": "12 months",
    }
    prescriptions.save_prescription(form, client_id, today=date(YEAR, 1, 2))


def _visit_days() -> list[datetime]:
    """Monday and Thursday mornings from early January, one visit each."""
    day, found = date(YEAR, 1, 5), []
    while len(found) < VISITS:
        if day.weekday() in (0, 3):
            found.append(datetime(day.year, day.month, day.day, 10))
        day += timedelta(days=1)
    return found


def fill() -> int:
    """A client with 100 treated and paid visits in the year; returns the client's id."""
    _, therapist = clinic.setup_clinic(CLINIC, THERAPIST)
    physician = physicians.save_physician(PHYSICIAN)
    client = Client.create(
        first_name="Emily", last_name="Lee", date_of_birth=date(1985, 3, 9),
        address_line1="455 Oak Ave", city="Salem", state="OR", zip_code="97302",
    )  # fmt: skip
    _prescription(client.id, physician.id)
    with database_proxy.atomic():
        for number, starts in enumerate(_visit_days()):
            booked = visits.book_visit(client.id, therapist.id, starts, 60).visit
            done = visits.complete_visit(booked.id, booked.version)
            owed = ledger.open_charges([done.id])[done.id]
            raw = {
                "method": "credit_card" if number % 3 else "hsa_fsa_card",
                "received_on": starts.strftime("%m/%d/%Y"),
                "amount_cents": f"{owed / 100:.2f}",
                "gratuity_cents": "10.00" if number % 3 else "",
                "reference": "4242",
            }
            ledger.record_payment(raw, client.id, allocations={done.id: owed})
    return client.id


def timed(make: Callable[[], bytes]) -> tuple[float, float]:
    """The first run and the median of the others, in milliseconds."""
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = make()
        runs.append((time.perf_counter() - start) * 1000)
        assert pdf.startswith(b"%PDF-")
    return runs[0], statistics.median(runs[1:])


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db.open_database(Path(folder) / "bench.db")
        client_id = fill()
        payment_id = receipts.payment_choices(client_id)[0].payment_id
        start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)

        def receipt() -> bytes:
            draft = receipts.draft_receipt(client_id, payment_id=payment_id)
            return receipts.receipt_pdf(receipts.issue(draft).id)

        def statement() -> bytes:
            draft = receipts.draft_statement(client_id, start, end)
            return receipts.receipt_pdf(receipts.issue(draft).id)

        print(f"receipts: draft + issue + PDF (median of {RUNS - 1}, after a first run)")
        results = []
        for label, make, limit in (
            ("HSA/FSA receipt, 1 visit", receipt, RECEIPT_MS),
            (f"year-end statement, {VISITS} visits", statement, STATEMENT_MS),
        ):
            first, median = timed(make)
            results.append(median < limit)
            print(f"  {label:34} {median:6.1f} ms  (first {first:6.1f} ms; target {limit:.0f})")
        db.close_database()
    verdict = "OK" if all(results) else "TOO SLOW"
    targets = f"a receipt under {RECEIPT_MS:.0f} ms, a statement under {STATEMENT_MS:.0f} ms"
    print(f"{verdict}: {targets}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
