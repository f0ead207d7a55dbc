"""Pick one record from a directory by typing part of it (a physician, an insurer, a carrier)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui.forms import ValueInput
from ui.suggest import SuggestingLineEdit
from ui.widgets import button, chain_tab_order

NOT_CHOSEN = "?"  # typed but not picked: the field's rule asks to choose from the directory
MAX_SUGGESTIONS = 12


class RecordPicker(ValueInput):
    """A search box whose value is the id of the record picked from its suggestions.

    `find(text)` lists matching records, `describe(record)` is how one reads, `load(id)`
    fetches one (or None). With `add_text`, a button beside it asks for a new record
    (`add_requested` carries what was typed).
    """

    add_requested = Signal(str)

    def __init__(
        self,
        find: Callable[[str], list[Any]],
        describe: Callable[[Any], str],
        load: Callable[[int], Any],
        placeholder: str,
        add_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.describe, self.load_record = describe, load
        self.record_id: int | None = None
        self.search = SuggestingLineEdit(
            lambda text: [(describe(r), r.id) for r in find(text)[:MAX_SUGGESTIONS]],
            min_chars=2,
            parent=self,
        )
        self.search.setPlaceholderText(placeholder)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        self.setFocusProxy(self.search)
        self.add_button = button(add_text, "add", parent=self) if add_text else None
        if self.add_button is not None:
            row.addWidget(self.add_button)
            chain_tab_order([self.search, self.add_button])
            self.add_button.clicked.connect(lambda: self.add_requested.emit(self.search.text()))
        self.search.picked.connect(self.choose)
        self.search.textEdited.connect(self._typed)
        self.search.editingFinished.connect(self._finished)

    def setAccessibleName(self, name: str) -> None:
        """The label names the text box, where the cursor goes."""
        self.search.setAccessibleName(name)

    def setAccessibleDescription(self, text: str) -> None:
        self.search.setAccessibleDescription(text)

    def choose(self, record_id: int) -> None:
        self.set_value_text(str(record_id))
        self.value_changed.emit()
        self.editing_finished.emit()

    def _typed(self) -> None:
        self.record_id = None
        self.value_changed.emit()

    def _finished(self) -> None:
        if not self.search.popup_visible():
            self.editing_finished.emit()

    def value_text(self) -> str:
        if self.record_id is not None:
            return str(self.record_id)
        return NOT_CHOSEN if self.search.text().strip() else ""

    def set_value_text(self, text: str) -> None:
        record = self.load_record(int(text)) if text.isdigit() else None
        self.record_id = record.id if record is not None else None
        self.search.setText(self.describe(record) if record is not None else "")
