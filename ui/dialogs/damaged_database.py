"""At start: the database failed its check; restore the newest good backup, or quit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk import formatting
from frontdesk.services.recovery import GoodBackup
from ui.widgets import folder_text

TITLE = "The clinic's database is damaged"
MAX_PROBLEMS = 5


def restore_text(newest: GoodBackup) -> str:
    return f"Restore the backup of {formatting.us_date_time(newest.taken_at)}"


class DamagedDatabaseDialog(QMessageBox):
    """Says what the check found and offers the newest good backup (if any) or Quit.

    `exec()` then `restore_chosen()`: True only when the restore button was clicked.
    """

    def __init__(
        self,
        db_path: Path,
        problems: Sequence[str],
        newest: GoodBackup | None,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(QMessageBox.Icon.Critical, TITLE, "", parent=parent)
        found = "\n".join(f"• {problem}" for problem in problems[:MAX_PROBLEMS])
        self.setText(
            f"{TITLE}.\n\nFront Desk checked {db_path.name} while starting and found:\n\n{found}"
        )
        self.restore_button = None
        if newest is not None:
            self.restore_button = self.addButton(
                restore_text(newest), QMessageBox.ButtonRole.AcceptRole
            )
        self.quit_button = self.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        self.setInformativeText(_advice(db_path, newest, folder))
        self.setDefaultButton(self.restore_button or self.quit_button)
        self.setEscapeButton(self.quit_button)

    def restore_chosen(self) -> bool:
        return self.restore_button is not None and self.clickedButton() is self.restore_button


def _advice(db_path: Path, newest: GoodBackup | None, folder: Path) -> str:
    if newest is None:
        return (
            f"No good backup was found in {folder_text(folder)}. Do not use this computer's "
            f"copy of {db_path.name} for now: quit, and call whoever looks after the clinic's "
            "computers for help. Nothing has been changed."
        )
    return (
        f"The newest good backup was taken on {formatting.us_date_time(newest.taken_at)} and "
        f"holds {newest.summary()}. Restoring it puts it in place of the damaged file, which "
        f"is kept beside it (renamed {db_path.name}.damaged-…); anything saved after the "
        "backup was taken is not in it. Quit changes nothing."
    )
