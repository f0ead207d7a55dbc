"""The clients list sorts by any column, over every client found."""

from __future__ import annotations

from datetime import datetime

from helpers import table_rows
from PySide6.QtCore import QPoint, Qt


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
    demo_window.clients_screen.list_page.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert "Blood clots" in table_rows(demo_window)[0]["Alerts"]
