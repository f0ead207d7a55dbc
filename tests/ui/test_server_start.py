"""Starting the program over a clinic server's address: the first-run set-up on an empty
database, and a server that cannot be reached said in words."""

from __future__ import annotations

from helpers import answering
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from frontdesk import db
from frontdesk.models import ClinicProfile
from ui import app as app_module
from ui.app import run
from ui.dialogs.setup import SetupDialog


def test_the_program_starts_on_an_empty_server_database_with_the_set_up(
    qtbot, postgres, monkeypatch
):
    monkeypatch.setattr(app_module, "install_last_resort_handler", lambda: None)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)  # an error at start ends the test, not hangs it
    guard.start(20_000)
    name = postgres.new_database()
    try:
        with answering(qtbot, "Quit") as box:
            assert run(postgres.url(name)) == 0
        assert box.title == "Set up your clinic"
        db.open_database(postgres.url(name))
        assert not ClinicProfile.select().exists()  # tables made, nothing set up
    finally:
        guard.stop()
        db.close_database()
        postgres.drop(name)


def test_the_set_up_on_a_server_offers_no_demo_file_and_no_file_encryption(qtbot, postgres):
    name = postgres.new_database()
    try:
        db.open_database(postgres.url(name))
        dialog = SetupDialog()
        qtbot.addWidget(dialog)
        assert dialog.demo_button.isHidden() and dialog.encrypt_box.isHidden()
        assert "clinic server" in " ".join(label.text() for label in dialog.findChildren(QLabel))
    finally:
        db.close_database()
        postgres.drop(name)


def test_a_server_that_cannot_be_reached_is_said_in_words(qtbot):
    with answering(qtbot, "OK") as box:
        assert run("postgresql://frontdesk@127.0.0.1:1/clinic") == 1
    assert "The clinic server 127.0.0.1 could not be reached" in box.text
    assert "Check that it is on" in box.text
