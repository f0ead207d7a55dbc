"""The clients list sorts by any column, over every client found."""

from __future__ import annotations

from datetime import date, datetime
from string import ascii_lowercase

import pytest
from helpers import press, row_names, table_rows, type_text
from PySide6.QtCore import QPoint, Qt

from frontdesk.models import Client, database_proxy
from frontdesk.services import clients
from ui.screens.client_list import COLUMNS

ALERTS = COLUMNS.index("Alerts")


def _dates(window) -> list[datetime]:
    return [datetime.strptime(row["Date of birth"], "%m/%d/%Y") for row in table_rows(window)]


def _click_header(qtbot, window, column: int) -> None:
    header = window.clients_screen.list_page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_clicking_a_column_header_sorts_by_it_and_again_reverses(qtbot, demo_window):
    names = [row["Name"] for row in table_rows(demo_window)]
    assert names == sorted(names, key=str.casefold)
    _click_header(qtbot, demo_window, 1)
    first = _dates(demo_window)
    assert first in (sorted(first), sorted(first, reverse=True))
    _click_header(qtbot, demo_window, 1)
    assert _dates(demo_window) == list(reversed(first))


def test_contraindications_sort_first_by_alerts(qtbot, demo_window):
    demo_window.clients_screen.list_page.table.sortByColumn(ALERTS, Qt.SortOrder.AscendingOrder)
    assert "Blood clots" in table_rows(demo_window)[0]["Alerts"]


def _header(window):
    return window.clients_screen.list_page.table.horizontalHeader()


def _add_clients(count: int) -> None:
    """`count` clients named Adams + two letters, then Zimmer, the oldest, last by name."""
    letters = [a + b for a in ascii_lowercase for b in ascii_lowercase][:count]
    with database_proxy.atomic():
        for number, suffix in enumerate(letters):
            born = date(1960 + number % 40, 1 + number % 12, 1 + number % 28)
            Client.create(first_name="Ana", last_name=f"Adams{suffix}", date_of_birth=born)
        Client.create(first_name="Zoe", last_name="Zimmer", date_of_birth=date(1930, 5, 6))


@pytest.fixture
def crowded_window(open_window, set_up_clinic, db_path):
    """More clients than the list shows at once."""
    _add_clients(clients.SEARCH_LIMIT + 30)
    return open_window(db_path)


def test_names_sort_without_regard_to_case_or_accents(open_window, set_up_clinic, db_path):
    for last_name in ("Baker", "Young", "Zimmer", "adams", "de la Cruz", "Álvarez"):
        clients.save_client(
            {"first_name": "Ana", "last_name": last_name, "date_of_birth": "1/2/1990"}
        )
    window = open_window(db_path)
    last_names = [name.split(",")[0] for name in row_names(window)]
    assert last_names == ["adams", "Álvarez", "Baker", "de la Cruz", "Young", "Zimmer"]


def test_sorting_by_birth_date_sorts_every_client_not_only_those_shown(qtbot, crowded_window):
    assert "Zimmer, Zoe" not in row_names(crowded_window)  # past the first 200 by name
    _click_header(qtbot, crowded_window, 1)
    if _header(crowded_window).sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        _click_header(qtbot, crowded_window, 1)
    assert row_names(crowded_window)[0] == "Zimmer, Zoe"
    assert table_rows(crowded_window)[0]["Date of birth"] == "05/06/1930"


def test_sorting_by_alerts_past_the_limit_says_only_the_rows_shown_are_sorted(
    qtbot, crowded_window
):
    _click_header(qtbot, crowded_window, ALERTS)
    count_line = crowded_window.clients_screen.list_page.count_label.text()
    assert "Only the rows shown are sorted by Alerts" in count_line
    _click_header(qtbot, crowded_window, 0)
    assert "sorted" not in crowded_window.clients_screen.list_page.count_label.text()


def test_the_sort_arrow_still_matches_the_rows_after_a_new_search(qtbot, demo_window):
    _click_header(qtbot, demo_window, 1)
    order = _header(demo_window).sortIndicatorOrder()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "a")
    page = demo_window.clients_screen.list_page
    qtbot.waitUntil(lambda: not page.timer.isActive())
    dates = _dates(demo_window)
    assert len(dates) > 2
    assert dates == sorted(dates, reverse=order == Qt.SortOrder.DescendingOrder)
    assert _header(demo_window).sortIndicatorSection() == 1
