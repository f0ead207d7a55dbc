"""Settings ▸ Backups: the last backup and its age, the backup folder (with a warning when it
is on the database's disk), the backups kept, Back up now (in the background) and Restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk import db, formatting
from frontdesk.models import database_proxy
from frontdesk.services import backup
from frontdesk.services.backup import BackupInfo
from frontdesk.storage_errors import StorageError
from ui.backup_jobs import (
    TOO_OLD,
    BackupFolder,
    BackupOutcome,
    BackupRunner,
    Task,
    age_text,
    info_of,
)
from ui.errors import failure_text
from ui.tables import Column, RecordTableModel, record_table
from ui.widgets import (
    button,
    button_bar,
    chain_tab_order,
    confirm,
    error_label,
    folder_text,
    show_text,
)

COLUMNS = (
    Column("Taken", lambda info: formatting.us_date_time(info.taken_at)),
    Column("Size", lambda info: f"{info.size / 1_000_000:.1f} MB"),
    Column("File", lambda info: info.path.name),
)
ACTIONS = (("Back up now", "save"), ("Restore", ""))
ON_SERVER = (
    " The clinic server's database is replaced for every PC: ask the others to stop "
    "working in Front Desk first."
)
SAME_DISK = (
    "This folder is on the same disk as the database: if that disk fails, both are lost. "
    "Choose a USB stick or another disk."
)


class BackupsSection(QWidget):
    """The backups in the backup folder, newest first; each is checked when it is made."""

    backed_up = Signal(object)  # the BackupInfo of a good backup just made here
    folder_changed = Signal()
    restored = Signal()  # the database was replaced by a backup: screens show it afresh

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = BackupRunner(BackupFolder(), self)
        self.demo = False
        self.last = QLabel(self)
        self.last.setAccessibleName("Last backup")
        self.last.setWordWrap(True)
        self.where = where = QLabel(self)
        where.setAccessibleName("Backup folder")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change = button("Change folder…", "", parent=self)
        self.same_disk = QLabel(SAME_DISK, self)
        self.same_disk.setAccessibleName("Same disk")
        self.same_disk.setWordWrap(True)
        self.same_disk.setProperty("role", "warning")
        self.folder_message = error_label("Folder message", self)
        self.model = RecordTableModel(COLUMNS, lambda info: hash(info.path), self)
        self.table = record_table("Backups", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary="Back up now")
        self.done = QLabel(self)
        self.done.setAccessibleName("Done")
        self.done.setWordWrap(True)
        self.message = error_label("Message", self)
        self._lay_out(action_row)
        chain_tab_order([self.change, self.table, *self.actions.values()])
        self.change.clicked.connect(self.choose_folder)
        self.actions["Back up now"].clicked.connect(self.back_up_now)
        self.actions["Restore"].clicked.connect(self.restore_selected)

    def _lay_out(self, action_row) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.where, 1)
        folder_row.addWidget(self.change)
        layout = QVBoxLayout(self)
        layout.addWidget(self.last)
        layout.addLayout(folder_row)
        for widget in (self.same_disk, self.folder_message):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.done)
        layout.addWidget(self.message)

    @property
    def folder(self) -> Path:
        return self.runner.folder.path

    def use_runner(self, runner: BackupRunner) -> None:
        """Back up through the window's runner, into the folder chosen on this PC."""
        self.runner = runner
        runner.started.connect(lambda: self._enable_actions(False))
        runner.finished.connect(self._backed_up)
        self.refresh_if_shown()

    def for_demo(self) -> None:
        """The demo clinic is never backed up or restored: its made-up records must not mix
        with the clinic's own backups."""
        self.demo = True
        self.same_disk.hide()
        self.last.setText("The demo clinic is not backed up: its clients are made up.")
        for widget in (self.change, self.table, *self.actions.values()):
            widget.setEnabled(False)

    def _enable_actions(self, enabled: bool) -> None:
        """Back up now and Restore wait while a backup runs in the background."""
        self.actions["Back up now"].setEnabled(enabled)
        self.actions["Restore"].setEnabled(enabled and bool(self.model.rows))

    def refresh_if_shown(self) -> None:
        """Show the folder's backups again (after one made elsewhere) when the page is shown."""
        if self.isVisible():
            self.refresh()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the backup folder", str(self.folder)
        )
        if chosen:
            self.change_folder(Path(chosen))

    def change_folder(self, folder: Path) -> bool:
        """Keep the backups in `folder` from now on; refused (False) when it cannot be written."""
        try:
            self.runner.folder.change(folder)
        except backup.FolderNotWritable as refused:
            show_text(
                self.folder_message,
                f"Not changed: {folder_text(folder)} cannot be written ({refused.reason}). "
                "Choose another folder.",
            )
            return False
        show_text(self.folder_message, "")
        self.refresh()
        self.folder_changed.emit()
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self.demo:
            return
        self.where.setText(f"Backups are kept in {folder_text(self.folder)}")
        database = backup.open_database_path()
        self.same_disk.setVisible(database is not None and backup.same_disk(self.folder, database))
        found = backup.list_backups(self.folder)
        self.model.set_rows(found)
        self.table.resizeColumnsToContents()
        if found:
            self.table.selectRow(0)
        self.actions["Restore"].setEnabled(bool(found) and not self.runner.running)
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
        """Make a backup and check it in the background; the page says how it went."""
        self._say("Backing up…", "")
        self.runner.run(Task.NOW)

    def _backed_up(self, outcome: BackupOutcome) -> None:
        self._enable_actions(True)
        if outcome.problem:
            self._say("", outcome.problem)
        elif outcome.made is not None:
            self._say(f"Backed up and checked: {outcome.made.summary()}.", "")
        self.refresh_if_shown()

    def restore_selected(self) -> None:
        """Put the chosen backup in place of the database, after a safety backup of it."""
        chosen = self.selected()
        if chosen is None or self.runner.running:
            return
        when = formatting.us_date_time(chosen.taken_at)
        question = (
            f"Restore the backup of {when}? Everything saved since then is replaced. "
            "The database as it is now is backed up first."
        ) + (ON_SERVER if _on_server() else "")
        if not confirm(self, "Restore backup", question):
            return
        passphrase = self._passphrase_of(chosen.path)
        if passphrase is False:
            return
        self._say("Restoring: checking the backup and backing up the database first…", "")
        self.done.repaint()  # said before the work starts: a large clinic takes some seconds
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            restored = backup.restore(chosen.path, folder=self.folder, passphrase=passphrase)
        except (backup.BackupError, StorageError, db.DatabaseUnavailable) as error:
            self._say("", failure_text("Not restored", error, (backup.BackupError,)))
        else:
            self._say(
                f"Restored the backup of {when} ({restored.summary()}). The database as it "
                f"was is kept as {restored.safety_backup.path.name}.",
                "",
            )
            self.backed_up.emit(info_of(restored.safety_backup))
            self.restored.emit()
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()

    def _passphrase_of(self, path: Path) -> str | bool | None:
        """The passphrase an encrypted backup opens with: the clinic's (None), or, for a
        backup made before the passphrase was changed, the one asked for; False: not given.
        A clinic server's backups have none."""
        from frontdesk import encryption
        from ui.passphrase import AskPassphrase

        current = db.current_passphrase()
        if _on_server() or not encryption.is_encrypted(path) or _opens(path, current):
            return None
        given: list[str] = []

        def try_backup(text: str) -> None:
            if not _opens(path, text):
                raise db.WrongPassphrase(f"That passphrase does not open {path.name} either.")
            given.append(text)

        dialog = AskPassphrase(path, try_backup, self)
        dialog.explanation.setText(
            f"{path.name} does not open with the clinic's passphrase: it was made before the "
            "passphrase was changed. Type the passphrase it was made with; the restored "
            "file is encrypted with the clinic's passphrase of today."
        )
        dialog.cancel_button.setText("Cancel")
        return given[-1] if dialog.exec() and given else False

    def _say(self, done: str, problem: str) -> None:
        show_text(self.done, done)
        show_text(self.message, problem)


def _on_server() -> bool:
    """Whether the clinic's database is on a clinic server (backed up with pg_dump)."""
    return getattr(database_proxy.obj, "is_server", False)


def _opens(path: Path, passphrase: str | None) -> bool:
    """Whether the encrypted backup reads with this passphrase: a look at its first page,
    not its full check (the restore checks it)."""
    try:
        connection = db.connect_file(path, passphrase or "", mode="ro")
        try:
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except db.ENGINE_ERRORS:
        return False
    return True
