"""Encryption on screen: the passphrase asked at start, encrypting the clinic's file from
Settings ▸ Users (and at the first run), and changing the passphrase."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import (
    add_client,
    click_button,
    enter_text,
    find_input,
    row_names,
    visible_texts,
    working_in,
)

from frontdesk import db, encryption
from ui import app as app_module
from ui.passphrase import AskPassphrase, ChoosePassphrase

PASSPHRASE = "blue heron at the harbor"
NEW_PASSPHRASE = "seven gulls over the pier"


def texts(widget) -> str:
    return " ".join(visible_texts(widget))


def users_tab(window):
    window.go_to("Settings")
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.users)
    return screen.users.encryption


def plain_sqlite_reads(path) -> bool:
    try:
        with sqlite3.connect(path) as plain:
            plain.execute("SELECT count(*) FROM client").fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        plain.close()
    return True


def test_the_owner_encrypts_the_file_and_the_window_goes_on(qtbot, window, db_path):
    add_client(first_name="Zelda", last_name="Quillfeather")
    box = users_tab(window)
    assert "not encrypted" in box.state.text()

    def encrypt(dialog) -> None:
        enter_text(qtbot, dialog, "New passphrase", "too short")
        enter_text(qtbot, dialog, "Confirm new passphrase", "too short")
        click_button(qtbot, dialog, "Encrypt")
        assert "at least 12 characters" in texts(dialog)
        enter_text(qtbot, dialog, "New passphrase", PASSPHRASE)
        enter_text(qtbot, dialog, "Confirm new passphrase", PASSPHRASE + "!")
        click_button(qtbot, dialog, "Encrypt")
        assert "The two passphrases differ" in texts(dialog)
        assert not encryption.is_encrypted(db_path)  # nothing done yet
        enter_text(qtbot, dialog, "Confirm new passphrase", PASSPHRASE)
        click_button(qtbot, dialog, "Encrypt")

    with working_in(qtbot, ChoosePassphrase, encrypt):
        click_button(qtbot, box, "Encrypt the file…")
    assert encryption.is_encrypted(db_path) and not plain_sqlite_reads(db_path)
    assert "The clinic's file is encrypted" in box.state.text()
    assert "copies of the file as it was are not encrypted" in box.done_note.text()
    window.find_client()
    assert row_names(window) == ["Quillfeather, Zelda"]  # still working, on the encrypted file


def test_the_passphrase_changes_only_with_the_current_one(qtbot, window, db_path):
    encryption.encrypt_database(db_path, PASSPHRASE)
    box = users_tab(window)

    def change(dialog) -> None:
        enter_text(qtbot, dialog, "Current passphrase", "not the passphrase")
        enter_text(qtbot, dialog, "New passphrase", NEW_PASSPHRASE)
        enter_text(qtbot, dialog, "Confirm new passphrase", NEW_PASSPHRASE)
        click_button(qtbot, dialog, "Change passphrase")
        assert dialog.isVisible() and dialog.errors["Current passphrase"].isVisible()
        enter_text(qtbot, dialog, "Current passphrase", PASSPHRASE)
        click_button(qtbot, dialog, "Change passphrase")

    with working_in(qtbot, ChoosePassphrase, change):
        click_button(qtbot, box, "Change passphrase…")
    db.close_database()
    with pytest.raises(db.WrongPassphrase):
        db.open_database(db_path, passphrase=PASSPHRASE)
    db.open_database(db_path, passphrase=NEW_PASSPHRASE)


def test_the_start_asks_for_the_passphrase_until_it_opens_the_file(
    qtbot, open_window, set_up_clinic, db_path
):
    encryption.encrypt_database(db_path, PASSPHRASE)
    before = db_path.read_bytes()
    db.close_database()
    shell = open_window(db_path)
    db.close_database()

    def unlock(dialog) -> None:
        enter_text(qtbot, dialog, "Passphrase", "a wrong passphrase")
        click_button(qtbot, dialog, "Open")
        assert "does not open clinic.db" in texts(dialog)
        assert find_input(dialog, "Passphrase").text() == ""
        assert db_path.read_bytes() == before  # nothing written by the wrong try
        enter_text(qtbot, dialog, "Passphrase", PASSPHRASE)
        click_button(qtbot, dialog, "Open")

    with working_in(qtbot, AskPassphrase, unlock):
        assert app_module._file_passphrase(db_path, shell) == (True, PASSPHRASE)


def test_quitting_at_the_passphrase_opens_nothing(qtbot, open_window, set_up_clinic, db_path):
    encryption.encrypt_database(db_path, PASSPHRASE)
    db.close_database()
    shell = open_window(db_path)
    db.close_database()
    with working_in(qtbot, AskPassphrase, lambda dialog: click_button(qtbot, dialog, "Quit")):
        assert app_module._file_passphrase(db_path, shell) == (False, None)


def test_a_backup_from_before_a_passphrase_change_restores_with_its_own(qtbot, window, db_path):
    from frontdesk.services import backup

    add_client(first_name="Zelda", last_name="Quillfeather")
    encryption.encrypt_database(db_path, PASSPHRASE)
    folder = window.backup_folder.path
    made = backup.make_backup(folder)
    encryption.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    add_client(first_name="Ann", last_name="Baker")
    window.go_to("Settings")
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.backups)
    page = screen.backups
    page.refresh()
    page.table.selectRow(
        next(row for row, info in enumerate(page.model.rows) if info.path == made.path)
    )

    def old_passphrase(dialog) -> None:
        enter_text(qtbot, dialog, "Passphrase", NEW_PASSPHRASE)
        click_button(qtbot, dialog, "Open")
        assert "does not open" in texts(dialog)
        enter_text(qtbot, dialog, "Passphrase", PASSPHRASE)
        click_button(qtbot, dialog, "Open")

    from helpers import answering

    with (
        answering(qtbot, "Yes", title="Restore backup"),
        working_in(qtbot, AskPassphrase, old_passphrase),
    ):
        page.restore_selected()
    assert "Restored the backup" in texts(page)
    window.find_client()
    assert row_names(window) == ["Quillfeather, Zelda"]  # as it was when backed up
    db.close_database()
    db.open_database(db_path, passphrase=NEW_PASSPHRASE)  # still today's passphrase


def test_an_encrypted_file_damaged_at_its_start_is_offered_its_backup(
    qtbot, set_up_clinic, db_path, tmp_path
):
    from helpers import answering
    from PySide6.QtCore import QSettings

    from frontdesk.services import backup
    from tests.core.test_recovery import _flip
    from ui.dialogs.damaged_database import TITLE
    from ui.startup import open_or_recover

    settings_path = tmp_path / "window.ini"
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("backups/folder", str(tmp_path / "usb"))
    settings.sync()
    encryption.encrypt_database(db_path, PASSPHRASE, folder=tmp_path / "usb")
    backup.make_backup(tmp_path / "usb")  # encrypted, as every backup from now on
    db.close_database()
    _flip(db_path, 300, 16)  # the first page no longer opens with any passphrase
    with pytest.raises(db.WrongPassphrase):  # a mistyped one is still only that
        open_or_recover(db_path, settings_path=settings_path, passphrase="a wrong passphrase")
    with answering(qtbot, "Quit", title=TITLE) as answer:
        assert not open_or_recover(db_path, settings_path=settings_path, passphrase=PASSPHRASE)
    assert "damaged at its start" in answer.text
