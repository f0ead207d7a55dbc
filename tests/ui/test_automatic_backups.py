"""Backups the program makes by itself (first start of the day, at close), the warning strip
over the work area, and the backup folder chosen on the Backups page."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import add_client, find_button, find_input
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from frontdesk import db
from frontdesk.services import backup
from ui import app as app_module
from ui.backup_jobs import BackupOutcome, Task
from ui.screens import backups_settings


def outcomes_of(window) -> list[BackupOutcome]:
    """Every outcome the window's background backups report from now on."""
    seen: list[BackupOutcome] = []
    window.backup_runner.finished.connect(seen.append)
    return seen


def start_and_wait(qtbot, window) -> BackupOutcome:
    """Start the automatic backups at once; the outcome of the day's backup."""
    seen = outcomes_of(window)
    window.start_automatic_backups(delay_ms=0)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)  # the look, then the day's backup
    return seen[-1]


def run_and_wait(qtbot, window, task: Task) -> BackupOutcome:
    with qtbot.waitSignal(window.backup_runner.finished, timeout=10_000) as finished:
        window.backup_runner.run(task)
    return finished.args[0]


def status(window) -> str:
    return window.statusBar().currentMessage()


def strip_text(window) -> str:
    return find_input(window, "Backup warning").text()


def test_the_first_start_of_a_day_backs_up_once(qtbot, window, open_window, db_path):
    add_client()
    made = start_and_wait(qtbot, window).made
    assert made.path.parent == backup.default_backup_folder()
    assert status(window) == "Backed up (1 client, 0 visits, 0 payments)."
    assert not window.backup_warning.isVisible()

    again = open_window(db_path)  # started again the same day
    assert start_and_wait(qtbot, again).made is None
    assert [info.path for info in backup.list_backups()] == [made.path]
    assert not again.backup_warning.isVisible()
    assert status(again) == ""


def test_closing_makes_a_backup_once(qtbot, window):
    add_client()
    window.close()
    window.back_up_at_close()
    [made] = backup.list_backups()
    assert backup.check_backup_file(made.path)["client"] == 1
    window.back_up_at_close()  # within a minute of the last one: skipped
    assert len(backup.list_backups()) == 1


def test_closing_waits_for_the_backup_already_running(qtbot, window):
    window.backup_runner.run(Task.NOW)
    window.close()
    window.back_up_at_close()  # waits for it, then finds it recent enough
    [made] = backup.list_backups()
    assert not list(made.path.parent.glob("*.partial"))
    qtbot.waitUntil(lambda: not window.backup_runner.running)


def test_the_program_backs_up_when_it_closes(qtbot, set_up_clinic, db_path, tmp_path, monkeypatch):
    built = []

    def build(path, settings_path=None):
        window = real_build(path, settings_path=tmp_path / "window.ini")
        built.append(window)
        QTimer.singleShot(300, window.close)
        return window

    real_build = app_module.build_main_window
    monkeypatch.setattr(app_module, "build_main_window", build)
    monkeypatch.setattr(app_module, "platform_problem", lambda: "")
    monkeypatch.setattr(app_module, "install_last_resort_handler", lambda: None)
    add_client()
    db.close_database()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)  # never hang the test run
    guard.start(20_000)
    try:
        assert app_module.run(db_path) == 0
    finally:
        guard.stop()
        for window in built:
            window.deleteLater()
    [made] = backup.list_backups()  # the day's backup had no time to start: the close made it
    assert backup.check_backup_file(made.path)["client"] == 1
    assert backup.open_database_path() is None


def test_the_strip_warns_of_a_missing_or_old_backup_until_one_is_made(qtbot, window):
    run_and_wait(qtbot, window, Task.CHECK)
    assert strip_text(window) == "No backup has been made yet."
    assert window.backup_warning.property("role") == "warning"

    backup.make_backup(window.backup_folder.path, now=datetime.now() - timedelta(days=5))
    run_and_wait(qtbot, window, Task.CHECK)
    assert strip_text(window) == "The last backup was made 5 days ago."

    with qtbot.waitSignal(window.backup_runner.finished, timeout=10_000):
        qtbot.mouseClick(find_button(window, "Back up now"), Qt.MouseButton.LeftButton)
    assert not window.backup_warning.isVisible()
    assert status(window).startswith("Backed up (0 clients")
    assert len(backup.list_backups(window.backup_folder.path)) == 2


def test_a_failed_automatic_backup_is_shown_in_red(qtbot, window):
    stick = Path.home() / "usb"
    stick.mkdir()
    assert window.settings_screen.backups.change_folder(stick)
    qtbot.waitUntil(lambda: not window.backup_runner.running)
    shutil.rmtree(stick)
    stick.write_text("the stick was pulled out and something else took its name")

    outcome = start_and_wait(qtbot, window)
    assert outcome.made is None
    assert strip_text(window).startswith("The automatic backup failed: ")
    assert strip_text(window).endswith("No backup has been made yet.")
    assert window.backup_warning.property("role") == "problem"
    assert status(window).startswith("The automatic backup failed: ")
    assert find_button(window, "Back up now").isEnabled()


@pytest.fixture
def section(qtbot, window):
    """Settings ▸ Backups, shown."""
    window.go_to("Settings")
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.backups)
    return screen.backups


def choose_in_dialog(monkeypatch, folder: Path) -> None:
    monkeypatch.setattr(
        backups_settings.QFileDialog,
        "getExistingDirectory",
        staticmethod(lambda *args, **kwargs: str(folder)),
    )


def test_a_folder_on_the_same_disk_is_used_with_a_warning(qtbot, window, section, monkeypatch):
    assert find_input(section, "Same disk").isVisible()  # the default sits beside the database
    stick = Path.home() / "usb"
    stick.mkdir()
    choose_in_dialog(monkeypatch, stick)
    with qtbot.waitSignal(window.backup_runner.finished, timeout=10_000):
        qtbot.mouseClick(find_button(section, "Change folder…"), Qt.MouseButton.LeftButton)
    assert find_input(section, "Backup folder").text() == "Backups are kept in ~/usb"
    assert find_input(section, "Same disk").text() == backups_settings.SAME_DISK
    assert window.settings.value("backups/folder") == str(stick)
    with qtbot.waitSignal(window.backup_runner.finished, timeout=10_000):
        qtbot.mouseClick(find_button(section, "Back up now"), Qt.MouseButton.LeftButton)
    assert [info.path.parent for info in backup.list_backups(stick)] == [stick]
    assert not window.backup_warning.isVisible()


def test_a_folder_on_another_disk_has_no_warning(qtbot, window, section, monkeypatch):
    stick = Path.home() / "usb"
    stick.mkdir()
    real_device = backup._device
    monkeypatch.setattr(backup, "_device", lambda p: -1 if p == stick else real_device(p))
    with qtbot.waitSignal(window.backup_runner.finished, timeout=10_000):
        assert section.change_folder(stick)
    assert not section.same_disk.isVisible()


def test_a_folder_that_cannot_be_written_is_refused(qtbot, window, section):
    blocker = Path.home() / "a file"
    blocker.write_text("x")
    assert not section.change_folder(blocker / "backups")
    message = find_input(section, "Folder message").text()
    assert message.startswith("Not changed: ~/a file/backups cannot be written (")
    assert window.settings.value("backups/folder") is None
    assert section.folder == backup.default_backup_folder()
    assert not window.backup_runner.running
