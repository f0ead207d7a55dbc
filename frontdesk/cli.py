"""The `frontdesk` command: open the program, or work on a database file.

An encrypted database file's passphrase comes from the environment variable
FRONTDESK_PASSPHRASE, or is asked for when the command runs at a terminal; a new one (for
`encrypt` and `change-passphrase`) from FRONTDESK_NEW_PASSPHRASE, or is asked for twice.
Never from the command line, and never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Light: the rest of the core loads inside the commands.
from frontdesk.paths import as_location, default_db_path, holds_password, is_server_address

if TYPE_CHECKING:
    from frontdesk.services.receipts import Draft, Problem

log = logging.getLogger(__name__)
SHELL_ENTRY_POINTS = "frontdesk.shell"
PASSPHRASE_VARIABLE = "FRONTDESK_PASSPHRASE"
BACKUP_PASSPHRASE_VARIABLE = "FRONTDESK_BACKUP_PASSPHRASE"  # a backup's, when it differs
NEW_PASSPHRASE_VARIABLE = "FRONTDESK_NEW_PASSPHRASE"
PASSWORD_IN_ADDRESS = (
    "The clinic server's address must not hold the password: it would show in the list of "
    "running programs and in the shell's history. Remove it, and put the password in "
    "~/.pgpass or the system keyring (docs/clinic-server.md)."
)
_passphrases: dict[Path, str] = {}  # asked once per command, forgotten when it ends


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Front Desk for medical-massage clinics."
    )
    parser.add_argument(
        "--db",
        type=as_location,
        default=None,
        metavar="PATH",
        help=(
            "database file, or a clinic server's address postgresql://user@host/database "
            "(default: FRONTDESK_DB, or the user's data folder)"
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="fill a new database with a demo clinic")
    commands.add_parser("check", help="check the database file and print one line")
    commands.add_parser("where", help="print where the database file is")
    commands.add_parser("selftest")  # the installer's check: build the window, then close it
    _add_print_commands(commands)
    _add_export_commands(commands)
    backup = commands.add_parser("backup", help="back up the database file and check the copy")
    backup.add_argument(
        "--to",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder (default: the user's data folder)",
    )
    restore = commands.add_parser(
        "restore", help="replace the database with a backup (the current file is backed up first)"
    )
    restore.add_argument("backup_file", type=Path, metavar="BACKUP")
    commands.add_parser(
        "encrypt", help="encrypt the database file with a new passphrase (asked twice)"
    )
    commands.add_parser("change-passphrase", help="change the encrypted database file's passphrase")
    copy_to = commands.add_parser(
        "copy-to",
        help="copy the clinic into an empty clinic server database or a new (plain) file, "
        "and check that every table matches",
    )
    copy_to.add_argument(
        "target", type=as_location, metavar="TARGET", help="postgresql://user@host/db or FILE"
    )
    return parser


def _add_print_commands(commands: argparse._SubParsersAction) -> None:
    """`print receipt|superbill|statement ...` and `statements`: numbered PDFs, as on screen."""
    printing = commands.add_parser(
        "print", help="issue a receipt, superbill or year-end statement as a PDF file"
    )
    documents = printing.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    receipt = documents.add_parser("receipt", help="an HSA/FSA receipt for a payment")
    receipt.add_argument("--payment", type=int, required=True, metavar="ID")
    superbill = documents.add_parser("superbill", help="a superbill of a client's medical visits")
    superbill.add_argument("--client", type=int, required=True, metavar="ID")
    superbill.add_argument("--from", dest="start", required=True, metavar="MM/DD/YYYY")
    superbill.add_argument("--to", dest="end", required=True, metavar="MM/DD/YYYY")
    statement = documents.add_parser("statement", help="a client's year-end statement")
    statement.add_argument("--client", type=int, required=True, metavar="ID")
    statement.add_argument("--year", required=True, metavar="YYYY")
    for document in (receipt, superbill, statement):
        document.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    statements = commands.add_parser(
        "statements", help="a year-end statement for every client with activity in the year"
    )
    statements.add_argument("--year", required=True, metavar="YYYY")
    statements.add_argument("--out", type=Path, required=True, metavar="DIR")


def _add_export_commands(commands: argparse._SubParsersAction) -> None:
    """`export client|clients|payments ...`: a client's record, or CSV lists for the accountant."""
    exporting = commands.add_parser(
        "export", help="export a client's complete record, or clients or payments as CSV"
    )
    exports = exporting.add_subparsers(dest="export", metavar="WHAT", required=True)
    record = exports.add_parser(
        "client", help="a client's record (JSON, PDFs and scans) in a new folder inside DIR"
    )
    record.add_argument("--client", type=int, required=True, metavar="ID")
    record.add_argument("--out", type=Path, required=True, metavar="DIR")
    clients = exports.add_parser("clients", help="every client, one row each")
    payments = exports.add_parser("payments", help="the ledger entries received in a period")
    payments.add_argument("--from", dest="start", required=True, metavar="MM/DD/YYYY")
    payments.add_argument("--to", dest="end", required=True, metavar="MM/DD/YYYY")
    for listing in (clients, payments):
        listing.add_argument("--out", type=Path, required=True, metavar="FILE.csv")


# --- passphrases ---------------------------------------------------------------------------------


def _passphrase(path: Path | str) -> str | None:
    """The passphrase of an encrypted file (None for a plain one or a clinic server):
    FRONTDESK_PASSPHRASE, else asked at a terminal; PassphraseNeeded when neither can give it."""
    from frontdesk import db

    if is_server_address(path) or not db.is_encrypted(path):
        return None
    if path not in _passphrases:
        given = os.environ.get(PASSPHRASE_VARIABLE)
        if given is None and not sys.stdin.isatty():
            raise db.PassphraseNeeded(
                f"{path.name} is encrypted: set {PASSPHRASE_VARIABLE} to its passphrase, "
                "or run the command at a terminal to type it."
            )
        _passphrases[path] = given if given is not None else getpass.getpass("Passphrase: ")
    return _passphrases[path]


def _new_passphrase() -> str:
    """A new passphrase: FRONTDESK_NEW_PASSPHRASE, else typed twice at a terminal."""
    from frontdesk import encryption, validation

    given = os.environ.get(NEW_PASSPHRASE_VARIABLE)
    if given is None:
        if not sys.stdin.isatty():
            raise validation.ValidationError(
                "New passphrase", f"set {NEW_PASSPHRASE_VARIABLE}, or run this at a terminal"
            )
        given = getpass.getpass("New passphrase: ")
        if getpass.getpass("New passphrase again: ") != given:
            raise validation.ValidationError("New passphrase", "the two did not match; try again")
    return encryption.check_passphrase(given, "New passphrase")


def run_encrypt(path: Path) -> int:
    """Encrypt the plain database file with a new passphrase; 1 when it is refused."""
    from frontdesk import db, encryption, validation
    from frontdesk.services.backup import BackupError
    from frontdesk.storage_errors import StorageError

    if not path.is_file():
        print(f"Not encrypted: {path}: no such database file", file=sys.stderr)
        return 1
    refusals = (validation.ValidationError, StorageError, BackupError, db.DatabaseUnavailable)
    try:
        if db.is_encrypted(path):
            raise StorageError(f"{path.name} is encrypted already", "Nothing was changed.")
        safety = encryption.encrypt_database(path, _new_passphrase())
    except refusals as refusal:
        print(f"Not encrypted: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    print(
        f"{path}: encrypted. The file as it was, unencrypted, is kept as the backup "
        f"{safety.path}; delete it once the encrypted file opens."
    )
    return 0


def run_change_passphrase(path: Path) -> int:
    """Change the encrypted database file's passphrase; 1 when it is refused."""
    from frontdesk import encryption, validation

    def change(_backup: Any) -> str:
        encryption.change_passphrase(_passphrase(path) or "", _new_passphrase())
        return f"{path}: passphrase changed; backups from now on use the new one."

    return _on_database(path, "Passphrase not changed", change, validation.ValidationError)


def run_demo(path: Path) -> int:
    from frontdesk import db
    from frontdesk.demo import DatabaseNotEmpty, build_demo_clinic

    try:
        db.open_database(path, passphrase=_passphrase(path))
        count = build_demo_clinic()
    except (db.DatabaseUnavailable, DatabaseNotEmpty) as refusal:
        print(f"{path}: {refusal}", file=sys.stderr)
        return 1
    print(f"{path}: demo clinic with {count} clients written.")
    return 0


def run_check(path: Path) -> int:
    from frontdesk import db

    if not is_server_address(path) and not path.exists():
        print(f"{path}: no such database file", file=sys.stderr)
        return 1
    try:
        database = db.open_database(path, migrate=False, passphrase=_passphrase(path))
        problems = db.check_database(database)
    except db.DatabaseUnavailable as error:
        print(f"{path}: PROBLEM: {error}")
        return 1
    if problems:
        print(f"{path}: PROBLEM: " + "; ".join(problems))
        return 1
    from frontdesk.models import AuditEvent

    print(
        f"{path}: OK (schema version {db.schema_version(database)}, {database.checked}, "
        f"audit trail intact: {AuditEvent.select().count()} events linked)"
    )
    return 0


# --- printing receipts, superbills and statements ---------------------------------------------


class CannotPrint(Exception):
    """A document could not be made; the message says why."""


def _year(text: str) -> tuple[date, date]:
    from frontdesk import validation

    year = validation.integer(text, "Year", minimum=1900, maximum=9999)
    return date(year, 1, 1), date(year, 12, 31)


def _day(text: str, field: str) -> date:
    from frontdesk import validation

    return validation.us_date(text, field, required=True)


def _draft(args: argparse.Namespace) -> Draft:
    """The draft the command asks for (read from the open database)."""
    from frontdesk.services import receipts

    if args.document == "receipt":
        client_id = receipts.client_of_payment(args.payment)
        return receipts.draft_receipt(client_id, payment_id=args.payment)
    if args.document == "superbill":
        start, end = _day(args.start, "From"), _day(args.end, "To")
        return receipts.draft_superbill(args.client, start, end)
    return receipts.draft_statement(args.client, *_year(args.year))


def _report_problems(problems: tuple[Problem, ...], who: str = "") -> None:
    """Each completeness problem on its own line of stderr, with where to fix it."""
    for problem in problems:
        where = problem.fix + (f" {problem.record_id}" if problem.record_id is not None else "")
        print(f"{who}problem ({where}): {problem.message}", file=sys.stderr)


def _issue_to_file(draft: Draft, out: Path) -> str:
    """Number the draft, write its PDF, and say what was written."""
    from frontdesk import formatting
    from frontdesk.services import receipts

    receipt = receipts.issue(draft)
    try:
        out.write_bytes(receipts.receipt_pdf(receipt.id))
    except OSError as error:
        raise CannotPrint(
            f"{out} could not be written ({error.strerror or error}); receipt no. "
            f"{receipt.number} is used up: print it again as a duplicate."
        ) from error
    amount = formatting.money(draft.amount_cents)
    return f"{out}: {draft.kind_label} no. {receipt.number}, {amount}"


def _open_existing(path: Path | str) -> None:
    from frontdesk import db

    if not is_server_address(path) and not path.exists():
        raise CannotPrint(f"{path}: no such database file")
    db.open_database(path, passphrase=_passphrase(path))


def _refusals() -> tuple[type[Exception], ...]:
    from frontdesk import validation
    from frontdesk.services.receipts import ReceiptRefused
    from frontdesk.storage_errors import StorageError

    return (CannotPrint, ReceiptRefused, validation.ValidationError, StorageError)


def run_print(path: Path, args: argparse.Namespace) -> int:
    """Issue one document to a PDF file; 1 when it could not be made."""
    from frontdesk import db

    try:
        _open_existing(path)
        draft = _draft(args)
        _report_problems(draft.problems)
        print(_issue_to_file(draft, args.out))
    except (*_refusals(), db.DatabaseUnavailable) as refusal:
        print(f"Not printed: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    return 0


def run_statements(path: Path, year_text: str, folder: Path) -> int:
    """A numbered year-end statement for each client with activity in the year, in `folder`."""
    from frontdesk import db
    from frontdesk.services import receipts

    try:
        _open_existing(path)
        start, end = _year(year_text)
        folder.mkdir(parents=True, exist_ok=True)
        clients = receipts.clients_with_activity(start, end)
        for client_id in clients:
            draft = receipts.draft_statement(client_id, start, end)
            _report_problems(draft.problems, f"client {client_id}: ")
            out = folder / f"statement-{start.year}-client-{client_id}.pdf"
            print(_issue_to_file(draft, out))
    except (*_refusals(), db.DatabaseUnavailable, OSError) as refusal:
        print(f"Not printed: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    print(f"{folder}: {len(clients)} year-end statements for {start.year}.")
    return 0


# --- backups -------------------------------------------------------------------------------------


def _on_database(
    path: Path, refused: str, work: Callable[[Any], str], *more_refusals: type[Exception]
) -> int:
    """Open the database file, do `work(backup module)` and print what it says; on a refusal
    print "`refused`: why" and return 1."""
    from frontdesk import db
    from frontdesk.services import backup
    from frontdesk.storage_errors import StorageError

    refusals = (CannotPrint, backup.BackupError, db.DatabaseUnavailable, StorageError)
    try:
        _open_existing(path)
        said = work(backup)
    except (*refusals, *more_refusals) as refusal:
        print(f"{refused}: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    print(said)
    return 0


def run_backup(path: Path, folder: Path | None) -> int:
    """Back up the database (a file, or a clinic server's with pg_dump) and check the copy;
    1 when no good backup was made."""

    def back_up(backup: Any) -> str:
        made = backup.make_backup(folder)
        return f"{made.path}: backup checked ({made.summary()})"

    return _on_database(path, "Not backed up", back_up)


def run_restore(path: Path, backup_file: Path) -> int:
    """Replace the database (a file, or a clinic server's) with a backup; 1 when the backup
    is refused."""
    from frontdesk import db

    on_server = is_server_address(path)

    def restore(backup: Any) -> str:
        older = os.environ.get(BACKUP_PASSPHRASE_VARIABLE) or None  # before a change of it
        restored = backup.restore(backup_file, passphrase=older)
        taken = restored.taken_at.strftime("%m/%d/%Y %I:%M %p")
        replaced = "the database" if on_server else "the file"
        return (
            f"{path}: restored the backup of {taken} ({restored.summary()}); "
            f"{replaced} as it was is in {restored.safety_backup.path}"
        )

    if on_server:  # the server keeps its own files whole: no damaged file to set aside
        return _on_database(path, "Not restored", restore)
    from frontdesk.services import recovery

    try:
        damage = recovery.damage_in(path, passphrase=_passphrase(path)) if path.exists() else []
    except db.DatabaseUnavailable as refusal:
        print(f"Not restored: {refusal}", file=sys.stderr)
        return 1
    if damage:
        return _restore_over_damaged(path, backup_file)
    return _on_database(path, "Not restored", restore)


def _restore_over_damaged(path: Path, backup_file: Path) -> int:
    """The database is damaged: keep it aside and put the backup in its place."""
    from frontdesk import db
    from frontdesk.services import backup, recovery
    from frontdesk.storage_errors import StorageError

    try:
        passphrase = _passphrase(path)
        chosen = recovery.good_backup(backup_file, passphrase=passphrase)
        result = recovery.restore_over_damaged(path, chosen, passphrase=passphrase)
    except (backup.BackupError, StorageError, db.DatabaseUnavailable, OSError) as refusal:
        print(f"Not restored: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    taken = result.restored.taken_at.strftime("%m/%d/%Y %I:%M %p")
    print(
        f"{path}: it was damaged; restored the backup of {taken} "
        f"({result.restored.summary()}); the damaged file is kept as {result.damaged_kept_as}"
    )
    return 0


def run_copy_to(path: Path | str, target: Path | str) -> int:
    """Copy the clinic into `target` (a server's empty database or a new file) and verify
    every table's count and checksum; 1 when refused or when the copy does not match."""
    from frontdesk import clinic_copy, db, models
    from frontdesk.storage_errors import StorageError

    try:
        _open_existing(path)
        result = clinic_copy.copy_clinic(models.database_proxy.obj, target)
    except (clinic_copy.CopyRefused, CannotPrint, db.DatabaseUnavailable, StorageError) as refusal:
        print(f"Not copied: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    for check in result.tables:
        print(clinic_copy.describe(check), file=sys.stdout if check.equal else sys.stderr)
    for problem in result.problems:
        print(f"{result.target}: PROBLEM: {problem}", file=sys.stderr)
    print(f"{result.source} -> {result.target}: {clinic_copy.summary(result)}")
    if result.plain_file:
        print(f"{result.target} is a plain file: `frontdesk --db FILE encrypt` encrypts it.")
    return 0 if result.ok else 1


# --- exports -------------------------------------------------------------------------------------


def _export(args: argparse.Namespace) -> str:
    """Do the export the command asks for; say what was written (ids and counts only)."""
    from frontdesk import formatting
    from frontdesk.services import records_export as exports

    if args.export == "client":
        made = exports.export_client_record(args.client, args.out)
        return f"{made.path}: record of client {args.client} ({made.summary()})"
    if args.export == "clients":
        made = exports.export_clients_csv(args.out)
        return f"{made.path}: {made.counts['row']} clients"
    start, end = exports.period({"start": args.start, "end": args.end})
    made = exports.export_payments_csv(args.out, start, end)
    period = f"{formatting.us_date(start)} to {formatting.us_date(end)}"
    return f"{made.path}: {made.counts['row']} ledger entries from {period}"


def run_export(path: Path, args: argparse.Namespace) -> int:
    """Write an export; 1 when it could not be written (nothing is left behind)."""
    from frontdesk import db, validation
    from frontdesk.services.records_export import ExportFailed
    from frontdesk.storage_errors import StorageError

    refusals = (ExportFailed, validation.ValidationError, validation.ValidationErrors)
    try:
        _open_existing(path)
        print(_export(args))
    except (*refusals, CannotPrint, StorageError, db.DatabaseUnavailable) as refusal:
        print(f"Not exported: {refusal}", file=sys.stderr)
        return 1
    finally:
        db.close_database()
    return 0


def _window_only(argv: list[str]) -> bool:
    """True for `frontdesk` and `frontdesk --db PATH`: the window, with no command to read.
    The everyday start skips building the commands' parser (it takes longer than the rest of
    the command line); anything else goes to that parser."""
    return not argv or (len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"))


def desktop_shell(command: str) -> Callable[[Path], int]:
    """The desktop window's command, found through the `frontdesk.shell` entry points.

    The Qt shell registers itself there (see pyproject.toml), so the core never imports it.
    They are read from this program's own installed metadata first (importing
    importlib.metadata to search every installed package would slow each start).
    """
    target = _own_entry_points(SHELL_ENTRY_POINTS).get(command)
    if target is not None:
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module.strip()), name.strip())
    from importlib.metadata import entry_points

    found = entry_points(group=SHELL_ENTRY_POINTS, name=command)
    if not found:
        raise SystemExit("The desktop window is not installed; run 'make run' to install it.")
    return next(iter(found)).load()


def _own_entry_points(group: str) -> dict[str, str]:
    """The entry points of `group` in this program's installed metadata ("run" ->
    "ui.app:run"); {} when the metadata is not found on the import path."""
    for folder in sys.path:
        for listed in Path(folder or ".").glob("frontdesk-*.dist-info/entry_points.txt"):
            return _section(listed.read_text(encoding="utf-8"), group)
    return {}


def _section(text: str, group: str) -> dict[str, str]:
    """The `name = target` lines under `[group]` of an entry_points.txt."""
    found: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, target = line.partition("=")
            found[name.strip()] = target.strip()
    return found


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("FRONTDESK_LOG", "WARNING").upper(),
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("peewee").setLevel(logging.INFO)  # its debug lines carry query values
    argv = sys.argv[1:] if argv is None else argv
    if any(holds_password(word) for word in (*argv, os.environ.get("FRONTDESK_DB", ""))):
        print(PASSWORD_IN_ADDRESS, file=sys.stderr)
        return 2
    if _window_only(argv):
        return desktop_shell("run")(as_location(argv[1]) if argv else default_db_path())
    args = _parser().parse_args(argv)
    path = args.db or default_db_path()
    if args.command is None:
        return desktop_shell("run")(path)  # a person signs in there
    from frontdesk import access
    from frontdesk.services.audit import pc_user

    with access.acting_as(access.command_line(pc_user())):  # whoever holds the file
        try:
            return _run_command(args, path)
        finally:
            _passphrases.clear()


def _run_command(args: argparse.Namespace, path: Path) -> int:
    if args.command == "demo":
        return run_demo(path)
    if args.command == "check":
        return run_check(path)
    if args.command == "selftest":
        return desktop_shell("selftest")(path)
    if args.command == "print":
        return run_print(path, args)
    if args.command == "export":
        return run_export(path, args)
    if args.command == "statements":
        return run_statements(path, args.year, args.out)
    if args.command == "backup":
        return run_backup(path, args.to)
    if args.command == "restore":
        return run_restore(path, args.backup_file)
    if args.command == "encrypt":
        return run_encrypt(path)
    if args.command == "change-passphrase":
        return run_change_passphrase(path)
    if args.command == "copy-to":
        return run_copy_to(path, args.target)
    print(path)  # where
    return 0


if __name__ == "__main__":
    sys.exit(main())
