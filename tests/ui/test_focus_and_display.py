"""Where the cursor starts, where Tab goes, and how valid entries and selected rows look."""

from __future__ import annotations

from helpers import (
    add_client,
    click_button,
    demo_client,
    enter_text,
    fill,
    find_input,
    focused_name,
    press,
    typed_name,
    visible_texts,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from ui.dialogs.setup import SetupDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def test_setup_starts_in_clinic_name_and_tabs_through_the_fields_to_the_buttons(qtbot, database):
    dialog = SetupDialog()
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused_name() == "Clinic name")
    seen = [focused_name()]
    for _ in range(21):
        press(qtbot, Qt.Key.Key_Tab)
        seen.append(focused_name() or QApplication.focusWidget().text())
    assert seen[8:10] == ["Organization NPI", "First name"]
    assert seen[14:22] == [
        "NPI",
        "Login name",
        "Full name",
        "Password",
        "Confirm password",
        "Encrypt the clinic's file",  # its passphrase fields only once it is ticked
        "Save and start",
        "Quit",
    ]


def test_edit_opens_at_the_top_with_the_cursor_in_first_name(qtbot, window):
    client = add_client()
    press(qtbot, Qt.Key.Key_N, CTRL)
    page = window.clients_screen.intake_page
    page.scroll.ensureWidgetVisible(find_input(window, "Notes"))  # scrolled down to the notes
    assert page.scroll.verticalScrollBar().value() > 0
    press(qtbot, Qt.Key.Key_Escape)  # nothing typed: leaves without a question
    window.clients_screen.open_client(client.id)
    click_button(qtbot, window, "Edit client")
    assert page.scroll.verticalScrollBar().value() == 0
    assert focused_name() == "First name"


def test_tab_leaves_the_client_list(qtbot, demo_window):
    table = find_input(demo_window, "Clients")
    table.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table


def test_a_selected_row_keeps_its_alert_colour(qtbot, demo_window):
    clotting = demo_client(condition="blood_clots")
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), typed_name(clotting))
    table = find_input(demo_window, "Clients")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    model = table.model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    alerts = headings.index("Alerts")
    index = model.index(0, alerts)
    assert table.selectionModel().isRowSelected(0)
    option = QStyleOptionViewItem()
    table.itemDelegate().initStyleOption(option, index)
    assert option.palette.color(QPalette.ColorRole.HighlightedText) == QColor("#b3261e")


def test_a_valid_entry_is_shown_the_way_it_is_kept_when_left(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert find_input(window, "Date of birth").placeholderText() == "MM/DD/YYYY, required"
    fill(qtbot, window, "Mobile phone", "5035550199")
    fill(qtbot, window, "State", "oregon")
    enter_text(qtbot, window, "Date of birth", "4/7/1980")
    press(qtbot, Qt.Key.Key_Tab)
    assert find_input(window, "Mobile phone").text() == "(503) 555-0199"
    assert find_input(window, "State").text() == "OR"
    assert find_input(window, "Date of birth").text() == "04/07/1980"


def test_a_new_client_has_no_charges_yet_and_no_prescription(qtbot, window):
    client = add_client()
    window.clients_screen.open_client(client.id)
    texts = visible_texts(window)
    assert "No charges yet" in texts
    assert "Paid in full" not in texts
    assert "No prescription: visits are wellness massage, not medical." in texts
