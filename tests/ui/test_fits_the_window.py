"""Long names, many alerts and many error lines fit the window; nothing forces it wider."""

from __future__ import annotations

from helpers import (
    add_client,
    click_button,
    error_line,
    field_error,
    find_input,
    layout_widgets,
    paste,
    press,
    shows_whole,
)
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk import catalog
from frontdesk.fieldrules import FieldRule
from frontdesk.services.clients import RULES_BY_NAME
from frontdesk.validation import ValidationError

# Each near the 80 characters a name may have.
LONG_FIRST = "Maximiliana-Josephina Alexandrina-Theodora Wilhelmina-Bernadette O'Donoghue"
LONG_LAST = "Featherstonehaugh-Montgomery Vandenberghe-Wolfeschlegel Cholmondeley-Smith"
SEVEN_ALERTS = [item.key for item in catalog.health_conditions()[:7]]


def on_screen(widget: QWidget) -> QRect:
    """Where `widget` is, in its window's coordinates."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def chip_labels(parent: QWidget) -> list[QLabel]:
    """The alert chips `parent` lays out now."""
    return [w for w in layout_widgets(parent.layout()) if w.property("role")]


def accessible_name(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_a_long_name_and_seven_alerts_fit_a_1024_px_window(qtbot, window):
    client = add_client(first_name=LONG_FIRST, last_name=LONG_LAST, health_conditions=SEVEN_ALERTS)
    assert max(len(LONG_FIRST), len(LONG_LAST)) >= 75
    window.clients_screen.open_client(client.id)
    window.resize(1024, 700)
    qtbot.wait(20)  # the layouts settle

    assert window.width() == 1024
    assert window.minimumSizeHint().width() <= 1024
    header = find_input(window, "Client in focus").parentWidget()
    alerts = window.clients_screen.summary_page.boxes["Alerts"]
    chips = chip_labels(header) + chip_labels(alerts)
    assert len(chips) == 14
    for chip in chips:
        assert chip.isVisible()
        assert window.rect().contains(on_screen(chip)), f"{chip.text()!r} is off the window"

    name = client.display_name
    heading = window.clients_screen.summary_page.heading
    for label in (find_input(window, "Client in focus"), heading):
        assert window.rect().contains(on_screen(label))
        assert label.shown_text().endswith("…")
        assert label.toolTip() == name
    assert accessible_name(heading) == name


def refused_text(rule: FieldRule) -> str:
    """Something a person might type (or paste) that the field refuses."""
    for text in ("!", "x" * 4001):
        try:
            rule.clean(text)
        except ValidationError:
            return text
    raise AssertionError(f"{rule.label} takes anything")


def test_with_every_field_in_error_each_line_shows_whole_and_nothing_scrolls_sideways(
    qtbot, window
):
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.clients_screen.intake_page
    typed = [rule for rule in RULES_BY_NAME.values() if not rule.choices]
    for rule in typed:
        page.scroll.ensureWidgetVisible(find_input(window, rule.label))
        paste(qtbot, window, rule.label, refused_text(rule))
    click_button(qtbot, window, "Save client")
    qtbot.wait(20)  # the layouts settle

    assert window.size() == QSize(1280, 800)
    labels = [rule.label for rule in typed]
    assert all(field_error(window, label) for label in labels)
    assert not page.scroll.horizontalScrollBar().isVisible()
    for label in labels:
        assert shows_whole(error_line(window, label)), f"the {label} error is cut off"
    for box in page.conditions.boxes.values():
        assert box.height() >= box.sizeHint().height(), f"{box.text()!r} is squeezed"
