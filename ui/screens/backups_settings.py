"""Settings ▸ Backups: when the last good backup was made, the backups kept, back up now,
restore one."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.services import backup
from frontdesk.services.backup import BackupInfo
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.tables import Column, RecordTableModel, record_table
from ui.widgets import button_bar, chain_tab_order, confirm, error_label, show_text

TOO_OLD = timedelta(days=2)
COLUMNS = (
    Column("Taken", lambda info: formatting.us_date_time(info.taken_at)),
    Column("Size", lambda info: f"{info.size / 1_000_000:.1f} MB"),
    Column("File", lambda info: info.path.name),
)
ACTIONS = (("Back up now", "save"), ("Restore", ""))


def folder_text(folder: Path) -> str:
    """The folder as a person reads it: the home folder written "~"."""
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


def age_text(taken_at: datetime, now: datetime) -> str:
    """How long ago, in words: "today", "yesterday", "5 days ago"."""
    days = (now.date() - taken_at.date()).days
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


class BackupsSection(QWidget):
    """The backups in the backup folder, newest first; each is checked when it is made."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = backup.default_backup_folder()
        self.last = QLabel(self)
        self.last.setAccessibleName("Last backup")
        self.last.setWordWrap(True)
        self.where = where = QLabel(self)
        where.setAccessibleName("Backup folder")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = RecordTableModel(COLUMNS, lambda info: hash(info.path), self)
        self.table = record_table("Backups", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary="Back up now")
        self.done = QLabel(self)
        self.done.setAccessibleName("Done")
        self.done.setWordWrap(True)
        self.message = error_label("Message", self)
        layout = QVBoxLayout(self)
        for widget in (self.last, where):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.done)
        layout.addWidget(self.message)
        chain_tab_order([self.table, *self.actions.values()])
        self.actions["Back up now"].clicked.connect(self.back_up_now)
        self.actions["Restore"].clicked.connect(self.restore_selected)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.where.setText(f"Backups are kept in {folder_text(self.folder)}")
        found = backup.list_backups(self.folder)
        self.model.set_rows(found)
        self.table.resizeColumnsToContents()
        if found:
            self.table.selectRow(0)
        self.actions["Restore"].setEnabled(bool(found))
        self._show_last(found)

    def _show_last(self, found: list[BackupInfo]) -> None:
        now = datetime.now()
        if not found:
            self.last.setText("No backup yet: choose Back up now.")
            self.last.setProperty("role", "warning")
        else:
            newest = found[0].taken_at
            text = f"Last backup: {formatting.us_date_time(newest)} ({age_text(newest, now)})."
            old = now - newest > TOO_OLD
            self.last.setText(text + (" Make a new one now." if old else ""))
            self.last.setProperty("role", "warning" if old else "")
        self.last.style().polish(self.last)

    def selected(self) -> BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def back_up_now(self) -> None:
        """Make a backup and check it (a small clinic's file takes a moment)."""
        self._say("", "")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = backup.make_backup(self.folder)
        except (backup.BackupError, StorageError) as error:
            self._say("", _refusal("Not backed up", error))
        else:
            self._say(f"Backed up and checked: {made.summary()}.", "")
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()

    def restore_selected(self) -> None:
        """Put the chosen backup in place of the database, after a safety backup of it."""
        chosen = self.selected()
        if chosen is None:
            return
        when = formatting.us_date_time(chosen.taken_at)
        question = (
            f"Restore the backup of {when}? Everything saved since then is replaced. "
            "The database as it is now is backed up first."
        )
        if not confirm(self, "Restore backup", question):
            return
        self._say("", "")
        try:
            restored = backup.restore(chosen.path, folder=self.folder)
        except (backup.BackupError, StorageError) as error:
            self._say("", _refusal("Not restored", error))
        else:
            self._say(
                f"Restored the backup of {when} ({restored.summary()}). The database as it "
                f"was is kept as {restored.safety_backup.path.name}.",
                "",
            )
        self.refresh()

    def _say(self, done: str, problem: str) -> None:
        show_text(self.done, done)
        show_text(self.message, problem)


def _refusal(action: str, error: Exception) -> str:
    if isinstance(error, StorageError):
        return refusal(action, error)
    return f"{action}: {error}"
