"""Treatment notes: drafts, signing locks them, only addenda afterwards."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdesk.models import Visit, VisitAddendum
from frontdesk.services import clinic, notes, visits
from frontdesk.validation import ValidationErrors
from tests.conftest import THERAPIST

NOTE = {
    "subjective": "Low back pain 6/10 after sitting.",
    "objective": "Hypertonic lumbar paraspinals.",
    "assessment": "Tissue more pliable after treatment.",
    "plan": "Continue twice a month.",
    "pain_before": "6",
    "pain_after": "3",
    "techniques": ["myofascial_release"],
    "body_areas": ["lower_back"],
}


@pytest.fixture
def visit(prescribe, patient, therapist) -> Visit:
    prescribe()
    booked = visits.book_visit(patient.id, therapist.id, datetime(2026, 11, 2, 10), 60).visit
    return visits.check_in(booked.id, booked.version)


def test_a_draft_is_saved_and_can_change(visit):
    draft = notes.save_draft(visit.id, visit.version, NOTE)
    again = notes.save_draft(draft.id, draft.version, {**NOTE, "pain_after": "2"})
    stored = Visit.get_by_id(visit.id)
    assert (stored.pain_before, stored.pain_after, stored.body_areas) == (6, 2, ["lower_back"])
    assert stored.version == again.version and stored.signed_at is None


def test_a_draft_is_checked_field_by_field(visit):
    with pytest.raises(ValidationErrors) as refused:
        notes.save_draft(
            visit.id, visit.version, {**NOTE, "pain_before": "11", "body_areas": ["x"]}
        )
    assert set(refused.value.by_field()) == {"Pain before (0-10)", "Body areas"}


def test_signing_records_who_and_when_and_locks_the_note(visit, therapist):
    draft = notes.save_draft(visit.id, visit.version, NOTE)
    signed = notes.sign_note(draft.id, therapist.id, draft.version, at=datetime(2026, 11, 2, 11))
    assert (signed.signed_by_id, signed.signed_at) == (therapist.id, datetime(2026, 11, 2, 11))
    with pytest.raises(notes.NoteSigned):
        notes.save_draft(signed.id, signed.version, {**NOTE, "plan": "changed"})
    with pytest.raises(notes.NoteSigned):
        notes.sign_note(signed.id, therapist.id, signed.version)
    with pytest.raises(visits.VisitRefused):
        visits.cancel_visit(signed.id, signed.version)
    with pytest.raises(visits.VisitRefused):
        visits.record_as_wellness(signed.id, signed.version, "changed our mind")
    assert Visit.get_by_id(visit.id).plan == NOTE["plan"]
    done = visits.complete_visit(signed.id, signed.version)  # completing is not a note change
    assert done.status == "completed"


def test_only_the_treating_therapist_signs_a_note_with_content(visit, therapist):
    other = clinic.add_therapist({**THERAPIST, "first_name": "Diego", "license_number": "LMT-1"})
    with pytest.raises(visits.VisitRefused, match="empty"):
        notes.sign_note(visit.id, therapist.id, visit.version)
    draft = notes.save_draft(visit.id, visit.version, NOTE)
    with pytest.raises(visits.VisitRefused, match="therapist who gave"):
        notes.sign_note(draft.id, other.id, draft.version)


def test_addenda_only_after_signing_dated_with_their_author(visit, therapist):
    draft = notes.save_draft(visit.id, visit.version, NOTE)
    with pytest.raises(visits.VisitRefused, match="not signed"):
        notes.add_addendum(draft.id, therapist.id, "More")
    notes.sign_note(draft.id, therapist.id, draft.version)
    added = notes.add_addendum(visit.id, therapist.id, "Client called: pain 2/10 next day.")
    assert [(a.author_id, a.text) for a in notes.addenda(visit.id)] == [
        (therapist.id, "Client called: pain 2/10 next day.")
    ]
    assert added.created_at is not None
    with pytest.raises(Exception, match="Addendum"):
        notes.add_addendum(visit.id, therapist.id, "   ")
    assert VisitAddendum.select().count() == 1
