"""A layout that places widgets left to right and wraps onto more lines as needed."""

from __future__ import annotations

from PySide6 import QtCore  # QtCore.Qt at call time: see ui/tables.py
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

Line = list[tuple[QLayoutItem, QSize]]


class FlowLayout(QLayout):
    """Widgets in a row that wraps; none is wider than the row (a too-long one is squeezed)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> QtCore.Qt.Orientation:
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        lines = self._lines(width - margins.left() - margins.right())
        return self._lines_height(lines) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        sizes = [item.sizeHint() for item in self._shown()]
        width = sum(size.width() for size in sizes) + self.spacing() * max(len(sizes) - 1, 0)
        height = max((size.height() for size in sizes), default=0)
        return self._plus_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """As narrow as the widest item can be, one item a line."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return self._plus_margins(size)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        area = self.contentsRect()
        y = area.y()
        for line in self._lines(area.width()):
            height = max(size.height() for _, size in line)
            x = area.x()
            for item, size in line:
                top = y + (height - size.height()) // 2
                item.setGeometry(QRect(QPoint(x, top), size))
                x += size.width() + self.spacing()
            y += height + self.spacing()

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _lines(self, width: int) -> list[Line]:
        """The items, each at its size for `width`, grouped into lines."""
        lines: list[Line] = []
        used = 0
        for item in self._shown():
            hint, least = item.sizeHint(), item.minimumSize()
            size = QSize(max(min(hint.width(), width), least.width()), hint.height())
            if lines and used + self.spacing() + size.width() <= width:
                lines[-1].append((item, size))
                used += self.spacing() + size.width()
            else:
                lines.append([(item, size)])
                used = size.width()
        return lines

    def _lines_height(self, lines: list[Line]) -> int:
        heights = [max(size.height() for _, size in line) for line in lines]
        return sum(heights) + self.spacing() * max(len(heights) - 1, 0)

    def _plus_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size.grownBy(margins)
