"""The treatment note, by keyboard: drafts that save as you go, signing, addenda, flags."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from helpers import (
    add_client,
    answering,
    find_button,
    find_input,
    focused_name,
    prescribe_for,
    press,
    tab_to,
    type_text,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from frontdesk.models import Therapist, Visit, VisitAddendum
from frontdesk.services import notes, visits
from ui.screens.note_editor import NoteEditorPage

CTRL = Qt.KeyboardModifier.ControlModifier
DAY = date.today() + timedelta(days=120)  # the demo books nothing so far ahead


def prescribed_visit(checked_in: bool = True) -> Visit:
    """A new client's visit under a prescription for the lower back and myofascial release."""
    client = add_client()
    prescribe_for(client)
    therapist = Therapist.select().where(Therapist.active).first()
    booked = visits.book_visit(client.id, therapist.id, datetime.combine(DAY, time(9)), 60)
    visit = booked.visit
    if checked_in:
        visit = visits.check_in(visit.id, visit.version)
    return visit


def press_button(qtbot, window, text: str) -> None:
    find_button(window, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


@pytest.fixture
def open_note(qtbot, demo_window):
    """Open a visit's note from the day sheet by keyboard: Ctrl+4, the row, "Treatment note"."""

    def open_it(visit: Visit) -> NoteEditorPage:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        press(qtbot, Qt.Key.Key_4, CTRL)
        demo_window.visits_screen.day_sheet.show_day(DAY)
        demo_window.visits_screen.day_sheet.select_visit(visit.id)
        press_button(qtbot, demo_window, "Treatment note")
        page = demo_window.visits_screen.note_page
        assert page is not None and page.isVisible()
        return page

    return open_it


def test_writing_and_signing_a_note_then_adding_an_addendum(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    assert focused_name() == "Myofascial release"  # the prescription's technique first
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, "Lower back (lumbar)")
    press(qtbot, Qt.Key.Key_Space)
    for name, text in (
        ("Pain before (0-10)", "6"),
        ("Subjective", "Low back tight after gardening."),
        ("Objective", "Hypertonic lumbar paraspinals, L > R."),
        ("Assessment", "Improved range after treatment."),
        ("Plan", "Continue weekly; stretches given."),
        ("Pain after (0-10)", "3"),
    ):
        tab_to(qtbot, name)
        type_text(qtbot, text)
    with answering(qtbot, "Yes", title="Sign note") as box:
        press_button(qtbot, demo_window, "Sign note")
    assert visit.therapist.display_name in box.text
    stored = Visit.get_by_id(visit.id)
    assert stored.signed_at is not None and stored.signed_by_id == visit.therapist_id
    assert (stored.techniques, stored.body_areas) == (["myofascial_release"], ["lower_back"])
    assert (stored.pain_before, stored.pain_after) == (6, 3)
    assert stored.subjective == "Low back tight after gardening."
    assert any(text.startswith("Signed by") for text in visible_texts(page))
    assert find_input(page, "Subjective").isReadOnly()
    assert "Sign note" not in visible_buttons(page)
    tab_to(qtbot, "Addendum")
    type_text(qtbot, "Client called: soreness gone the next day.")
    press_button(qtbot, demo_window, "Add addendum")
    [addendum] = VisitAddendum.select().where(VisitAddendum.visit == visit.id)
    assert (addendum.text, addendum.author_id) == (
        "Client called: soreness gone the next day.", visit.therapist_id,
    )  # fmt: skip
    assert "Client called: soreness gone the next day." in find_input(page, "Addenda").text()
    with pytest.raises(notes.NoteSigned):  # nothing signed changes, by the service either
        notes.save_draft(visit.id, Visit.get_by_id(visit.id).version, {"subjective": "Edited"})


def test_a_draft_saves_as_you_type_and_on_leaving(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    tab_to(qtbot, "Subjective")
    type_text(qtbot, "Neck stiff in the mornings.")
    qtbot.waitUntil(lambda: Visit.get_by_id(visit.id).subjective != "", timeout=5000)
    assert any(text.startswith("Draft saved at") for text in visible_texts(page))
    tab_to(qtbot, "Plan")
    type_text(qtbot, "Recheck in a week.")
    press_button(qtbot, demo_window, "Back")  # leaving saves the draft, without asking
    assert Visit.get_by_id(visit.id).plan == "Recheck in a week."
    assert Visit.get_by_id(visit.id).signed_at is None
    assert demo_window.visits_screen.pages.currentWidget() is demo_window.visits_screen.day_sheet


def test_a_technique_not_on_the_prescription_is_flagged(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    tab_to(qtbot, "Deep tissue massage")
    press(qtbot, Qt.Key.Key_Space)
    assert find_input(page, "Techniques not prescribed").text() == (
        "Not on the prescription: Deep tissue massage."
    )


def test_an_empty_note_cannot_be_signed(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    with answering(qtbot, "Yes", title="Sign note"):
        press_button(qtbot, demo_window, "Sign note")
    assert "The note is empty" in page.summary.text()
    assert Visit.get_by_id(visit.id).signed_at is None


def test_a_bad_pain_score_is_shown_beside_it_and_not_saved(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    tab_to(qtbot, "Pain before (0-10)")
    type_text(qtbot, "12")
    press(qtbot, Qt.Key.Key_Tab)
    assert "10" in page.form.editors["pain_before"].error.text()
    page.save_quietly()  # what the timer does: nothing while a field is wrong
    assert Visit.get_by_id(visit.id).pain_before is None
    assert isinstance(find_input(page, "Subjective"), QPlainTextEdit)


def test_the_therapist_reads_the_history_then_signs_a_draft_from_it(qtbot, demo_window):
    visit = prescribed_visit()
    notes.save_draft(visit.id, visit.version, {"subjective": "Low back sore after lifting."})
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_4, CTRL)
    screen = demo_window.visits_screen
    screen.day_sheet.show_day(DAY)
    screen.day_sheet.select_visit(visit.id)
    press_button(qtbot, demo_window, "History")
    history = screen.history_page
    assert screen.pages.currentWidget() is history
    assert history.current_entry().visit_id == visit.id  # the newest visit first
    assert demo_window.header.isVisible() and visit.client.display_name in visible_texts(
        demo_window.header
    )
    history.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # opens the selected visit's note
    page = screen.note_page
    assert screen.pages.currentWidget() is page
    with answering(qtbot, "Yes", title="Sign note"):
        press_button(qtbot, demo_window, "Sign note")
    assert Visit.get_by_id(visit.id).signed_at is not None
    press_button(qtbot, demo_window, "Back")
    assert screen.pages.currentWidget() is history  # back where it was opened from
    assert history.current_entry().note_state == "signed"


def test_a_draft_still_saves_after_the_desk_completes_the_visit(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    page = open_note(visit)
    tab_to(qtbot, "Subjective")
    type_text(qtbot, "Hip sore after running.")
    current = Visit.get_by_id(visit.id)
    visits.complete_visit(visit.id, current.version)  # at the front desk, meanwhile
    page.save_quietly()
    stored = Visit.get_by_id(visit.id)
    assert (stored.subjective, stored.status) == ("Hip sore after running.", "completed")


def test_a_note_signed_elsewhere_is_shown_signed_and_nothing_changes(qtbot, demo_window, open_note):
    visit = prescribed_visit()
    notes.save_draft(visit.id, visit.version, {"subjective": "Signed at the other PC."})
    page = open_note(visit)
    stored = Visit.get_by_id(visit.id)
    notes.sign_note(visit.id, visit.therapist_id, stored.version)  # on the other PC
    tab_to(qtbot, "Plan")
    type_text(qtbot, "Typed here too late.")
    page.save_quietly()
    assert "signed and cannot be changed" in page.summary.text()
    assert find_input(page, "Subjective").isReadOnly()
    assert Visit.get_by_id(visit.id).plan == ""
