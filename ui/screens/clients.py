"""The Clients screen: the list, a client's summary, intake, and the client's prescriptions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from frontdesk.services import cases, clients, coverage, prescriptions
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.form_page import RecordFormPage
from ui.screens.client_list import ClientListPage
from ui.screens.client_summary import ClientSummaryPage
from ui.screens.coverage_forms import CaseFormPage, ClientRecordPage, CoverageFormPage
from ui.screens.intake import IntakePage
from ui.screens.prescription_form import PrescriptionFormPage
from ui.screens.prescription_view import PrescriptionViewPage


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
        self.prescription_form = PrescriptionFormPage(self)
        self.prescription_view = PrescriptionViewPage(self)
        self.coverage_form = CoverageFormPage(self)
        self.case_forms = {kind: CaseFormPage(kind, self) for kind in ("workers_comp", "auto")}
        self.pages = QStackedWidget(self)
        for page in (
            self.list_page,
            self.summary_page,
            self.intake_page,
            self.prescription_form,
            self.prescription_view,
            self.coverage_form,
            *self.case_forms.values(),
        ):
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
        rx_list = self.summary_page.prescriptions
        rx_list.new_prescription.connect(self.new_prescription)
        rx_list.open_prescription.connect(self.open_prescription)
        rx_list.renew_prescription.connect(self.renew_prescription)
        self.prescription_view.back.connect(self.open_client)
        self.prescription_view.edit.connect(self.edit_prescription)
        self.prescription_view.renew.connect(self.renew_prescription)
        self.prescription_form.saved.connect(self._prescription_saved)
        self.prescription_form.cancelled.connect(self._prescription_cancelled)
        self._connect_coverage()

    def _connect_coverage(self) -> None:
        listed = self.summary_page.coverage
        listed.add_coverage.connect(self.new_coverage)
        listed.edit_coverage.connect(self.edit_coverage)
        listed.add_case.connect(self.new_case)
        listed.edit_case.connect(self.edit_case)
        for page, saved in (
            (self.coverage_form, "Coverage saved."),
            *((form, "Case saved.") for form in self.case_forms.values()),
        ):
            page.saved.connect(lambda _id, p=page, text=saved: self._client_form_saved(p, text))
            page.cancelled.connect(lambda p=page: self.open_client(p.client_id))

    def confirm_leave(self) -> bool:
        """True when the screen may be left (asks first about unsaved changes)."""
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
        form = self.prescription_form
        self._show_prescription_page(form, lambda: form.start_new(clients.get_client(client_id)))

    def open_prescription(self, prescription_id: int) -> None:
        view = self.prescription_view
        self._show_prescription_page(view, lambda: view.show_prescription(prescription_id))

    def edit_prescription(self, prescription_id: int) -> None:
        form = self.prescription_form
        self._show_prescription_page(
            form, lambda: form.start_edit(prescriptions.get_prescription(prescription_id))
        )

    def renew_prescription(self, prescription_id: int) -> None:
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
        form = self.coverage_form
        self._show_client_form(form, lambda: form.start_new(clients.get_client(client_id)))

    def edit_coverage(self, coverage_id: int) -> None:
        form = self.coverage_form
        self._show_client_form(form, lambda: form.start_edit(coverage.get_coverage(coverage_id)))

    def new_case(self, client_id: int, kind: str) -> None:
        form = self.case_forms[kind]
        self._show_client_form(form, lambda: form.start_new(clients.get_client(client_id)))

    def edit_case(self, case_id: int) -> None:
        case = cases.get_case(case_id)
        form = self.case_forms[case.kind]
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
