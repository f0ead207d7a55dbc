"""The main window: navigation rail, Ctrl+F, remembered geometry, the client header strip."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import (
    add_client,
    answering,
    chips,
    click_button,
    demo_client,
    find_input,
    focused_name,
    layout_widgets,
    press,
    row_names,
    type_text,
    typed_name,
    visible_texts,
)
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QListWidget, QMenu

from frontdesk import cli, db

CTRL = Qt.KeyboardModifier.ControlModifier
BLOOD_CLOTS = "Blood clots / deep vein thrombosis (DVT)"


def open_client(qtbot, window, typed: str, name: str) -> None:
    press(qtbot, Qt.Key.Key_F, CTRL)
    type_text(qtbot, typed)
    qtbot.waitUntil(lambda: row_names(window)[:1] == [name])
    press(qtbot, Qt.Key.Key_Return)


def test_navigation_rail_lists_the_clients_screen(window):
    rail = find_input(window, "Navigation")
    assert isinstance(rail, QListWidget)
    titles = [rail.item(row).text() for row in range(rail.count())]
    assert "Clients" in titles
    assert rail.currentItem().text() == "Clients"
    assert "Clients" in visible_texts(window)  # the screen's title
    assert focused_name() == "Find client"  # ready to search on start


def test_demo_list_shows_every_active_client_sorted(demo_window):
    names = row_names(demo_window)
    assert len(names) == 39  # 41 demo clients, 2 of them archived
    assert "39 clients" in visible_texts(demo_window)
    surnames = [name.split(",")[0] for name in names]
    assert surnames == sorted(surnames)


def test_ctrl_f_goes_to_the_find_client_box_from_a_summary(qtbot, window):
    add_client()
    open_client(qtbot, window, "Quil", "Quillfeather, Zelda")
    assert focused_name() != "Find client"
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused_name() == "Find client"
    assert find_input(window, "Find client").selectedText() == "Quil"  # typing replaces it


def test_geometry_is_saved_on_close_and_restored(
    qtbot, open_window, set_up_clinic, db_path, tmp_path
):
    settings_path = tmp_path / "geometry.ini"
    first = open_window(db_path, settings_path)
    # Smaller than the offscreen screen (800 x 600): restoreGeometry keeps windows on screen.
    first.setGeometry(40, 60, 700, 500)
    qtbot.waitUntil(lambda: first.size() == QSize(700, 500))
    assert first.close()
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("main_window/geometry")

    second = open_window(db_path, settings_path)
    assert second.size() == QSize(700, 500)
    assert (second.geometry().x(), second.geometry().y()) == (40, 60)


def test_first_start_uses_the_default_size(window):
    assert window.size() == QSize(1280, 800)


def test_header_shows_the_open_client_with_a_red_contraindication_chip(qtbot, demo_window):
    header = demo_window.header
    assert not header.isVisible()  # no client in focus on the list
    clotting = demo_client(condition="blood_clots")
    open_client(qtbot, demo_window, typed_name(clotting), clotting.display_name)

    assert header.isVisible()
    assert find_input(demo_window, "Client in focus").text() == clotting.display_name
    assert chips(header.layout()) == [(BLOOD_CLOTS, "contraindication")]
    chip = next(w for w in layout_widgets(header.layout()) if w.text() == BLOOD_CLOTS)
    chip.ensurePolished()
    assert chip.palette().color(QPalette.ColorRole.WindowText) == QColor("#b3261e")

    click_button(qtbot, demo_window, "Back to list")
    assert not header.isVisible()


def test_header_changes_with_the_client_and_drops_old_chips(qtbot, demo_window):
    clotting, healthy = demo_client(condition="blood_clots"), demo_client(healthy=True)
    open_client(qtbot, demo_window, typed_name(clotting), clotting.display_name)
    open_client(qtbot, demo_window, typed_name(healthy), healthy.display_name)
    header = demo_window.header
    assert find_input(demo_window, "Client in focus").text() == healthy.display_name
    assert chips(header.layout()) == []


def test_about_box_names_the_database(qtbot, window, db_path):
    help_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Help"
    )
    assert isinstance(help_menu, QMenu)
    about = next(action for action in help_menu.actions() if action.text() == "&About Front Desk")
    with answering(qtbot, "OK", title="About Front Desk") as box:
        about.trigger()
    assert f"Database: {db_path}" in box.text


def test_selftest_command_builds_the_window_over_a_database(qapp, tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "self.db"), "selftest"]) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith(
            "the main window opened with Clients, Prescriptions, Insurers, Visits, Receipts, "
            "Settings"
        )
    )


def test_choosing_the_shown_screen_again_returns_it_to_its_start(qtbot, window):
    add_client()
    open_client(qtbot, window, "Quil", "Quillfeather, Zelda")
    assert window.header.isVisible()
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert focused_name() == "Find client"
    assert find_input(window, "Clients").isVisible()  # the list, not the summary

    open_client(qtbot, window, "Quil", "Quillfeather, Zelda")
    rail = find_input(window, "Navigation")
    clients_entry = rail.visualItemRect(rail.item(0)).center()
    qtbot.mouseClick(rail.viewport(), Qt.MouseButton.LeftButton, pos=clients_entry)
    assert focused_name() == "Find client"
    assert not window.header.isVisible()


START_PATH = """
import sys
from pathlib import Path
from ui.app import build_main_window
window = build_main_window(Path(sys.argv[1]), Path(sys.argv[2]))
window.show()
print(",".join(sorted({name.split(".")[0] for name in sys.modules} | set(sys.modules))))
"""
NOT_AT_START = (
    "email_validator",  # checks an email when a form is first saved
    "stdnum",  # NPI and EIN checks
    "reportlab",  # drawing receipts and statements
    "pypdfium2",  # showing them
    "frontdesk.demo",  # the demo clinic's made-up records
    "ui.screens.visits",  # screens other than Clients: built when first shown
    "ui.screens.settings",
    "ui.screens.intake",  # the Clients screen's forms: built when first opened
)


def modules_loaded_by(script: str, *args: object) -> set[str]:
    """The modules a fresh offscreen process has loaded once `script` printed them."""
    started = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return set(started.stdout.strip().split(","))


def test_start_leaves_forms_printing_and_other_screens_for_later(set_up_clinic, db_path, tmp_path):
    add_client()
    db.close_database()
    loaded = modules_loaded_by(START_PATH, db_path, tmp_path / "window.ini")
    assert "ui.screens.clients" in loaded
    assert loaded.isdisjoint(NOT_AT_START), loaded & set(NOT_AT_START)


def test_screens_built_on_first_show_are_wired_to_the_window(qtbot, window):
    window.go_to("Settings")
    assert find_input(window, "Settings sections").isVisible()
    assert window.settings_screen.backups.runner is window.backup_runner
    window.go_to("Visits")
    assert window.visits_screen.isVisible()
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert focused_name() == "Find client"


SHOWN_FIRST = """
import sys
from pathlib import Path
import frontdesk.cli
from ui.app import create_application
from ui.main_window import MainWindow
from ui.startup import open_settings
create_application()
MainWindow(Path(sys.argv[1]), open_settings(Path(sys.argv[2]))).show()
print(",".join(sorted(sys.modules)))
"""
LOADED_AFTER_SHOWING = (
    "peewee",  # the database: opened once the window is on screen
    "frontdesk.db",
    "frontdesk.services.clients",
    "frontdesk.services.backup",
    "phonenumbers",  # with the first phone number shown
)


def test_the_window_is_shown_before_the_database_and_its_services_load(db_path, tmp_path):
    loaded = modules_loaded_by(SHOWN_FIRST, db_path, tmp_path / "window.ini")
    assert loaded.isdisjoint(LOADED_AFTER_SHOWING), loaded & set(LOADED_AFTER_SHOWING)


def test_what_is_typed_before_the_list_is_filled_is_searched_once_it_is(
    qtbot, set_up_clinic, db_path, tmp_path
):
    from ui.main_window import MainWindow
    from ui.startup import open_settings

    add_client()
    add_client(first_name="Ann", last_name="Baker")
    db.close_database()
    window = MainWindow(db_path, open_settings(tmp_path / "window.ini"))  # no database yet
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused_name() == "Find client")
    type_text(qtbot, "Quil")
    press(qtbot, Qt.Key.Key_Return)  # before the list is there: opens the match once it is
    assert row_names(window) == []
    db.open_database(db_path)
    window.finish()
    assert find_input(window, "Client in focus").text() == "Quillfeather, Zelda"
    press(qtbot, Qt.Key.Key_F, CTRL)  # back to the list: the search typed early is kept
    assert find_input(window, "Find client").text() == "Quil"
    assert row_names(window) == ["Quillfeather, Zelda"]
