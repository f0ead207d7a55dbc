"""The clients list: search-as-you-type, show archived, open, new client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore  # QtCore.Qt at call time: see ui/tables.py
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.tables import (
    CAUTION_COLOUR,
    CONTRAINDICATION_COLOUR,
    DISPLAY_ROLE,
    STATE_ORDER,
    record_table,
    state_brush,
)
from ui.widgets import button, icon, title

if TYPE_CHECKING:
    from frontdesk.services.clients import ClientRow

SEARCH_DELAY_MS = 250
COLUMNS = ("Name", "Date of birth", "Phone", "Payer", "Prescription", "Alerts")
ModelIndex = QModelIndex | QPersistentModelIndex
DATABASE_SORTS = {0: "name", 1: "date_of_birth", 2: "phone"}  # every match is sorted
SHOWN_SORTS = {  # worked out per row, so only the rows found are sorted
    3: lambda row: (not row.payer, row.payer.casefold()),
    4: lambda row: (
        STATE_ORDER.index(row.prescription.state) if row.prescription else len(STATE_ORDER)
    ),
    5: lambda row: (
        -sum(alert.severity == "contraindication" for alert in row.alerts),
        -len(row.alerts),
    ),
}


class ClientTableModel(QAbstractTableModel):
    """Rows of the clients list, handed to the view a batch at a time as it scrolls.

    The header's sort column is kept here: the database sorts by name, birth date and
    phone before the search limit; the other columns are sorted over the rows found.
    """

    BATCH = 100
    sort_changed = Signal()  # search again, so the new order covers every match

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.found: list[ClientRow] = []
        self.rows: list[ClientRow] = []
        self.sort_column = 0
        self.descending = False

    def set_rows(self, rows: list[ClientRow]) -> None:
        """Show the rows found, in the header's order."""
        key = SHOWN_SORTS.get(self.sort_column)
        if key is not None:
            rows = sorted(rows, key=key, reverse=self.descending)
        self.beginResetModel()
        self.found = rows
        self.rows = rows[: self.BATCH]
        self.endResetModel()

    def sort(self, column: int, order=None) -> None:
        """Keep the header's column and order (ascending unless said); the page then
        searches again."""
        self.sort_column = column
        self.descending = order == QtCore.Qt.SortOrder.DescendingOrder
        self.sort_changed.emit()

    def search_order(self) -> dict[str, object]:
        """The order to ask the search for (by name when the rows sort themselves)."""
        if self.sort_column not in DATABASE_SORTS:
            return {}
        return {"sort_by": DATABASE_SORTS[self.sort_column], "descending": self.descending}

    @property
    def sorts_only_found(self) -> bool:
        return self.sort_column in SHOWN_SORTS

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

    def headerData(self, section: int, orientation, role=DISPLAY_ROLE):
        if orientation == QtCore.Qt.Orientation.Horizontal and role == DISPLAY_ROLE:
            return COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role=DISPLAY_ROLE):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        roles = QtCore.Qt.ItemDataRole
        if role == roles.DisplayRole:
            return self._text(row, index.column())
        if role == roles.ForegroundRole:
            return self._colour(row, index.column())
        if role == roles.UserRole:
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
            return row.payer or "Self-pay"
        if column == 4:
            return row.prescription.label if row.prescription else "None (wellness)"
        return ", ".join(alert.label for alert in row.alerts)

    @staticmethod
    def _colour(row: ClientRow, column: int) -> QBrush | None:
        if column == 4 and row.prescription:
            return state_brush(row.prescription.state)
        if column == 5 and row.alerts:
            severe = row.alerts[0].severity == "contraindication"
            return QBrush(QColor(CONTRAINDICATION_COLOUR if severe else CAUTION_COLOUR))
        return None


class ClientListPage(QWidget):
    """Find a client by name, phone digits or date of birth.

    The page can be shown before the database is open: what is typed then is kept, and
    searched once `start()` fills the list.
    """

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
        self.new_button.setEnabled(False)  # until the database is open (see start)
        self.count_label = QLabel(self)
        self.problem = QLabel(self)
        self.problem.setProperty("class", "fieldError")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        self.show_archived_button = button("Show archived matches", parent=self)
        self.show_archived_button.hide()
        self.model = ClientTableModel(self)
        self.columns_sized = False
        self.started = False
        self.open_when_started = False  # Enter was pressed before the list was filled
        self.table = record_table("Clients", None, self)  # its model is set by start()
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self.timer.start)
        self.search.returnPressed.connect(self._open_first_or_selected)
        self.show_archived.toggled.connect(self.refresh)
        self.show_archived_button.clicked.connect(lambda: self.show_archived.setChecked(True))
        self.new_button.clicked.connect(self.new_client)
        self.table.activated.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title("Clients", self))
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.show_archived_button)
        layout.addLayout(bottom)

    def start(self) -> None:
        """The database is open: fill the list with what is typed (nothing is selected)."""
        self.started = True
        self._show_model()
        self.new_button.setEnabled(True)
        self.refresh()
        if self.open_when_started:
            self.open_when_started = False
            self._open_first_or_selected()

    def _show_model(self) -> None:
        """The table's headings and rows: set once the window is up, since a table's model
        is asked for its headings in Qt's own enums, which the first frame need not wait for
        (see ui/tables.py)."""
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.model.sort_changed.connect(self.refresh)

    def refresh(self) -> None:
        if not self.started:
            return  # start() searches what is typed by then
        from frontdesk.services import clients

        self.timer.stop()
        text, with_archived = self.search.text(), self.show_archived.isChecked()
        try:
            rows = clients.search_clients(text, with_archived, **self.model.search_order())
        except StorageError as error:
            self.show_problem(refusal("Could not search", error))
            return
        self.problem.hide()
        self.model.set_rows(rows)
        if rows and not self.columns_sized:  # size once, so columns stay put while typing
            self.table.resizeColumnsToContents()
            self.columns_sized = True
        hidden = 0 if rows or with_archived else clients.archived_matches(text)
        self.count_label.setText(self._count_text(len(rows), hidden, clients.SEARCH_LIMIT))
        self.show_archived_button.setVisible(hidden > 0)
        if rows:
            self.table.selectRow(0)

    def follow_role(self) -> None:
        """New client only for the roles that register clients (the list itself stays for
        whoever signs in next)."""
        from frontdesk import access

        self.new_button.setVisible(access.may(access.Can.EDIT_CLIENTS))
        self.refresh()  # the count's words name the button only for those who have it

    def _count_text(self, count: int, archived: int, limit: int) -> str:
        query = self.search.text().strip()
        if archived:
            return _archived_text(query, archived)
        if count == 0 and not query and self.new_button.isVisibleTo(self):
            return "No clients yet. Click New client (Ctrl+N) to register the first one."
        if count == 0 and not query:
            return "No clients yet."
        if count == 0:
            return f"No client matches “{query}”. Check the spelling, or register a new client."
        noun = "client" if count == 1 else "clients"
        if count < limit:
            return f"{count} {noun}"
        if self.model.sorts_only_found:
            column = COLUMNS[self.model.sort_column]
            return (
                f"{count} {noun} (the first ones by name). Only the rows shown are sorted "
                f"by {column}; type more to narrow."
            )
        return f"{count} {noun} (the first ones; type more to narrow)"

    def show_problem(self, message: str) -> None:
        """Say above the list what could not be done, and why."""
        self.problem.setText(message)
        self.problem.show()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_client.emit(self.model.rows[index.row()].id)

    def _open_first_or_selected(self) -> None:
        if not self.started:
            self.open_when_started = True
            return
        if self.timer.isActive():
            self.refresh()
        selected = self.table.selectionModel().selectedRows()
        if selected:
            self._open_index(selected[0])

    def keyPressEvent(self, event) -> None:
        """Down arrow from the search box moves into the list."""
        if event.key() == QtCore.Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)


def _archived_text(query: str, archived: int) -> str:
    """Only archived clients match: say so, and how to see them."""
    tail = "Tick Show archived to see them."
    if not query:
        return f"No active clients; {archived} archived. {tail}"
    some = "1 archived client does" if archived == 1 else f"{archived} archived clients do"
    return f"No active client matches “{query}”; {some}. {tail}"
