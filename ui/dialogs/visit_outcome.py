"""How a visit ends: completed (with any discount), a no-show or cancelled (with any fee)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from frontdesk import formatting
from frontdesk.services import booking, fees, visits
from frontdesk.services.visits import DaySheetRow
from ui.dialogs.amount_reason import AmountReasonDialog, Ask


def _visit_words(row: DaySheetRow) -> str:
    return f"{row.client}'s visit at {row.time} with {row.therapist}"


def charge_text(visit_id: int) -> str:
    """What completing the visit will charge, line by line, at the day's prices."""
    visit = visits.get_visit(visit_id)
    plans = fees.plan_lines(visit)
    if not plans:
        return "Under 8 minutes of treatment: nothing is charged."
    lines = []
    for plan in plans:
        units = "1 unit" if plan.units == 1 else f"{plan.units} units"
        lines.append(
            f"{plan.code.code} {plan.code.description}, {units}: "
            f"{formatting.money(plan.charge_cents)}"
        )
        if plan.discount_cents:
            lines.append(f"{plan.discount_reason}: -{formatting.money(plan.discount_cents)}")
    return "\n".join(lines)


def check_in(parent: QWidget, row: DaySheetRow) -> None:
    """The client arrived. When the visit cannot count as medical care, it is checked in
    only as wellness care, with the reason why."""
    warnings = booking.check_in_warnings(row.visit_id)
    if not warnings:
        visits.check_in(row.visit_id, row.version)
        return
    listed = "\n".join(f"• {warning.message}" for warning in warnings)
    ask = Ask(
        title="Check in",
        intro=f"{_visit_words(row)} cannot count as medical care:\n{listed}\n"
        "To check the client in for wellness (non-medical) care, type why.",
        action="Check in as wellness",
        reason_label="Reason for wellness care",
        reason_required=True,
        reason_hint="e.g. Prescription used up; client chose wellness massage",
    )

    def act(_cents: int, reason: str) -> None:
        visits.check_in(row.visit_id, row.version, wellness_reason=reason)

    AmountReasonDialog(ask, act, parent).exec()


def complete(parent: QWidget, row: DaySheetRow) -> None:
    """Mark the visit completed and charge it; a courtesy discount needs its reason."""
    ask = Ask(
        title="Complete visit",
        intro=f"Complete {_visit_words(row)}. It is charged:\n{charge_text(row.visit_id)}",
        action="Complete visit",
        amount_label=fees.COURTESY,
        reason_label="Reason for the discount",
        reason_with_amount=True,
        reason_hint="only with a courtesy discount",
    )

    def act(cents: int, reason: str) -> None:
        visits.complete_visit(
            row.visit_id, row.version, courtesy_cents=cents, courtesy_reason=reason
        )

    AmountReasonDialog(ask, act, parent).exec()


def _without_treatment(
    parent: QWidget, row: DaySheetRow, ask: Ask, change: Callable[..., object]
) -> None:
    """End the visit untreated by `change` (visits.mark_no_show or cancel_visit): fee, reason."""

    def act(cents: int, reason: str) -> None:
        change(row.visit_id, row.version, fee_cents=cents, reason=reason)

    AmountReasonDialog(ask, act, parent).exec()


def no_show(parent: QWidget, row: DaySheetRow) -> None:
    """The client did not come: a no-show fee if the clinic charges one."""
    ask = Ask(
        title="No-show",
        intro=f"Mark {_visit_words(row)} as a no-show. Without a fee it costs nothing.",
        action="Mark no-show",
        amount_label="No-show fee",
        reason_hint="e.g. no answer to the reminder call",
    )
    _without_treatment(parent, row, ask, visits.mark_no_show)


def cancel(parent: QWidget, row: DaySheetRow) -> None:
    """Cancel the visit, with a late-cancel fee if any; it never counts against a prescription."""
    ask = Ask(
        title="Cancel visit",
        intro=f"Cancel {_visit_words(row)}? Without a late-cancel fee it costs nothing "
        "and never counts against a prescription.",
        action="Cancel visit",
        amount_label="Late-cancel fee",
        reason_hint="e.g. client is ill",
    )
    _without_treatment(parent, row, ask, visits.cancel_visit)
