"""Opening the clinic's database at start, and what happens when it is found damaged.

Opening reads the file's header and schema version at once (a file too damaged to open is
found there). The full check (PRAGMA quick_check reads every page) runs in the background
once the window is up, so a large clinic's start does not wait for it; when it finds
damage, the window closes and the newest good backup is offered. Nothing is overwritten:
the damaged file is kept aside.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.paths import APP_NAME
from frontdesk.storage_errors import StorageError

if TYPE_CHECKING:
    from frontdesk.services.recovery import GoodBackup

# The database and its services load inside the functions: the window is shown before them.

log = logging.getLogger(__name__)


def default_settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "window.ini"


def open_settings(settings_path: Path | None = None) -> QSettings:
    """This PC's settings for the program (window geometry, backup folder)."""
    return QSettings(str(settings_path or default_settings_path()), QSettings.Format.IniFormat)


def backup_folder(settings_path: Path | None = None) -> Path:
    """The backup folder chosen on this PC, else the default one."""
    from ui.backup_jobs import BackupFolder

    return BackupFolder(open_settings(settings_path)).path


def open_or_recover(
    db_path: Path,
    parent: QWidget | None = None,
    settings_path: Path | None = None,
    passphrase: str | None = None,
) -> bool:
    """Open the database; when it is too damaged to open, offer the newest good backup.

    True when the database opens (as it was, or restored); False when the person chose
    Quit or the restore failed. The database is left closed either way. Raises
    db.DatabaseUnavailable when the file cannot be opened for another reason.
    """
    from frontdesk import db
    from frontdesk.services import recovery

    try:
        db.open_database(db_path, passphrase=passphrase)
    except db.DatabaseUnavailable as error:
        if passphrase and isinstance(error, db.WrongPassphrase):
            if not backup_opens_with(passphrase, settings_path):
                raise
            problems = [UNREADABLE_START]
        elif recovery.is_damage(error):
            problems = [error.__cause__.problem]
        else:
            raise
        return offer_recovery(Path(db_path), problems, parent, settings_path, passphrase)
    db.close_database()
    return True


UNREADABLE_START = (
    "the file's first page cannot be read with the clinic's passphrase, though its newest "
    "backup opens with it: the file is damaged at its start"
)


def backup_opens_with(passphrase: str, settings_path: Path | None = None) -> bool:
    """Whether the newest good backup in this PC's backup folder is encrypted and opens
    with `passphrase` (then a clinic file it does not open is damaged, not mistyped)."""
    from frontdesk import encryption
    from frontdesk.services import recovery

    newest = recovery.newest_good_backup(backup_folder(settings_path), passphrase=passphrase)
    return newest is not None and encryption.is_encrypted(newest.path)


def offer_recovery(
    db_path: Path,
    problems: Sequence[str],
    parent: QWidget | None = None,
    settings_path: Path | None = None,
    passphrase: str | None = None,
) -> bool:
    """Say what the check found and offer the newest good backup (an encrypted clinic's
    backups open with its passphrase); True once it is in place."""
    from frontdesk.services import recovery
    from ui.dialogs.damaged_database import DamagedDatabaseDialog

    log.error("the database failed its check at start")
    folder = backup_folder(settings_path)
    newest = recovery.newest_good_backup(folder, passphrase=passphrase)
    dialog = DamagedDatabaseDialog(db_path, problems, newest, folder, parent)
    dialog.exec()
    if newest is None or not dialog.restore_chosen():
        return False
    return _restore(db_path, newest, parent, passphrase)


def _restore(
    db_path: Path, newest: GoodBackup, parent: QWidget | None, passphrase: str | None
) -> bool:
    from frontdesk import db
    from frontdesk.services import recovery
    from frontdesk.services.backup import BackupError

    try:
        recovery.restore_over_damaged(db_path, newest, passphrase=passphrase)
    except (BackupError, StorageError, db.DatabaseUnavailable, OSError) as error:
        log.error("the newest good backup could not be put in place")
        QMessageBox.critical(parent, "Front Desk", f"The backup could not be restored.\n\n{error}")
        return False
    finally:
        db.close_database()
    return True


def _not_checked(error: Exception) -> list[str]:
    """An unexpected failure of the check itself is logged, not taken for damage."""
    log.error("the check at start could not run: %s", type(error).__qualname__)
    return []


class StartupCheck(QObject):
    """The full check of the open database, in the background; `damaged` with what it found."""

    damaged = Signal(list)

    def start(self) -> None:
        from frontdesk import db, models
        from ui.background import in_background

        database = models.database_proxy.obj
        in_background(lambda: db.startup_check(database), self._checked, _not_checked)

    def _checked(self, problems: list[str]) -> None:
        if problems:
            self.damaged.emit(problems)
