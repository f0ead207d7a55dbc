"""Settings ▸ Export: the clients, or the payments of a period, as CSV files for the accountant."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.services import records_export
from frontdesk.services.records_export import ExportFailed, ExportResult
from frontdesk.validation import ValidationErrors
from ui.background import BackgroundJob, in_background
from ui.errors import failure_text
from ui.forms import Form
from ui.widgets import button_bar, chain_tab_order, error_label, folder_text, show_text

log = logging.getLogger(__name__)

CLIENTS, PAYMENTS = "Clients (CSV)…", "Payments (CSV)…"
ACTIONS = ((CLIENTS, "save"), (PAYMENTS, "save"))
CSV_FILTER = "CSV files (*.csv)"
Done = Callable[[ExportResult | None, str], None]  # the export made, or why not


# --- exports in the background ----------------------------------------------------------------


def refusal_text(error: Exception) -> str:
    """What to show beside the action when an export was refused."""
    if isinstance(error, ExportFailed):
        return f"Not exported: {error.describe(folder_text)}"
    return failure_text("Not exported", error)


def start_export(work: Callable[[], ExportResult], done: Done) -> BackgroundJob:
    """Run `work` in the background; `done(made, problem)` is called back on the UI thread."""
    return in_background(
        lambda: (work(), ""),
        lambda outcome: done(*outcome),
        lambda error: (None, refusal_text(error)),
    )


class ExportSection(QWidget):
    """Two lists for the accountant: every client, and the ledger entries of a period."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        about = QLabel(
            "Save the clients, or the payments received from one date to another, as a CSV "
            "file a spreadsheet opens. Each export is recorded in the audit trail.",
            self,
        )
        about.setWordWrap(True)
        self.form = Form(self)
        fields = self.form.form_layout(records_export.PERIOD_RULES)
        start, end = records_export.default_period()
        self.form.load({"start": start, "end": end})
        self.actions, action_row = button_bar(self, ACTIONS)
        self.done = QLabel(self)
        self.done.setAccessibleName("Done")
        self.done.setWordWrap(True)
        self.message = error_label("Message", self)
        self._what: Callable[[ExportResult], str] = str
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(fields)
        layout.addLayout(action_row)
        layout.addWidget(self.done)
        layout.addWidget(self.message)
        layout.addStretch(1)
        chain_tab_order([*self.form.inputs(), *self.actions.values()])
        self.actions[CLIENTS].clicked.connect(self._export_clients)
        self.actions[PAYMENTS].clicked.connect(self._export_payments)

    # --- asking where -------------------------------------------------------------------------

    def _ask_file(self, heading: str, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, heading, str(Path.home() / name), CSV_FILTER)
        return Path(chosen) if chosen else None

    def _export_clients(self) -> None:
        out = self._ask_file("Save the clients as", f"clients-{date.today().isoformat()}.csv")
        if out is not None:
            self.export_clients_to(out)

    def _export_payments(self) -> None:
        chosen = self.chosen_period()
        if chosen is None:
            return
        start, end = chosen
        name = f"payments-{start.isoformat()}-to-{end.isoformat()}.csv"
        out = self._ask_file("Save the payments as", name)
        if out is not None:
            self.export_payments_to(out)

    # --- exporting ----------------------------------------------------------------------------

    def chosen_period(self) -> tuple[date, date] | None:
        """The From and To dates typed, or None with what is wrong shown beside the field."""
        show_text(self.done, "")
        show_text(self.message, "")
        try:
            return records_export.period(self.form.values())
        except ValidationErrors as errors:
            self.form.show_errors(errors)
            return None

    def export_clients_to(self, out: Path) -> None:
        """Write every client to `out`; say what was written, or why not."""
        self._export(
            lambda: records_export.export_clients_csv(out),
            lambda made: f"{made.counts['row']} clients",
        )

    def export_payments_to(self, out: Path) -> None:
        """Write the ledger entries of the period typed to `out` (nothing when a date is bad)."""
        chosen = self.chosen_period()
        if chosen is None:
            return
        start, end = chosen
        period = f"{formatting.us_date(start)} to {formatting.us_date(end)}"
        self._export(
            lambda: records_export.export_payments_csv(out, start, end),
            lambda made: f"{made.counts['row']} ledger entries from {period}",
        )

    def _export(
        self, work: Callable[[], ExportResult], what: Callable[[ExportResult], str]
    ) -> None:
        show_text(self.done, "")
        show_text(self.message, "")
        self._enable(False)
        self._what = what
        start_export(work, self._exported)

    def _exported(self, made: ExportResult | None, problem: str) -> None:
        self._enable(True)
        show_text(self.message, problem)
        if made is not None:
            show_text(self.done, f"Saved {folder_text(made.path)}: {self._what(made)}.")

    def _enable(self, enabled: bool) -> None:
        for push in self.actions.values():
            push.setEnabled(enabled)
