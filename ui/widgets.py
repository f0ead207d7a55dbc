"""Small shared widgets: icons, alert chips, primary buttons, section titles."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore  # QtCore.Qt at call time: see ui/tables.py
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from frontdesk import access
from frontdesk.resources import resource_path
from ui.flow_layout import FlowLayout

if TYPE_CHECKING:  # the catalog loads with the first form that needs it
    from frontdesk.access import Can
    from frontdesk.catalog import CatalogItem

SEVERITY_ROLE = {"contraindication": "contraindication", "caution": "warning"}


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons by name (without .svg)."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def chip(text: str, role: str, parent: QWidget | None = None) -> QLabel:
    """A rounded label whose colour says what it means: contraindication, warning or ok."""
    label = QLabel(text, parent)
    label.setProperty("role", role)
    label.setAccessibleName(text)
    return label


def alert_chips(alerts: Iterable[CatalogItem], parent: QWidget | None = None) -> list[QLabel]:
    """One chip per health alert: red for a contraindication, amber for a caution."""
    return [chip(alert.label, SEVERITY_ROLE[alert.severity], parent) for alert in alerts]


class ElidedLabel(QLabel):
    """One line that ends in "…" when it is too narrow; the full text is in its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…"), super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as painted: whole, or cut to the width with "…"."""
        metrics = self.fontMetrics()
        width = self.contentsRect().width()
        return metrics.elidedText(self.text(), QtCore.Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )


def button(text: str, icon_name: str = "", primary: bool = False, parent=None) -> QPushButton:
    """A push button whose text says what it does."""
    push = QPushButton(text, parent)
    if icon_name:
        push.setIcon(icon(icon_name))
    if primary:
        push.setProperty("primary", True)
        push.setDefault(True)
    push.setAutoDefault(True)  # Enter presses the button that has the focus
    return push


def button_bar(
    parent: QWidget, specs: tuple[tuple[str, str], ...], primary: str = ""
) -> tuple[dict[str, QPushButton], FlowLayout]:
    """Buttons (text, icon name) in a row that wraps when narrow; `primary` names the main one."""
    buttons = {
        text: button(text, icon_name, primary=text == primary, parent=parent)
        for text, icon_name in specs
    }
    row = FlowLayout()
    for push in buttons.values():
        row.addWidget(push)
    chain_tab_order(buttons.values())
    return buttons, row


def error_label(name: str, parent: QWidget) -> QLabel:
    """A red line that says what went wrong, hidden until it has something to say."""
    label = QLabel(parent)
    label.setProperty("class", "fieldError")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def show_text(label: QLabel, text: str) -> None:
    """Show `text` in the label; hide the label when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


def title(text: str, parent: QWidget | None = None) -> QLabel:
    """A screen or section title, larger and bold; a long one ends in "…"."""
    label = ElidedLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def confirm(parent: QWidget, heading: str, question: str) -> bool:
    """Ask a yes/no question; True when the person answers Yes. No is the default (Enter)."""
    no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
    return QMessageBox.question(parent, heading, question, yes | no, no) == yes


def chain_tab_order(widgets: Iterable[QWidget]) -> None:
    """Tab visits the widgets in the order given."""
    for before, after in pairwise(widgets):
        QWidget.setTabOrder(before, after)


def choose(
    parent: QWidget,
    heading: str,
    text: str,
    choices: list[str],
    detail: str = "",
    warning: bool = False,
) -> str:
    """Ask a question with several answers; returns the text of the one clicked.

    The first answer is the default (Enter); the last is what Esc or closing picks.
    """
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question
    box = QMessageBox(icon, heading, text, parent=parent)
    box.setInformativeText(detail)
    roles = [QMessageBox.ButtonRole.AcceptRole]
    roles += [QMessageBox.ButtonRole.DestructiveRole] * (len(choices) - 2)
    roles += [QMessageBox.ButtonRole.RejectRole]
    buttons = [box.addButton(choice, role) for choice, role in zip(choices, roles, strict=True)]
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return choices[buttons.index(clicked)] if clicked in buttons else choices[-1]


def folder_text(folder: Path) -> str:
    """The folder as a person reads it: the home folder written "~"."""
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


def allowed(can: Can, *widgets: QWidget) -> bool:
    """Whether the person signed in may `can`; when not, the widgets are hidden.

    Screens are built again for each person who signs in, so a screen asks once, when built,
    and keeps the answer for the buttons it shows or hides later.
    """
    permitted = access.may(can)
    if not permitted:
        for widget in widgets:
            widget.hide()
    return permitted
