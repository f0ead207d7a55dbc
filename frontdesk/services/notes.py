"""Treatment (SOAP) notes: drafts the therapist saves, a signature that locks them, addenda.

Once signed, a note is never changed: the service refuses every change (NoteSigned);
the therapist adds a dated addendum instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from frontdesk import access, catalog, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import Therapist, Visit, VisitAddendum, database_proxy
from frontdesk.services import records
from frontdesk.services.visits import VisitRefused
from frontdesk.storage_errors import NotAllowed
from frontdesk.validation import ErrorCollector

NOTE_LENGTH = 4000
SIGNABLE_STATUSES = ("checked_in", "completed")
SOAP_FIELDS = (
    ("subjective", "Subjective"),
    ("objective", "Objective"),
    ("assessment", "Assessment"),
    ("plan", "Plan"),
)
CHECKLISTS = {
    "techniques": ("Techniques", catalog.techniques),
    "body_areas": ("Body areas", catalog.body_areas),
}


class NoteSigned(VisitRefused):
    """The note was signed: it cannot change; add an addendum instead."""

    def __init__(self) -> None:
        super().__init__(
            "This treatment note is signed and cannot be changed; add a dated addendum instead."
        )


def _pain(name: str, label: str) -> FieldRule:
    parse = using(validation.integer, minimum=0, maximum=10, required=False)
    return FieldRule(name, label, parse, empty=None, hint="0 to 10")


NOTE_RULES: tuple[FieldRule, ...] = (
    *(
        FieldRule(
            name, label, using(validation.optional_text, max_length=NOTE_LENGTH), multiline=True
        )
        for name, label in SOAP_FIELDS
    ),
    _pain("pain_before", "Pain before (0-10)"),
    _pain("pain_after", "Pain after (0-10)"),
)


def validate_note(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A note form's clean values (SOAP text, pain 0-10, checklists), or ValidationErrors."""
    errors = ErrorCollector()
    values = clean_all(NOTE_RULES, raw, errors=errors)
    for name, (label, items) in CHECKLISTS.items():
        values[name] = errors.check(catalog.checked_keys, raw.get(name), items(), label)
    errors.raise_if_any()
    return values


def _own_visit(visit_id: int) -> Visit:
    """The visit, when the person signed in may write its note: a therapist only their own."""
    visit = records.get_record(Visit, visit_id, "visit")
    _check_own(visit.therapist_id)
    return visit


def _check_own(therapist_id: int) -> None:
    """Refuse a therapist login acting for another therapist (the owner may act for any)."""
    actor = access.require(Can.WRITE_NOTES)
    if actor.role != access.THERAPIST:
        return
    if actor.therapist_id is None:
        raise NotAllowed(
            "this therapist login is not linked to a therapist of the clinic",
            "Ask the clinic's owner to link your login to your name under Therapists.",
        )
    if actor.therapist_id != therapist_id:
        raise NotAllowed("a therapist may write and sign only the notes of their own visits")


def _unsigned(visit_id: int) -> Visit:
    visit = _own_visit(visit_id)
    if visit.signed_at is not None:
        raise NoteSigned()
    return visit


@needs(Can.WRITE_NOTES)
def save_draft(visit_id: int, version: int, raw: Mapping[str, Any], actor: str = "") -> Visit:
    """Save the note as typed so far (fields missing from `raw` are left blank).

    Refused: NoteSigned once signed, ValidationErrors, RecordChanged, RecordMissing.
    """
    values = validate_note(raw)
    with database_proxy.atomic():
        visit = _unsigned(visit_id)
        return records.update_record(
            Visit, visit.id, version, values, entity="visit", noun="treatment note", actor=actor
        )


def _has_content(visit: Visit) -> bool:
    return any(getattr(visit, name).strip() for name, _ in SOAP_FIELDS)


@needs(Can.WRITE_NOTES)
def sign_note(
    visit_id: int, therapist_id: int, version: int, *, at: datetime | None = None, actor: str = ""
) -> Visit:
    """The treating therapist signs the note: who and when are recorded and it is locked.

    Refused (VisitRefused) for another therapist, an empty note, or a visit not checked in
    or completed; NoteSigned when signed already.
    """
    with database_proxy.atomic():
        visit = _unsigned(visit_id)
        _check_own(therapist_id)
        therapist = records.get_record(Therapist, therapist_id, "therapist")
        if visit.therapist_id != therapist.id:
            raise VisitRefused("Only the therapist who gave the treatment signs its note.")
        if visit.status not in SIGNABLE_STATUSES:
            raise VisitRefused("Sign the note once the client is checked in or the visit is done.")
        if not _has_content(visit):
            raise VisitRefused("The note is empty; write what was found and done, then sign.")
        signed = {
            "signed_by": therapist.id,
            "signed_at": (at or datetime.now()).replace(microsecond=0),
        }
        return records.update_record(
            Visit, visit.id, version, signed, entity="visit", noun="treatment note", actor=actor
        )


@needs(Can.WRITE_NOTES)
def add_addendum(visit_id: int, therapist_id: int, text: str, actor: str = "") -> VisitAddendum:
    """Add a dated addendum, by its author, to a signed note (a draft is simply edited)."""
    body = validation.optional_text(text, "Addendum", max_length=NOTE_LENGTH)
    if not body:
        raise validation.ValidationError("Addendum", validation.REQUIRED)
    with database_proxy.atomic():
        visit = _own_visit(visit_id)
        _check_own(therapist_id)
        if visit.signed_at is None:
            raise VisitRefused("The note is not signed yet: edit the draft instead.")
        author = records.get_record(Therapist, therapist_id, "therapist")
        values = {"visit": visit.id, "author": author.id, "text": body}
        return records.save_record(VisitAddendum, None, None, values, noun="addendum", actor=actor)


@needs(Can.READ_NOTES)
def addenda(visit_id: int) -> list[VisitAddendum]:
    """A note's addenda, oldest first."""
    return list(
        VisitAddendum.select()
        .where(VisitAddendum.visit == visit_id)
        .order_by(VisitAddendum.created_at, VisitAddendum.id)
    )
