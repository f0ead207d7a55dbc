"""The clients list: search-as-you-type, show archived, open, new client."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.services import clients
from frontdesk.services.clients import ClientRow
from ui.widgets import button, icon, title

SEARCH_DELAY_MS = 250
COLUMNS = ("Name", "Date of birth", "Phone", "Prescription", "Alerts")
STATE_COLOURS = {
    "active": "#1b5e20",
    "ending_soon": "#8a5300",
    "used_up": "#b3261e",
    "expired": "#6b7680",
}
CONTRAINDICATION_COLOUR = "#b3261e"
CAUTION_COLOUR = "#8a5300"
ModelIndex = QModelIndex | QPersistentModelIndex
STATE_ORDER = ("used_up", "expired", "ending_soon", "active")
SORT_KEYS = (
    lambda row: row.name.casefold(),
    lambda row: row.date_of_birth,
    lambda row: row.phone,
    lambda row: STATE_ORDER.index(row.prescription.state) if row.prescription else len(STATE_ORDER),
    lambda row: (
        -sum(alert.severity == "contraindication" for alert in row.alerts),
        -len(row.alerts),
    ),
)


class ClientTableModel(QAbstractTableModel):
    """Rows of the clients list, handed to the view a batch at a time as it scrolls."""

    BATCH = 100

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.found: list[ClientRow] = []
        self.rows: list[ClientRow] = []

    def set_rows(self, rows: list[ClientRow]) -> None:
        self.beginResetModel()
        self.found = rows
        self.rows = rows[: self.BATCH]
        self.endResetModel()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row found (not only those shown yet) by one column."""
        self.beginResetModel()
        descending = order == Qt.SortOrder.DescendingOrder
        self.found = sorted(self.found, key=SORT_KEYS[column], reverse=descending)
        self.rows = self.found[: max(len(self.rows), self.BATCH)]
        self.endResetModel()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < len(self.found)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        start = len(self.rows)
        more = self.found[start : start + self.BATCH]
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _text(row: ClientRow, column: int) -> str:
        if column == 0:
            return row.name + (" (archived)" if row.archived else "")
        if column == 1:
            return formatting.us_date(row.date_of_birth)
        if column == 2:
            return formatting.phone(row.phone)
        if column == 3:
            return row.prescription.label if row.prescription else "None (wellness)"
        return ", ".join(alert.label for alert in row.alerts)

    @staticmethod
    def _colour(row: ClientRow, column: int) -> QBrush | None:
        if column == 3 and row.prescription:
            return QBrush(QColor(STATE_COLOURS[row.prescription.state]))
        if column == 4 and row.alerts:
            severe = row.alerts[0].severity == "contraindication"
            return QBrush(QColor(CONTRAINDICATION_COLOUR if severe else CAUTION_COLOUR))
        return None


class KeepColourDelegate(QStyledItemDelegate):
    """A selected row keeps its meaningful text colours (red, amber, green)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        if colour is not None:
            option.palette.setBrush(QPalette.ColorRole.HighlightedText, colour)


class ClientListPage(QWidget):
    """Find a client by name, phone digits or date of birth."""

    open_client = Signal(int)
    new_client = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Find client")
        self.search.setPlaceholderText("Last, first or preferred name · phone digits · MM/DD/YYYY")
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox("Show archived", self)
        self.new_button = button("New client", primary=True, parent=self)
        self.count_label = QLabel(self)
        self.model = ClientTableModel(self)
        self.columns_sized = False
        self.table = self._make_table()
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self.timer.start)
        self.search.returnPressed.connect(self._open_first_or_selected)
        self.show_archived.toggled.connect(self.refresh)
        self.new_button.clicked.connect(self.new_client)
        self.table.activated.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setAccessibleName("Clients")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move within it
        table.setItemDelegate(KeepColourDelegate(table))
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title("Clients", self))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def refresh(self) -> None:
        self.timer.stop()
        rows = clients.search_clients(self.search.text(), self.show_archived.isChecked())
        self.model.set_rows(rows)
        if rows and not self.columns_sized:  # size once, so columns stay put while typing
            self.table.resizeColumnsToContents()
            self.columns_sized = True
        self.count_label.setText(self._count_text(len(rows)))
        if rows:
            self.table.selectRow(0)

    def _count_text(self, count: int) -> str:
        query = self.search.text().strip()
        if count == 0 and not query:
            return "No clients yet. Click New client (Ctrl+N) to register the first one."
        if count == 0:
            return f"No client matches “{query}”. Check the spelling, or register a new client."
        noun = "client" if count == 1 else "clients"
        more = " (the first ones; type more to narrow)" if count >= clients.SEARCH_LIMIT else ""
        return f"{count} {noun}{more}"

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_client.emit(self.model.rows[index.row()].id)

    def _open_first_or_selected(self) -> None:
        if self.timer.isActive():
            self.refresh()
        selected = self.table.selectionModel().selectedRows()
        if selected:
            self._open_index(selected[0])

    def keyPressEvent(self, event) -> None:
        """Down arrow from the search box moves into the list."""
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)
