"""Small shared widgets: icons, alert chips, primary buttons, section titles."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import pairwise

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from frontdesk.resources import resource_path

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


def button(text: str, icon_name: str = "", primary: bool = False, parent=None) -> QPushButton:
    """A push button whose text says what it does."""
    push = QPushButton(text, parent)
    if icon_name:
        push.setIcon(icon(icon_name))
    if primary:
        push.setProperty("primary", True)
        push.setDefault(True)
    push.setAutoDefault(False)
    return push


def title(text: str, parent: QWidget | None = None) -> QLabel:
    """A screen or section title, larger and bold."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def confirm(parent: QWidget, heading: str, question: str) -> bool:
    """Ask a yes/no question; True when the person answers Yes."""
    answer = QMessageBox.question(parent, heading, question)
    return answer == QMessageBox.StandardButton.Yes


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
