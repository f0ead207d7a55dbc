"""A small window that asks for an amount and a reason, then makes one change.

Cancelling or missing a visit (a fee), completing it (a courtesy discount), voiding or
refunding a payment: each asks the same two things, and each refusal is shown beside the
field it is about, with nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import validation
from frontdesk.services.ledger import LedgerRefused
from frontdesk.services.records import RecordChanged
from frontdesk.services.visits import VisitRefused
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.errors import refusal
from ui.widgets import button, chain_tab_order, error_label, show_text


@dataclass(frozen=True)
class Ask:
    """What the window asks: its title, what it says first and the button that acts."""

    title: str
    intro: str
    action: str
    amount_label: str = ""  # no amount asked when empty
    amount_required: bool = False
    amount_text: str = ""  # what the amount starts as
    reason_label: str = "Reason"
    reason_required: bool = False
    reason_with_amount: bool = False  # an amount needs its reason (a discount)
    reason_hint: str = ""


class AmountReasonDialog(QDialog):
    """Asks `ask`'s amount (in dollars, as people type them) and reason, then calls `act`.

    `act(cents, reason)` makes the change; the window closes once it succeeds.
    """

    def __init__(
        self, ask: Ask, act: Callable[[int, str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ask, self.act = ask, act
        self.setWindowTitle(ask.title)
        self.intro = QLabel(ask.intro, self)
        self.intro.setWordWrap(True)
        self.amount = QLineEdit(ask.amount_text, self)
        self.amount.setAccessibleName(ask.amount_label or "Amount")
        self.amount.setPlaceholderText(
            "e.g. 25.00" + (" (required)" if ask.amount_required else " (none: leave empty)")
        )
        self.amount_error = error_label(f"{ask.amount_label} error", self)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(ask.reason_label)
        self.reason.setPlaceholderText(
            ask.reason_hint or ("required" if ask.reason_required else "")
        )
        self.reason_error = error_label(f"{ask.reason_label} error", self)
        self.message = error_label("Message", self)
        self.action_button = button(ask.action, primary=True, parent=self)
        self.cancel_button = button("Back", parent=self)
        self._lay_out()
        self.action_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(480, 0)

    def _lay_out(self) -> None:
        form = QFormLayout()
        if self.ask.amount_label:
            form.addRow(self.ask.amount_label, _stacked(self.amount, self.amount_error))
        else:
            self.amount.hide()
        form.addRow(self.ask.reason_label, _stacked(self.reason, self.reason_error))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.action_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        inputs = [self.amount] if self.ask.amount_label else []
        chain_tab_order([*inputs, self.reason, self.cancel_button, self.action_button])
        (inputs or [self.reason])[0].setFocus()

    def _cents(self) -> int:
        label = self.ask.amount_label or "Amount"
        cents = validation.money(self.amount.text(), label, required=self.ask.amount_required)
        return cents or 0

    def apply(self) -> None:
        """Make the change; on a refusal say why beside the field and keep the window."""
        for label in (self.amount_error, self.reason_error, self.message):
            show_text(label, "")
        try:
            cents = self._cents() if self.ask.amount_label else 0
            needed = self.ask.reason_required or (self.ask.reason_with_amount and cents)
            if needed and not self.reason.text().strip():
                raise ValidationError(self.ask.reason_label, "say why.")
            self.act(cents, self.reason.text().strip())
        except ValidationError as error:
            self._show_invalid(error)
        except (VisitRefused, LedgerRefused, RecordChanged) as error:
            show_text(self.message, str(error))
        except StorageError as error:
            show_text(self.message, refusal("Not saved", error))
        else:
            self.accept()

    def _show_invalid(self, error: ValidationError) -> None:
        beside_amount = bool(self.ask.amount_label) and error.field != self.ask.reason_label
        line, field = (
            (self.amount_error, self.amount) if beside_amount else (self.reason_error, self.reason)
        )
        show_text(line, error.message)
        field.setFocus()


def _stacked(field: QWidget, error: QLabel) -> QWidget:
    box = QWidget(field.parentWidget())
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(error)
    return box
