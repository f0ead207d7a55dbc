"""Change a code's price from a date on: visits already charged keep their price."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk.formatting import money, us_date
from frontdesk.models import ServicePrice
from frontdesk.services import fee_schedule
from frontdesk.services.fee_schedule import FeeRow
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage

NOTE = (
    "Visits on or after this date are charged the new price. Visits already charged keep "
    "theirs, even when the date is in the past."
)


def prices_text(row: FeeRow) -> str:
    """Today's price and the change already planned: "Price today: $35.00 · $38.00 from ..."."""
    unit = " per unit" if row.timed else ""
    text = f"Price today: {money(row.price_cents)}{unit}"
    if row.next_change is not None:
        change = row.next_change
        text += f" · {money(change.price_cents)} from {us_date(change.effective_on)}"
    return text


class PriceChangePage(RecordFormPage):
    """The new price and the date it applies from (today unless changed)."""

    noun = "price change"

    def __init__(self, row: FeeRow, parent: QWidget | None = None) -> None:
        super().__init__(f"Change price: {row.code}", "Save price", parent)
        self.code_id = row.code_id
        body = QWidget(self)
        column = QVBoxLayout(body)
        for text, name in (
            (row.description, "Service"),
            (prices_text(row), "Current price"),
            (NOTE, ""),
        ):
            label = QLabel(text, body)
            label.setWordWrap(True)
            label.setAccessibleName(name)
            column.addWidget(label)
        column.addSpacing(6)
        column.addLayout(self.form.form_layout(fee_schedule.PRICE_RULES))
        column.addStretch(1)
        self.lay_out(body)
        self.load({"effective_on": date.today()})

    def changed_labels(self, current: object) -> list[str]:
        return []  # a price change is a new record: nobody else can have changed it

    def write(self) -> ServicePrice:
        return fee_schedule.change_price(self.code_id, self.form.values())


def price_dialog(parent: QWidget, row: FeeRow) -> FormDialog:
    """The price change for the code listed in `row`, in a window; the cursor in New price."""
    page = PriceChangePage(row)
    dialog = FormDialog(page, "Change price", parent)
    dialog.resize(520, 380)
    page.form.input("price_cents").setFocus()
    return dialog
