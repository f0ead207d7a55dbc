"""Lists of prescriptions: one client's, and the clinic's that need attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from peewee import Expression, ModelSelect, fn

from frontdesk.access import Can, needs
from frontdesk.models import (
    Client,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    PrescriptionScan,
)
from frontdesk.services.prescriptions.status import PrescriptionStatus, newest_first, statuses

RECENTLY_EXPIRED_DAYS = 90
FILTERS: tuple[tuple[str, str], ...] = (
    ("attention", "Needs attention"),
    ("ending_soon", "Ending soon"),
    ("used_up", "Used up"),
    ("expired", f"Expired in the last {RECENTLY_EXPIRED_DAYS} days"),
    ("all", "All"),
)
ATTENTION_STATES = {
    "attention": ("ending_soon", "used_up", "expired"),
    "ending_soon": ("ending_soon",),
    "used_up": ("used_up",),
    "expired": ("expired",),
}


@dataclass(frozen=True)
class PrescriptionRow:
    """One line of a list of prescriptions."""

    prescription_id: int
    client_id: int
    client_name: str
    physician_name: str
    written_on: date
    reason: str
    primary_code: str
    has_scan: bool
    status: PrescriptionStatus

    @property
    def state(self) -> str:
        return self.status.state

    @property
    def end_date(self) -> date:
        return self.status.end_date


def _with_names() -> ModelSelect:
    """Prescriptions with their client and physician, the primary code and whether scanned."""
    primary = (
        PrescriptionDiagnosis.select(PrescriptionDiagnosis.code)
        .where(
            (PrescriptionDiagnosis.prescription == Prescription.id)
            & (PrescriptionDiagnosis.position == 1)
        )
        .limit(1)
    )
    scanned = fn.EXISTS(
        PrescriptionScan.select(PrescriptionScan.id).where(
            PrescriptionScan.prescription == Prescription.id
        )
    )
    return (
        Prescription.select(
            Prescription, Client, Physician, primary.alias("primary_code"), scanned.alias("scanned")
        )
        .join(Client)
        .switch(Prescription)
        .join(Physician)
    )


def _rows(prescriptions: list[Prescription], today: date) -> list[PrescriptionRow]:
    found = statuses(prescriptions, today)
    return [
        PrescriptionRow(
            prescription_id=p.id,
            client_id=p.client.id,
            client_name=p.client.display_name,
            physician_name=p.physician.display_name,
            written_on=p.written_on,
            reason=p.reason,
            primary_code=p.primary_code or "",
            has_scan=bool(p.scanned),
            status=found[p.id],
        )
        for p in prescriptions
    ]


@needs(Can.READ_CLIENTS)
def client_prescriptions(client_id: int, today: date | None = None) -> list[PrescriptionRow]:
    """A client's prescriptions, newest first, with their state on `today`."""
    query = newest_first(_with_names().where(Prescription.client == client_id))
    return _rows(list(query), today or date.today())


def _is_clients_newest() -> Expression:
    """True for the newest prescription of its client (older ones were renewed)."""
    newer = Prescription.alias()
    return ~fn.EXISTS(
        newer.select(newer.id).where(
            (newer.client == Prescription.client)
            & (
                (newer.written_on > Prescription.written_on)
                | ((newer.written_on == Prescription.written_on) & (newer.id > Prescription.id))
            )
        )
    )


@needs(Can.READ_CLIENTS)
def clinic_prescriptions(
    show: str = "attention", today: date | None = None
) -> list[PrescriptionRow]:
    """The clinic's prescriptions for one of FILTERS, soonest end first ("all": newest first).

    The needs-attention lists hold each active client's newest prescription only: ending
    soon (ends within 30 days, or two visits or fewer left), used up, or expired in the
    last 90 days.
    """
    if show not in dict(FILTERS):
        raise ValueError(f"unknown prescription filter {show!r}")
    today = today or date.today()
    if show == "all":
        return _rows(list(newest_first(_with_names())), today)
    query = _with_names().where(
        (Client.archived == False)  # noqa: E712
        & (Prescription.end_date >= today - timedelta(days=RECENTLY_EXPIRED_DAYS))
        & _is_clients_newest()
    )
    wanted = ATTENTION_STATES[show]
    rows = [row for row in _rows(list(query), today) if row.state in wanted]
    return sorted(rows, key=lambda row: (row.end_date, row.client_name, row.prescription_id))
