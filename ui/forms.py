"""Form building: one call makes a field's label, input, validator and error line.

Inputs are built from the core's FieldRules, so the screen checks exactly what
the service will check on save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.catalog import CatalogItem
from frontdesk.fieldrules import FieldRule
from frontdesk.validation import ValidationError, ValidationErrors


class ValueInput(QWidget):
    """An input richer than a line of text (a picker, a list) that a FieldEditor can hold.

    Its value is text its FieldRule parses, like any other input's: `value_text()` reads
    it, `set_value_text()` shows a stored value, and the two signals say when it changed
    and when the person is done with it (for the on-leave check).
    """

    value_changed = Signal()
    editing_finished = Signal()

    def value_text(self) -> str:
        raise NotImplementedError

    def set_value_text(self, text: str) -> None:
        raise NotImplementedError


class FieldEditor(QObject):
    """One form field: its label, its input and the line that shows what is wrong."""

    changed = Signal()
    error_shown = Signal()  # the error line was set or cleared

    def __init__(
        self, rule: FieldRule, parent: QWidget | None = None, widget: ValueInput | None = None
    ) -> None:
        super().__init__(parent)
        self.rule = rule
        self.label = QLabel(rule.label, parent)
        self.input = self._adopt(widget) if widget is not None else self._make_input(parent)
        self.input.setAccessibleName(rule.label)
        self.input.setObjectName(rule.name)
        self.label.setBuddy(self.input)
        self.error = QLabel(parent)
        self.error.setProperty("class", "fieldError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"{rule.label} error")
        self.error.hide()
        self.container = QWidget(parent)
        column = QVBoxLayout(self.container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.input)
        column.addWidget(self.error)
        column.setAlignment(Qt.AlignmentFlag.AlignTop)  # any extra height goes below the error

    def _adopt(self, widget: ValueInput) -> ValueInput:
        widget.value_changed.connect(self.changed)
        widget.editing_finished.connect(self.check)
        return widget

    def _make_input(self, parent: QWidget | None) -> QWidget:
        if self.rule.choices:
            combo = QComboBox(parent)
            for value, text in self.rule.choices:
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if self.rule.multiline:
            text_edit = QPlainTextEdit(parent)
            text_edit.setTabChangesFocus(True)
            text_edit.setFixedHeight(72)
            text_edit.textChanged.connect(self.changed)
            text_edit.installEventFilter(self)  # checked on leaving, as a one-line input is
            return text_edit
        line = QLineEdit(parent)
        wanted = [self.rule.hint] if self.rule.hint else []
        wanted += ["required"] if self.rule.required else []
        placeholder = ", ".join(wanted)
        line.setPlaceholderText(placeholder[:1].upper() + placeholder[1:])
        line.textEdited.connect(self.changed)
        line.editingFinished.connect(self.check)
        return line

    def text(self) -> str:
        widget = self.input
        if isinstance(widget, ValueInput):
            return widget.value_text()
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def set_value(self, value: Any) -> None:
        text = self.rule.as_text(value)
        widget = self.input
        if isinstance(widget, ValueInput):
            widget.set_value_text(text)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(text), 0))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
        self.show_error("")

    def check(self) -> bool:
        """Validate the current text; show what is wrong beside the input."""
        try:
            value = self.rule.clean(self.text())
        except ValidationError as error:
            self.show_error(error.message)
            return False
        self._show_normalized(value)
        self.show_error("")
        return True

    def _show_normalized(self, value: Any) -> None:
        """Show a valid one-line entry the way it is kept: (503) 555-0123, 04/07/1980, OR."""
        if isinstance(self.input, QLineEdit):
            shown = self.rule.as_text(value)
            if shown != self.input.text():
                self.input.setText(shown)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.input.setAccessibleDescription(message)
        self.error_shown.emit()

    @property
    def has_error(self) -> bool:
        return bool(self.error.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Check a multi-line input when the focus leaves it (not for its context menu)."""
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() != Qt.FocusReason.PopupFocusReason
        ):
            self.check()
        return super().eventFilter(watched, event)


class CheckList(QWidget):
    """A grid of check boxes over catalog items; its value is the list of checked keys.

    `label` names the list in refusals ("Body areas: tick ..."), shown on its error line.
    """

    changed = Signal()

    def __init__(
        self, items: Iterable[CatalogItem], columns: int = 2, parent=None, label: str = ""
    ) -> None:
        super().__init__(parent)
        self.label = label
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self.error = QLabel(self)
        self.error.setProperty("class", "fieldError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"{label} error")
        self.error.hide()
        items = list(items)
        for index, item in enumerate(items):
            box = QCheckBox(item.label, self)
            box.setAccessibleName(item.label)
            if item.hint:
                box.setToolTip(item.hint)
                box.setAccessibleDescription(item.hint)  # read aloud when focused
            box.toggled.connect(self.changed)
            grid.addWidget(box, index // columns, index % columns)
            self.boxes[item.key] = box
        grid.addWidget(self.error, len(items) // columns + 1, 0, 1, columns)
        self.changed.connect(lambda: self.show_error(""))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    @property
    def has_error(self) -> bool:
        return bool(self.error.text())

    def keys(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def set_keys(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for key, box in self.boxes.items():
            box.setChecked(key in wanted)


class Form(QObject):
    """A set of field editors and check lists, placed into layouts, read and checked together.

    The form remembers its values as last loaded or saved, so `dirty` means a value
    differs from them (typing a letter and deleting it again changes nothing).
    """

    changed = Signal()
    errors_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.editors: dict[str, FieldEditor] = {}
        self.check_lists: dict[str, CheckList] = {}
        self.saved: dict[str, Any] = {}  # the values as last loaded or saved

    def add_rows(
        self,
        layout: QFormLayout,
        rules: Iterable[FieldRule],
        widgets: Mapping[str, ValueInput] | None = None,
    ) -> None:
        """Add a labelled row to `layout` for each rule (`widgets` holds any special inputs)."""
        for rule in rules:
            editor = FieldEditor(rule, self.parent_widget, (widgets or {}).get(rule.name))
            editor.changed.connect(self.changed)
            editor.error_shown.connect(self.errors_changed)
            layout.addRow(editor.label, editor.container)
            self.editors[rule.name] = editor
            self.saved[rule.name] = editor.text()

    def add_check_list(self, name: str, check_list: CheckList) -> None:
        """Make `check_list` the form's value `name` (the keys it has checked)."""
        check_list.changed.connect(self.changed)
        check_list.changed.connect(self.errors_changed)
        self.check_lists[name] = check_list
        self.saved[name] = check_list.keys()

    def form_layout(
        self, rules: Iterable[FieldRule], widgets: Mapping[str, ValueInput] | None = None
    ) -> QFormLayout:
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_rows(layout, rules, widgets)
        return layout

    def use_rules(self, rules: Iterable[FieldRule]) -> None:
        """Check the fields by these rules from now on (a record's own limits, say)."""
        for rule in rules:
            if rule.name in self.editors:
                self.editors[rule.name].rule = rule

    def input(self, name: str) -> QWidget:
        return self.editors[name].input

    def inputs(self) -> list[QWidget]:
        """Every input, in the order the fields were added."""
        return [editor.input for editor in self.editors.values()]

    def values(self) -> dict[str, Any]:
        """Each field's text and each check list's keys, by name."""
        values: dict[str, Any] = {name: editor.text() for name, editor in self.editors.items()}
        values.update({name: boxes.keys() for name, boxes in self.check_lists.items()})
        return values

    def load(self, values: Mapping[str, Any]) -> None:
        for name, editor in self.editors.items():
            editor.set_value(values.get(name))
        for name, boxes in self.check_lists.items():
            boxes.set_keys(values.get(name) or [])
        self.saved = self.values()

    @property
    def dirty(self) -> bool:
        """True when a value differs from the one last loaded or saved."""
        return self.values() != self.saved

    @dirty.setter
    def dirty(self, dirty: bool) -> None:
        """Setting False counts the values shown now as saved (after saving or discarding)."""
        self.saved = {} if dirty else self.values()

    def check_all(self) -> bool:
        results = [editor.check() for editor in self.editors.values()]
        return all(results)

    def show_errors(self, errors: ValidationErrors) -> None:
        """Show each error beside its field or check list (matched by its label)."""
        by_label: dict[str, FieldEditor | CheckList] = {
            editor.rule.label: editor for editor in self.editors.values()
        }
        by_label |= {boxes.label: boxes for boxes in self.check_lists.values() if boxes.label}
        for error in errors.errors:
            shown_at = by_label.get(error.field)
            if shown_at is not None:
                shown_at.show_error(error.message)
        self.errors_changed.emit()

    def invalid_editors(self) -> list[FieldEditor]:
        """The fields now showing an error, in form order."""
        return [editor for editor in self.editors.values() if editor.has_error]

    def invalid_labels(self) -> list[str]:
        """The labels of the fields and check lists now showing an error, in form order."""
        lists = [boxes.label for boxes in self.check_lists.values() if boxes.has_error]
        return [editor.rule.label for editor in self.invalid_editors()] + lists
