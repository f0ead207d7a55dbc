"""The Clients screen: the list, the summary and the intake form, one at a time."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from frontdesk.services import clients
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.screens.client_list import ClientListPage
from ui.screens.client_summary import ClientSummaryPage
from ui.screens.intake import IntakePage


class ClientsScreen(QWidget):
    """Find, register, open and edit clients."""

    client_opened = Signal(int)  # a client is now in focus
    client_closed = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_page = ClientListPage(self)
        self.summary_page = ClientSummaryPage(self)
        self.intake_page = IntakePage(self)
        self.pages = QStackedWidget(self)
        for page in (self.list_page, self.summary_page, self.intake_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._connect()

    def _connect(self) -> None:
        self.list_page.open_client.connect(self.open_client)
        self.list_page.new_client.connect(self.new_client)
        self.summary_page.edit_client.connect(self.edit_client)
        self.summary_page.back.connect(self.show_list)
        self.summary_page.changed.connect(lambda _id: self.list_page.refresh())
        self.intake_page.saved.connect(self._saved)
        self.intake_page.cancelled.connect(self._intake_cancelled)
        self.intake_page.open_existing.connect(self.open_client)

    def confirm_leave(self) -> bool:
        """True when the screen may be left (asks first about unsaved changes)."""
        if self.pages.currentWidget() is self.intake_page:
            return self.intake_page.confirm_leave()
        return True

    def show_start(self) -> None:
        self.show_list()

    def show_list(self) -> None:
        """Back to the list, with the cursor in the search box (asks first if editing)."""
        if not self.confirm_leave():
            return
        self.list_page.refresh()
        self.pages.setCurrentWidget(self.list_page)
        self.client_closed.emit()
        self.list_page.focus_search()

    def new_client(self) -> None:
        if not self.confirm_leave():
            return
        self.intake_page.start_new()
        self.pages.setCurrentWidget(self.intake_page)
        self.client_closed.emit()
        self.intake_page.begin()

    def open_client(self, client_id: int) -> None:
        try:
            self.summary_page.show_client(client_id)
        except StorageError as error:
            self._back_to_list_because(error)
            return
        self.pages.setCurrentWidget(self.summary_page)
        self.summary_page.edit_button.setFocus()
        self.client_opened.emit(client_id)

    def edit_client(self, client_id: int) -> None:
        try:
            client = clients.get_client(client_id)
        except StorageError as error:
            self._back_to_list_because(error)
            return
        self.intake_page.start_edit(client)
        self.pages.setCurrentWidget(self.intake_page)
        self.intake_page.begin()

    def _back_to_list_because(self, error: StorageError) -> None:
        """A client that cannot be shown (deleted elsewhere, unreadable): say so on the list."""
        self.show_list()
        self.list_page.show_problem(refusal("Could not open the client", error))

    def _saved(self, client_id: int) -> None:
        self.status_message.emit(f"Saved {clients.get_client(client_id).display_name}.")
        self.open_client(client_id)

    def _intake_cancelled(self) -> None:
        if self.intake_page.client_id is not None:
            self.open_client(self.intake_page.client_id)
        else:
            self.show_list()
