"""A client's treatment history: every visit newest first, with its note, for reading or print.

Gathered in a fixed number of queries however many visits the client has, and returned as
plain frozen data (no database records), so the screen and the printed copy show the same
labels and the PDF can be drawn away from the database.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import NamedTuple

from peewee import BooleanField, DateTimeField, Expression, ModelSelect

from frontdesk import access, catalog, formatting
from frontdesk.access import Can, needs
from frontdesk.models import (
    Client,
    JSONListField,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    ServiceCode,
    ServiceLine,
    Therapist,
    Visit,
    VisitAddendum,
    database_proxy,
)
from frontdesk.services import audit, cases, clients, records
from frontdesk.services.notes import SOAP_FIELDS
from frontdesk.services.prescriptions.status import newest_first, statuses
from frontdesk.services.visits import NOTES_WITHHELD as NOTES_WITHHELD
from frontdesk.services.visits import STATUS_LABELS
from frontdesk.storage_errors import RecordMissing

log = logging.getLogger(__name__)

ALL_VISITS = "All visits"
WELLNESS = "Wellness (non-medical)"
NO_PRESCRIPTION = "No prescription (not medical)"
DRAFT = "Draft (not signed)"
NO_NOTE = "No note"
MISSED_STATUSES = ("cancelled", "no_show")
FEE_LABELS = {"cancelled": "Late-cancel fee", "no_show": "No-show fee"}


@dataclass(frozen=True)
class HistoryFilter:
    """One choice of which visits to show: all, one prescription's, or one injury case's."""

    kind: str  # all / prescription / case
    record_id: int | None
    label: str


SHOW_ALL = HistoryFilter("all", None, ALL_VISITS)


@dataclass(frozen=True)
class PrescriptionProgress:
    """Where a prescription stands today: visits used and left, its end and its state."""

    prescription_id: int
    label: str  # "Prescription of 10/01/2026: Low back pain"
    physician: str
    written_on: date
    reason: str
    diagnoses: tuple[tuple[str, str], ...]  # (code, description), primary first
    case_id: int | None
    visits_prescribed: int
    visits_used: int
    visits_left: int
    end_date: date
    state: str  # not_started / active / ending_soon / used_up / expired
    state_label: str  # "Active, 2 of 12 visits"


@dataclass(frozen=True)
class Addendum:
    written_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ServiceCharge:
    """One billed service of a visit, in cents."""

    code: str
    description: str
    units: int
    charge_cents: int
    discount_cents: int


@dataclass(frozen=True)
class VisitEntry:
    """One visit as the history shows it."""

    visit_id: int
    starts_at: datetime
    when: str  # "11/02/2026 10:00 AM"
    therapist: str
    minutes: int
    status: str
    status_label: str
    wellness: bool
    wellness_reason: str
    care: str  # the prescription's label, WELLNESS or NO_PRESCRIPTION
    prescription_id: int | None
    case_id: int | None
    case: str  # the injury case's label, "" for none
    techniques: tuple[str, ...]  # labels
    body_areas: tuple[str, ...]  # labels
    pain_before: int | None
    pain_after: int | None
    soap: tuple[tuple[str, str], ...]  # (heading, text) of the parts written, in SOAP order
    note_state: str  # signed / draft / none
    signature: str  # "Signed by … on …", DRAFT or NO_NOTE
    signed_by: str
    signed_at: datetime | None
    addenda: tuple[Addendum, ...]  # oldest first
    services: tuple[ServiceCharge, ...]
    fee_cents: int  # late-cancel or no-show fee
    status_reason: str  # why cancelled or missed
    note_withheld: bool = False  # a note exists but this login may not read it (NOTES_WITHHELD)

    @property
    def missed(self) -> bool:
        """Cancelled or a no-show: no treatment was given."""
        return self.status in MISSED_STATUSES

    @property
    def medical(self) -> bool:
        return self.prescription_id is not None and not self.wellness

    @property
    def pain(self) -> str:
        """ "6/10 before, 3/10 after" (the parts recorded), or ""."""
        parts = [
            f"{value}/10 {when}"
            for value, when in ((self.pain_before, "before"), (self.pain_after, "after"))
            if value is not None
        ]
        return ", ".join(parts)

    @property
    def missed_text(self) -> str:
        """Why a missed visit was missed and its fee: "Reason: sick. Late-cancel fee $25.00"."""
        if not self.missed:
            return ""
        fee = FEE_LABELS[self.status]
        charged = f"{fee} {formatting.money(self.fee_cents)}" if self.fee_cents else "No fee"
        reason = [f"Reason: {self.status_reason}"] if self.status_reason else []
        return ". ".join([*reason, charged])


@dataclass(frozen=True)
class TreatmentHistory:
    """One client's visits newest first, with what a reader must know before them."""

    client_id: int
    client_name: str  # First Middle Last
    display_name: str  # Last, First ("Preferred")
    date_of_birth: date
    today: date
    alerts: tuple[catalog.CatalogItem, ...]  # contraindications first, then cautions
    health_notes: str
    prescriptions: tuple[PrescriptionProgress, ...]  # those the shown visits concern
    filters: tuple[HistoryFilter, ...]  # SHOW_ALL, then each prescription, then each case
    shown: HistoryFilter
    entries: tuple[VisitEntry, ...]
    notes_withheld: bool = False  # note text, pain and addenda left out for this login


# --- labels ----------------------------------------------------------------------------------


def when_text(moment: datetime) -> str:
    """A date and time as "11/02/2026 10:00 AM"."""
    return f"{formatting.us_date(moment.date())} {moment.strftime('%I:%M %p').lstrip('0')}"


def prescription_label(prescription: Prescription) -> str:
    return f"Prescription of {formatting.us_date(prescription.written_on)}: {prescription.reason}"


def case_label(case: cases.CaseRow) -> str:
    """ "Auto accident of 03/04/2026, claim AB-123" (the claim when known)."""
    joint = " of " if case.kind == "auto" else ", injury of "
    label = f"{case.kind_label}{joint}{formatting.us_date(case.date)}"
    return f"{label}, claim {case.claim_number}" if case.claim_number else label


def _labels(keys: list[str], known: dict[str, catalog.CatalogItem]) -> tuple[str, ...]:
    return tuple(known[key].label if key in known else key for key in keys)


# --- gathering -------------------------------------------------------------------------------


@needs(Can.READ_CLIENTS)
def treatment_history(
    client_id: int,
    *,
    prescription_id: int | None = None,
    case_id: int | None = None,
    today: date | None = None,
) -> TreatmentHistory:
    """The client's visits newest first, all or those of one prescription or injury case.

    Refused: RecordMissing for a client, prescription or case that is gone (or not the
    client's); ValueError when both a prescription and a case are given.
    """
    if prescription_id is not None and case_id is not None:
        raise ValueError("show the visits of a prescription or of a case, not both")
    today = today or date.today()
    client = records.get_record(Client, client_id, "client")
    prescriptions = list(
        newest_first(
            Prescription.select(Prescription, Physician)
            .join(Physician)
            .where(Prescription.client == client_id)
        )
    )
    case_rows = cases.client_cases(client_id)
    filters = _filters(prescriptions, case_rows)
    shown = _chosen(filters, prescription_id, case_id)
    condition = _visit_condition(client_id, shown, prescriptions)
    notes_shown = access.may(Can.READ_NOTES)
    entries = _entries(condition, prescriptions, case_rows, notes_shown)
    return TreatmentHistory(
        client_id=client.id,
        client_name=client.full_name,
        display_name=client.display_name,
        date_of_birth=client.date_of_birth,
        today=today,
        alerts=clients.health_alerts(client),
        health_notes=client.health_notes,
        prescriptions=_progress(_relevant(prescriptions, shown, entries), today),
        filters=filters,
        shown=shown,
        entries=entries,
        notes_withheld=not notes_shown,
    )


def _filters(
    prescriptions: list[Prescription], case_rows: list[cases.CaseRow]
) -> tuple[HistoryFilter, ...]:
    return (
        SHOW_ALL,
        *(HistoryFilter("prescription", p.id, prescription_label(p)) for p in prescriptions),
        *(HistoryFilter("case", row.id, case_label(row)) for row in case_rows),
    )


def _chosen(
    filters: tuple[HistoryFilter, ...], prescription_id: int | None, case_id: int | None
) -> HistoryFilter:
    """The filter asked for; RecordMissing when it is not one of the client's."""
    if prescription_id is None and case_id is None:
        return SHOW_ALL
    kind, wanted = ("prescription", prescription_id) if case_id is None else ("case", case_id)
    for choice in filters:
        if choice.kind == kind and choice.record_id == wanted:
            return choice
    noun = "prescription" if kind == "prescription" else "injury case"
    raise RecordMissing(f"this {noun} is no longer on file for this client (perhaps deleted)")


def _visit_condition(
    client_id: int, shown: HistoryFilter, prescriptions: list[Prescription]
) -> Expression:
    condition = Visit.client == client_id
    if shown.kind == "prescription":
        return condition & (Visit.prescription == shown.record_id)
    if shown.kind == "case":
        treating = [p.id for p in prescriptions if p.injury_case_id == shown.record_id]
        return condition & (
            (Visit.injury_case == shown.record_id) | Visit.prescription.in_(treating)
        )
    return condition


def _entries(
    condition: Expression,
    prescriptions: list[Prescription],
    case_rows: list[cases.CaseRow],
    notes_shown: bool,
) -> tuple[VisitEntry, ...]:
    """The visits matching `condition`, newest first, in four queries whatever their number;
    without the notes' text, pain scores and addenda unless `notes_shown`."""
    visit_ids = Visit.select(Visit.id).where(condition)
    names = _therapist_names()
    labels = _Labels(
        therapists=names,
        prescriptions={p.id: prescription_label(p) for p in prescriptions},
        cases={row.id: case_label(row) for row in case_rows},
        techniques=catalog.by_key(catalog.techniques()),
        body_areas=catalog.by_key(catalog.body_areas()),
    )
    addenda = _addenda(visit_ids, names) if notes_shown else defaultdict(list)
    services = _services(visit_ids)
    visits = (
        Visit.select(*VISIT_COLUMNS)
        .where(condition)
        .order_by(Visit.starts_at.desc(), Visit.id.desc())
    )
    entries = (
        _entry(visit, labels, addenda[visit.id], services[visit.id])
        for visit in _visit_rows(visits)
    )
    return tuple(entries if notes_shown else map(_without_note, entries))


def _without_note(entry: VisitEntry) -> VisitEntry:
    """The entry without what the note says; whether there is one, and its signature, stay."""
    return replace(
        entry,
        soap=(),
        pain_before=None,
        pain_after=None,
        addenda=(),
        note_withheld=entry.note_state != "none",
    )


def _visit_rows(query: ModelSelect) -> Iterator[_VisitRow]:
    """The visits as plain rows, converting only the values stored as text (times, lists)
    or as 0/1 (flags): converting every value costs more than the query itself for a client
    with hundreds of visits."""
    converted = [
        (place, column.python_value)
        for place, column in enumerate(VISIT_COLUMNS)
        if isinstance(column, CONVERTED)
    ]
    for stored in database_proxy.execute(query).fetchall():
        row = list(stored)
        for place, convert in converted:
            row[place] = convert(row[place])
        yield _VisitRow._make(row)


class _VisitRow(NamedTuple):
    """The columns of a visit the history shows (read as plain rows: far quicker than
    whole records for a client with hundreds of visits)."""

    id: int
    starts_at: datetime
    therapist_id: int
    minutes: int
    status: str
    wellness: bool
    wellness_reason: str
    prescription_id: int | None
    injury_case_id: int | None
    techniques: list[str]
    body_areas: list[str]
    subjective: str
    objective: str
    assessment: str
    plan: str
    pain_before: int | None
    pain_after: int | None
    signed_at: datetime | None
    signed_by_id: int | None
    fee_cents: int
    status_reason: str


CONVERTED = (DateTimeField, BooleanField, JSONListField)  # the rest come as stored
VISIT_COLUMNS = (  # in the order of _VisitRow's fields
    Visit.id, Visit.starts_at, Visit.therapist, Visit.minutes, Visit.status, Visit.wellness,
    Visit.wellness_reason, Visit.prescription, Visit.injury_case, Visit.techniques,
    Visit.body_areas, Visit.subjective, Visit.objective, Visit.assessment, Visit.plan,
    Visit.pain_before, Visit.pain_after, Visit.signed_at, Visit.signed_by, Visit.fee_cents,
    Visit.status_reason,
)  # fmt: skip


@dataclass(frozen=True)
class _Labels:
    """What a visit's ids stand for, looked up once for all the visits."""

    therapists: dict[int, str]
    prescriptions: dict[int, str]
    cases: dict[int, str]
    techniques: dict[str, catalog.CatalogItem]
    body_areas: dict[str, catalog.CatalogItem]


def _therapist_names() -> dict[int, str]:
    """Every therapist's name (a small clinic has a handful), by id."""
    query = Therapist.select(
        Therapist.id, Therapist.first_name, Therapist.last_name, Therapist.credentials
    )
    return {therapist.id: therapist.display_name for therapist in query}


def _addenda(visit_ids: ModelSelect, names: dict[int, str]) -> dict[int, list[Addendum]]:
    query = (
        VisitAddendum.select(
            VisitAddendum.visit, VisitAddendum.created_at, VisitAddendum.author, VisitAddendum.text
        )
        .where(VisitAddendum.visit.in_(visit_ids))
        .order_by(VisitAddendum.created_at, VisitAddendum.id)
        .tuples()
    )
    found: dict[int, list[Addendum]] = defaultdict(list)
    for visit_id, written_at, author_id, text in query:
        found[visit_id].append(Addendum(written_at, names.get(author_id, ""), text))
    return found


def _services(visit_ids: ModelSelect) -> dict[int, list[ServiceCharge]]:
    query = (
        ServiceLine.select(
            ServiceLine.visit,
            ServiceCode.code,
            ServiceCode.description,
            ServiceLine.units,
            ServiceLine.charge_cents,
            ServiceLine.discount_cents,
        )
        .join(ServiceCode)
        .where(ServiceLine.visit.in_(visit_ids))
        .order_by(ServiceLine.id)
        .tuples()
    )
    found: dict[int, list[ServiceCharge]] = defaultdict(list)
    for visit_id, *charge in query:
        found[visit_id].append(ServiceCharge(*charge))
    return found


def _entry(
    visit: _VisitRow, labels: _Labels, addenda: list[Addendum], services: list[ServiceCharge]
) -> VisitEntry:
    note_state, signature, signed_by = _signature(visit, labels.therapists)
    return VisitEntry(
        visit_id=visit.id,
        starts_at=visit.starts_at,
        when=when_text(visit.starts_at),
        therapist=labels.therapists.get(visit.therapist_id, ""),
        minutes=visit.minutes,
        status=visit.status,
        status_label=STATUS_LABELS.get(visit.status, visit.status),
        wellness=visit.wellness,
        wellness_reason=visit.wellness_reason,
        care=_care(visit, labels.prescriptions),
        prescription_id=None if visit.wellness else visit.prescription_id,
        case_id=visit.injury_case_id,
        case=labels.cases.get(visit.injury_case_id, ""),
        techniques=_labels(visit.techniques, labels.techniques),
        body_areas=_labels(visit.body_areas, labels.body_areas),
        pain_before=visit.pain_before,
        pain_after=visit.pain_after,
        soap=tuple(
            (heading, getattr(visit, name))
            for name, heading in SOAP_FIELDS
            if getattr(visit, name).strip()
        ),
        note_state=note_state,
        signature=signature,
        signed_by=signed_by,
        signed_at=visit.signed_at,
        addenda=tuple(addenda),
        services=tuple(services),
        fee_cents=visit.fee_cents,
        status_reason=visit.status_reason,
    )


def _care(visit: _VisitRow, rx_labels: dict[int, str]) -> str:
    """What the visit was given under: its prescription, or that it was not medical."""
    if visit.wellness:
        return WELLNESS
    if visit.prescription_id is None:
        return NO_PRESCRIPTION
    return rx_labels.get(visit.prescription_id, "Prescription")


def _has_note(visit: _VisitRow) -> bool:
    written = any(getattr(visit, name).strip() for name, _ in SOAP_FIELDS)
    measured = visit.pain_before is not None or visit.pain_after is not None
    return written or measured or bool(visit.techniques or visit.body_areas)


def _signature(visit: _VisitRow, names: dict[int, str]) -> tuple[str, str, str]:
    """The note's state, the line saying so, and who signed it ("" when unsigned)."""
    if visit.signed_at is None:
        return ("draft", DRAFT, "") if _has_note(visit) else ("none", NO_NOTE, "")
    name = names.get(visit.signed_by_id, "the therapist")
    return "signed", f"Signed by {name} on {when_text(visit.signed_at)}", name


def _relevant(
    prescriptions: list[Prescription], shown: HistoryFilter, entries: tuple[VisitEntry, ...]
) -> list[Prescription]:
    """Every prescription for all visits; else the one chosen, or those of the case shown."""
    if shown.kind == "all":
        return prescriptions
    if shown.kind == "prescription":
        return [p for p in prescriptions if p.id == shown.record_id]
    used = {entry.prescription_id for entry in entries}
    return [p for p in prescriptions if p.injury_case_id == shown.record_id or p.id in used]


def _progress(prescriptions: list[Prescription], today: date) -> tuple[PrescriptionProgress, ...]:
    """Each prescription's state today and its diagnoses (two queries for all of them)."""
    found = statuses(prescriptions, today)
    diagnoses = _diagnoses([p.id for p in prescriptions])
    return tuple(
        PrescriptionProgress(
            prescription_id=p.id,
            label=prescription_label(p),
            physician=p.physician.display_name,
            written_on=p.written_on,
            reason=p.reason,
            diagnoses=tuple(diagnoses[p.id]),
            case_id=p.injury_case_id,
            visits_prescribed=found[p.id].visits_prescribed,
            visits_used=found[p.id].visits_used,
            visits_left=found[p.id].visits_left,
            end_date=found[p.id].end_date,
            state=found[p.id].state,
            state_label=found[p.id].label,
        )
        for p in prescriptions
    )


def _diagnoses(prescription_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    query = (
        PrescriptionDiagnosis.select()
        .where(PrescriptionDiagnosis.prescription.in_(prescription_ids))
        .order_by(PrescriptionDiagnosis.prescription, PrescriptionDiagnosis.position)
    )
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in query:
        found[row.prescription_id].append((row.code, row.description))
    return found


# --- printing --------------------------------------------------------------------------------


@needs(Can.READ_CLIENTS)
def record_printed(history: TreatmentHistory, actor: str = "") -> None:
    """Audit that the history was printed or saved (a disclosure of the client's records)."""
    shown = history.shown
    which = f"{shown.kind} {shown.record_id}" if shown.record_id is not None else shown.kind
    detail = f"{which}; {len(history.entries)} visits"
    with database_proxy.atomic():
        audit.record("print", "treatment_history", history.client_id, actor, detail)
