"""A line edit that suggests as you type: debounced, from a few characters, picked by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

Suggest = Callable[[str], list[tuple[str, Any]]]  # typed text -> [(shown text, value)]
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class SuggestingLineEdit(QLineEdit):
    """Shows `suggest(text)` in a list under the input; choosing one emits `picked(value)`."""

    picked = Signal(object)

    def __init__(
        self,
        suggest: Suggest,
        *,
        min_chars: int = 3,
        delay_ms: int = 250,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.suggest = suggest
        self.min_chars = min_chars
        self.suggestions = QStandardItemModel(self)
        self.completer_ = QCompleter(self.suggestions, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(self._pick)
        self.timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.timer.timeout.connect(self.refresh_suggestions)
        self.textEdited.connect(self.timer.start)

    def refresh_suggestions(self) -> None:
        """Look up what is typed now and show the suggestions (none under `min_chars`)."""
        self.timer.stop()
        text = self.text().strip()
        found = self.suggest(text) if len(text) >= self.min_chars else []
        self.suggestions.clear()
        for shown, value in found:
            item = QStandardItem(shown)
            item.setData(value, VALUE_ROLE)
            self.suggestions.appendRow(item)
        if found:
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def popup_visible(self) -> bool:
        return self.completer_.popup().isVisible()

    def _pick(self, index: QModelIndex) -> None:
        self.picked.emit(index.data(VALUE_ROLE))
