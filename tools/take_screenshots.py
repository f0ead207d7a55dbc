"""Write the user guide's screenshots (docs/screenshots/) from a fresh demo clinic.

QT_QPA_PLATFORM=offscreen python tools/take_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from frontdesk import db
from frontdesk.demo import build_demo_clinic
from ui.app import build_main_window
from ui.dialogs.setup import SetupDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def save(widget: QWidget, name: str) -> None:
    settle()
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def first_run(folder: Path) -> None:
    window = build_main_window(folder / "new.db", folder / "window.ini")
    window.resize(1280, 800)
    window.show()
    save(window, "main-window.png")
    dialog = SetupDialog(window)
    dialog.show()
    dialog.clinic_form.input("npi").setText("1234567890")
    dialog.clinic_form.editors["npi"].check()
    save(dialog, "first-run-setup.png")
    dialog.done(0)
    window.close()
    db.close_database()


def demo_screens(folder: Path) -> None:
    path = folder / "demo.db"
    db.open_database(path)
    build_demo_clinic(today=date.today())
    window = build_main_window(path, folder / "window.ini")
    window.resize(1280, 800)
    window.show()
    save(window, "clients-list.png")
    screen = window.clients_screen
    row = next(r for r in screen.list_page.model.rows if r.alerts and r.prescription)
    screen.open_client(row.id)
    save(window, "client-summary.png")
    screen.new_client()
    form = screen.intake_page.form
    for name, text in (
        ("first_name", "Rosa"),
        ("last_name", "Delgado"),
        ("date_of_birth", "02/30/1984"),
        ("mobile_phone", "503 555 01"),
    ):
        form.input(name).setText(text)
        form.editors[name].check()
    screen.intake_page.save()
    save(window, "intake-form-error.png")
    screen.intake_page.form.dirty = False
    window.close()
    db.close_database()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        first_run(Path(scratch))
        demo_screens(Path(scratch))
    return None


if __name__ == "__main__":
    sys.exit(main())
