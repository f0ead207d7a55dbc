"""The Clients screen: the list, a client's summary, intake, and the client's prescriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.screens.client_list import ClientListPage

if TYPE_CHECKING:
    from ui.screens.client_summary import ClientSummaryPage
    from ui.screens.coverage_forms import CaseFormPage, ClientRecordPage, CoverageFormPage
    from ui.screens.intake import IntakePage
    from ui.screens.prescription_form import PrescriptionFormPage
    from ui.screens.prescription_view import PrescriptionViewPage

CASE_KINDS = ("workers_comp", "auto")


class ClientsScreen(QWidget):
    """Find, register, open and edit clients.

    The list is built at once; the other pages (and their modules) the first time they are
    wanted, which keeps the program's start short. The services load with the first page
    that needs them; `start()` fills the list once the database is open.
    """

    client_opened = Signal(int)  # a client is now in focus
    client_closed = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built: dict[str, QWidget] = {}
        self.list_page = ClientListPage(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.list_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.list_page.open_client.connect(self.open_client)
        self.list_page.new_client.connect(self.new_client)

    def _page(self, name: str, build: Callable[[], QWidget]) -> QWidget:
        """A page, built, wired and put in the stack the first time it is wanted."""
        page = self._built.get(name)
        if page is None:
            page = self._built[name] = build()
            self.pages.addWidget(page)
        return page

    @property
    def summary_page(self) -> ClientSummaryPage:
        return self._page("summary", self._build_summary)

    @property
    def intake_page(self) -> IntakePage:
        return self._page("intake", self._build_intake)

    @property
    def prescription_form(self) -> PrescriptionFormPage:
        return self._page("prescription form", self._build_prescription_form)

    @property
    def prescription_view(self) -> PrescriptionViewPage:
        return self._page("prescription view", self._build_prescription_view)

    @property
    def coverage_form(self) -> CoverageFormPage:
        return self._page("coverage", self._build_coverage_form)

    @property
    def case_forms(self) -> dict[str, CaseFormPage]:
        return {kind: self._case_form(kind) for kind in CASE_KINDS}

    def _case_form(self, kind: str) -> CaseFormPage:
        return self._page(kind, lambda: self._build_case_form(kind))

    def _build_summary(self) -> ClientSummaryPage:
        from ui.screens.client_summary import ClientSummaryPage

        page = ClientSummaryPage(self)
        page.edit_client.connect(self.edit_client)
        page.back.connect(self.show_list)
        page.changed.connect(lambda _id: self.list_page.refresh())
        rx_list = page.prescriptions
        rx_list.new_prescription.connect(self.new_prescription)
        rx_list.open_prescription.connect(self.open_prescription)
        rx_list.renew_prescription.connect(self.renew_prescription)
        listed = page.coverage
        listed.add_coverage.connect(self.new_coverage)
        listed.edit_coverage.connect(self.edit_coverage)
        listed.add_case.connect(self.new_case)
        listed.edit_case.connect(self.edit_case)
        return page

    def _build_intake(self) -> IntakePage:
        from ui.screens.intake import IntakePage

        page = IntakePage(self)
        page.saved.connect(self._saved)
        page.cancelled.connect(self._intake_cancelled)
        page.open_existing.connect(self.open_client)
        return page

    def _build_prescription_form(self) -> PrescriptionFormPage:
        from ui.screens.prescription_form import PrescriptionFormPage

        page = PrescriptionFormPage(self)
        page.saved.connect(self._prescription_saved)
        page.cancelled.connect(self._prescription_cancelled)
        return page

    def _build_prescription_view(self) -> PrescriptionViewPage:
        from ui.screens.prescription_view import PrescriptionViewPage

        page = PrescriptionViewPage(self)
        page.back.connect(self.open_client)
        page.edit.connect(self.edit_prescription)
        page.renew.connect(self.renew_prescription)
        return page

    def _build_coverage_form(self) -> CoverageFormPage:
        from ui.screens.coverage_forms import CoverageFormPage

        return self._wire_client_form(CoverageFormPage(self), "Coverage saved.")

    def _build_case_form(self, kind: str) -> CaseFormPage:
        from ui.screens.coverage_forms import CaseFormPage

        return self._wire_client_form(CaseFormPage(kind, self), "Case saved.")

    def _wire_client_form(self, page: ClientRecordPage, saved: str) -> ClientRecordPage:
        page.saved.connect(lambda _id: self._client_form_saved(page, saved))
        page.cancelled.connect(lambda: self.open_client(page.client_id))
        return page

    def start(self) -> None:
        """The database is open: fill the list, keeping what was typed in the search box."""
        self.list_page.start()

    def start_afresh(self) -> None:
        """For the next person: the list with an empty search, every other page gone (each
        is made again, for that person's role, when next wanted)."""
        self.pages.setCurrentWidget(self.list_page)
        for page in self._built.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._built.clear()
        self.list_page.search.clear()
        self.list_page.refresh()
        self.client_closed.emit()

    def confirm_leave(self) -> bool:
        """True when the screen may be left (asks first about unsaved changes)."""
        from ui.form_page import RecordFormPage

        form = self.pages.currentWidget()
        return form.confirm_leave() if isinstance(form, RecordFormPage) else True

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
        from frontdesk.services import clients

        try:
            client = clients.get_client(client_id)
        except StorageError as error:
            self._back_to_list_because(error)
            return
        self.intake_page.start_edit(client)
        self.pages.setCurrentWidget(self.intake_page)
        self.client_opened.emit(client_id)
        self.intake_page.begin()

    def _back_to_list_because(self, error: StorageError) -> None:
        """A client that cannot be shown (deleted elsewhere, unreadable): say so on the list."""
        self.show_list()
        self.list_page.show_problem(refusal("Could not open the client", error))

    def _saved(self, client_id: int) -> None:
        from frontdesk.services import clients

        self.status_message.emit(f"Saved {clients.get_client(client_id).display_name}.")
        self.open_client(client_id)

    # --- the client's prescriptions ------------------------------------------------------

    def _show_prescription_page(self, page: QWidget, fill: Callable[[], None]) -> None:
        """Fill a prescription page, then show it; say on the summary why if it cannot be."""
        try:
            fill()
        except StorageError as error:
            self.summary_page.show_problem(refusal("Could not open the prescription", error))
            self.pages.setCurrentWidget(self.summary_page)
            return
        self.pages.setCurrentWidget(page)
        if page is self.prescription_form:
            self.prescription_form.begin()
        else:
            self.prescription_view.buttons["Edit prescription"].setFocus()

    def new_prescription(self, client_id: int) -> None:
        from frontdesk.services import clients

        form = self.prescription_form
        self._show_prescription_page(form, lambda: form.start_new(clients.get_client(client_id)))

    def open_prescription(self, prescription_id: int) -> None:
        view = self.prescription_view
        self._show_prescription_page(view, lambda: view.show_prescription(prescription_id))

    def edit_prescription(self, prescription_id: int) -> None:
        from frontdesk.services import prescriptions

        form = self.prescription_form
        self._show_prescription_page(
            form, lambda: form.start_edit(prescriptions.get_prescription(prescription_id))
        )

    def renew_prescription(self, prescription_id: int) -> None:
        from frontdesk.services import prescriptions

        form = self.prescription_form
        self._show_prescription_page(
            form, lambda: form.start_renewal(prescriptions.get_prescription(prescription_id))
        )

    # --- the client's coverage and cases ---------------------------------------------------

    def _show_client_form(self, page: ClientRecordPage, fill: Callable[[], None]) -> None:
        """Fill a coverage or case form, then show it; say on the summary why if it cannot be."""
        try:
            fill()
        except StorageError as error:
            self.summary_page.show_problem(refusal("Could not open it", error))
            return
        self.pages.setCurrentWidget(page)
        page.begin()

    def new_coverage(self, client_id: int) -> None:
        from frontdesk.services import clients

        form = self.coverage_form
        self._show_client_form(form, lambda: form.start_new(clients.get_client(client_id)))

    def edit_coverage(self, coverage_id: int) -> None:
        from frontdesk.services import coverage

        form = self.coverage_form
        self._show_client_form(form, lambda: form.start_edit(coverage.get_coverage(coverage_id)))

    def new_case(self, client_id: int, kind: str) -> None:
        from frontdesk.services import clients

        form = self._case_form(kind)
        self._show_client_form(form, lambda: form.start_new(clients.get_client(client_id)))

    def edit_case(self, case_id: int) -> None:
        from frontdesk.services import cases

        case = cases.get_case(case_id)
        form = self._case_form(case.kind)
        self._show_client_form(form, lambda: form.start_edit(case))

    def _client_form_saved(self, page: ClientRecordPage, message: str) -> None:
        self.status_message.emit(message)
        self.open_client(page.client_id)

    def _prescription_saved(self, prescription_id: int) -> None:
        self.status_message.emit("Prescription saved.")
        self.open_prescription(prescription_id)

    def _prescription_cancelled(self) -> None:
        if self.prescription_form.record_id is not None:
            self.open_prescription(self.prescription_form.record_id)
        else:
            self.open_client(self.prescription_form.client_id)

    def _intake_cancelled(self) -> None:
        if self.intake_page.client_id is not None:
            self.open_client(self.intake_page.client_id)
        else:
            self.show_list()
