"""Everything the client summary shows, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk import access, catalog
from frontdesk.access import Can, needs
from frontdesk.models import (
    Client,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    Therapist,
    Visit,
)
from frontdesk.services import cases, clients, ledger, prescriptions
from frontdesk.services.cases import CaseRow
from frontdesk.services.coverage import CoverageRow, client_coverages, primary_payer_names
from frontdesk.services.prescriptions import PrescriptionStatus

RECENT_VISITS = 8


@dataclass(frozen=True)
class CoverageLine:
    payer_name: str
    payer_kind: str
    member_id: str
    group_number: str
    authorization_number: str
    priority: int
    plan_type: str = ""
    order: str = ""  # "Primary" / "Secondary"
    ended: bool = False  # the end date is before the summary's day
    visits_used: int = 0  # this calendar year (cancelled and no-shows not counted)
    visits_allowed: int | None = None  # per calendar year; None when not limited or not known
    acceptance: str = ""  # payers.ACCEPTANCE_CHOICES
    short_name: str = ""  # the payer in a word or two
    coverage_id: int | None = None


@dataclass(frozen=True)
class VisitLine:
    starts_on: date
    therapist: str
    minutes: int
    status: str
    medical: bool


@dataclass(frozen=True)
class ClientSummary:
    client: Client
    alerts: tuple[catalog.CatalogItem, ...]
    prescription: Prescription | None
    prescription_status: PrescriptionStatus | None
    diagnoses: tuple[tuple[str, str], ...]  # (code, description), primary first
    coverages: tuple[CoverageLine, ...]
    recent_visits: tuple[VisitLine, ...]
    visit_count: int
    charged_cents: int
    balance_cents: int
    has_history: bool
    open_cases: tuple[CaseRow, ...] = ()  # workers' comp and auto cases still open
    primary_payer: str = ""  # the first current coverage's payer in a word or two; "" for none
    balance_shown: bool = True  # False for a login that may not see balances (amounts are 0)


def _coverage_line(row: CoverageRow) -> CoverageLine:
    return CoverageLine(
        payer_name=row.payer_name,
        payer_kind=row.kind,
        member_id=row.member_id,
        group_number=row.group_number,
        authorization_number=row.authorization_number,
        priority=row.priority,
        plan_type=row.plan_type,
        order=row.order,
        ended=row.ended,
        visits_used=row.visits_used,
        visits_allowed=row.visits_allowed,
        acceptance=row.acceptance,
        short_name=row.short_name,
        coverage_id=row.id,
    )


def _recent_visits(client: Client) -> tuple[VisitLine, ...]:
    query = (
        Visit.select(Visit, Therapist)  # the therapists in the same query, not one each
        .join(Therapist, on=Visit.therapist == Therapist.id)
        .where(Visit.client == client)
        .order_by(Visit.starts_at.desc())
        .limit(RECENT_VISITS)
    )
    return tuple(
        VisitLine(
            starts_on=v.starts_at.date(),
            therapist=v.therapist.display_name,
            minutes=v.minutes,
            status=v.status,
            medical=v.prescription_id is not None,
        )
        for v in query
    )


def _prescription(prescription_id: int) -> Prescription:
    """The prescription with its physician, whom the summary names (in the same query)."""
    return (
        Prescription.select(Prescription, Physician)
        .join(Physician)
        .where(Prescription.id == prescription_id)
        .get()
    )


@needs(Can.READ_CLIENTS)
def client_summary(client_id: int, today: date | None = None) -> ClientSummary:
    client = clients.get_client(client_id)
    status = prescriptions.latest_status_by_client([client_id], today).get(client_id)
    prescription = _prescription(status.prescription_id) if status else None
    diagnoses = (
        tuple(
            (d.code, d.description)
            for d in prescription.diagnoses.order_by(PrescriptionDiagnosis.position)
        )
        if prescription
        else ()
    )
    coverages = tuple(_coverage_line(row) for row in client_coverages(client_id, today))
    shown = access.may(Can.TAKE_PAYMENTS)  # a therapist's summary shows no money
    account = ledger.client_balance(client_id) if shown else None  # read once for both
    return ClientSummary(
        client=client,
        alerts=clients.health_alerts(client),
        prescription=prescription,
        prescription_status=status,
        diagnoses=diagnoses,
        coverages=coverages,
        recent_visits=_recent_visits(client),
        visit_count=Visit.select().where(Visit.client == client).count(),
        charged_cents=account.charges_cents - account.discounts_cents if account else 0,
        balance_cents=account.balance_cents if account else 0,
        balance_shown=shown,
        has_history=clients.has_history(client),
        open_cases=tuple(cases.client_cases(client_id, open_only=True)),
        primary_payer=primary_payer_names([client_id], today).get(client_id, ""),
    )
