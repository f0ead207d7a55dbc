"""What every list of records shares: the table's behaviour and the colours of meaning."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Qt's own enums (Qt.ItemDataRole and the rest) are made the first time `Qt` is imported,
# which takes ~14 ms: the modules the window's first frame needs (this one among them) look
# up `QtCore.Qt` when called, so that the frame does not wait for it.
from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

OK_COLOUR = "#1b5e20"  # green: accepted, active, done
CAUTION_COLOUR = "#8a5300"  # amber: a warning
CONTRAINDICATION_COLOUR = "#b3261e"  # red: a contraindication or a refusal
MUTED_COLOUR = "#6b7680"  # grey: over, or not yet
STATE_COLOURS = {  # a prescription's state
    "not_started": MUTED_COLOUR,
    "active": OK_COLOUR,
    "ending_soon": CAUTION_COLOUR,
    "used_up": CONTRAINDICATION_COLOUR,
    "expired": MUTED_COLOUR,
}
STATE_ORDER = ("used_up", "expired", "ending_soon", "active", "not_started")
ACCEPTANCE_COLOURS = {  # whether the clinic takes a payer
    "in_network": OK_COLOUR,
    "via_discount_program": CAUTION_COLOUR,
    "not_accepted": CONTRAINDICATION_COLOUR,
}


def colour_brush(colour: str | None) -> QBrush | None:
    """A table cell's text colour (None: the usual colour)."""
    return QBrush(QColor(colour)) if colour else None


def state_brush(state: str) -> QBrush:
    """The colour a prescription's state is written in: green, amber, red or grey."""
    return QBrush(QColor(STATE_COLOURS[state]))


class KeepColourDelegate(QStyledItemDelegate):
    """A selected row keeps its meaningful text colours (red, amber, green)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        colour = index.data(QtCore.Qt.ItemDataRole.ForegroundRole)
        if colour is not None:
            option.palette.setBrush(QPalette.ColorRole.HighlightedText, colour)


def record_table(name: str, model: QAbstractItemModel | None, parent: QWidget) -> QTableView:
    """A read-only table of records, one selected row at a time, Tab leaving it.

    Without a model it is an empty box until one is set (the clients list, shown first).
    """
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move within it
    table.setItemDelegate(KeepColourDelegate(table))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


ModelIndex = QModelIndex | QPersistentModelIndex
DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole, the models' default role


@dataclass(frozen=True)
class Column:
    """One column of a list of records: its heading, its text, and its colour of meaning."""

    heading: str
    text: Callable[[Any], str]
    colour: Callable[[Any], QBrush | None] | None = None


class RecordTableModel(QAbstractTableModel):
    """Rows of records shown through `columns`; each row's id (`id_of`) is its UserRole data."""

    def __init__(
        self, columns: tuple[Column, ...], id_of: Callable[[Any], int], parent=None
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self.id_of = id_of
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=DISPLAY_ROLE):
        if orientation == QtCore.Qt.Orientation.Horizontal and role == DISPLAY_ROLE:
            return self.columns[section].heading
        return None

    def data(self, index: ModelIndex, role=DISPLAY_ROLE):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        roles = QtCore.Qt.ItemDataRole
        if role == roles.DisplayRole:
            return column.text(row)
        if role == roles.ForegroundRole and column.colour is not None:
            return column.colour(row)
        if role == roles.UserRole:
            return self.id_of(row)
        return None
