"""Reading what a document shows from the database, as plain JSON-ready parts.

Dates become ISO text, money stays in integer cents; each part holds the ids it came from
(so the completeness check can look again) and the words it prints. Visits are gathered in
a fixed number of queries however many there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import JOIN, Expression

from frontdesk import formatting
from frontdesk.access import Can, needs
from frontdesk.models import (
    AddressMixin,
    Client,
    Coverage,
    InjuryCase,
    Payer,
    Payment,
    PaymentAllocation,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    ServiceCode,
    ServiceLine,
    Therapist,
    Visit,
)
from frontdesk.services import clinic, fees, ledger, records
from frontdesk.services.cases import CASE_KIND_CHOICES
from frontdesk.services.coverage import RELATIONSHIP_CHOICES
from frontdesk.services.history import FEE_LABELS, NO_PRESCRIPTION, WELLNESS
from frontdesk.services.receipts.common import ReceiptRefused

MEDICAL = "Medical (prescribed)"
NON_MEDICAL_SERVICE = "Massage (non-medical service)"  # a medical code on a visit that is not
THIRD_PARTY_METHODS = frozenset(ledger.PAYER_KINDS)  # insurers, carriers, programs: not the client


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def address_lines(record: AddressMixin) -> list[str]:
    """The street lines, then "City, ST ZIP" (blank parts left out)."""
    state_zip = " ".join(part for part in (record.state, record.zip_code) if part)
    town = ", ".join(part for part in (record.city, state_zip) if part)
    return [line for line in (record.address_line1, record.address_line2, town) if line]


def has_address(record: AddressMixin) -> bool:
    return all((record.address_line1, record.city, record.state, record.zip_code))


# --- who: the clinic, the client, therapists, physicians --------------------------------------


@needs(Can.ISSUE_RECEIPTS)
def clinic_part() -> dict[str, Any]:
    """The letterhead: the clinic as its profile says now."""
    profile = clinic.clinic_profile()
    if profile is None:
        raise ReceiptRefused("Set up the clinic's profile first (Settings, Clinic).")
    return {
        "name": profile.name,
        "address": address_lines(profile),
        "phone": formatting.phone(profile.phone),
        "fax": formatting.phone(profile.fax),
        "email": profile.email,
        "ein": profile.ein,
        "npi": profile.npi,
        "footer": profile.receipt_footer,
    }


@needs(Can.ISSUE_RECEIPTS)
def get_client(client_id: int) -> Client:
    return records.get_record(Client, client_id, "client")


@needs(Can.ISSUE_RECEIPTS)
def client_part(client: Client) -> dict[str, Any]:
    return {
        "client_id": client.id,
        "name": client.full_name,
        "display_name": client.display_name,
        "date_of_birth": iso(client.date_of_birth),
        "address": address_lines(client),
    }


@needs(Can.ISSUE_RECEIPTS)
def therapist_parts(visits: Iterable[Visit]) -> list[dict[str, Any]]:
    """Each treating therapist once, in the order they first appear."""
    found = {visit.therapist_id: visit.therapist for visit in visits}
    return [
        {
            "therapist_id": therapist.id,
            "name": f"{therapist.first_name} {therapist.last_name}",
            "credentials": therapist.credentials,
            "license_number": therapist.license_number,
            "license_state": therapist.license_state,
            "npi": therapist.npi,
        }
        for therapist in found.values()
    ]


@needs(Can.ISSUE_RECEIPTS)
def prescriptions_of(parts: Sequence[dict[str, Any]]) -> list[Prescription]:
    """The prescriptions the medical visits were given under, oldest written first."""
    ids = {part["prescription_id"] for part in parts if part["prescription_id"] is not None}
    query = (
        Prescription.select(Prescription, Physician)
        .join(Physician)
        .where(Prescription.id.in_(list(ids)))
        .order_by(Prescription.written_on, Prescription.id)
    )
    return list(query)


@needs(Can.ISSUE_RECEIPTS)
def prescription_part(prescription: Prescription) -> dict[str, Any]:
    physician = prescription.physician
    return {
        "prescription_id": prescription.id,
        "physician": physician.display_name,
        "physician_npi": physician.npi,
        "written_on": iso(prescription.written_on),
        "end_date": iso(prescription.end_date),
        "reason": prescription.reason,
    }


# --- which visits -----------------------------------------------------------------------------


def _with_therapists() -> Any:
    return (
        Visit.select(Visit, Therapist)
        .join(Therapist, on=Visit.therapist == Therapist.id)
        .order_by(Visit.starts_at, Visit.id)
    )


def billed() -> Expression:
    """The condition for a visit with something to pay: treatment given, or a fee
    (late cancel, no-show)."""
    return (Visit.status == "completed") | (Visit.fee_cents > 0)


def dated(start: date, end: date) -> Expression:
    """The condition for a visit from `start` to `end`, both days included."""
    after_end = datetime.combine(end + timedelta(days=1), time.min)
    return (Visit.starts_at >= datetime.combine(start, time.min)) & (Visit.starts_at < after_end)


@needs(Can.ISSUE_RECEIPTS)
def visits_in_range(client_id: int, start: date, end: date) -> list[Visit]:
    """The client's charged visits from `start` to `end`."""
    return list(
        _with_therapists().where((Visit.client == client_id) & dated(start, end) & billed())
    )


@needs(Can.ISSUE_RECEIPTS)
def chosen_visits(client_id: int, visit_ids: Iterable[int]) -> list[Visit]:
    """The client's visits chosen for a receipt; another client's or an uncharged one refused."""
    wanted = set(visit_ids)
    found = list(_with_therapists().where(Visit.id.in_(list(wanted))))
    if len(found) != len(wanted):
        raise ReceiptRefused("A chosen visit no longer exists; choose the visits again.")
    if any(visit.client_id != client_id for visit in found):
        raise ReceiptRefused("A chosen visit is another client's; a receipt is for one client.")
    charged = Visit.select(Visit.id).where(Visit.id.in_(list(wanted)) & billed())
    if charged.count() != len(found):
        raise ReceiptRefused("A chosen visit was not charged (not completed, no fee).")
    return found


@needs(Can.ISSUE_RECEIPTS)
def paid_visits(payment_id: int, client_id: int) -> tuple[Payment, list[Visit]]:
    """A live payment of the client and the visits it was put on."""
    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None or payment.client_id != client_id:
        raise ReceiptRefused(f"There is no payment no. {payment_id} for this client.")
    if payment.kind != "payment" or ledger.is_voided(payment.id):
        raise ReceiptRefused("This entry is a refund, a void or a voided payment: no receipt.")
    visit_ids = PaymentAllocation.select(PaymentAllocation.visit).where(
        PaymentAllocation.payment == payment.id
    )
    found = list(_with_therapists().where(Visit.id.in_(visit_ids)))
    if not found:
        raise ReceiptRefused(
            "This payment is not on any visit yet; put it on the visits it paid for first."
        )
    return payment, found


@needs(Can.ISSUE_RECEIPTS)
def client_of_payment(payment_id: int) -> int:
    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None:
        raise ReceiptRefused(f"There is no payment no. {payment_id}.")
    return payment.client_id


# --- visits and their lines -------------------------------------------------------------------


def is_medical_visit(visit: Visit) -> bool:
    """Treatment given under a prescription and not recorded as wellness care."""
    return visit.status == "completed" and fees.is_medical(visit)


def _lines_by_visit(visit_ids: list[int]) -> dict[int, list[ServiceLine]]:
    query = (
        ServiceLine.select(ServiceLine, ServiceCode)
        .join(ServiceCode)
        .where(ServiceLine.visit.in_(visit_ids))
        .order_by(ServiceLine.id)
    )
    lines: dict[int, list[ServiceLine]] = defaultdict(list)
    for line in query:
        lines[line.visit_id].append(line)
    return lines


def _diagnoses_by_prescription(
    prescription_ids: set[int],
) -> dict[int, dict[int, PrescriptionDiagnosis]]:
    """Each prescription's diagnoses by position (1 = primary)."""
    query = PrescriptionDiagnosis.select().where(
        PrescriptionDiagnosis.prescription.in_(list(prescription_ids))
    )
    found: dict[int, dict[int, PrescriptionDiagnosis]] = defaultdict(dict)
    for diagnosis in query.order_by(PrescriptionDiagnosis.position):
        found[diagnosis.prescription_id][diagnosis.position] = diagnosis
    return found


def _positions(pointers: str) -> list[int]:
    return [int(part) for part in pointers.split(",") if part.strip().isdigit()]


def _line_part(line: ServiceLine, medical: bool, diagnoses: dict[int, Any]) -> dict[str, Any]:
    """One charged line; on a visit that is not medical it never prints as medical."""
    line_medical = medical and line.medical
    code = line.service_code
    shown_as_medical = line_medical or not code.medical
    pointed = [diagnoses[p].code for p in _positions(line.diagnosis_pointers) if p in diagnoses]
    codes = pointed or [diagnosis.code for diagnosis in diagnoses.values()]
    return {
        "code": code.code if shown_as_medical else "",
        "description": code.description if shown_as_medical else NON_MEDICAL_SERVICE,
        "units": line.units,
        "charge_cents": line.charge_cents,
        "discount_cents": line.discount_cents,
        "discount_reason": line.discount_reason,
        "medical": line_medical,
        "fee": False,
        "diagnosis_codes": codes if line_medical else [],
    }


def _fee_part(visit: Visit) -> dict[str, Any]:
    return {
        "code": "",
        "description": FEE_LABELS.get(visit.status, "Fee"),
        "units": 1,
        "charge_cents": visit.fee_cents,
        "discount_cents": 0,
        "discount_reason": "",
        "medical": False,
        "fee": True,
        "diagnosis_codes": [],
    }


def care_label(visit: Visit, medical: bool) -> str:
    """What care the visit was: medical, wellness, no prescription, or a missed visit's fee."""
    if medical:
        return MEDICAL
    if visit.status in FEE_LABELS:
        return FEE_LABELS[visit.status]
    return WELLNESS if visit.wellness else NO_PRESCRIPTION


def eligible_cents(medical_net: int, other_net: int, client_paid: int, others_paid: int) -> int:
    """What the client paid for a visit's medical services (what an HSA/FSA may repay).

    Insurers and carriers pay for medical services; the client's own payments cover the
    non-medical part of the visit first, so nothing non-medical is ever counted.
    """
    medical_left = max(medical_net - others_paid, 0)
    client_on_medical = max(client_paid - other_net, 0)
    return min(medical_left, client_on_medical)


def _net(lines: Iterable[dict[str, Any]]) -> int:
    return sum(line["charge_cents"] - line["discount_cents"] for line in lines)


@needs(Can.ISSUE_RECEIPTS)
def visit_part(
    visit: Visit,
    lines: list[ServiceLine],
    diagnoses: dict[int, PrescriptionDiagnosis],
    paid: tuple[int, int],
) -> dict[str, Any]:
    """A visit as printed: its lines, diagnoses, and what was charged, paid and is owed.

    `paid` is what the client's own payments and third parties' put on it.
    """
    medical = is_medical_visit(visit)
    shown = [_line_part(line, medical, diagnoses) for line in lines]
    if visit.fee_cents:
        shown.append(_fee_part(visit))
    codes = dict.fromkeys(code for line in shown for code in line["diagnosis_codes"])
    by_code = {d.code: d.description for d in diagnoses.values()}
    medical_net = _net(line for line in shown if line["medical"])
    net, (client_paid, others_paid) = _net(shown), paid
    return {
        "visit_id": visit.id,
        "date": iso(visit.starts_at.date()),
        "minutes": visit.minutes,
        "therapist_id": visit.therapist_id,
        "prescription_id": visit.prescription_id if medical else None,
        "case_id": visit.injury_case_id if medical else None,
        "coverage_id": visit.coverage_id,
        "medical": medical,
        "care": care_label(visit, medical),
        "lines": shown,
        "diagnoses": [{"code": code, "description": by_code[code]} for code in codes],
        "charge_cents": sum(line["charge_cents"] for line in shown),
        "discount_cents": sum(line["discount_cents"] for line in shown),
        "medical_cents": medical_net,
        "paid_cents": client_paid + others_paid,
        "balance_cents": net - client_paid - others_paid,
        "eligible_cents": eligible_cents(medical_net, net - medical_net, client_paid, others_paid),
    }


# --- payments ---------------------------------------------------------------------------------


def _allocations(visit_ids: list[int]) -> list[PaymentAllocation]:
    """Live payments' allocations to the visits, with their payments and payers."""
    return list(
        PaymentAllocation.select(PaymentAllocation, Payment, Payer)
        .join(Payment)
        .join(Payer, JOIN.LEFT_OUTER)
        .where(PaymentAllocation.visit.in_(visit_ids) & ledger.live("payment"))
        .order_by(Payment.received_on, Payment.id, PaymentAllocation.id)
    )


def _paid_by_visit(allocations: Iterable[PaymentAllocation]) -> dict[int, tuple[int, int]]:
    """{visit id: (paid by the client, paid by insurers and carriers)}."""
    own: dict[int, int] = defaultdict(int)
    others: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        third_party = allocation.payment.method in THIRD_PARTY_METHODS
        (others if third_party else own)[allocation.visit_id] += allocation.amount_cents
    return {vid: (own[vid], others[vid]) for vid in {*own, *others}}


def _method(payment: Payment) -> str:
    return ledger.METHOD_LABELS.get(payment.method, payment.method)


def gratuity_share(payment: Payment, amount_cents: int) -> int:
    """The part of a payment's gratuity that goes with `amount_cents` of it (all of it when
    the whole payment is meant), so a tip spread over visits is never counted twice."""
    if amount_cents >= payment.amount_cents or payment.amount_cents <= 0:
        return payment.gratuity_cents
    return payment.gratuity_cents * amount_cents // payment.amount_cents


@needs(Can.ISSUE_RECEIPTS)
def payment_part(payment: Payment, amount_cents: int) -> dict[str, Any]:
    return {
        "payment_id": payment.id,
        "date": iso(payment.received_on),
        "method": _method(payment),
        "payer": payment.payer.name if payment.payer_id else "",
        "reference": payment.reference,
        "amount_cents": amount_cents,
        "gratuity_cents": gratuity_share(payment, amount_cents),
        "third_party": payment.method in THIRD_PARTY_METHODS,
    }


def _payments_on(allocations: Iterable[PaymentAllocation]) -> list[dict[str, Any]]:
    """Each live payment put on the visits, with the part of it put on them."""
    applied: dict[int, int] = defaultdict(int)
    payments: dict[int, Payment] = {}
    for allocation in allocations:
        payments[allocation.payment_id] = allocation.payment
        applied[allocation.payment_id] += allocation.amount_cents
    return [payment_part(payment, applied[pid]) for pid, payment in payments.items()]


@needs(Can.ISSUE_RECEIPTS)
def gather_visits(visits: Sequence[Visit]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The visits' parts (in date order) and the live payments put on them."""
    ids = [visit.id for visit in visits]
    lines = _lines_by_visit(ids)
    medical_rx = {v.prescription_id for v in visits if is_medical_visit(v)}
    diagnoses = _diagnoses_by_prescription(medical_rx)
    allocations = _allocations(ids)
    paid = _paid_by_visit(allocations)
    parts = [
        visit_part(
            visit,
            lines.get(visit.id, []),
            diagnoses.get(visit.prescription_id, {}) if is_medical_visit(visit) else {},
            paid.get(visit.id, (0, 0)),
        )
        for visit in sorted(visits, key=lambda v: (v.starts_at, v.id))
    ]
    return parts, _payments_on(allocations)


# --- the ledger over a period -----------------------------------------------------------------


@needs(Can.ISSUE_RECEIPTS)
def ledger_parts(client_id: int, start: date, end: date) -> list[dict[str, Any]]:
    """Every ledger entry received from `start` to `end`: voids and what they cancel uncounted."""
    entries = list(
        Payment.select(Payment, Payer)
        .join(Payer, JOIN.LEFT_OUTER)
        .where((Payment.client == client_id) & Payment.received_on.between(start, end))
        .order_by(Payment.received_on, Payment.id)
    )
    voided = {
        row.reverses_id
        for row in Payment.select(Payment.reverses).where(
            (Payment.client == client_id) & (Payment.kind == "void")
        )
    }
    originals = _dates_of(entry.reverses_id for entry in entries if entry.reverses_id)
    return [_entry_part(entry, entry.id in voided, originals) for entry in entries]


def _dates_of(entry_ids: Iterable[int]) -> dict[int, date]:
    query = Payment.select(Payment.id, Payment.received_on).where(Payment.id.in_(list(entry_ids)))
    return {row.id: row.received_on for row in query}


def _entry_part(entry: Payment, voided: bool, originals: dict[int, date]) -> dict[str, Any]:
    part = payment_part(entry, entry.amount_cents)
    label = ledger.KIND_LABELS.get(entry.kind, entry.kind.title())
    if entry.reverses_id in originals:
        label += f" of the payment of {formatting.us_date(originals[entry.reverses_id])}"
    return {
        **part,
        "kind": entry.kind,
        "label": f"{label} (voided)" if voided else label,
        "counted": entry.kind != "void" and not voided,
    }


# --- who pays: coverage and injury cases ------------------------------------------------------


@needs(Can.ISSUE_RECEIPTS)
def coverage_part(coverage: Coverage) -> dict[str, Any]:
    relation = dict(RELATIONSHIP_CHOICES).get(coverage.subscriber_relation, "")
    return {
        "coverage_id": coverage.id,
        "payer": coverage.payer.name,
        "payer_id_number": coverage.payer.payer_id,
        "plan_type": coverage.plan_type,
        "member_id": coverage.member_id,
        "group_number": coverage.group_number,
        "authorization_number": coverage.authorization_number,
        "subscriber": coverage.subscriber_name if coverage.subscriber_relation != "self" else "",
        "relation": relation,
    }


@needs(Can.ISSUE_RECEIPTS)
def case_part(case: InjuryCase) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "kind": case.kind,
        "kind_label": dict(CASE_KIND_CHOICES).get(case.kind, case.kind),
        "claim_number": case.claim_number,
        "date_of_injury": iso(case.date_of_injury),
        "carrier": case.carrier.name if case.carrier_id else "",
        "policy_number": case.policy_number,
        "employer": case.employer,
        "adjuster": case.adjuster_name,
        "adjuster_phone": formatting.phone(case.adjuster_phone),
    }


@needs(Can.ISSUE_RECEIPTS)
def coverage_parts(coverage_ids: Iterable[int]) -> list[dict[str, Any]]:
    query = (
        Coverage.select(Coverage, Payer)
        .join(Payer)
        .where(Coverage.id.in_(list(set(coverage_ids))))
        .order_by(Coverage.priority, Coverage.id)
    )
    return [coverage_part(coverage) for coverage in query]


@needs(Can.ISSUE_RECEIPTS)
def case_parts(case_ids: Iterable[int]) -> list[dict[str, Any]]:
    query = (
        InjuryCase.select(InjuryCase, Payer)
        .join(Payer, JOIN.LEFT_OUTER)
        .where(InjuryCase.id.in_(list(set(case_ids))))
        .order_by(InjuryCase.date_of_injury, InjuryCase.id)
    )
    return [case_part(case) for case in query]
