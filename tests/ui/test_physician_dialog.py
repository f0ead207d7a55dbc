"""Adding a physician on the spot from the prescription form ("New physician")."""

from __future__ import annotations

import pytest
from helpers import (
    answering,
    click_button,
    demo_client,
    enter_text,
    field_error,
    fill,
    fill_form,
    find_input,
    focused_name,
    start_new_prescription,
    working_in_dialog,
)

from frontdesk.models import Physician
from ui.dialogs.physician import USE_EXISTING, PhysicianDialog

NEW_NPI = "1588667638"  # valid, and no demo physician has it
CHEN_NPI = "1003000126"  # Alicia Chen, MD, in the demo directory
BAD_NPI_MESSAGE = (
    "1234567890 is not a valid NPI (a digit is wrong or two are swapped); "
    "copy it again from the NPI registry letter, license or prescription."
)


@pytest.fixture
def form(qtbot, demo_window):
    """A new prescription form for a demo client, the cursor in Physician."""
    start_new_prescription(qtbot, demo_window, demo_client())
    return demo_window


def physician_count() -> int:
    return Physician.select().count()


def test_a_bad_npi_is_refused_beside_the_field_and_nothing_is_saved(qtbot, form):
    before = physician_count()
    shown: dict[str, str] = {}

    def type_a_bad_npi(dialog: PhysicianDialog) -> None:
        fill_form(qtbot, dialog, {"First name": "Maya", "Last name": "Okonkwo"})
        fill(qtbot, dialog, "NPI", "1234567890")
        click_button(qtbot, dialog, "Save physician")
        shown["NPI"] = field_error(dialog, "NPI")
        shown["save"] = find_input(dialog, "Save message").text()
        with answering(qtbot, "Discard changes", title="Unsaved changes"):
            click_button(qtbot, dialog, "Cancel")

    with working_in_dialog(qtbot, type_a_bad_npi):
        click_button(qtbot, form, "New physician")

    assert shown == {"NPI": BAD_NPI_MESSAGE, "save": "Not saved: check NPI."}
    assert physician_count() == before
    assert find_input(form, "Physician").text() == ""


def test_a_new_physician_is_saved_and_chosen_on_the_form(qtbot, form):
    before = physician_count()
    names: list[str] = []

    def add_her(dialog: PhysicianDialog) -> None:
        names.extend(find_input(dialog, label).text() for label in ("First name", "Last name"))
        fill_form(
            qtbot,
            dialog,
            {"Credentials": "MD", "NPI": NEW_NPI, "Practice": "Willamette Pain Clinic"},
        )
        click_button(qtbot, dialog, "Save physician")

    enter_text(qtbot, form, "Physician", "Maya Okonkwo")  # not in the directory yet
    with working_in_dialog(qtbot, add_her):
        click_button(qtbot, form, "New physician")

    assert names == ["Maya", "Okonkwo"]  # what was typed in Physician starts the form
    assert physician_count() == before + 1
    added = Physician.get(Physician.npi == NEW_NPI)
    assert (added.first_name, added.last_name, added.credentials) == ("Maya", "Okonkwo", "MD")
    shown = "Maya Okonkwo, MD · NPI 1588667638 · Willamette Pain Clinic"
    assert find_input(form, "Physician").text() == shown
    assert field_error(form, "Physician") == ""
    assert focused_name() == "Date written"


def test_an_npi_already_in_the_directory_offers_the_existing_physician(qtbot, form):
    before = physician_count()
    asked: list[str] = []

    def type_chens_npi(dialog: PhysicianDialog) -> None:
        fill_form(qtbot, dialog, {"First name": "Alice", "Last name": "Chen", "NPI": CHEN_NPI})
        with answering(qtbot, USE_EXISTING, title="Physician already in the directory") as box:
            click_button(qtbot, dialog, "Save physician")
        asked.append(box.text)

    with working_in_dialog(qtbot, type_chens_npi):
        click_button(qtbot, form, "New physician")

    assert asked == [f"Alicia Chen, MD already has NPI {CHEN_NPI}."]
    assert physician_count() == before
    assert find_input(form, "Physician").text().startswith(f"Alicia Chen, MD · NPI {CHEN_NPI}")
    assert form.clients_screen.prescription_form.form.values()["physician_id"] == str(
        Physician.get(Physician.npi == CHEN_NPI).id
    )
