"""Shared moves for the widget tests: find what a person sees, type, click, answer dialogs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from frontdesk.models import BaseModel, Client, Physician
from frontdesk.services import clients, prescriptions
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage

# --- finding widgets ----------------------------------------------------------------------


def _visible_named(parent: QWidget, name: str) -> list[QWidget]:
    return [
        widget
        for widget in parent.findChildren(QWidget)
        if widget.accessibleName() == name and widget.isVisible()
    ]


def find_input(parent: QWidget, name: str) -> QWidget:
    """The one visible widget whose accessible name (= visible label) is `name`."""
    found = _visible_named(parent, name)
    if len(found) != 1:
        shown = sorted(
            {w.accessibleName() for w in parent.findChildren(QWidget) if w.isVisible()} - {""}
        )
        raise AssertionError(
            f"expected exactly one visible input named {name!r}, found {len(found)}; "
            f"visible names: {shown}"
        )
    return found[0]


def _button_text(button: QAbstractButton) -> str:
    return button.text().replace("&", "")


def visible_buttons(parent: QWidget) -> list[str]:
    return [
        _button_text(b) for b in parent.findChildren(QAbstractButton) if b.isVisible() and b.text()
    ]


def find_button(parent: QWidget, text: str) -> QAbstractButton:
    """The one visible button that says `text` (mnemonic & ignored)."""
    found = [
        b for b in parent.findChildren(QAbstractButton) if b.isVisible() and _button_text(b) == text
    ]
    if len(found) != 1:
        raise AssertionError(
            f"expected exactly one visible button {text!r}, found {len(found)}; "
            f"visible buttons: {visible_buttons(parent)}"
        )
    return found[0]


def error_line(parent: QWidget, label: str) -> QLabel:
    """The line beside the input labelled `label` that says what is wrong with it."""
    field = find_input(parent, label)
    beside = {field.parentWidget(), field.parentWidget().parentWidget()}  # a picker's box too
    errors = [
        w
        for w in parent.findChildren(QLabel)
        if w.accessibleName() == f"{label} error" and w.parentWidget() in beside
    ]
    assert len(errors) == 1, f"expected one error line beside {label!r}, found {len(errors)}"
    return errors[0]


def field_error(parent: QWidget, label: str) -> str:
    """The error shown beside the input labelled `label` ("" when none is shown)."""
    error = error_line(parent, label)
    return error.text() if error.isVisible() else ""


def shows_whole(label: QLabel) -> bool:
    """True when a (wrapping) label is tall enough for all of its text."""
    return label.height() >= label.heightForWidth(label.width())


def focused_name() -> str:
    """The accessible name of the widget that has the keyboard focus."""
    widget = QApplication.focusWidget()
    return widget.accessibleName() if widget is not None else ""


def visible_texts(parent: QWidget) -> list[str]:
    """The texts of the labels a person can see in `parent`."""
    return [label.text() for label in parent.findChildren(QLabel) if label.isVisible()]


def group_box(parent: QWidget, title: str) -> QGroupBox:
    found = [b for b in parent.findChildren(QGroupBox) if b.title() == title and b.isVisible()]
    assert len(found) == 1, f"expected one visible section {title!r}, found {len(found)}"
    return found[0]


def layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets a layout holds now (nested layouts included), in order."""
    widgets: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets.extend(layout_widgets(item.layout()))
    return widgets


def form_rows(box: QWidget) -> dict[str, str]:
    """Label → value of the form rows a section shows now."""
    rows: dict[str, str] = {}

    def walk(layout: QLayout) -> None:
        if isinstance(layout, QFormLayout):
            for row in range(layout.rowCount()):
                label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                field = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if label and field and label.widget() and field.widget():
                    rows[label.widget().text()] = field.widget().text()
            return
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item.layout() is not None:
                walk(item.layout())

    walk(box.layout())
    return rows


def chips(layout: QLayout) -> list[tuple[str, str]]:
    """(text, role) of the alert chips a layout shows now."""
    return [
        (w.text(), w.property("role"))
        for w in layout_widgets(layout)
        if isinstance(w, QLabel) and w.property("role")
    ]


def table_rows(parent: QWidget, name: str = "Clients") -> list[dict[str, str]]:
    """Each row of the visible table `name`, read through its model, as header → text."""
    table = find_input(parent, name)
    assert isinstance(table, QTableView)
    model = table.model()
    if model is None:  # the clients list before the database is open: an empty box
        return []
    headers = [
        model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())
    ]
    return [
        {headers[column]: model.index(row, column).data() for column in range(len(headers))}
        for row in range(model.rowCount())
    ]


def row_names(parent: QWidget) -> list[str]:
    return [row["Name"] for row in table_rows(parent)]


# --- typing and clicking -------------------------------------------------------------------


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key where the keyboard focus is, as a person would."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, key, modifier)


def type_text(qtbot, text: str) -> None:
    """Type into the widget that has the focus."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClicks(widget, text)


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_button(qtbot, parent: QWidget, text: str) -> None:
    click(qtbot, find_button(parent, text))


def enter_text(qtbot, parent: QWidget, label: str, text: str) -> QWidget:
    """Click into the field labelled `label`, replace its text with `text`; focus stays."""
    field = find_input(parent, label)
    click(qtbot, field)
    assert QApplication.focusWidget() is field, f"clicking {label!r} did not focus it"
    if isinstance(field, QComboBox):
        qtbot.keyClicks(field, text)  # keyboard search picks the entry
        return field
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(field, text)
    else:
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
    return field


def fill(qtbot, parent: QWidget, label: str, text: str) -> QWidget:
    """Replace the text of the field labelled `label`, then leave it with Tab."""
    field = enter_text(qtbot, parent, label, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    return field


def paste(qtbot, parent: QWidget, label: str, text: str) -> None:
    """Click into the field labelled `label`, paste `text` over what it holds, leave with Tab."""
    field = find_input(parent, label)
    click(qtbot, field)
    if isinstance(field, QPlainTextEdit):
        field.setPlainText(text)
    else:
        field.setText(text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def fill_form(qtbot, parent: QWidget, values: dict[str, str]) -> None:
    for label, text in values.items():
        fill(qtbot, parent, label, text)


# --- modal dialogs -------------------------------------------------------------------------


@dataclass
class ModalAnswer:
    """What the modal dialog said, filled in when it was answered."""

    button: str
    title: str = ""
    text: str = ""
    answered: bool = False
    problem: str = ""
    owner: QWidget | None = None  # the window the dialog was opened over


@contextmanager
def answering(qtbot, button: str, title: str | None = None) -> Iterator[ModalAnswer]:
    """Click `button` on the next modal dialog that opens inside the `with` block.

    The dialog is really shown (its own event loop runs); a timer finds it as the
    active modal widget and clicks the button that says `button`.
    """

    def click_it(box: QWidget, answer: ModalAnswer) -> None:
        matches = [b for b in box.findChildren(QAbstractButton) if _button_text(b) == button]
        if len(matches) != 1:
            answer.problem = f"{box.windowTitle()!r} has buttons {visible_buttons(box)}"
            box.reject()  # never leave a test hanging on a box
            return
        answer.answered = True
        qtbot.mouseClick(matches[0], Qt.MouseButton.LeftButton)

    with _on_next_modal(qtbot, ModalAnswer(button), title, click_it) as answer:
        yield answer


@contextmanager
def answering_with_key(qtbot, key: Qt.Key, title: str | None = None) -> Iterator[ModalAnswer]:
    """Press `key` where the focus is on the next modal dialog (Enter: its default button)."""

    def press_it(box: QWidget, answer: ModalAnswer) -> None:
        answer.answered = True
        qtbot.keyClick(box.focusWidget() or box, key)  # inside the box, even before it is active

    with _on_next_modal(qtbot, ModalAnswer(key.name), title, press_it) as answer:
        yield answer


@contextmanager
def _on_next_modal(
    qtbot, answer: ModalAnswer, title: str | None, act: Callable[[QWidget, ModalAnswer], None]
) -> Iterator[ModalAnswer]:
    """Do `act` on the next modal dialog shown inside the `with` block; check it was done."""
    timer = QTimer()
    timer.setInterval(10)

    def answer_it() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            return
        timer.stop()
        answer.title = box.windowTitle()
        answer.text = box.text() if isinstance(box, QMessageBox) else ""
        answer.owner = box.parentWidget().window() if box.parentWidget() else None
        act(box, answer)

    timer.timeout.connect(answer_it)
    timer.start()
    try:
        yield answer
    finally:
        timer.stop()
    assert not answer.problem, f"cannot answer with {answer.button!r}: {answer.problem}"
    assert answer.answered, f"no dialog opened to answer with {answer.button!r}"
    if title is not None:
        assert answer.title == title
    if answer.owner is not None and shiboken6.isValid(answer.owner):  # not closed for good
        hand_back_activation(qtbot, answer.owner)


def hand_back_activation(qtbot, owner: QWidget) -> None:
    """Make the window a closed dialog was opened over active again, as a desktop's window
    manager does (the offscreen platform does not)."""
    if owner.isVisible() and QApplication.activeWindow() is not owner:
        owner.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is owner, timeout=1000)


def pdf_printer(path: Path, resolution: int = 150) -> Callable[[], QPrinter]:
    """A printer for the print dialog that writes a PDF file instead of paper."""

    def make() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(resolution)
        return printer

    return make


class StrayDialogGuard:
    """Closes a modal dialog nobody answers, so a test fails instead of hanging."""

    def __init__(self, limit_seconds: float = 3.0) -> None:
        self.limit = limit_seconds
        self.first_seen: dict[int, float] = {}
        self.strays: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            return
        first = self.first_seen.setdefault(id(box), time.monotonic())
        if time.monotonic() - first > self.limit:
            self.strays.append(f"{box.windowTitle()!r}: {getattr(box, 'text', str)()}")
            for page in box.findChildren(RecordFormPage):  # no "Unsaved changes" question
                page.form.dirty = False
            box.reject()

    def stop(self) -> None:
        self.timer.stop()


# --- data ---------------------------------------------------------------------------------

CLIENT_FORM = {
    "first_name": "Zelda",
    "last_name": "Quillfeather",
    "date_of_birth": "03/14/1975",
}


def add_client(**values: Any) -> Client:
    """Register a client through the core service (as an earlier visit to the desk would)."""
    return clients.save_client({**CLIENT_FORM, **values})


def demo_client(*, condition: str | None = None, healthy: bool = False, archived: bool = False):
    """The first demo client (by name) with a health condition, none at all, or archived."""
    for client in Client.select().where(Client.archived == archived).order_by(Client.last_name):
        if condition and condition not in client.health_conditions:
            continue
        if healthy and client.health_conditions:
            continue
        return client
    raise AssertionError("the demo clinic has no such client")


def typed_name(client: Client) -> str:
    """What a receptionist types to find exactly this client: "Last, First"."""
    return f"{client.last_name}, {client.first_name}"


# --- getting to a client ------------------------------------------------------------------


def open_client_summary(qtbot, window: QWidget, client: Client) -> None:
    """Ctrl+F, type the client's name, Enter on them: their summary is shown."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)  # the window is active
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, typed_name(client))
    qtbot.waitUntil(lambda: row_names(window)[:1] == [client.display_name])
    press(qtbot, Qt.Key.Key_Return)


def open_edit_form(qtbot, window: QWidget, client: Client) -> None:
    """Open the client's summary and click "Edit client": the intake form is shown."""
    open_client_summary(qtbot, window, client)
    click_button(qtbot, window, "Edit client")


def start_new_prescription(qtbot, window: QWidget, client: Client) -> None:
    """Open the client's summary and click "New prescription": the empty form is shown."""
    open_client_summary(qtbot, window, client)
    click_button(qtbot, window, "New prescription")


def open_prescription(qtbot, window: QWidget, client: Client) -> None:
    """Open the client's summary and click "Open prescription" (the newest is selected)."""
    open_client_summary(qtbot, window, client)
    click_button(qtbot, window, "Open prescription")


@contextmanager
def working_in_dialog(qtbot, work: Callable[[QDialog], None]) -> Iterator[None]:
    """Do `work(dialog)` in the record form window opened inside the block; it must end closed."""

    def careful(dialog: QDialog) -> None:
        try:
            work(dialog)
        finally:
            if dialog.isVisible():  # `work` failed: never leave the test hanging on it
                dialog.page.form.dirty = False

    with working_in(qtbot, FormDialog, careful):
        yield


@contextmanager
def working_in(qtbot, kind: type[QDialog], work: Callable[[QDialog], None]) -> Iterator[dict]:
    """Do `work(window)` in the first window of `kind` opened inside the block.

    Yields {"dialog": the window} once it opened; the window must end closed (`work`
    that leaves it open has it rejected, unless it sets seen["kept_open"]).
    """
    seen: dict = {}

    def act() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            return
        if isinstance(box, kind) and "dialog" not in seen:
            seen["dialog"] = box
            box.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=1000)
            try:
                work(box)
            finally:
                if box.isVisible() and not seen.get("kept_open"):
                    box.reject()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(act)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
    assert "dialog" in seen, f"no {kind.__name__} window opened"
    assert not seen["dialog"].isVisible()
    hand_back_activation(qtbot, seen["dialog"].parentWidget().window())


def prescribe_for(client, **changes: str):
    """A prescription written today for six months, through the service."""
    form = {
        "physician_id": str(Physician.select().first().id),
        "written_on": date.today().strftime("%m/%d/%Y"),
        "reason": "Low back pain",
        "diagnosis_codes": "M54.50",
        "modality": "Massage therapy",
        "techniques": ["myofascial_release"],
        "body_areas": ["lower_back"],
        "treatments_prescribed": "12",
        "frequency": "1 per week",
        "duration": "6 months",
        "end_date": "",
        "notes": "",
    }
    return prescriptions.save_prescription({**form, **changes}, client.id)


# --- a client's coverage and cases ----------------------------------------------------------


def demo_client_without(records: type[BaseModel]) -> Client:
    """The first active demo client (by name) with no record of a kind (Coverage, InjuryCase)."""
    having = records.select(records.client)
    client = (
        Client.select()
        .where((Client.archived == False) & Client.id.not_in(having))  # noqa: E712
        .order_by(Client.last_name, Client.first_name)
        .first()
    )
    assert client is not None, f"every demo client has a {records.__name__}"
    return client


def start_client_form(qtbot, window: QWidget, client: Client, button_text: str) -> None:
    """Open the client's summary, then Space on `button_text` (e.g. "Add coverage")."""
    open_client_summary(qtbot, window, client)
    find_button(window, button_text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


def tab_to(qtbot, name: str, limit: int = 60) -> None:
    """Press Tab until the input named `name` has the keyboard focus."""
    for _ in range(limit):
        if focused_name() == name:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r}")


def key_in(qtbot, name: str, text: str) -> None:
    """Tab to the input named `name` and type `text` over what it holds (a list: pick by typing)."""
    tab_to(qtbot, name)
    if not isinstance(QApplication.focusWidget(), QComboBox):
        press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        press(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, text)


def suggestions_for(qtbot, typed: str) -> list[str]:
    """Type into the focused suggesting box; the suggestions it then offers (none: [])."""
    box = QApplication.focusWidget()
    type_text(qtbot, typed)
    qtbot.waitUntil(lambda: not box.timer.isActive())
    popup = box.completer_.popup()
    if not popup.isVisible():
        return []
    return [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]


def pick_suggestion(qtbot, typed: str) -> None:
    """Type into the focused suggesting box; take the first suggestion with Down, Enter."""
    box = QApplication.focusWidget()
    type_text(qtbot, typed)
    popup = box.completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


# --- lists and buttons by keyboard and mouse ------------------------------------------------


def press_button(qtbot, parent: QWidget, text: str) -> None:
    """Focus the button that says `text` and press Space on it, as a keyboard user does."""
    find_button(parent, text).setFocus()
    press(qtbot, Qt.Key.Key_Space)


def click_row(qtbot, parent: QWidget, table_name: str, heading: str, text: str) -> None:
    """Click the row of the visible table `table_name` whose `heading` column shows `text`."""
    table = find_input(parent, table_name)
    assert isinstance(table, QTableView)
    rows = [row[heading] for row in table_rows(parent, table_name)]
    assert text in rows, f"{text!r} is not in {table_name!r}: {rows}"
    model = table.model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    index = model.index(rows.index(text), headings.index(heading))
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )


LOGIN_PASSWORD = "harbor lights 42"  # every test login's password
