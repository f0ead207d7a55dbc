"""The Insurers screen: "Do you take my insurance?" answered while the client is on the phone."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.access import Can
from frontdesk.models import Payer
from frontdesk.services import fees, payers
from frontdesk.storage_errors import StorageError
from ui.dialogs.payer import payer_dialog
from ui.errors import refusal
from ui.tables import ACCEPTANCE_COLOURS
from ui.widgets import allowed, button, chip, icon, title

SEARCH_DELAY_MS = 150
ACCEPTANCE_ROLES = {
    "in_network": "ok",
    "via_discount_program": "warning",
    "not_accepted": "contraindication",
}


def _choice_label(choices: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(choices).get(value, value)


def _discount_fact(payer: Payer) -> tuple[tuple[str, str], ...]:
    """A discount program's rate ("20% off the fee"); other payers give no discount."""
    if payer.kind != "discount_program":
        return ()
    percent = payer.discount_percent
    return (("Discount", f"{percent}% off the fee" if percent else "None set"),)


def _wrapping(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PayerDetails(QGroupBox):
    """One payer: accepted or not, its plans and numbers, and what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Insurer", parent)
        self.name = title("", self)
        self.acceptance = chip("", "ok", self)
        self.facts = QFormLayout()
        self.next_steps = _wrapping("", self)
        self.next_steps.setAccessibleName("What to do next")
        self.advice = _wrapping("", self)
        self.advice.setAccessibleName("No match")
        self.next_heading = QLabel("<b>What to do next</b>", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.acceptance, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.facts)
        layout.addWidget(self.next_heading)
        layout.addWidget(self.next_steps)
        layout.addWidget(self.advice)
        layout.addStretch(1)

    def show_payer(self, payer: Payer) -> None:
        self._show_payer_parts(True)
        inactive = "" if payer.active else " (inactive)"
        self.name.setText(payer.name + inactive)
        self.acceptance.setText(_choice_label(payers.ACCEPTANCE_CHOICES, payer.acceptance))
        self.acceptance.setProperty("role", ACCEPTANCE_ROLES.get(payer.acceptance, "warning"))
        self.acceptance.style().polish(self.acceptance)
        while self.facts.rowCount():
            self.facts.removeRow(0)
        facts = (
            ("Kind", _choice_label(payers.KIND_CHOICES, payer.kind)),
            ("Plan types", ", ".join(payer.plan_types) or "—"),
            ("Also known as", ", ".join(payer.aliases) or "—"),
            ("Phone", payers.payer_form_values(payer)["phone"] or "—"),
            ("Payer ID", payer.payer_id or "—"),
            ("Timed units", _choice_label(fees.ROUNDING, payer.unit_rounding)),
            *_discount_fact(payer),
            ("Notes", payer.notes or "—"),
        )
        for label, text in facts:
            self.facts.addRow(label, _wrapping(text, self))
        self.next_steps.setText("\n".join(f"• {step}" for step in payers.next_steps(payer)))

    def show_no_match(self, typed: str) -> None:
        self._show_payer_parts(False)
        self.name.setText(f"No insurer matches “{typed}”")
        self.advice.setText(payers.NO_MATCH_ADVICE)

    def _show_payer_parts(self, shown: bool) -> None:
        for part in (self.acceptance, self.next_heading, self.next_steps):
            part.setVisible(shown)
        for row in range(self.facts.rowCount()):
            self.facts.setRowVisible(row, shown)
        self.advice.setVisible(not shown)


class InsurersScreen(QWidget):
    """Find a payer by any part of its name, an alias or a plan type; see what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Find insurer")
        self.search.setPlaceholderText("Insurer, program or plan: e.g. priority ppo, va, hmsa")
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox("Show inactive", self)
        self.show_inactive.setAccessibleName("Show inactive")
        self.add_button = button("Add insurer", "add", parent=self)
        self.found = QListWidget(self)
        self.found.setAccessibleName("Insurers found")
        self.details = PayerDetails(self)
        self.edit_button = button("Edit insurer", parent=self)
        self.active_button = button("Deactivate insurer", parent=self)
        allowed(Can.EDIT_PAYERS, self.add_button, self.edit_button, self.active_button)
        self.message = QLabel(self)
        self.message.setProperty("class", "fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        top.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.active_button)
        actions.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.details, 1)
        right.addLayout(actions)
        body = QHBoxLayout()
        body.addWidget(self.found, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title("Insurers", self))
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.timer.start)
        self.timer.timeout.connect(lambda: self.refresh(best_first=True))
        self.show_inactive.toggled.connect(lambda: self.refresh())
        self.found.currentRowChanged.connect(self._show_current)
        self.add_button.clicked.connect(self._add)
        self.edit_button.clicked.connect(self._edit)
        self.active_button.clicked.connect(self._toggle_active)

    # --- showing --------------------------------------------------------------------

    def show_start(self) -> None:
        """An empty search box with the cursor in it, every insurer listed."""
        self.search.clear()
        self.refresh()
        self.search.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self, best_first: bool = False) -> None:
        """List the payers matching the search; the best match, or the one chosen, selected."""
        self.timer.stop()
        chosen = self._current_payer_id()
        try:
            found = payers.search_payers(self.search.text(), 50, self.show_inactive.isChecked())
        except StorageError as error:
            self._say(refusal("Could not search", error))
            return
        self._say("")
        self.found.blockSignals(True)
        self.found.clear()
        for payer in found:
            self.found.addItem(self._item(payer))
        self.found.blockSignals(False)
        ids = [payer.id for payer in found]
        keep = chosen in ids and not best_first
        self.found.setCurrentRow(ids.index(chosen) if keep else 0)
        self._show_current()

    def _item(self, payer: Payer) -> QListWidgetItem:
        accepted = _choice_label(payers.ACCEPTANCE_CHOICES, payer.acceptance)
        inactive = " · inactive" if not payer.active else ""
        item = QListWidgetItem(f"{payer.name}\n{accepted}{inactive}")
        item.setData(Qt.ItemDataRole.UserRole, payer.id)
        colour = ACCEPTANCE_COLOURS.get(payer.acceptance)
        if colour:
            item.setForeground(QBrush(QColor(colour)))
        return item

    def _current_payer_id(self) -> int | None:
        item = self.found.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_current(self) -> None:
        payer_id = self._current_payer_id()
        for push in (self.edit_button, self.active_button):
            push.setEnabled(payer_id is not None)
        if payer_id is None:
            self.details.show_no_match(self.search.text().strip())
            return
        payer = payers.get_payer(payer_id)
        self.details.show_payer(payer)
        self.active_button.setText("Deactivate insurer" if payer.active else "Reactivate insurer")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- the directory ------------------------------------------------------------------

    def _add(self) -> None:
        self._open_dialog(payer_dialog(self, name=self.search.text()))

    def _edit(self) -> None:
        payer_id = self._current_payer_id()
        if payer_id is not None:
            self._open_dialog(payer_dialog(self, payers.get_payer(payer_id)))

    def _open_dialog(self, dialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.search.setText(payers.get_payer(dialog.record_id).name)
            self.refresh()

    def _toggle_active(self) -> None:
        payer_id = self._current_payer_id()
        if payer_id is None:
            return
        payer = payers.get_payer(payer_id)
        try:
            payers.set_payer_active(payer_id, not payer.active)
        except StorageError as error:
            self._say(refusal("Not changed", error))
            return
        self.show_inactive.setChecked(self.show_inactive.isChecked() or payer.active)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down arrow from the search box moves into the list."""
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.found.setFocus()
            return
        super().keyPressEvent(event)
