"""The client summary: contact, alerts, prescription, coverage, recent visits, balance."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.access import Can
from frontdesk.services import clients, records_export
from frontdesk.services.summary import ClientSummary, client_summary
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.flow_layout import FlowLayout
from ui.screens.client_coverage import ClientCoverage
from ui.screens.client_prescriptions import ClientPrescriptions
from ui.screens.export_settings import start_export
from ui.widgets import (
    alert_chips,
    allowed,
    button,
    chain_tab_order,
    chip,
    confirm,
    folder_text,
    show_text,
    title,
)

LEFT = Qt.AlignmentFlag.AlignLeft
PRESCRIPTION_ROLES = {
    "active": "ok",
    "ending_soon": "warning",
    "used_up": "contraindication",
    "expired": "contraindication",
}


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()  # gone from view now, deleted once the event loop runs
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


def _value_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text or "—", parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _with_npi(name: str, npi: str) -> str:
    return f"{name} (NPI {npi})" if npi else name


class ClientSummaryPage(QWidget):
    """One client at a glance, with the actions the front desk takes on them."""

    edit_client = Signal(int)
    back = Signal()
    changed = Signal(int)  # archived, restored or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: ClientSummary | None = None
        self.heading = title("", self)
        self.edit_button = button("Edit client", primary=True, parent=self)
        self.archive_button = button("Archive client", "archive", parent=self)
        self.delete_button = button("Delete client", parent=self)
        self.export_button = button("Export record…", parent=self)
        self.back_button = button("Back to list", "back", parent=self)
        self.action_message = QLabel(self)
        self.action_message.setProperty("class", "fieldError")
        self.action_message.setWordWrap(True)
        self.action_message.setAccessibleName("Action message")
        self.action_message.hide()
        self.action_done = QLabel(self)
        self.action_done.setWordWrap(True)
        self.action_done.setAccessibleName("Done")
        self.action_done.hide()
        self.boxes = {
            name: QGroupBox(name, self)
            for name in (
                "Alerts",
                "Contact",
                "Prescription",
                "Recent visits",
                "Balance",
            )
        }
        self.prescriptions = ClientPrescriptions(self)
        self.coverage = ClientCoverage(self)
        self.may_edit = allowed(
            Can.EDIT_CLIENTS, self.edit_button, self.archive_button, self.delete_button
        )
        allowed(Can.EXPORT_RECORDS, self.export_button)
        self.balance_shown = allowed(Can.TAKE_PAYMENTS, self.boxes["Balance"])
        if not self.may_edit:
            self.edit_button.setFocusProxy(self.back_button)  # where opening a client puts it
        self._lay_out()
        self.edit_button.clicked.connect(lambda: self.edit_client.emit(self.client_id))
        self.archive_button.clicked.connect(self._toggle_archive)
        self.delete_button.clicked.connect(self._delete)
        self.export_button.clicked.connect(self._export_record)
        self.back_button.clicked.connect(self.back)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit)

    @property
    def client_id(self) -> int:
        assert self.summary is not None
        return self.summary.client.id

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.heading, 1)
        in_view_order = (
            self.back_button,
            self.export_button,
            self.delete_button,
            self.archive_button,
            self.edit_button,
        )
        buttons = QWidget(self)
        row = FlowLayout(buttons)  # wraps onto a second line in a narrow window
        row.setContentsMargins(0, 0, 0, 0)
        for push in in_view_order:
            row.addWidget(push)
        actions.addWidget(buttons)
        chain_tab_order(in_view_order)
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(16)
        placement = {
            "Alerts": (0, 0, 1, 2),
            "Contact": (1, 0, 1, 1),
            "Prescription": (1, 1, 1, 1),
            "Balance": (3, 1, 1, 1),
            "Recent visits": (3, 0, 1, 1) if self.balance_shown else (3, 0, 1, 2),
        }
        for name, box in self.boxes.items():
            QVBoxLayout(box)
            grid.addWidget(box, *placement[name])
        grid.addWidget(self.coverage, 2, 0, 1, 2)
        grid.addWidget(self.prescriptions, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to type there; Tab skips it
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(actions)
        layout.addWidget(self.action_message)
        layout.addWidget(self.action_done)
        layout.addWidget(scroll, 1)

    def show_client(self, client_id: int) -> None:
        self.summary = client_summary(client_id)
        self.action_message.hide()
        self.action_done.hide()
        client = self.summary.client
        archived = " (archived)" if client.archived else ""
        self.heading.setText(f"{client.display_name}{archived}")
        self.archive_button.setText("Restore client" if client.archived else "Archive client")
        history = self.summary.has_history
        self.delete_button.setVisible(self.may_edit and not history)
        self.archive_button.setVisible(self.may_edit and (history or client.archived))
        for fill in (
            self._fill_alerts,
            self._fill_contact,
            self._fill_prescription,
            self._fill_visits,
            self._fill_balance,
        ):
            fill()
        self.prescriptions.show_for(client_id)
        self.coverage.show_for(client_id)

    def _box_layout(self, name: str) -> QVBoxLayout:
        layout = self.boxes[name].layout()
        _clear(layout)
        return layout

    def _form_rows(self, name: str, rows: list[tuple[str, str]]) -> None:
        form = QFormLayout()
        for label, value in rows:
            form.addRow(label, _value_label(value, self.boxes[name]))
        self._box_layout(name).addLayout(form)

    def _fill_alerts(self) -> None:
        layout = self._box_layout("Alerts")
        row = FlowLayout()
        for alert_chip in alert_chips(self.summary.alerts, self):
            row.addWidget(alert_chip)
        if not self.summary.alerts:
            row.addWidget(QLabel("No contraindications or cautions recorded.", self))
        layout.addLayout(row)
        for alert in self.summary.alerts:
            if alert.severity == "contraindication":
                layout.addWidget(_value_label(f"{alert.label}: {alert.hint}", self))

    def _fill_contact(self) -> None:
        c = self.summary.client
        address = formatting.address(c.address_line1, c.address_line2, c.city, c.state, c.zip_code)
        emergency = ", ".join(
            p
            for p in (c.emergency_name, c.emergency_relation, formatting.phone(c.emergency_phone))
            if p
        )
        self._form_rows(
            "Contact",
            [
                (
                    "Date of birth",
                    f"{formatting.us_date(c.date_of_birth)} "
                    f"(age {formatting.age(c.date_of_birth)})",
                ),
                ("Mobile phone", formatting.phone(c.mobile_phone)),
                ("Home phone", formatting.phone(c.home_phone)),
                ("Email", c.email),
                ("Address", address),
                ("Emergency contact", emergency),
            ],
        )

    def _fill_prescription(self) -> None:
        status, prescription = self.summary.prescription_status, self.summary.prescription
        if status is None or prescription is None:
            self._box_layout("Prescription").addWidget(
                QLabel("No prescription: visits are wellness massage, not medical.", self)
            )
            return
        self._form_rows(
            "Prescription",
            [
                (
                    "Prescribed by",
                    _with_npi(prescription.physician.display_name, prescription.physician.npi),
                ),
                ("Written", formatting.us_date(prescription.written_on)),
                ("Reason", prescription.reason),
                ("Diagnoses", "\n".join(f"{code} {text}" for code, text in self.summary.diagnoses)),
                (
                    "Visits",
                    f"{status.visits_used} used, {status.visits_left} left "
                    f"of {status.visits_prescribed}",
                ),
                ("Ends", formatting.us_date(status.end_date)),
            ],
        )
        status_chip = chip(status.label, PRESCRIPTION_ROLES[status.state], self)
        self.boxes["Prescription"].layout().insertWidget(0, status_chip, 0, LEFT)

    def _fill_visits(self) -> None:
        layout = self._box_layout("Recent visits")
        for visit in self.summary.recent_visits:
            kind = "medical" if visit.medical else "wellness"
            layout.addWidget(
                _value_label(
                    f"{formatting.us_date(visit.starts_on)} · {visit.minutes} min · {kind} · "
                    f"{visit.therapist} · {visit.status.replace('_', ' ')}",
                    self,
                )
            )
        if not self.summary.recent_visits:
            layout.addWidget(QLabel("No visits yet.", self))
        elif self.summary.visit_count > len(self.summary.recent_visits):
            layout.addWidget(QLabel(f"{self.summary.visit_count} visits in all.", self))

    def _fill_balance(self) -> None:
        layout = self._box_layout("Balance")
        balance = self.summary.balance_cents
        if not self.summary.balance_shown:
            layout.addWidget(QLabel("—", self))  # never an amount this login may not see
            return
        if balance > 0:
            text, role = f"Owes {formatting.money(balance)}", "warning"
        elif balance < 0:
            text, role = f"Credit {formatting.money(-balance)}", "ok"
        elif self.summary.charged_cents:
            text, role = "Paid in full", "ok"
        else:
            text, role = "No charges yet", "ok"
        layout.addWidget(chip(text, role, self), 0, LEFT)
        layout.addStretch(1)

    # --- actions ------------------------------------------------------------------------

    def _toggle_archive(self) -> None:
        client = self.summary.client
        question = (
            f"Archive {client.display_name}? Their history is kept; they leave the list "
            "unless Show archived is ticked."
        )
        if not client.archived and not confirm(self, "Archive client", question):
            return
        try:
            clients.archive_client(client.id, archived=not client.archived)
        except StorageError as error:
            self._show_refusal("Not changed", error)
            return
        self.show_client(client.id)
        self.changed.emit(client.id)

    def _delete(self) -> None:
        client = self.summary.client
        question = (
            f"Delete {client.display_name} for good? They have no visits, prescriptions, "
            "payments or receipts."
        )
        if not confirm(self, "Delete client", question):
            return
        try:
            clients.delete_client(client.id)
        except StorageError as error:
            self._show_refusal("Not deleted", error)
            return
        self.changed.emit(client.id)
        self.back.emit()

    def _export_record(self) -> None:
        """Ask for a folder, then export the client's record into a new folder inside it."""
        folder = QFileDialog.getExistingDirectory(
            self, "Export the client's record into", str(Path.home())
        )
        if folder:
            self.export_record_to(Path(folder))

    def export_record_to(self, folder: Path) -> None:
        """Write the client's complete record inside `folder` in the background; then say
        where it went, or why not."""
        show_text(self.action_done, "")
        self.action_message.hide()
        self.export_button.setEnabled(False)
        client_id = self.client_id
        start_export(
            lambda: records_export.export_client_record(client_id, folder),
            lambda made, problem: self._exported(client_id, made, problem),
        )

    def _exported(
        self, client_id: int, made: records_export.ExportResult | None, problem: str
    ) -> None:
        self.export_button.setEnabled(True)
        if self.summary is None or self.client_id != client_id:
            return  # another client is shown now: the message would sit under their name
        if made is None:
            self.show_problem(problem)
            return
        where = folder_text(made.path)
        show_text(self.action_done, f"Record exported to {where} ({made.summary()}).")

    def _show_refusal(self, prefix: str, error: StorageError) -> None:
        self.show_problem(refusal(prefix, error))

    def show_problem(self, message: str) -> None:
        """Say under the actions what could not be done, and why."""
        self.action_message.setText(message)
        self.action_message.show()
