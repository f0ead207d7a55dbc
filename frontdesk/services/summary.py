"""Everything the client summary shows, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk import catalog
from frontdesk.models import Client, Coverage, Payer, Prescription, PrescriptionDiagnosis, Visit
from frontdesk.services import billing, clients, prescriptions
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


def _coverages(client: Client) -> tuple[CoverageLine, ...]:
    query = (
        Coverage.select(Coverage, Payer)
        .join(Payer)
        .where(Coverage.client == client)
        .order_by(Coverage.priority, Coverage.id)
    )
    return tuple(
        CoverageLine(
            payer_name=c.payer.name,
            payer_kind=c.payer.kind,
            member_id=c.member_id,
            group_number=c.group_number,
            authorization_number=c.authorization_number,
            priority=c.priority,
        )
        for c in query
    )


def _recent_visits(client: Client) -> tuple[VisitLine, ...]:
    query = (
        Visit.select()
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


def client_summary(client_id: int, today: date | None = None) -> ClientSummary:
    client = clients.get_client(client_id)
    prescription = prescriptions.current_prescription(client_id, today)
    status = prescriptions.status_of(prescription, today) if prescription else None
    diagnoses = (
        tuple(
            (d.code, d.description)
            for d in prescription.diagnoses.order_by(PrescriptionDiagnosis.position)
        )
        if prescription
        else ()
    )
    return ClientSummary(
        client=client,
        alerts=clients.health_alerts(client),
        prescription=prescription,
        prescription_status=status,
        diagnoses=diagnoses,
        coverages=_coverages(client),
        recent_visits=_recent_visits(client),
        visit_count=Visit.select().where(Visit.client == client).count(),
        charged_cents=billing.charges_cents(client_id),
        balance_cents=billing.balance_cents(client_id),
        has_history=clients.has_history(client),
    )
