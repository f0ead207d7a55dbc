"""Opening a workers' comp or auto accident case for a client, by keyboard, and closing it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import (
    demo_client_without,
    field_error,
    find_input,
    key_in,
    pick_suggestion,
    press,
    start_client_form,
    suggestions_for,
    tab_to,
    table_rows,
)
from PySide6.QtCore import Qt

from frontdesk import formatting
from frontdesk.models import OPEN_CASE_STATUSES, Client, InjuryCase

ENTER = Qt.Key.Key_Return
REQUIRED = "this is required; please fill it in."
INJURED_ON = date.today() - timedelta(days=30)
WORK_INJURY = {
    "Claim number": "WC-5512093",
    "Date of injury": formatting.us_date(INJURED_ON),
    "Employer": "Columbia Freight",
}


@pytest.fixture
def no_case(demo_window) -> Client:
    """A demo client with no workers' comp or auto case."""
    return demo_client_without(InjuryCase)


def open_case(kind: str) -> InjuryCase:
    """The first open demo case of `kind` whose client has no other case."""
    for case in InjuryCase.select().where(
        (InjuryCase.kind == kind) & InjuryCase.status.in_(OPEN_CASE_STATUSES)
    ):
        if case.client.injury_cases.count() == 1:
            return case
    raise AssertionError(f"the demo clinic has no client with one open {kind} case")


def key_in_all(qtbot, typed: dict[str, str]) -> None:
    for label, text in typed.items():
        key_in(qtbot, label, text)


def pick_carrier(qtbot, typed: str) -> None:
    tab_to(qtbot, "Carrier")
    pick_suggestion(qtbot, typed)


def case_rows(window) -> list[dict[str, str]]:
    return table_rows(window, "Client's injury cases")


def cases_of(client: Client) -> list[InjuryCase]:
    return list(InjuryCase.select().where(InjuryCase.client == client))


def save_refused(qtbot, window, client: Client) -> str:
    """Press Enter: nothing is stored; the message beside Save."""
    press(qtbot, ENTER)
    assert cases_of(client) == []
    return find_input(window, "Save message").text()


# --- workers' compensation ------------------------------------------------------------------


def test_a_work_injury_keyed_in_is_shown_as_an_open_case(qtbot, demo_window, no_case):
    start_client_form(qtbot, demo_window, no_case, "Add workers' comp case")
    key_in_all(qtbot, WORK_INJURY)
    pick_carrier(qtbot, "workers comp")
    key_in(qtbot, "Adjuster name", "Morgan Lee")
    press(qtbot, ENTER)

    assert case_rows(demo_window) == [
        {
            "Case": "Workers' compensation",
            "Claim number": "WC-5512093",
            "Date": f"Date of injury {formatting.us_date(INJURED_ON)}",
            "Carrier": "Workers' compensation carrier (other)",
            "Status": "Open",
        }
    ]
    [stored] = cases_of(no_case)
    assert (stored.kind, stored.date_of_injury, stored.employer) == (
        "workers_comp",
        INJURED_ON,
        "Columbia Freight",
    )
    assert (stored.carrier.name, stored.adjuster_name, stored.status) == (
        "Workers' compensation carrier (other)",
        "Morgan Lee",
        "open",
    )


def test_a_health_insurer_is_not_offered_as_the_carrier(qtbot, demo_window, no_case):
    start_client_form(qtbot, demo_window, no_case, "Add workers' comp case")
    tab_to(qtbot, "Carrier")
    assert suggestions_for(qtbot, "capitol blue") == []
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert suggestions_for(qtbot, "comp") == ["Workers' compensation carrier (other) · In network"]


def test_a_blank_work_injury_names_the_date_employer_and_carrier(qtbot, demo_window, no_case):
    start_client_form(qtbot, demo_window, no_case, "Add workers' comp case")
    key_in(qtbot, "Claim number", "WC-5512093")
    assert save_refused(qtbot, demo_window, no_case) == (
        "Not saved: check Date of injury, Employer and Carrier."
    )
    for label in ("Date of injury", "Employer", "Carrier"):
        assert field_error(demo_window, label) == REQUIRED
    assert field_error(demo_window, "Claim number") == ""


def test_an_injury_dated_after_today_is_refused(qtbot, demo_window, no_case):
    tomorrow = formatting.us_date(date.today() + timedelta(days=1))
    start_client_form(qtbot, demo_window, no_case, "Add workers' comp case")
    key_in_all(qtbot, {**WORK_INJURY, "Date of injury": tomorrow})
    pick_carrier(qtbot, "workers comp")
    assert save_refused(qtbot, demo_window, no_case) == "Not saved: check Date of injury."
    today = formatting.us_date(date.today())
    assert field_error(demo_window, "Date of injury") == (
        f"{tomorrow} is after today ({today}); check the date."
    )


# --- auto accidents ---------------------------------------------------------------------------


def test_an_auto_case_needs_the_state_and_the_date_of_accident(qtbot, demo_window, no_case):
    start_client_form(qtbot, demo_window, no_case, "Add auto case")
    key_in(qtbot, "Claim number", "PIP-7730112")
    assert save_refused(qtbot, demo_window, no_case) == (
        "Not saved: check Date of accident and State."
    )
    assert field_error(demo_window, "Date of accident") == REQUIRED
    assert field_error(demo_window, "State") == REQUIRED

    key_in_all(qtbot, {"Date of accident": formatting.us_date(INJURED_ON), "State": "oregon"})
    press(qtbot, ENTER)
    assert case_rows(demo_window)[0]["Case"] == "Auto accident"
    assert [(case.kind, case.state) for case in cases_of(no_case)] == [("auto", "OR")]


# --- closing a case ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["workers_comp", "auto"])
def test_a_case_closed_shows_as_closed(qtbot, demo_window, kind):
    case = open_case(kind)
    start_client_form(qtbot, demo_window, case.client, "Edit case")
    assert find_input(demo_window, "Claim number").text() == case.claim_number
    key_in(qtbot, "Case status", "Closed")
    press(qtbot, ENTER)
    assert [row["Status"] for row in case_rows(demo_window)] == ["Closed"]
    closed = InjuryCase.get_by_id(case.id)
    assert (closed.status, closed.pip_limit_cents) == ("closed", case.pip_limit_cents)
