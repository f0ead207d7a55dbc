"""The Visits screen: the day sheet, a visit's treatment note and a client's treatment history."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from frontdesk import access
from frontdesk.access import Can
from frontdesk.services import visits
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.screens.day_sheet import DaySheetPage
from ui.screens.note_editor import NoteEditorPage
from ui.screens.treatment_history import TreatmentHistoryPage


class VisitsScreen(QWidget):
    """The day sheet first; a note or a history opens over it and Back returns to it."""

    client_opened = Signal(int)  # a note or a history of this client is open
    fix_requested = Signal(object)  # a receipts.Problem chosen to fix elsewhere

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day_sheet = DaySheetPage(self)
        self.history_page = TreatmentHistoryPage(self)
        self.note_page: NoteEditorPage | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.day_sheet)
        self.pages.addWidget(self.history_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.day_sheet.open_note.connect(self.open_note)
        self.day_sheet.open_history.connect(self.open_history)
        self.day_sheet.fix_requested.connect(self.fix_requested)
        self.history_page.note_requested.connect(self.open_note)
        self.history_page.back_requested.connect(self.show_day_sheet)

    def show_start(self) -> None:
        """Today's day sheet (a note being written is saved first)."""
        if self.confirm_leave():
            self.show_day_sheet()
            self.day_sheet.show_start()

    def confirm_leave(self) -> bool:
        """Leaving the screen saves a draft note; False keeps it open when that fails."""
        shown = self.pages.currentWidget()
        return shown is not self.note_page or self.note_page.confirm_leave()

    def show_day_sheet(self) -> None:
        self.pages.setCurrentWidget(self.day_sheet)
        self.day_sheet.refresh()
        if self.note_page is not None:
            self.day_sheet.select_visit(self.note_page.visit_id)
        self.day_sheet.table.setFocus()

    def open_history(self, client_id: int) -> None:
        """The client's treatment history, newest first."""
        self.history_page.show_client(client_id)
        self.pages.setCurrentWidget(self.history_page)
        self.client_opened.emit(client_id)

    def _leave_note(self) -> None:
        """Back from a note: to the history it was opened from, else the day sheet."""
        if self.note_page is not None and self.note_page.opened_from is self.history_page:
            self.open_history(self.note_page.visit.client_id)
        else:
            self.show_day_sheet()

    def open_note(self, visit_id: int) -> None:
        """The visit's treatment note, in a page of its own."""
        if not access.may(Can.READ_NOTES):
            self.day_sheet.show_message(visits.NOTES_WITHHELD)
            return
        try:
            visit = visits.get_visit(visit_id)
            page = NoteEditorPage(visit, self)
        except StorageError as error:
            self.day_sheet.show_message(refusal("Could not open the note", error))
            return
        page.opened_from = self.pages.currentWidget()
        self._replace_note_page(page)
        page.cancelled.connect(self._leave_note)
        self.pages.setCurrentWidget(page)
        page.focus_first()
        self.client_opened.emit(visit.client_id)

    def _replace_note_page(self, page: NoteEditorPage) -> None:
        if self.note_page is not None:
            self.pages.removeWidget(self.note_page)
            self.note_page.deleteLater()
        self.note_page = page
        self.pages.addWidget(page)
