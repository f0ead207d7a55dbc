"""A client's coverage and injury cases: the forms that add and edit them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk.fieldrules import FieldRule
from frontdesk.models import Client, Coverage, InjuryCase
from frontdesk.services import cases, coverage
from ui.form_page import RecordFormPage
from ui.pickers import payer_picker
from ui.record_picker import RecordPicker

KIND_HEADINGS = {"workers_comp": "workers' compensation case", "auto": "auto accident case"}


class ClientRecordPage(RecordFormPage):
    """A form for one of a client's records whose rules, values and save come from the core."""

    def __init__(
        self,
        rules: tuple[FieldRule, ...],
        picker: tuple[str, RecordPicker],
        noun: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"New {noun}", f"Save {noun.split()[-1]}", parent)
        self.noun = noun
        self.rules = rules
        self.client_id: int | None = None
        self.opened_values: dict[str, Any] = {}
        self.picker = picker[1]
        picker_name = next(rule.name for rule in rules if rule.label == picker[0])
        self.warnings = QLabel(self)
        self.warnings.setProperty("role", "warning")
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings")
        self.warnings.hide()
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addLayout(self.form.form_layout(rules, {picker_name: self.picker}))
        column.addWidget(self.warnings)
        column.addStretch(1)
        self.lay_out(body)

    # --- what each kind of record provides -------------------------------------------

    def form_values_of(self, record: Any) -> dict[str, str]:
        raise NotImplementedError

    def save_values(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def warnings_for(self, values: dict[str, Any]) -> list[str]:
        return []

    def rules_for(self, record: Any | None) -> tuple[FieldRule, ...]:
        """The rules for a new record (None) or this one (its payer may since be inactive)."""
        return self.rules

    def _use_rules(self, record: Any | None) -> None:
        self.form.use_rules(self.rules_for(record))

    # --- opening and saving ---------------------------------------------------------

    def start_new(self, client: Client) -> None:
        self.client_id, self.record_id, self.opened_values = client.id, None, {}
        self._use_rules(None)
        self.heading.setText(f"New {self.noun}: {client.display_name}")
        self.load({})
        self._follow_warnings()

    def start_edit(self, record: Any) -> None:
        self.client_id = record.client_id
        self._use_rules(record)
        self.heading.setText(f"Edit {self.noun}: {record.client.display_name}")
        self.opened_values = self.form_values_of(record)
        self.load_record(record)
        self._follow_warnings()

    def begin(self) -> None:
        """Once on screen: the top in view, the cursor in the first field."""
        self.scroll.verticalScrollBar().setValue(0)
        self.form.inputs()[0].setFocus()

    def changed_labels(self, current: Any) -> list[str]:
        now = self.form_values_of(current)
        return [r.label for r in self.rules if now[r.name] != self.opened_values.get(r.name)]

    def write(self) -> Any:
        return self.save_values(self.form.values())

    def _follow_warnings(self) -> None:
        shown = self.warnings_for(self.form.values())
        self.warnings.setText("\n".join(shown))
        self.warnings.setVisible(bool(shown))


class CoverageFormPage(ClientRecordPage):
    """A client's insurance or program: payer, plan, member ID, order, dates, authorization."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(coverage.COVERAGE_RULES, ("Payer", payer_picker()), "coverage", parent)
        self.form.changed.connect(self._follow_warnings)

    def form_values_of(self, record: Coverage) -> dict[str, str]:
        return coverage.coverage_form_values(record)

    def save_values(self, values: dict[str, Any]) -> Coverage:
        return coverage.save_coverage(
            values, self.client_id, self.record_id, version=self.opened.get("version")
        )

    def warnings_for(self, values: dict[str, Any]) -> list[str]:
        return coverage.coverage_warnings(
            values, client_id=self.client_id, coverage_id=self.record_id
        )

    def rules_for(self, record: Coverage | None) -> tuple[FieldRule, ...]:
        return coverage.coverage_rules(keep_payer_id=record.payer_id if record else None)


class CaseFormPage(ClientRecordPage):
    """A workers' compensation or auto accident case: claim, dates, carrier, adjuster, status."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        self.kind = kind
        rules = cases.case_rules(kind)
        super().__init__(rules, ("Carrier", payer_picker(kind)), KIND_HEADINGS[kind], parent)

    def form_values_of(self, record: InjuryCase) -> dict[str, str]:
        return cases.case_form_values(record)

    def save_values(self, values: dict[str, Any]) -> InjuryCase:
        return cases.save_case(
            values, self.client_id, self.kind, self.record_id, version=self.opened.get("version")
        )

    def rules_for(self, record: InjuryCase | None) -> tuple[FieldRule, ...]:
        keep = record.carrier_id if record else None
        return cases.case_rules(self.kind, keep_carrier_id=keep)
