"""Registering a new client at the front desk, with the keyboard alone."""

from __future__ import annotations

from datetime import date

from helpers import (
    chips,
    find_input,
    focused_name,
    form_rows,
    group_box,
    press,
    row_names,
    type_text,
    visible_texts,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk import catalog
from frontdesk.formatting import age
from frontdesk.models import AuditEvent, Client

CTRL = Qt.KeyboardModifier.ControlModifier

# (label the focus should be on, what to type there) in tab order
KEYSTROKES = [
    ("First name", "Maria"),
    ("Middle name", ""),
    ("Last name", "Ortega"),
    ("Preferred name", "Mari"),
    ("Date of birth", "4/7/1980"),
    ("Sex", "F"),
    ("Address", "12 Oak St"),
    ("Address line 2", ""),
    ("City", "Salem"),
    ("State", "or"),
    ("ZIP", "97301"),
    ("Mobile phone", "503.555.0142"),
    ("Home phone", ""),
    ("Email", "Maria.Ortega@Example.COM"),
]


def test_new_client_is_registered_with_the_keyboard_alone(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert "New client" in visible_texts(window)
    for label, text in KEYSTROKES:
        assert focused_name() == label
        type_text(qtbot, text)
        if label != "Email":
            press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return)

    client = Client.get()
    assert (client.first_name, client.last_name, client.preferred_name) == (
        "Maria",
        "Ortega",
        "Mari",
    )
    assert client.date_of_birth == date(1980, 4, 7)
    assert client.mobile_phone == "+15035550142"
    assert client.state == "OR"
    assert client.sex == "F"
    assert client.email == "Maria.Ortega@example.com"
    assert client.archived is False
    assert AuditEvent.get(entity="client", entity_id=client.id).action == "create"
    assert "Ortega, Maria (Mari)" in visible_texts(window)
    assert "Saved Ortega, Maria (Mari)." in window.statusBar().currentMessage()


def test_registered_client_is_found_and_reopened(qtbot, window):
    test_new_client_is_registered_with_the_keyboard_alone(qtbot, window)
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused_name() == "Find client"
    type_text(qtbot, "Ort")
    qtbot.waitUntil(lambda: row_names(window) == ["Ortega, Maria (Mari)"])
    press(qtbot, Qt.Key.Key_Return)

    assert "Ortega, Maria (Mari)" in visible_texts(window)
    contact = form_rows(group_box(window, "Contact"))
    assert contact["Mobile phone"] == "(503) 555-0142"
    assert contact["Date of birth"] == f"04/07/1980 (age {age(date(1980, 4, 7))})"
    assert contact["Email"] == "Maria.Ortega@example.com"
    assert contact["Address"] == "12 Oak St, Salem, OR 97301"


def expected_tab_order() -> list[str]:
    """The intake form as it reads on screen, section by section, then its buttons."""
    conditions = [item.label for item in catalog.health_conditions()]
    areas = [item.label for item in catalog.body_areas()]
    names = [label for label, _ in KEYSTROKES] + ["Preferred contact"]
    names += ["Emergency contact", "Relation", "Emergency phone", "Employer", "Occupation"]
    names += [*conditions, "Health history notes", "Current complaint", *areas]
    names += ["Consent signed on", "Privacy notice acknowledged on", "Referred by", "Notes"]
    return [*names, "Cancel", "Save client"]


def focused_label() -> str:
    widget = QApplication.focusWidget()
    return widget.accessibleName() or getattr(widget, "text", str)()


def test_tab_walks_the_form_in_reading_order(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    seen = []
    for _ in expected_tab_order():
        seen.append(focused_label())
        press(qtbot, Qt.Key.Key_Tab)
    assert seen == expected_tab_order()


def test_health_conditions_are_ticked_with_the_space_bar(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    for text in ("Maria", "", "Ortega", "", "04/07/1980"):
        type_text(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    while focused_name() != "Blood clots / deep vein thrombosis (DVT)":
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)
    while focused_name() != "Consent signed on":
        press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, date.today().strftime("%m/%d/%Y"))
    press(qtbot, Qt.Key.Key_Return)

    client = Client.get()
    assert client.health_conditions == ["blood_clots"]
    assert client.consent_signed_on == date.today()
    header = find_input(window, "Client in focus").parentWidget()
    assert chips(header.layout()) == [
        ("Blood clots / deep vein thrombosis (DVT)", "contraindication")
    ]
