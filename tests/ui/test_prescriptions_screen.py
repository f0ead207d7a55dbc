"""The Prescriptions screen: what needs attention, each filter, opening the client, renewals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import (
    click,
    click_button,
    find_input,
    press,
    table_rows,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QTableView

from frontdesk.models import Client, Prescription
from tests.pdf_text import pdf_text
from ui.pdf_view import PdfPreviewDialog
from ui.tables import STATE_COLOURS

CTRL = Qt.KeyboardModifier.ControlModifier
AMBER, RED, GREY = (STATE_COLOURS[state] for state in ("ending_soon", "used_up", "expired"))
FILTERS = {"Ending soon": "Ending soon", "Used up": "Used up", "Expired in": "Expired"}


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def screen(qtbot, demo_window):
    """The demo clinic's Prescriptions screen, reached with Ctrl+2."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)  # the window is active
    press(qtbot, Qt.Key.Key_2, CTRL)
    return demo_window


def rows(window) -> list[dict[str, str]]:
    return table_rows(window, "Prescriptions")


def states_and_colours(window) -> set[tuple[str, str]]:
    """(state text, colour it is written in) of every row."""
    table = find_input(window, "Prescriptions")
    model = table.model()
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    state = column.index("State")
    return {
        (
            model.index(row, state).data(),
            model.index(row, state).data(Qt.ItemDataRole.ForegroundRole).color().name(),
        )
        for row in range(model.rowCount())
    }


def show(qtbot, window, choice: str) -> None:
    """Click the "Show" list open, type the start of `choice`, Enter."""
    combo = find_input(window, "Show")
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.keyClicks(view, choice)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentText().startswith(choice)


def click_row_of(qtbot, window, client_name: str) -> None:
    """Click the row of `client_name` in the Prescriptions list."""
    table = find_input(window, "Prescriptions")
    assert isinstance(table, QTableView)
    row = [r["Client"] for r in rows(window)].index(client_name)
    cell = table.visualRect(table.model().index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)


def client_named(name: str) -> Client:
    return next(client for client in Client.select() if client.display_name == name)


def test_needs_attention_lists_ending_used_up_and_expired_in_their_colours(screen):
    assert find_input(screen, "Show").currentText() == "Needs attention"
    shown = rows(screen)
    assert f"{len(shown)} prescriptions" in visible_texts(screen)
    assert states_and_colours(screen) == {
        ("Ending soon", AMBER),
        ("Used up", RED),
        ("Expired", GREY),
    }
    used_up = next(row for row in shown if row["State"] == "Used up")
    assert used_up["Visits used"] == "4 of 4 visits"
    assert "Active" not in {row["State"] for row in shown}


@pytest.mark.parametrize(("typed", "state"), FILTERS.items())
def test_each_filter_lists_only_its_state(qtbot, screen, typed, state):
    needing_attention = [row for row in rows(screen) if row["State"] == state]
    show(qtbot, screen, typed)
    assert rows(screen) == needing_attention
    assert needing_attention


def test_all_lists_every_prescription_active_ones_in_green(qtbot, screen):
    show(qtbot, screen, "All")
    shown = rows(screen)
    assert len(shown) == Prescription.select().count()
    assert ("Active", STATE_COLOURS["active"]) in states_and_colours(screen)
    assert f"{len(shown)} prescriptions" in visible_texts(screen)


def test_open_client_shows_that_clients_summary(qtbot, screen):
    name = next(row["Client"] for row in rows(screen) if row["State"] == "Used up")
    click_row_of(qtbot, screen, name)
    click_button(qtbot, screen, "Open client")
    assert find_input(screen, "Navigation").currentItem().text() == "Clients"
    assert name in visible_texts(screen)
    assert "Edit client" in visible_buttons(screen)


def test_enter_on_a_row_opens_that_client(qtbot, screen):
    name = next(row["Client"] for row in rows(screen) if row["State"] == "Expired")
    click_row_of(qtbot, screen, name)
    press(qtbot, Qt.Key.Key_Return)
    assert find_input(screen, "Navigation").currentItem().text() == "Clients"
    assert name in visible_texts(screen)
    assert table_rows(screen, "Client's prescriptions")[0]["State"] == "Expired"


def test_request_renewal_previews_a_one_page_request_for_that_client(qtbot, screen):
    name = next(row["Client"] for row in rows(screen) if row["State"] == "Ending soon")
    click_row_of(qtbot, screen, name)
    click_button(qtbot, screen, "Request renewal")
    preview = QApplication.activeModalWidget()
    assert isinstance(preview, PdfPreviewDialog)
    assert preview.windowTitle() == "Prescription request"
    qtbot.waitUntil(lambda: find_input(preview, "Page count").text() == "1 page", timeout=10_000)
    printed = pdf_text(preview.pdf_bytes)
    client = client_named(name)
    physician = Prescription.get(Prescription.client == client).physician
    assert client.full_name in printed
    assert physician.npi in printed  # filled in from the prescription to renew
    click_button(qtbot, preview, "Close")
    assert not preview.isVisible()


def test_ctrl_2_again_returns_to_needs_attention(qtbot, screen):
    needing_attention = rows(screen)
    show(qtbot, screen, "All")
    assert len(rows(screen)) > len(needing_attention)
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert find_input(screen, "Show").currentText() == "Needs attention"
    assert rows(screen) == needing_attention


def test_clicking_the_title_in_the_rail_again_returns_to_needs_attention(qtbot, screen):
    show(qtbot, screen, "Used up")
    rail = find_input(screen, "Navigation")
    item = rail.item([rail.item(r).text() for r in range(rail.count())].index("Prescriptions"))
    qtbot.mouseClick(
        rail.viewport(), Qt.MouseButton.LeftButton, pos=rail.visualItemRect(item).center()
    )
    assert find_input(screen, "Show").currentText() == "Needs attention"
    assert {row["State"] for row in rows(screen)} == {"Ending soon", "Used up", "Expired"}
