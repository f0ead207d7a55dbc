"""Before a document prints: what is missing or wrong, each with a button to fix it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk.access import Can
from frontdesk.services.receipts import Problem
from ui.widgets import allowed, button, chain_tab_order

FIX_TEXTS = {
    "clinic": "Fix clinic",
    "therapist": "Fix therapist",
    "client": "Fix client",
    "prescription": "Fix prescription",
    "visit": "Open visit",
}
FIX_NEEDS = {  # what the person must be allowed for each fix to be offered
    "clinic": Can.EDIT_CLINIC,
    "therapist": Can.EDIT_CLINIC,
    "client": Can.EDIT_CLIENTS,
    "prescription": Can.EDIT_PRESCRIPTIONS,
    "visit": Can.READ_NOTES,
}


class CompletenessDialog(QDialog):
    """Lists the problems; `fix` holds the one chosen to fix, else "Print anyway" was chosen.

    Accepted: print anyway (the gaps stay listed beside the preview). Rejected: go back.
    """

    def __init__(self, problems: Sequence[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before printing")
        self.fix: Problem | None = None
        intro = QLabel(
            f"{_count(len(problems))} would make this document incomplete. Fix them first, "
            "or print anyway.",
            self,
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        fix_buttons = []
        for row, problem in enumerate(problems):
            text = QLabel(f"• {problem.message}", self)
            text.setWordWrap(True)
            grid.addWidget(text, row, 0)
            push = button(FIX_TEXTS.get(problem.fix, "Fix"), parent=self)
            push.setAccessibleName(f"{FIX_TEXTS.get(problem.fix, 'Fix')}: {problem.message}")
            push.clicked.connect(lambda _checked=False, chosen=problem: self._fix(chosen))
            if problem.fix in FIX_NEEDS:
                allowed(FIX_NEEDS[problem.fix], push)
            grid.addWidget(push, row, 1)
            fix_buttons.append(push)
        grid.setColumnStretch(0, 1)
        self.back_button = button("Back", parent=self)
        self.print_anyway = button("Print anyway", primary=True, parent=self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.print_anyway)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        chain_tab_order([*fix_buttons, self.back_button, self.print_anyway])
        self.back_button.clicked.connect(self.reject)
        self.print_anyway.clicked.connect(self.accept)
        self.resize(640, 0)

    def _fix(self, problem: Problem) -> None:
        self.fix = problem
        self.reject()


def _count(number: int) -> str:
    return "One problem" if number == 1 else f"{number} problems"
