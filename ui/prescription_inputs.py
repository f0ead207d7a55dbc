"""The prescription form's special inputs: the physician picker and the diagnosis list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting, icd10
from frontdesk.icd10 import Icd10Code
from frontdesk.models import Physician
from frontdesk.services import physicians
from frontdesk.services.cases import CaseRow
from ui.forms import ValueInput
from ui.record_picker import RecordPicker
from ui.suggest import SuggestingLineEdit
from ui.widgets import button, chain_tab_order

MAX_SUGGESTIONS = 12


def physician_text(physician: Physician) -> str:
    """How a physician reads in the picker: name, credentials, NPI and practice."""
    parts = [physician.display_name]
    parts += [f"NPI {physician.npi}"] if physician.npi else []
    parts += [physician.practice] if physician.practice else []
    return " · ".join(parts)


def physician_picker(parent: QWidget | None = None) -> RecordPicker:
    """Find a physician in the directory by name, NPI or practice, or add a new one."""
    return RecordPicker(
        lambda text: physicians.search_physicians(text, MAX_SUGGESTIONS),
        physician_text,
        lambda physician_id: Physician.get_or_none(Physician.id == physician_id),
        "Type a name, NPI or practice, then pick (required)",
        add_text="New physician",
        parent=parent,
    )


class CaseChoice(ValueInput):
    """Which of the client's injury cases the prescription treats, if any."""

    NONE = "Not for an injury case"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self.value_changed)
        self.combo.currentIndexChanged.connect(self.editing_finished)
        self.set_cases([])

    def setAccessibleName(self, name: str) -> None:
        self.combo.setAccessibleName(name)

    def set_cases(self, rows: list[CaseRow]) -> None:
        """Offer these cases (the client's), open ones first, as the form opens."""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.NONE, "")
        for row in rows:
            claim = f" · claim {row.claim_number}" if row.claim_number else ""
            shown = f"{row.kind_label}{claim} · {row.date_label} {formatting.us_date(row.date)}"
            self.combo.addItem(shown, str(row.id))
        self.combo.blockSignals(False)

    def value_text(self) -> str:
        return self.combo.currentData() or ""

    def set_value_text(self, text: str) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(text or ""), 0))


class CodeEntry(SuggestingLineEdit):
    """Where a code or words are typed; Enter with text adds it instead of saving the form."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.text().strip():
            self.entered.emit()
            return
        super().keyPressEvent(event)


def _code_suggestions(text: str) -> list[tuple[str, str]]:
    return [(f"{code.code}  {code.description}", code.code) for code in _search(text)]


def _search(text: str) -> list[Icd10Code]:
    return icd10.search(text, MAX_SUGGESTIONS)


class DiagnosisCodesInput(ValueInput):
    """An ordered list of ICD-10-CM codes (the first is primary), added by code or by words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = CodeEntry(_code_suggestions, min_chars=3, parent=self)
        self.entry.setPlaceholderText(
            "Type a code (M54.50) or words (low back pain), then Enter to add"
        )
        self.codes = QListWidget(self)
        self.codes.setAccessibleName("Chosen diagnosis codes")
        self.codes.setMaximumHeight(120)
        self.up_button = button("Move up", parent=self)
        self.down_button = button("Move down", parent=self)
        self.remove_button = button("Remove code", parent=self)
        self._lay_out()
        self.setFocusProxy(self.entry)
        self.codes.installEventFilter(self)
        self.entry.picked.connect(self.add_code)
        self.entry.entered.connect(self._add_typed)
        self.entry.editingFinished.connect(self._finished)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._remove)

    def _lay_out(self) -> None:
        buttons = QVBoxLayout()
        for push in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(push)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.codes, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.entry)
        column.addLayout(row)
        chain_tab_order([self.entry, self.codes, self.up_button, self.down_button])
        chain_tab_order([self.down_button, self.remove_button])

    def setAccessibleName(self, name: str) -> None:
        self.entry.setAccessibleName(name)

    def setAccessibleDescription(self, text: str) -> None:
        self.entry.setAccessibleDescription(text)

    # --- the value ------------------------------------------------------------------

    def chosen(self) -> list[str]:
        return [self.codes.item(row).data(Qt.ItemDataRole.UserRole) for row in self._rows()]

    def _rows(self) -> range:
        return range(self.codes.count())

    def value_text(self) -> str:
        """The chosen codes in order, and anything typed but not added yet (so it is checked)."""
        pending = [self.entry.text().strip()] if self.entry.text().strip() else []
        return ", ".join(self.chosen() + pending)

    def set_value_text(self, text: str) -> None:
        self.codes.clear()
        self.entry.clear()
        for token in (token.strip() for token in text.split(",")):
            found = icd10.lookup(token) if token else None
            if found is not None:
                self._append(found)
        self._renumber()

    # --- editing the list ---------------------------------------------------------------

    def add_code(self, code_text: str) -> None:
        """Add a code picked from the suggestions (a repeat is only selected)."""
        found = icd10.lookup(code_text)
        self.entry.clear()
        if found is None:
            return
        if found.code in self.chosen():
            self.codes.setCurrentRow(self.chosen().index(found.code))
        else:
            self._append(found)
            self._renumber()
        self._changed()

    def _add_typed(self) -> None:
        """Enter on typed text: the highlighted suggestion, else the text as a code."""
        popup = self.entry.completer_.popup()
        current = popup.currentIndex() if popup.isVisible() else None
        if current is not None and current.isValid():
            self.add_code(current.data(Qt.ItemDataRole.UserRole + 1))
            popup.hide()
            return
        found = icd10.lookup(self.entry.text())
        if found is not None and found.billable:
            self.add_code(found.code)
        else:
            self.editing_finished.emit()  # the rule says what is wrong with the typed text

    def _append(self, code: Icd10Code) -> None:
        item = QListWidgetItem(f"{code.code}  {code.description}")
        item.setData(Qt.ItemDataRole.UserRole, code.code)
        item.setToolTip(code.description)
        self.codes.addItem(item)

    def _renumber(self) -> None:
        for row in self._rows():
            item = self.codes.item(row)
            code = icd10.lookup(item.data(Qt.ItemDataRole.UserRole))
            primary = " (primary)" if row == 0 else ""
            item.setText(f"{row + 1}. {code.code}  {code.description}{primary}")

    def _move(self, step: int) -> None:
        row = self.codes.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.codes.count():
            return
        self.codes.insertItem(target, self.codes.takeItem(row))
        self.codes.setCurrentRow(target)
        self._renumber()
        self._changed()

    def _remove(self) -> None:
        row = self.codes.currentRow()
        if row >= 0:
            self.codes.takeItem(row)
            self._renumber()
            self._changed()

    def _changed(self) -> None:
        self.value_changed.emit()
        self.editing_finished.emit()

    def _finished(self) -> None:
        if not self.entry.popup_visible() and self.entry.text().strip():
            self.editing_finished.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the list: Delete removes the selected code; Ctrl+Up and Ctrl+Down move it."""
        if watched is self.codes and event.type() == QEvent.Type.KeyPress:
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if event.key() == Qt.Key.Key_Delete:
                self._remove()
                return True
            if control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._move(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)
