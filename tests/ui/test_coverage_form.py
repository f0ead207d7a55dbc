"""Recording a client's coverage from the member card, by keyboard, as the front desk does."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import (
    answering,
    demo_client_without,
    field_error,
    find_input,
    key_in,
    pick_suggestion,
    press,
    row_names,
    start_client_form,
    table_rows,
    type_text,
    typed_name,
    visible_texts,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from frontdesk.models import Client, Coverage
from frontdesk.services import coverage
from ui.tables import CAUTION_COLOUR

ENTER = Qt.Key.Key_Return
REQUIRED = "this is required; please fill it in."
CARD = {"Member ID": "CBC44817203", "Group number": "G5521"}


@pytest.fixture
def uninsured(demo_window) -> Client:
    """A demo client with no coverage on file."""
    return demo_client_without(Coverage)


@pytest.fixture
def insured(demo_window) -> Client:
    """A demo client whose one coverage is a health plan with a member ID."""
    active = Client.select().where(Client.archived == False)  # noqa: E712
    for client in active.order_by(Client.last_name):
        held = list(client.coverages)
        if len(held) == 1 and held[0].member_id and held[0].payer.kind == "commercial":
            return client
    raise AssertionError("no demo client has one health plan")


def add_coverage(qtbot, window, client: Client, payer: str, **typed: str) -> None:
    """Open a new coverage form, pick the payer by typing `payer`, key in `typed` by label."""
    start_client_form(qtbot, window, client, "Add coverage")
    pick_suggestion(qtbot, payer)
    for label, text in typed.items():
        key_in(qtbot, label, text)


def coverages_of(client: Client) -> list[Coverage]:
    return list(Coverage.select().where(Coverage.client == client))


def warnings(window) -> str:
    line = find_input(window, "Warnings")
    return line.text() if line.isVisible() else ""


def list_row(qtbot, window, client: Client) -> dict[str, str]:
    """Ctrl+F and the client's name: their row in the clients list."""
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, typed_name(client))
    qtbot.waitUntil(lambda: row_names(window) == [client.display_name])
    return table_rows(window)[0]


def on_summary(window) -> bool:
    return window.clients_screen.pages.currentWidget() is window.clients_screen.summary_page


# --- adding ---------------------------------------------------------------------------------


def test_a_coverage_keyed_in_from_the_card_is_shown_and_stored(qtbot, demo_window, uninsured):
    typed = {**CARD, "Coverage order": "Primary", "Effective date": "01/01/2026"}
    add_coverage(qtbot, demo_window, uninsured, "capitol blue", **typed)
    press(qtbot, ENTER)

    [row] = table_rows(demo_window, "Client's coverage")
    assert {key: row[key] for key in ("Payer", "Accepted", "Member ID", "Order", "Status")} == {
        "Payer": "Capital Blue Cross",
        "Accepted": "In network",
        "Member ID": "CBC44817203",
        "Order": "Primary",
        "Status": "Current",
    }
    [stored] = coverages_of(uninsured)
    assert (stored.payer.name, stored.member_id, stored.group_number) == (
        "Capital Blue Cross",
        "CBC44817203",
        "G5521",
    )
    assert (stored.priority, stored.starts_on) == (1, date(2026, 1, 1))
    assert any(text.endswith("· Capital Blue Cross") for text in visible_texts(demo_window.header))

    assert list_row(qtbot, demo_window, uninsured)["Payer"] == "Capital Blue Cross"


def test_a_payer_we_do_not_take_is_warned_of_and_can_still_be_recorded(
    qtbot, demo_window, uninsured
):
    add_coverage(qtbot, demo_window, uninsured, "evergreen mutual", **CARD)
    assert warnings(demo_window).startswith("We are not in network with Evergreen Mutual")
    line = find_input(demo_window, "Warnings")
    line.ensurePolished()
    assert line.palette().color(QPalette.ColorRole.WindowText) == QColor(CAUTION_COLOUR)
    press(qtbot, ENTER)
    [row] = table_rows(demo_window, "Client's coverage")
    assert (row["Payer"], row["Accepted"]) == ("Evergreen Mutual Health Plan", "Not accepted")
    assert [c.payer.name for c in coverages_of(uninsured)] == ["Evergreen Mutual Health Plan"]


# --- refusals -------------------------------------------------------------------------------


def refused(qtbot, window, client: Client, label: str) -> str:
    """Press Enter to save: the form stays, nothing is stored; the error beside `label`."""
    press(qtbot, ENTER)
    assert find_input(window, "Save message").text().startswith("Not saved: check")
    assert coverages_of(client) == []
    return field_error(window, label)


@pytest.mark.parametrize(
    ("typed", "error"),
    [("", REQUIRED), ("Capital Blue", "choose the payer from the directory.")],
)
def test_a_payer_not_picked_is_refused(qtbot, demo_window, uninsured, typed, error):
    start_client_form(qtbot, demo_window, uninsured, "Add coverage")
    type_text(qtbot, typed)
    key_in(qtbot, "Member ID", "CBC44817203")
    assert refused(qtbot, demo_window, uninsured, "Payer") == error


@pytest.mark.parametrize(
    ("typed", "label", "error"),
    [
        (
            {"Effective date": "02/30/2026"},
            "Effective date",
            "02/30/2026 is not a real date (check the month and day); "
            "type the date as MM/DD/YYYY, e.g. 04/17/1980.",
        ),
        (
            {"Effective date": "03/01/2026", "End date": "02/01/2026"},
            "End date",
            "this is before the effective date (03/01/2026); check the date.",
        ),
        (
            {"Copay": "abc"},
            "Copay",
            "type an amount in dollars and cents, e.g. 85.00 or $1,234.56.",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field(qtbot, demo_window, uninsured, typed, label, error):
    add_coverage(qtbot, demo_window, uninsured, "capitol blue", **CARD, **typed)
    assert refused(qtbot, demo_window, uninsured, label) == error


def test_a_spouses_plan_needs_the_subscriber(qtbot, demo_window, uninsured):
    add_coverage(
        qtbot,
        demo_window,
        uninsured,
        "capitol blue",
        **CARD,
        **{"Relationship to subscriber": "Spouse"},
    )
    needed = "this is required when the client is not the subscriber; please fill it in."
    assert refused(qtbot, demo_window, uninsured, "Subscriber name") == needed
    assert field_error(demo_window, "Subscriber date of birth") == needed


def test_leaving_with_unsaved_changes_asks_first(qtbot, demo_window, uninsured):
    add_coverage(qtbot, demo_window, uninsured, "capitol blue", **CARD)
    with answering(qtbot, "Keep editing", title="Unsaved changes"):
        press(qtbot, Qt.Key.Key_Escape)
    assert find_input(demo_window, "Member ID").text() == "CBC44817203"
    with answering(qtbot, "Discard changes", title="Unsaved changes"):
        press(qtbot, Qt.Key.Key_Escape)
    assert on_summary(demo_window)
    assert "No coverage on file (self-pay)." in visible_texts(demo_window)
    assert coverages_of(uninsured) == []


# --- editing --------------------------------------------------------------------------------


def test_a_corrected_member_id_is_saved_and_the_rest_kept(qtbot, demo_window, insured):
    [opened] = coverages_of(insured)
    before = coverage.coverage_form_values(opened)
    start_client_form(qtbot, demo_window, insured, "Edit coverage")
    assert find_input(demo_window, "Payer").text().startswith(opened.payer.name)
    assert find_input(demo_window, "Copay").text() == before["copay_cents"] != ""
    key_in(qtbot, "Member ID", "NEW12345")
    press(qtbot, ENTER)
    assert table_rows(demo_window, "Client's coverage")[0]["Member ID"] == "NEW12345"
    [saved] = coverages_of(insured)
    assert coverage.coverage_form_values(saved) == {**before, "member_id": "NEW12345"}


def test_a_save_over_a_change_made_elsewhere_is_refused_and_the_typing_kept(
    qtbot, demo_window, insured
):
    start_client_form(qtbot, demo_window, insured, "Edit coverage")
    key_in(qtbot, "Member ID", "NEW12345")
    [opened] = coverages_of(insured)
    elsewhere = coverage.coverage_form_values(opened) | {"group_number": "G0001"}
    coverage.save_coverage(elsewhere, insured.id, opened.id, version=opened.version)

    with answering(qtbot, "Keep editing", title="Changed elsewhere") as box:
        press(qtbot, ENTER)
    assert "Changed there: Group number." in box.text
    assert find_input(demo_window, "Member ID").text() == "NEW12345"
    assert "Not saved: changed elsewhere" in find_input(demo_window, "Save message").text()
    [stored] = coverages_of(insured)
    assert (stored.member_id, stored.group_number) == (opened.member_id, "G0001")
