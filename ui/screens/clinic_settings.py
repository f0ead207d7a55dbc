"""Settings: the clinic's profile (as on every receipt) and its therapists."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from frontdesk.models import Therapist
from frontdesk.services import clinic
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.dialogs.clinic_records import ClinicProfilePage, new_therapist_dialog, therapist_dialog
from ui.errors import refusal
from ui.tables import MUTED_COLOUR, Column, RecordTableModel, colour_brush, record_table
from ui.widgets import button, button_bar, chain_tab_order, error_label, show_text

LOGO_HEIGHT = 56  # px on screen
LOGO_FILES = "Pictures (*.png *.jpg *.jpeg)"


class LogoRow(QWidget):
    """The clinic's logo as receipts print it, with Choose logo… and Remove logo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel(self)
        self.picture.setAccessibleName("Logo")
        self.picture.setFixedHeight(LOGO_HEIGHT)
        self.choose_button = button("Choose logo…", parent=self)
        self.remove_button = button("Remove logo", parent=self)
        self.message = error_label("Logo message", self)
        row = QHBoxLayout()
        row.addWidget(self.picture)
        row.addWidget(self.choose_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 4)
        column.addLayout(row)
        column.addWidget(self.message)

    def show_logo(self, logo: str | None) -> None:
        """The stored logo (PNG in base64), or "None" when there is none."""
        if not logo:
            self.picture.setPixmap(QPixmap())
            self.picture.setText("None")
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(base64.b64decode(logo), "PNG")
            self.picture.setPixmap(
                pixmap.scaledToHeight(LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            )
        self.remove_button.setEnabled(bool(logo))


class ClinicSection(ClinicProfilePage):
    """The clinic's name, address, phone, EIN, NPI and receipt footer, saved in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Clinic", "Save clinic", parent)
        self.heading.hide()  # the tab says it
        self.cancel_button.setText("Undo changes")
        self.saved_note = QLabel(self)
        self.saved_note.setAccessibleName("Saved")
        self.button_row.insertWidget(0, self.saved_note)
        self.saved.connect(lambda _id: self._reload("Saved."))
        self.cancelled.connect(lambda: self._reload(""))
        self.form.changed.connect(lambda: self.saved_note.setText(""))
        self.logo = LogoRow(self)
        self.scroll.widget().layout().addRow("Logo on receipts", self.logo)
        footer = self.form.editors["receipt_footer"].container  # stays its size: the logo
        footer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # follows
        self.logo.choose_button.clicked.connect(self._choose_logo)
        self.logo.remove_button.clicked.connect(lambda: self.change_logo(None))

    def show_start(self) -> None:
        self._reload("")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.record_id is None:  # first shown: the profile as saved
            self._reload("")

    def _reload(self, note: str) -> None:
        profile = clinic.clinic_profile()
        if profile is not None:
            self.start_edit(profile)
            self.logo.show_logo(profile.logo)
        self.saved_note.setText(note)

    def choose_logo_file(self) -> Path | None:
        """Ask for the logo's picture (tests answer this in place of the file dialog)."""
        name, _ = QFileDialog.getOpenFileName(self, "Choose the clinic's logo", "", LOGO_FILES)
        return Path(name) if name else None

    def _choose_logo(self) -> None:
        path = self.choose_logo_file()
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as error:
            show_text(self.logo.message, f"Not changed: {path.name} could not be read ({error}).")
            return
        self.change_logo(data)

    def change_logo(self, data: bytes | None) -> None:
        """Save the new logo (None takes it off) at once; the form's typing must be saved first."""
        if self.has_unsaved_changes:
            message = "Not changed: save or undo your changes to the clinic first."
            show_text(self.logo.message, message)
            return
        try:
            clinic.set_clinic_logo(data, self.opened["version"])
        except ValidationError as refused:
            show_text(self.logo.message, f"Not changed: {refused.message}.")
            return
        except RecordChanged as changed:
            self._reload("")  # someone saved the clinic meanwhile: show theirs, then try again
            show_text(self.logo.message, str(changed))
            return
        except StorageError as error:
            show_text(self.logo.message, refusal("Not changed", error))
            return
        show_text(self.logo.message, "")
        self._reload("Logo saved." if data is not None else "Logo removed.")

    def cancel(self) -> None:
        """Undo what was typed since the last save (nothing to ask: the saved values return)."""
        self.form.dirty = False
        self.cancelled.emit()


def _muted(therapist: Therapist) -> QBrush | None:
    return colour_brush(None if therapist.active else MUTED_COLOUR)


COLUMNS = tuple(
    Column(heading, text, _muted)
    for heading, text in (
        ("Name", lambda t: t.display_name),
        ("License", lambda t: t.license_number or "—"),
        ("State", lambda t: t.license_state or "—"),
        ("NPI", lambda t: t.npi or "—"),
        ("Status", lambda t: "Active" if t.active else "Inactive"),
    )
)
ACTIONS = (("Add therapist", "add"), ("Edit therapist", ""), ("Deactivate", ""))


class TherapistsSection(QWidget):
    """The clinic's therapists; one who leaves is made inactive, never deleted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(
            "Receipts print the treating therapist's credentials, state license number and "
            "NPI. A therapist who leaves is made inactive: their visits and notes stay theirs.",
            self,
        )
        intro.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, lambda t: t.id, self)
        self.table = record_table("Therapists", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary="Add therapist")
        self.message = error_label("Message", self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.message)
        chain_tab_order([self.table, *self.actions.values()])
        self.actions["Add therapist"].clicked.connect(self.add)
        self.actions["Edit therapist"].clicked.connect(self.edit)
        self.actions["Deactivate"].clicked.connect(self.toggle_active)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._follow())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def show_start(self) -> None:
        self.refresh()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, chosen: int | None = None) -> None:
        try:
            therapists = clinic.all_therapists()
        except StorageError as error:
            show_text(self.message, refusal("Could not list the therapists", error))
            return
        self.model.set_rows(therapists)
        self.table.resizeColumnsToContents()
        ids = [t.id for t in therapists]
        if ids:
            self.table.selectRow(ids.index(chosen) if chosen in ids else 0)
        self._follow()

    def selected(self) -> Therapist | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _follow(self) -> None:
        therapist = self.selected()
        active = therapist is None or therapist.active
        self.actions["Deactivate"].setText("Deactivate" if active else "Make active")
        for name in ("Edit therapist", "Deactivate"):
            self.actions[name].setEnabled(therapist is not None)

    def add(self) -> None:
        show_text(self.message, "")
        dialog = new_therapist_dialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(dialog.record_id)

    def edit(self) -> None:
        therapist = self.selected()
        if therapist is None:
            return
        show_text(self.message, "")
        dialog = therapist_dialog(therapist.id, self)
        dialog.exec()
        self.refresh(therapist.id)

    def toggle_active(self) -> None:
        therapist = self.selected()
        if therapist is None:
            return
        show_text(self.message, "")
        try:
            clinic.set_therapist_active(therapist.id, therapist.version, not therapist.active)
        except RecordChanged as changed:
            show_text(self.message, str(changed))
        except StorageError as error:
            show_text(self.message, refusal("Not saved", error))
        self.refresh(therapist.id)
