"""Write the user guide's screenshots (docs/screenshots/) from a fresh demo clinic.

QT_QPA_PLATFORM=offscreen python tools/take_screenshots.py

Everything it writes (databases, backups, exports) stays in a temporary folder that is
deleted at the end: the home folder is pointed there while it runs, so the default backup
folder and the exports show as "~/..." in the pictures. Automatic backups are never started.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QThreadPool, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from frontdesk import access, catalog, db
from frontdesk.demo import DEMO_PASSWORD, build_demo_clinic
from frontdesk.documents.treatment_history import treatment_history_pdf
from frontdesk.models import (
    Client,
    InjuryCase,
    Payer,
    Payment,
    Physician,
    Prescription,
    Visit,
    VisitAddendum,
)
from frontdesk.services import backup, clients, ledger, receipts, recovery, users
from frontdesk.services.clinic import clinic_profile, set_clinic_logo
from frontdesk.services.history import treatment_history
from frontdesk.services.prescriptions.request import request_form
from frontdesk.storage_errors import DiskFull
from ui import main_window
from ui.app import build_main_window, demo_logins_hint
from ui.dialogs.book_visit import BookVisitDialog
from ui.dialogs.client_account import ClientAccountDialog
from ui.dialogs.damaged_database import DamagedDatabaseDialog
from ui.dialogs.new_receipt import NewReceiptDialog
from ui.dialogs.payment import PaymentDialog
from ui.dialogs.receipt_check import CompletenessDialog
from ui.dialogs.setup import SetupDialog
from ui.form_page import RecordFormPage
from ui.main_window import MainWindow
from ui.pdf_view import render_pages
from ui.sign_in import SignInDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PC_USER = "reception"  # the PC's user name the audit trail shows (made up, as the clients are)
WAIT_SECONDS = 60  # for work done in the background (a backup, an export, the audit check)


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def save(widget: QWidget, name: str) -> None:
    settle()
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def wait_for_background(until: Callable[[], bool] = lambda: True) -> None:
    """Until the work on the thread pool is done, its results shown, and `until()` holds."""
    deadline = time.monotonic() + WAIT_SECONDS
    while QThreadPool.globalInstance().activeThreadCount() or not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the work in the background did not finish")
        QApplication.processEvents()
        time.sleep(0.02)
    settle()


def use_scratch_home(scratch: Path) -> Path:
    """Point the home folder into `scratch` (so the default backup folder and the exports are
    made there) and give the PC a made-up user name; returns the new home folder."""
    home = scratch / "home"
    home.mkdir()
    os.environ.setdefault("XDG_CACHE_HOME", str(Path.home() / ".cache"))  # fonts' cache
    os.environ.pop("XDG_DATA_HOME", None)
    os.environ["HOME"] = os.environ["USERPROFILE"] = str(home)
    for name in ("USER", "LOGNAME", "USERNAME"):
        os.environ[name] = PC_USER
    return home


@contextmanager
def demo_window(folder: Path) -> Iterator[MainWindow]:
    """The main window over a fresh demo clinic, 1280x800; closed afterwards."""
    path = folder / "clinic.db"
    db.open_database(path)
    build_demo_clinic(today=date.today())
    # The pictures show the clinic as it looks with its own records: no DEMO title, and
    # the Backups page working.
    main_window.is_demo_clinic = lambda: False
    access.sign_in_as(users.sign_in("owner", DEMO_PASSWORD))
    window = build_main_window(path, folder / "window.ini")
    window.resize(1280, 800)
    window.show()
    try:
        yield window
    finally:
        for page in window.findChildren(RecordFormPage):
            page.form.dirty = False
        window.close()
        db.close_database()


def first_run(folder: Path) -> None:
    access.sign_in_as(access.Actor(None, "owner", access.OWNER))
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


def clients_and_intake(window: MainWindow) -> None:
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


def save_with_box(window: QWidget, name: str, answer: str) -> None:
    """Save the window with the message box now open drawn over it, then answer the box."""
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox), "no message box is open"
    save_with_window_over(window, box, name)
    next(b for b in box.buttons() if b.text() == answer).click()


def save_with_window_over(window: QWidget, over: QWidget, name: str) -> None:
    """Save the window with another window (a dialog) drawn over it, as it opens there."""
    settle()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(
        QPoint((picture.width() - over.width()) // 2, (picture.height() - over.height()) // 3),
        over.grab(),
    )
    painter.end()
    picture.save(str(OUT / name))
    print(OUT / name)


def edit_first_client(window, city: str):
    """Open the first demo client's intake form and type a new city."""
    screen = window.clients_screen
    client = Client.get_by_id(screen.list_page.model.rows[0].id)
    screen.edit_client(client.id)
    screen.intake_page.form.input("city").setText(city)
    return client


@contextmanager
def full_disk(database: db.ClinicDatabase) -> Iterator[None]:
    """Inside the block, every write transaction fails as it would on a full disk."""

    def refuse(*_args) -> None:
        raise DiskFull(f"the disk holding {database.path.name} is full")

    database.begin = refuse
    try:
        yield
    finally:
        del database.begin


def refusals(window: MainWindow) -> None:
    """A save refused because the client changed elsewhere, and one refused by a full disk."""
    client = edit_first_client(window, "Portland")
    raw = {rule.name: rule.as_text(client.__data__.get(rule.name)) for rule in clients.CLIENT_RULES}
    raw |= {"mobile_phone": "503 555 0199", "health_conditions": client.health_conditions}
    clients.save_client({**raw, "pain_areas": client.pain_areas}, client.id, version=client.version)
    QTimer.singleShot(200, lambda: save_with_box(window, "conflict-message.png", "Keep editing"))
    window.clients_screen.intake_page.save()
    window.clients_screen.intake_page.form.load({})
    client = edit_first_client(window, "Bend")
    with full_disk(db.models.database_proxy.obj):
        window.clients_screen.intake_page.save()
        save(window, "storage-error.png")
    window.clients_screen.intake_page.form.dirty = False


def long_name(window: MainWindow) -> None:
    """A client with a very long name and seven alerts, in a 1024x700 window."""
    client = clients.save_client(
        {
            "first_name": "Maximiliana-Josephina Alexandrina-Theodora Wilhelmina-Bernadette",
            "last_name": "Featherstonehaugh-Montgomery Vandenberghe-Wolfeschlegel Cholmondeley",
            "date_of_birth": "06/02/1961",
            "health_conditions": [item.key for item in catalog.health_conditions()[:7]],
        }
    )
    window.resize(1024, 700)
    window.clients_screen.open_client(client.id)
    save(window, "long-name-summary.png")
    window.resize(1280, 800)
    window.find_client()  # the next pictures start without this client in the strip


def save_with_popup(window: QWidget, under: QWidget, popup: QWidget, name: str) -> None:
    """Save the window with an open popup list drawn where it opens, just under `under`."""
    settle()
    popup.resize(under.width(), popup.height())
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(under.mapTo(window, QPoint(0, under.height())), popup.grab())
    painter.end()
    picture.save(str(OUT / name))
    print(OUT / name)


def prescriptions_screens(window: MainWindow) -> None:
    """The Prescriptions screen, the entry form with code suggestions, the request form."""
    window.go_to("Prescriptions")
    save(window, "prescriptions-screen.png")
    row = window.prescriptions_screen.model.rows[0]
    window.open_client(row.client_id)
    screen = window.clients_screen
    screen.new_prescription(row.client_id)
    form = screen.prescription_form
    form.physician.choose(Physician.select().order_by(Physician.last_name).first().id)
    form.form.input("reason").setText("Low back pain")
    for name, text in (("treatments_prescribed", "10"), ("frequency", "2 per month")):
        form.form.input(name).setText(text)
    form.form.input("duration").setText("12 months")
    form.body_areas.set_keys(["lower_back"])
    form.diagnoses.add_code("M54.50")
    entry = form.diagnoses.entry
    entry.setFocus()
    entry.setText("muscle spasm")
    entry.refresh_suggestions()
    save_with_popup(window, entry, entry.completer_.popup(), "prescription-form.png")
    entry.completer_.popup().hide()
    form.form.dirty = False
    pdf = request_form(row.client_id, row.prescription_id)
    render_pages(pdf, 80)[0].save(str(OUT / "prescription-request.png"))
    print(OUT / "prescription-request.png")


def insurers_and_coverage(window: MainWindow) -> None:
    """The lookup (a hit and a miss), a coverage form with a warning, a workers' comp case."""
    window.go_to("Insurers")
    screen = window.insurers_screen
    for typed, name in (("priorty ppo", "insurer-lookup.png"), ("aetna", "insurer-no-match.png")):
        screen.search.setText(typed)
        screen.refresh(best_first=True)
        save(window, name)
    case = InjuryCase.select().where(InjuryCase.kind == "workers_comp").first()
    window.open_client(case.client_id)
    clients_screen = window.clients_screen
    clients_screen.new_coverage(case.client_id)
    form = clients_screen.coverage_form
    refused = Payer.get(Payer.acceptance == "not_accepted")
    form.picker.choose(refused.id)
    form.form.input("member_id").setText("EVG-88231")
    save(window, "coverage-form.png")
    form.form.dirty = False
    clients_screen.edit_case(case.id)
    save(window, "case-form.png")


def visits_screens(window: MainWindow) -> None:
    """The day sheet, booking, a note being written, a signed note, a payment, an account."""
    window.go_to("Visits")
    save(window, "day-sheet.png")
    sheet = window.visits_screen.day_sheet
    with shown(BookVisitDialog(date.today(), window)) as booking:
        rx = Prescription.select().order_by(Prescription.id).first()
        booking.client.choose(rx.client_id)
        save(booking, "book-visit.png")
    draft = _visit_with_note(signed=False)
    sheet.show_day(draft.starts_at.date())
    window.visits_screen.open_note(draft.id)
    save(window, "note-editor.png")
    window.visits_screen.open_note(_visit_with_note(signed=True).id)
    save(window, "note-signed.png")
    signed = _visit_with_note(signed=True)
    window.visits_screen.open_history(signed.client_id)
    save(window, "treatment-history.png")
    history_pdf = treatment_history_pdf(treatment_history(signed.client_id), clinic_profile())
    render_pages(history_pdf, 80)[0].save(str(OUT / "treatment-history-pdf.png"))
    window.visits_screen.show_day_sheet()
    owing = _owing_visit()
    with shown(PaymentDialog(owing.client_id, owing.id, window)) as payment:
        page = payment.payment_page
        page.form.input("method").setCurrentIndex(
            page.form.input("method").findData("hsa_fsa_card")
        )
        page.form.input("amount_cents").setText("60.00")
        page.form.input("reference").setText("4242")
        page._follow_form()
        save(payment, "payment-form.png")
        page.form.dirty = False
    paid = Payment.select().where(Payment.kind == "void").first() or Payment.select().first()
    with shown(ClientAccountDialog(paid.client_id, window)) as account:
        save(account, "client-account.png")


@contextmanager
def shown(dialog: QWidget) -> Iterator[QWidget]:
    """A window shown (not run modally) for its picture, closed afterwards."""
    dialog.show()
    try:
        yield dialog
    finally:
        dialog.close()


def _visit_with_note(signed: bool) -> Visit:
    has_note = Visit.subjective != ""
    query = Visit.select().where(has_note & (Visit.signed_at.is_null(not signed)))
    with_addenda = query.join(VisitAddendum).first() if signed else None
    return with_addenda or query.order_by(Visit.starts_at.desc()).first()


def _owing_visit() -> Visit:
    completed = Visit.select().where(Visit.status == "completed").order_by(Visit.starts_at.desc())
    owed = ledger.open_charges(v.id for v in completed)
    return next(v for v in completed if owed[v.id] > 0)


def receipts_screens(window: MainWindow) -> None:
    """The three documents, the Receipts screen with them listed, the completeness check."""
    split = Payment.select().where(Payment.method == "hsa_fsa_card").order_by(Payment.id).first()
    case = InjuryCase.get(InjuryCase.kind == "workers_comp")
    start_of_year = date(date.today().year, 1, 1)
    for draft, name in (
        (receipts.draft_receipt(split.client_id, payment_id=split.id), "receipt-hsa-fsa.png"),
        (receipts.draft_superbill(case.client_id, start_of_year, date.today()), "superbill.png"),
        (receipts.draft_statement(split.client_id, start_of_year, date.today()), "statement.png"),
    ):
        issued = receipts.issue(draft)
        render_pages(receipts.receipt_pdf(issued.id), 80)[0].save(str(OUT / name))
        print(OUT / name)
    window.go_to("Receipts")
    save(window, "receipts-screen.png")
    with shown(NewReceiptDialog(window)) as dialog:
        dialog.client.choose(split.client_id)
        save(dialog, "new-receipt.png")
    gaps = (
        receipts.Problem("Diego Alvarez, LMT, NMT has no state license number.", "therapist", 1),
        receipts.Problem("The client has no full address on file.", "client", 1),
        receipts.Problem("The visit of 11/02/2026 is after its prescription ended.", "visit", 1),
    )
    with shown(CompletenessDialog(gaps, window)) as check:
        save(check, "completeness-check.png")


def logo_png(text: str) -> bytes:
    """A simple round logo with the clinic's initials (PNG)."""
    from PIL import Image, ImageDraw, ImageFont

    side = 240
    picture = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((4, 4, side - 4, side - 4), fill=(38, 96, 122, 255))
    try:
        font = ImageFont.load_default(size=104)
    except TypeError:  # Pillow before 10.1 has one small default font
        font = ImageFont.load_default()
    draw.text((side / 2, side / 2), text, font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return "".join(word[0].upper() for word in words[:2]) or "FD"


def clinic_logo(_window: MainWindow) -> None:
    """The demo clinic gets a logo, as Choose logo… in Settings ▸ Clinic would put it."""
    profile = clinic_profile()
    set_clinic_logo(logo_png(initials(profile.name)), profile.version)


def backup_warning(window: MainWindow) -> None:
    """The main window with the amber strip: no backup has been made yet."""
    window.resize(1280, 800)
    window.find_client()  # the client list, no client open
    window.backup_warning.show_age(backup.last_good_backup(window.settings_screen.backups.folder))
    save(window, "backup-warning.png")
    window.backup_warning.hide()  # the other pictures show the window without it


def sign_in_and_lock(window: MainWindow) -> None:
    """The sign-in at start (over the window's frame, which shows no record yet), the
    window locked while its person is away, the Users page."""
    frame = MainWindow(window.db_path, window.settings)
    frame.resize(1280, 800)
    frame.show()
    dialog = SignInDialog(clinic_profile().name, demo_logins_hint(), frame)
    dialog.show()
    save_with_window_over(frame, dialog, "sign-in.png")
    dialog.done(0)
    frame.close()
    window.find_client()
    window.session.lock()
    save_with_window_over(window, window.session.unlock, "lock-screen.png")
    window.session.unlock.panel.password.setText(DEMO_PASSWORD)
    window.session.unlock.panel.try_sign_in()
    window.go_to("Settings")
    screen = window.settings_screen
    screen.sections.setCurrentWidget(screen.users)
    save(window, "settings-users.png")


def settings_screens(window: MainWindow) -> None:
    """Settings: the clinic's profile with its logo, the therapists, the fee schedule, the
    backups (two kept), an export, the audit trail; the damaged-database dialog."""
    window.resize(1280, 800)
    window.find_client()  # no client in the strip at the top
    window.go_to("Settings")
    screen = window.settings_screen
    screen.show_start()
    folder = screen.backups.folder
    before = {info.path for info in backup.list_backups(folder)}
    yesterday = datetime.combine(date.today() - timedelta(days=1), datetime.min.time())
    backup.make_backup(folder, now=yesterday.replace(hour=18, minute=5))  # as at closing time
    try:
        for section, name in (
            (screen.clinic, "settings-clinic.png"),
            (screen.therapists, "settings-therapists.png"),
            (screen.fee_schedule, "settings-fee-schedule.png"),
            (screen.backups, "settings-backups.png"),
        ):
            screen.sections.setCurrentWidget(section)
            if section is screen.backups:
                section.back_up_now()
                wait_for_background(lambda: len(backup.list_backups(folder)) >= 2)
            save(window, name)
        export_and_audit(window, Path.home())
        damaged_database(window, folder)
    finally:
        for made in backup.list_backups(folder):
            if made.path not in before:
                made.path.unlink()  # the pictures' backups, never one of the user's


def export_and_audit(window: MainWindow, home: Path) -> None:
    """Settings ▸ Export after the payments of this year were saved; then Settings ▸ Audit."""
    screen = window.settings_screen
    exports = screen.exports
    screen.sections.setCurrentWidget(exports)
    exports.export_payments_to(home / f"payments-{date.today().year}.csv")
    wait_for_background(lambda: bool(exports.done.text() or exports.message.text()))
    save(window, "settings-export.png")
    audit_page = screen.audit
    screen.sections.setCurrentWidget(audit_page)
    wait_for_background(lambda: not audit_page.checking)
    save(window, "settings-audit.png")


def damaged_database(window: MainWindow, folder: Path) -> None:
    """The dialog at start when the database is damaged, offering last night's backup."""
    last_night = backup.list_backups(folder)[-1]  # the backup made at closing time
    newest = recovery.GoodBackup(
        last_night.path, last_night.taken_at, backup.check_backup_file(last_night.path)
    )
    problems = [f"the file {window.db_path.name} is damaged"]  # as the start-up check says it
    with shown(DamagedDatabaseDialog(window.db_path, problems, newest, folder, window)) as dialog:
        save(dialog, "damaged-database.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        use_scratch_home(Path(scratch))
        first_run(Path(scratch))
        with demo_window(Path(scratch)) as window:
            for take in (
                clinic_logo,
                backup_warning,
                clients_and_intake,
                prescriptions_screens,
                insurers_and_coverage,
                refusals,
                long_name,
                visits_screens,
                receipts_screens,
                settings_screens,
                sign_in_and_lock,
            ):
                take(window)
    return None


if __name__ == "__main__":
    sys.exit(main())
