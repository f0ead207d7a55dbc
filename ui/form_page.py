"""A page that edits one record: the form, Save and Cancel, and every way a save can be refused.

Intake and prescription entry both build on it, so each refusal reads the same everywhere:
bad fields are named beside Save and marked beside themselves, a storage problem is said
beside Save, and a record changed elsewhere offers to reload it. What was typed stays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.models import BaseModel
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationErrors
from ui.errors import refusal
from ui.forms import Form
from ui.widgets import button, choose, title

SAVE, DISCARD, KEEP_EDITING = "Save", "Discard changes", "Keep editing"
RELOAD = "Reload their version"


class RecordFormPage(QWidget):
    """Edits one record; nothing is saved while anything is invalid.

    Subclasses lay out `self.form`, and say how to save (`write`), how to open a record
    (`start_edit`) and which fields differ from a newer copy (`changed_labels`).
    """

    saved = Signal(int)
    cancelled = Signal()
    noun = "record"

    def __init__(self, heading: str, save_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_id: int | None = None
        self.opened: dict[str, Any] = {}  # the record as stored when the form was opened
        self.form = Form(self)
        self.heading = title(heading, self)
        self.summary = QLabel(self)
        self.summary.setProperty("class", "fieldError")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Save message")
        self.summary.hide()
        self.save_button = button(save_text, primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.cancel_button.clicked.connect(self.cancel)
        self.form.errors_changed.connect(self._update_summary)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)

    def lay_out(self, body: QWidget) -> None:
        """The heading, the scrolling form body, then the message and the buttons."""
        self.scroll.setWidget(body)
        buttons = self.button_row = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)

    # --- what subclasses provide ------------------------------------------------------

    def write(self) -> BaseModel:
        """Save the form's values through the core service and return the record."""
        raise NotImplementedError

    def start_edit(self, record: Any) -> None:
        raise NotImplementedError

    def changed_labels(self, current: Any) -> list[str]:
        """The labels of the fields that differ between `self.opened` and `current`."""
        raise NotImplementedError

    # --- loading ----------------------------------------------------------------------

    def load(self, values: dict[str, Any], opened: dict[str, Any] | None = None) -> None:
        """Show `values`; `opened` is the stored record they came from (None for a new one)."""
        self.opened = dict(opened or {})
        self.form.load(values)
        self.show_summary("")

    def load_record(self, record: BaseModel) -> None:
        """Open a stored record for editing: its stored values, each shown as a person types it."""
        self.record_id = record.id
        stored = {name: getattr(record, name) for name in self.form.editors}
        self.load(stored, opened=record.__data__)

    @property
    def has_unsaved_changes(self) -> bool:
        return self.form.dirty

    # --- saving -----------------------------------------------------------------------

    def save(self) -> bool:
        """Save if everything is valid; True when saved. Every refusal is shown, none raised."""
        try:
            record = self.write()
        except StorageError as error:
            self.show_summary(refusal("Not saved", error))
            return False
        except RecordChanged as changed:
            return self._offer_reload(changed.current)
        except ValidationErrors as errors:
            self._show_invalid(errors)
            return False
        self.record_id = record.id
        self.form.dirty = False
        self.saved.emit(record.id)
        return True

    def _show_invalid(self, errors: ValidationErrors) -> None:
        self.form.check_all()
        self.form.show_errors(errors)
        self.show_summary(self._summary_text() or str(errors))
        self._focus_first_invalid()

    def _offer_reload(self, current: Any) -> bool:
        """Someone saved this record meanwhile: show theirs, or keep what was typed here."""
        listed = ", ".join(self.changed_labels(current)) or "nothing you can see"
        answer = choose(
            self,
            "Changed elsewhere",
            f"Not saved: this {self.noun} was changed in another window or on another "
            f"computer after you opened it. Changed there: {listed}.",
            [RELOAD, KEEP_EDITING],
            detail=f"Reload shows the {self.noun} as now saved; what you typed here is dropped. "
            "Keep editing keeps your typing on screen so you can copy it first.",
            warning=True,
        )
        if answer == RELOAD:
            self.start_edit(current)
            self.show_summary(f"Reloaded: changed elsewhere: {listed}.")
        else:
            self.show_summary(f"Not saved: changed elsewhere ({listed}). Reload to see it.")
        return False

    # --- leaving ----------------------------------------------------------------------

    def confirm_leave(self) -> bool:
        """Ask before unsaved changes are lost; True when it is fine to leave."""
        if not self.has_unsaved_changes:
            return True
        answer = choose(
            self,
            "Unsaved changes",
            f"This {self.noun} has changes that are not saved.",
            [SAVE, DISCARD, KEEP_EDITING],
        )
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.form.dirty = False
            return True
        return False

    def cancel(self) -> None:
        if self.confirm_leave():
            self.cancelled.emit()

    # --- messages and keys ------------------------------------------------------------

    def _summary_text(self) -> str:
        labels = self.form.invalid_labels()
        if not labels:
            return ""
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        return f"Not saved: check {listed}."

    def _update_summary(self) -> None:
        """Once a failed save is shown, keep its list of fields in step with the form."""
        if self.summary.text().startswith("Not saved: check"):
            self.show_summary(self._summary_text())

    def _focus_first_invalid(self) -> None:
        invalid = self.form.invalid_editors()
        if invalid:
            invalid[0].input.setFocus()
            self.scroll.ensureWidgetVisible(invalid[0].container)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves from any input but a multi-line note; a focused button handles its own."""
        focused = QApplication.focusWidget()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if not enter or isinstance(focused, QPushButton | QPlainTextEdit):
            super().keyPressEvent(event)
            return
        self.save()

    def show_summary(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setVisible(bool(message))
