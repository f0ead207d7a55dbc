"""Backups in the window: the Settings ▸ Backups page (the last backup and its age, the
backup folder, the backups kept, back up now, restore), the warning strip over the work
area, and the backups made in the background (at the first start of a day, on request)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.services import backup
from frontdesk.services.backup import BackupInfo, BackupResult
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.tables import Column, RecordTableModel, record_table
from ui.widgets import button, button_bar, chain_tab_order, confirm, error_label, show_text

log = logging.getLogger(__name__)

TOO_OLD = timedelta(days=2)
COLUMNS = (
    Column("Taken", lambda info: formatting.us_date_time(info.taken_at)),
    Column("Size", lambda info: f"{info.size / 1_000_000:.1f} MB"),
    Column("File", lambda info: info.path.name),
)
ACTIONS = (("Back up now", "save"), ("Restore", ""))
FOLDER_KEY = "backups/folder"
START_DELAY_MS = 3_000  # the day's backup waits until the window is up
CHECK_EVERY_MS = 60 * 60 * 1000  # a window left open overnight backs up the next day too
SAME_DISK = (
    "This folder is on the same disk as the database: if that disk fails, both are lost. "
    "Choose a USB stick or another disk."
)
UNEXPECTED = "something unexpected went wrong"


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


class BackupFolder:
    """The backup folder chosen on this PC (a USB stick belongs to one PC), in its settings.

    Without settings the choice lasts as long as the object; the default is
    backup.default_backup_folder().
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings
        self._chosen = ""

    @property
    def path(self) -> Path:
        chosen = self._chosen
        if self._settings is not None:
            chosen = self._settings.value(FOLDER_KEY, "", type=str)
        return Path(chosen) if chosen else backup.default_backup_folder()

    def change(self, folder: Path) -> None:
        """Use `folder` from now on; FolderNotWritable (nothing changed) if it cannot be written."""
        backup.check_writable(folder)
        if self._settings is None:
            self._chosen = str(folder)
            return
        self._settings.setValue(FOLDER_KEY, str(folder))
        self._settings.sync()


# --- backups in the background ---------------------------------------------------------------


class Task(StrEnum):
    CHECK = "check"  # find the last good backup only
    DAILY = "daily"  # back up when the folder holds no good backup of today
    NOW = "now"  # back up


@dataclass(frozen=True)
class BackupOutcome:
    """What a background backup did: `made` one (None when none was needed), or `problem`."""

    made: BackupResult | None = None
    last_good: BackupInfo | None = None
    problem: str = ""


def back_up(folder: Path, task: Task) -> BackupOutcome:
    """Do the task: a backup (rotated afterwards) is checked; the last good backup is found."""
    if task is Task.CHECK:
        return BackupOutcome(last_good=_last_good(folder))
    try:
        made = (
            backup.daily_backup(folder) if task is Task.DAILY else backup.automatic_backup(folder)
        )
    except (backup.BackupError, StorageError) as error:
        action = "The automatic backup failed" if task is Task.DAILY else "Not backed up"
        return BackupOutcome(last_good=_last_good(folder), problem=_refusal(action, error))
    if made is None:
        return BackupOutcome(last_good=_last_good(folder))
    return BackupOutcome(made, info_of(made))


def info_of(made: BackupResult) -> BackupInfo:
    return BackupInfo(made.path, made.taken_at, made.path.stat().st_size)


def _last_good(folder: Path) -> BackupInfo | None:
    try:
        return backup.last_good_backup(folder)
    except OSError:
        return None  # the folder cannot be read: as good as none


class JobSignals(QObject):
    finished = Signal(object)  # a BackupOutcome


class BackupJob(QRunnable):
    """One backup on the thread pool; reports its BackupOutcome through signals.finished."""

    def __init__(self, folder: Path, task: Task) -> None:
        super().__init__()
        # Owned by the application: it delivers the outcome after the thread is done.
        self.signals = JobSignals(QCoreApplication.instance())
        self.done = threading.Event()
        self._folder, self._task = folder, task

    def run(self) -> None:
        try:
            outcome = back_up(self._folder, self._task)
        except Exception as error:
            log.error("a background backup failed with %s", type(error).__qualname__)
            outcome = BackupOutcome(problem=f"Not backed up: {UNEXPECTED}.")
        try:
            self.signals.finished.emit(outcome)
            self.signals.deleteLater()  # in the application's thread, after the outcome
        finally:
            self.done.set()


class BackupRunner(QObject):
    """Backups into the chosen folder in the background, one at a time (a task asked for
    meanwhile waits its turn)."""

    started = Signal()
    finished = Signal(object)  # a BackupOutcome

    def __init__(self, folder: BackupFolder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.automatic = False
        self._done: threading.Event | None = None  # set when the job running is over
        self._next: Task | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check_the_day)

    @property
    def running(self) -> bool:
        return self._done is not None

    def start_automatic(self, delay_ms: int = START_DELAY_MS) -> None:
        """Find the last good backup now; after `delay_ms` make the day's backup when the
        folder has none of today yet, and look again every hour."""
        self.automatic = True
        self.run(Task.CHECK)
        self._timer.start(delay_ms)

    def _check_the_day(self) -> None:
        self._timer.setInterval(CHECK_EVERY_MS)
        self.run(Task.DAILY)

    def run(self, task: Task) -> None:
        """Do the task in the background, after the one running (if any)."""
        if self._done is not None:
            if task is not Task.CHECK:
                self._next = task
            return
        job = BackupJob(self.folder.path, task)
        job.signals.finished.connect(self._finished)
        self._done = job.done
        QThreadPool.globalInstance().start(job)
        if task is not Task.CHECK:
            self.started.emit()

    def _finished(self, outcome: BackupOutcome) -> None:
        self._done = None
        self.finished.emit(outcome)
        if self._next is not None:
            task, self._next = self._next, None
            self.run(task)

    def wait(self) -> None:
        """Until the backup running in the background, if any, is done (no time limit)."""
        if self._done is not None:
            self._done.wait()

    def back_up_at_close(self) -> None:
        """After the one running, the backup as the program closes (skipped when one was made
        in the last minute or no database is open). Failures are logged, never raised."""
        self.wait()
        try:
            made = backup.backup_at_close(self.folder.path)
        except (backup.BackupError, StorageError) as error:
            log.warning("the backup at close failed: %s", error)
        except Exception:
            log.exception("the backup at close failed")
        else:
            log.info("backup at close: %s", "made" if made else "skipped, a recent one is there")


def age_warning(last_good: BackupInfo | None, now: datetime | None = None) -> str:
    """What to say when the last good backup is missing or too old; "" when it is recent."""
    now = now or datetime.now()
    if last_good is None:
        return "No backup has been made yet."
    if now - last_good.taken_at > TOO_OLD:
        return f"The last backup was made {age_text(last_good.taken_at, now)}."
    return ""


class BackupWarning(QFrame):
    """A strip over the work area: the last backup is old or missing (amber) or a backup
    failed (red, with the reason); its Back up now runs one in the background."""

    def __init__(self, runner: BackupRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupWarning")
        self.text = QLabel(self)
        self.text.setAccessibleName("Backup warning")
        self.text.setWordWrap(True)
        self.button = button("Back up now", "save", parent=self)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(lambda: runner.run(Task.NOW))
        runner.started.connect(lambda: self.button.setEnabled(False))
        runner.finished.connect(self.show_outcome)
        self.hide()

    def show_outcome(self, outcome: BackupOutcome) -> None:
        self.button.setEnabled(True)
        if outcome.problem:
            self._show("problem", f"{outcome.problem} {age_warning(outcome.last_good)}".strip())
        else:
            self.show_age(outcome.last_good)

    def show_age(self, last_good: BackupInfo | None) -> None:
        """Amber when the last good backup is missing or too old; hidden otherwise."""
        warning = age_warning(last_good)
        if warning:
            self._show("warning", warning)
        else:
            self.hide()

    def _show(self, role: str, text: str) -> None:
        self.text.setText(text)
        self.setProperty("role", role)
        for widget in (self, self.text):
            widget.style().polish(widget)
        self.show()


class BackupsSection(QWidget):
    """The backups in the backup folder, newest first; each is checked when it is made."""

    backed_up = Signal(object)  # the BackupInfo of a good backup just made here
    folder_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backup_folder = BackupFolder()
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
        return self.backup_folder.path

    def use_folder(self, folder: BackupFolder) -> None:
        """Keep the backups in the folder chosen in `folder` (the window's setting)."""
        self.backup_folder = folder
        self.refresh_if_shown()

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
            self.backup_folder.change(folder)
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
        self.where.setText(f"Backups are kept in {folder_text(self.folder)}")
        database = backup.open_database_path()
        self.same_disk.setVisible(database is not None and backup.same_disk(self.folder, database))
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
            self.backed_up.emit(info_of(made))
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
            self.backed_up.emit(info_of(restored.safety_backup))
        self.refresh()

    def _say(self, done: str, problem: str) -> None:
        show_text(self.done, done)
        show_text(self.message, problem)


def _refusal(action: str, error: Exception) -> str:
    if isinstance(error, StorageError):
        return refusal(action, error)
    return f"{action}: {error}"
