"""Settings ▸ Backups, by keyboard: back up now, see it listed, restore it."""

from __future__ import annotations

import pytest
from helpers import add_client, answering, find_button, find_input, press, table_rows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.models import Client

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def section(qtbot, window):
    """Settings (Ctrl+6), its Backups tab."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_6, CTRL)
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.backups)
    return screen.backups


def press_button(qtbot, parent, text: str) -> None:
    find_button(parent, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


def back_up_now(qtbot, section) -> None:
    """Back up now, then wait for the backup made in the background."""
    with qtbot.waitSignal(section.runner.finished, timeout=10_000):
        press_button(qtbot, section, "Back up now")
        assert find_input(section, "Done").text() == "Backing up…"


def test_back_up_now_makes_a_checked_backup_and_lists_it(qtbot, section):
    assert find_input(section, "Last backup").text().startswith("No backup yet")
    add_client()
    back_up_now(qtbot, section)
    assert find_input(section, "Done").text().startswith("Backed up and checked: 1 client")
    [row] = table_rows(section, "Backups")
    assert row["File"].startswith("frontdesk-")
    assert "(today)" in find_input(section, "Last backup").text()


def test_a_backup_is_restored_after_asking(qtbot, section):
    kept = add_client()
    back_up_now(qtbot, section)
    add_client(first_name="Yusuf", last_name="Brightwater")  # saved after the backup
    section.refresh()
    section.table.selectRow(0)
    with answering(qtbot, "Yes", title="Restore backup"):
        press_button(qtbot, section, "Restore")
    assert find_input(section, "Done").text().startswith("Restored the backup of")
    assert [c.id for c in Client.select()] == [kept.id]
    assert len(table_rows(section, "Backups")) == 2  # the safety backup taken first


def test_the_demo_clinic_is_never_backed_up_or_restored(qtbot, demo_window):
    from frontdesk.services import backup
    from ui.main_window import DEMO_TITLE

    assert demo_window.windowTitle() == DEMO_TITLE
    screen = demo_window.settings_screen
    demo_window.go_to("Settings")
    screen.sections.setCurrentWidget(screen.backups)
    section = screen.backups
    assert "not backed up" in find_input(section, "Last backup").text()
    assert not find_button(section, "Back up now").isEnabled()
    assert not find_button(section, "Restore").isEnabled()
    demo_window.start_automatic_backups(delay_ms=0)
    demo_window.back_up_at_close()
    assert backup.list_backups() == []


def test_after_a_restore_the_client_list_shows_the_restored_clients(qtbot, section, window):
    kept = add_client()
    back_up_now(qtbot, section)
    add_client(first_name="Yusuf", last_name="Brightwater")  # saved after the backup
    listed = window.clients_screen.list_page
    listed.refresh()
    assert len(listed.model.rows) == 2
    section.refresh()
    section.table.selectRow(0)
    with answering(qtbot, "Yes", title="Restore backup"):
        press_button(qtbot, section, "Restore")
    assert [row.id for row in listed.model.rows] == [kept.id]  # shown on going back to it
