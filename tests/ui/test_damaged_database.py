"""At start a damaged database is found: restore the newest good backup, or quit."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from helpers import answering, visible_buttons
from PySide6.QtCore import QSettings

from frontdesk import db
from frontdesk.models import AuditEvent, Client
from frontdesk.services import backup, recovery
from tests.core.test_recovery import (
    backed_up_then_damaged,
    damage_the_header,
    folder_state,
)
from ui.app import build_main_window
from ui.dialogs.damaged_database import TITLE, DamagedDatabaseDialog
from ui.startup import StartupCheck, backup_folder, offer_recovery, open_or_recover

TAKEN = datetime(2026, 11, 27, 9, 30, 0)
PROBLEMS = ["quick check: Page 32: btreeInitPage() returns error code 11"]


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    """This PC's settings, with the backup folder chosen on it."""
    path = tmp_path / "window.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("backups/folder", str(tmp_path / "usb"))
    settings.sync()
    return path


def shown(qtbot, dialog: DamagedDatabaseDialog) -> DamagedDatabaseDialog:
    qtbot.addWidget(dialog, before_close_func=lambda box: box.done(0))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_dialog_offers_the_newest_good_backup_or_quit(qtbot, tmp_path):
    newest = recovery.GoodBackup(
        tmp_path / "frontdesk-2026-11-27-093000.db",
        TAKEN,
        {"client": 41, "visit": 226, "payment": 224},
    )
    dialog = shown(qtbot, DamagedDatabaseDialog(tmp_path / "clinic.db", PROBLEMS, newest, tmp_path))
    assert dialog.windowTitle() == TITLE == "The clinic's database is damaged"
    assert visible_buttons(dialog) == ["Restore the backup of 11/27/2026 9:30 AM", "Quit"]
    assert "Front Desk checked clinic.db while starting and found:" in dialog.text()
    assert PROBLEMS[0] in dialog.text()
    advice = dialog.informativeText()
    assert "taken on 11/27/2026 9:30 AM" in advice
    assert "41 clients, 226 visits, 224 payments" in advice
    assert "clinic.db.damaged-" in advice


def test_without_a_good_backup_only_quit_and_where_backups_were_looked_for(qtbot):
    folder = Path.home() / "backups"
    dialog = shown(qtbot, DamagedDatabaseDialog(Path("clinic.db"), PROBLEMS, None, folder))
    assert visible_buttons(dialog) == ["Quit"]
    advice = dialog.informativeText()
    assert f"No good backup was found in {Path('~') / 'backups'}." in advice
    assert "call" in advice and "for help" in advice
    assert str(Path.home()) not in advice


def test_the_backup_folder_is_this_pcs_choice_or_the_default(settings_path, tmp_path):
    assert backup_folder(settings_path) == tmp_path / "usb"
    assert backup_folder(tmp_path / "other.ini") == backup.default_backup_folder()


def test_a_good_database_opens_with_no_question(qtbot, demo_template, db_path, settings_path):
    shutil.copyfile(demo_template, db_path)
    assert open_or_recover(db_path, settings_path=settings_path)


def damage_found_in_the_background(qtbot, db_path: Path, settings_path: Path) -> list[str]:
    """Open the window as at start and wait for the check in the background to find damage."""
    assert open_or_recover(db_path, settings_path=settings_path)  # the file opens
    window = build_main_window(db_path, settings_path=settings_path)
    qtbot.addWidget(window)
    check = StartupCheck(window)
    with qtbot.waitSignal(check.damaged, timeout=10_000) as found:
        check.start()
    db.close_database()
    return found.args[0]


def test_damage_found_after_start_is_restored_from_the_newest_good_backup(
    qtbot, demo_template, db_path, settings_path, tmp_path
):
    made = backed_up_then_damaged(demo_template, db_path, tmp_path / "usb")
    problems = damage_found_in_the_background(qtbot, db_path, settings_path)
    assert problems and all(line.startswith("quick check:") for line in problems)
    with answering(qtbot, "Restore the backup of 11/27/2026 9:30 AM", title=TITLE):
        assert offer_recovery(db_path, problems, settings_path=settings_path)

    assert len(list(tmp_path.glob("clinic.db.damaged-*"))) == 1
    window = build_main_window(db_path, settings_path=settings_path)
    qtbot.addWidget(window)
    assert Client.select().count() == backup.check_backup_file(made)["client"]
    assert AuditEvent.select().where(AuditEvent.action == "restore").count() == 1
    assert db.startup_check(db.models.database_proxy.obj) == []
    db.close_database()


def test_a_good_database_finds_no_damage(qtbot, demo_template, db_path, settings_path):
    shutil.copyfile(demo_template, db_path)
    window = build_main_window(db_path, settings_path=settings_path)
    qtbot.addWidget(window)
    check = StartupCheck(window)
    with qtbot.waitSignal(check.damaged, timeout=3_000, raising=False) as found:
        check.start()
    assert not found.signal_triggered
    db.close_database()


def test_quit_changes_nothing_on_disk(qtbot, demo_template, db_path, settings_path, tmp_path):
    backed_up_then_damaged(demo_template, db_path, tmp_path / "usb")
    problems = damage_found_in_the_background(qtbot, db_path, settings_path)
    before = folder_state(tmp_path), folder_state(tmp_path / "usb")
    with answering(qtbot, "Quit", title=TITLE):
        assert not offer_recovery(db_path, problems, settings_path=settings_path)
    assert (folder_state(tmp_path), folder_state(tmp_path / "usb")) == before


def test_a_file_too_damaged_to_open_gets_the_same_dialog(qtbot, db_path, settings_path, tmp_path):
    db.open_database(db_path)
    db.close_database()
    damage_the_header(db_path)
    before = folder_state(tmp_path)
    with answering(qtbot, "Quit", title=TITLE) as answer:
        assert not open_or_recover(db_path, settings_path=settings_path)
    assert "clinic.db is not a Front Desk database, or it is damaged" in answer.text
    assert folder_state(tmp_path) == before
