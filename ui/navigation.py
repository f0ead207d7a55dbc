"""The navigation rail: one entry per screen; choosing the screen already shown restarts it."""

from __future__ import annotations

from PySide6 import QtCore  # QtCore.Qt at call time: see ui/tables.py
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ui.widgets import icon


class NavigationRail(QListWidget):
    """Screen titles with icons. `reselected` fires when the current entry is chosen again."""

    reselected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navRail")
        self.setAccessibleName("Navigation")
        self.setIconSize(QSize(22, 22))
        self.setFixedWidth(168)

    def add_entry(self, title: str, icon_name: str) -> None:
        self.addItem(QListWidgetItem(icon(icon_name), title))  # read out by its title

    def titles(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count())]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self.indexAt(event.position().toPoint()).row()
        again = row >= 0 and row == self.currentRow()
        super().mousePressEvent(event)
        if again and event.button() == QtCore.Qt.MouseButton.LeftButton:
            self.reselected.emit(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = QtCore.Qt.Key
        if event.key() in (keys.Key_Return, keys.Key_Enter, keys.Key_Space):
            self.reselected.emit(self.currentRow())
            return
        super().keyPressEvent(event)
