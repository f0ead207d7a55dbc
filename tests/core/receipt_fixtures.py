"""Clients with visits and payments to print receipts for, built through the services.

`self_pay_client`: two medical visits and a wellness visit in November 2026, paid with an
HSA/FSA card, cash with a tip, and a split payment (HSA/FSA card, then a credit card with a
tip). `work_injury_client`: a workers' comp case with its carrier as coverage, a prescription
for the case, three visits and the carrier's payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import pypdfium2 as pdfium

from frontdesk.models import Client, Payer, Payment, Physician, Prescription, Therapist, Visit
from frontdesk.services import cases, coverage, ledger, prescriptions, visits
from tests.core.conftest import TODAY, rx_form
from tests.pdf_text import pdf_text

ADDRESS = {
    "address_line1": "455 Oak Ave",
    "address_line2": "Apt 3",
    "city": "Salem",
    "state": "OR",
    "zip_code": "97302",
}
WC_CARRIER = "Workers' compensation carrier (other)"
YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


def text_of(pdf: bytes) -> str:
    """Every page's text, white space collapsed."""
    return " ".join(pdf_text(pdf).split())


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def dollars(cents: int) -> str:
    return f"{cents / 100:.2f}"


def new_client(first: str = "Emily", last: str = "Lee", **changes: Any) -> Client:
    values = {
        "first_name": first,
        "middle_name": "Rose",
        "last_name": last,
        "date_of_birth": date(1985, 3, 9),
        **ADDRESS,
    }
    return Client.create(**{**values, **changes})


def treat(
    client: Client,
    therapist: Therapist,
    day: date,
    minutes: int = 60,
    *,
    wellness: str = "",
    hour: int = 10,
    **completing: Any,
) -> Visit:
    """Book the client's visit on `day` (under the prescription for the day) and complete it."""
    starts = datetime.combine(day, time(hour))
    booked = visits.book_visit(client.id, therapist.id, starts, minutes, wellness_reason=wellness)
    return visits.complete_visit(booked.visit.id, booked.visit.version, **completing)


def pay(
    client: Client,
    day: date,
    method: str,
    allocations: dict[int, int],
    *,
    gratuity: int = 0,
    reference: str = "",
    payer: Payer | None = None,
) -> Payment:
    raw = {
        "method": method,
        "received_on": day.strftime("%m/%d/%Y"),
        "amount_cents": dollars(sum(allocations.values())),
        "gratuity_cents": dollars(gratuity) if gratuity else "",
        "reference": reference,
        "payer_id": str(payer.id) if payer else "",
    }
    return ledger.record_payment(raw, client.id, allocations=allocations)


@dataclass
class Scenario:
    client: Client
    prescription: Prescription | None = None
    visits: dict[str, Visit] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)


def self_pay_client(therapist: Therapist, physician: Physician) -> Scenario:
    """Emily Rose Lee: medical visits on 11/02 (60 min) and 11/27 (45 min), wellness on 11/20.

    11/02: $140.00 on an HSA/FSA card. 11/20: $95.00 cash and a $15.00 tip.
    11/27: $105.00 less a $5.00 courtesy discount, split: $60.00 on the HSA/FSA card,
    $40.00 by credit card (ref. 4242) with a $20.00 tip.
    """
    client = new_client()
    rx = prescriptions.save_prescription(rx_form(physician.id), client.id, today=TODAY)
    first = treat(client, therapist, date(2026, 11, 2))
    wellness = treat(client, therapist, date(2026, 11, 20), wellness="Relaxation, no prescription")
    courtesy = {"courtesy_cents": 500, "courtesy_reason": "Courtesy discount"}
    split = treat(client, therapist, TODAY, 45, **courtesy)
    payments = {
        "hsa": pay(client, date(2026, 11, 2), "hsa_fsa_card", {first.id: 14000}, reference="1234"),
        "cash": pay(client, date(2026, 11, 20), "cash", {wellness.id: 9500}, gratuity=1500),
        "split_hsa": pay(client, TODAY, "hsa_fsa_card", {split.id: 6000}, reference="1234"),
        "split_card": pay(
            client, TODAY, "credit_card", {split.id: 4000}, gratuity=2000, reference="4242"
        ),
    }
    found = {"first": first, "wellness": wellness, "split": split}
    return Scenario(client, rx, found, payments)


def work_injury_client(therapist: Therapist, physician: Physician) -> Scenario:
    """Marco Diaz: a workers' comp case (claim WC-2026-0042, injured 09/14/2026), covered by
    the carrier (authorization AUTH-7781), three 60-minute visits under the case's
    prescription, the first two paid by the carrier (ref. EOB-5512)."""
    client = new_client("Marco", "Diaz", middle_name="", date_of_birth=date(1979, 7, 21))
    carrier = Payer.get(name=WC_CARRIER)
    case = cases.save_case(
        {
            "claim_number": "WC-2026-0042",
            "date_of_injury": "09/14/2026",
            "employer": "Columbia Freight",
            "carrier_id": str(carrier.id),
            "adjuster_name": "Morgan Lee",
            "adjuster_phone": "(503) 555-0177",
            "status": "Open",
        },
        client.id,
        "workers_comp",
        today=TODAY,
    )
    coverage.save_coverage(
        {"payer_id": str(carrier.id), "authorization_number": "AUTH-7781"}, client.id
    )
    form = rx_form(physician.id, injury_case_id=str(case.id), written_on="09/20/2026")
    form |= {"diagnosis_codes": "S39.012A, M54.50", "reason": "Lumbar strain at work"}
    rx = prescriptions.save_prescription(form, client.id, today=TODAY)
    days = (date(2026, 10, 6), date(2026, 10, 20), date(2026, 11, 3))
    found = {f"visit{n}": treat(client, therapist, day) for n, day in enumerate(days, 1)}
    owed = ledger.open_charges([found["visit1"].id, found["visit2"].id])
    carrier_paid = pay(
        client, date(2026, 11, 10), "workers_comp", owed, reference="EOB-5512", payer=carrier
    )
    return Scenario(client, rx, found, {"carrier": carrier_paid})
