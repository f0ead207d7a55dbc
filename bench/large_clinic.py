"""A large generated clinic for the benchmarks: 100,000 clients and a million visits by default.

    python bench/large_clinic.py OUT.db [--clients N] [--seed S]

Per client: 10 visits over the last five years with signed SOAP notes, 3 payments put on
those visits, and for one client in five a physician's prescription the visits count
against. The rows are written in bulk (executemany in transactions, foreign keys checked)
but hold what the services would have written: the columns and their defaults come from
the models, a client's search key and search words from the model's own helpers, end
dates from the prescription rules, diagnosis descriptions from the ICD-10-CM index, and each
visit's service line from the fee schedule (`fees.plan_lines`). No audit events are written.
The same seed and day give the same clinic.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from math import ceil
from pathlib import Path
from time import perf_counter
from typing import Any

from peewee import Model
from stdnum import luhn

from frontdesk import access, catalog, db, icd10
from frontdesk.models import (
    SEARCH_WORD_COLUMNS,
    Client,
    ClientSearchWord,
    ClinicProfile,
    Coverage,
    Payer,
    Payment,
    PaymentAllocation,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    ServiceLine,
    Therapist,
    Visit,
    search_word_rows,
)
from frontdesk.services import fees
from frontdesk.services.prescriptions.status import end_date_for
from frontdesk.textsearch import fold, normalize_text

VISITS_PER_CLIENT = 10
PAYMENTS_PER_CLIENT = 3
CLIENTS_PER_PRESCRIPTION = 5
YEARS = 5
SLOTS_PER_DAY = 8  # hourly sessions from 9 AM: a therapist's full day
FIRST_HOUR = 9
PHYSICIANS = 60
CHUNK = 5_000  # clients per transaction while writing visits and payments
NOTE_VARIANTS = 500  # different notes for each set of body areas


def _names(text: str) -> tuple[str, ...]:
    """Names as a person would type them, cleaned the way the program cleans typed text."""
    return tuple(normalize_text(name) for name in text.split(","))


# fmt: off
FEMALE = _names(
    "Zoë,Renée,Chloé,Anaïs,Inés,Mónica,Siobhán,Máire,Thảo,Ngọc,Ana-María,Mary-Kate,Leilani,"
    "Ngozi,Keiko,Priya,Linda,Patricia,Jennifer,Elizabeth,Susan,Jessica,Sarah,Karen,Nancy,Lisa,"
    "Emily,Michelle,Amanda,Hannah,Olivia,Sofía,Camila,Lucía,Françoise,Małgorzata,Åsa,Aoife"
)
MALE = _names(
    "José,Björn,Søren,Łukasz,François,Seán,Jürgen,Jean-Luc,Dae-Jung,D'Andre,Ja'Mari,Kalani,"
    "Oluwaseun,Tomás,Andrés,Raúl,Jesús,Đức,Minh,Hiroshi,James,Robert,Michael,David,William,"
    "Richard,Joseph,Thomas,Daniel,Matthew,Anthony,Mark,Steven,Paul,Andrew,Kevin,Brian,Ömer"
)
LAST = _names(
    "Nguyễn,Trần,Phạm,García,López,Hernández,Martínez,Pérez,Sánchez,Gómez,Smith-Jones,"
    "Garcia-Lopez,O'Brien,O'Connor,D'Angelo,D'Souza,Müller,Schröder,Ødegård,Kowalczyk,"
    "Wiśniewski,Çelik,Yılmaz,Kealoha,Nakamura,MacDonald,McAllister,St. John,van der Berg,"
    "de la Cruz,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,"
    "Moore,Jackson,Martin,Lee,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,"
    "King,Wright,Scott,Torres,Hill,Flores,Green,Adams,Baker,Nelson,Carter,Mitchell,Roberts"
)
MIDDLE = _names("Marie,Ann,Lee,James,Elena,Thị,Văn,Josef,Grace,Noël")
CITIES = (
    ("Portland", "OR", "972"), ("Beaverton", "OR", "970"), ("Salem", "OR", "973"),
    ("Vancouver", "WA", "986"), ("Gresham", "OR", "970"), ("Hillsboro", "OR", "971"),
)
STREETS = (
    "NE Alberta St", "SE Hawthorne Blvd", "N Williams Ave", "SW Main St", "NW 23rd Ave",
    "SE Division St", "NE Sandy Blvd", "SW Capitol Hwy", "N Lombard St", "Oak Grove Rd",
)
AREA_CODES = ("503", "971", "360")
CONDITION_SETS = (
    (), (), (), (), ("high_blood_pressure",), ("diabetes", "other_medications"),
    ("osteoporosis",), ("allergy_oils_lotions",), ("blood_thinners",), ("varicose_veins",),
)
REFERRALS = ("Physician", "Friend", "Web search", "Insurance directory", "")
# condition: (reason for the prescription, ICD-10-CM codes, prescribed body areas)
CONDITIONS = (
    ("Low back pain", ("M54.50", "M62.830"), ("lower_back", "hip_left", "hip_right")),
    ("Neck pain and tension headaches", ("M54.2", "G44.209"), ("neck", "upper_back")),
    ("Right shoulder pain", ("M25.511", "M75.41"), ("shoulder_right", "upper_back", "neck")),
    ("Fibromyalgia pain", ("M79.7",), ("neck", "upper_back", "lower_back")),
    ("Sciatica, left side", ("M54.32",), ("lower_back", "hip_left", "thigh_left")),
    ("Plantar fasciitis, right foot", ("M72.2",), ("foot_right", "calf_right")),
)
TECHNIQUES = ("myofascial_release", "trigger_point_therapy", "neuromuscular_therapy")
WELLNESS_AREAS = (("neck", "upper_back"), ("upper_back", "lower_back"), ("shoulder_left",))
MINUTES = (30, 45, 60, 60, 60)
SUBJECTIVE = (
    "Reports {area} pain {pain}/10, worse after sitting at work.",
    "Slept better since the last visit; {area} still stiff in the morning.",
    "Pain {pain}/10 in the {area}; lifting groceries made it worse this week.",
    "Feels about the same; {area} tight after a long drive.",
)
OBJECTIVE = (
    "Hypertonic muscles and trigger points in the {area}; range of motion limited.",
    "Tender to palpation over the {area}; mild guarding.",
    "Fascial restriction in the {area}; posture rounded forward.",
)
ASSESSMENT = (
    "Tissue softened with treatment; pain {after}/10 after the session.",
    "Good response; range of motion improved, pain down to {after}/10.",
    "Slow progress; pain {after}/10 after treatment.",
)
PLAN = (
    "Continue as prescribed; stretch twice a day at home.",
    "Next visit in two weeks; heat before stretching.",
    "Continue; add posture breaks at work.",
)
CANCEL_REASONS = ("Client ill", "Schedule conflict", "Cancelled the same day", "Weather")
CARD_METHODS = ("credit_card", "debit_card", "hsa_fsa_card")
SELF_PAY_METHODS = ("cash", "check", "credit_card", "debit_card", "hsa_fsa_card")
GRATUITY_METHODS = ("cash", "credit_card", "debit_card")
INSURED_KINDS = ("commercial", "government", "discount_program")
# fmt: on


# --- writing rows in bulk ---------------------------------------------------------------


@cache
def day_text(day: date) -> str:
    return day.isoformat()


def moment_text(moment: datetime) -> str:
    return moment.isoformat(" ")


CLOCK = tuple(f" {minute // 60:02d}:{minute % 60:02d}:00" for minute in range(24 * 60))
WEEK = timedelta(days=7)


def clock(day: date, minute: int) -> str:
    """A moment as a DateTimeField stores it, from its day and the minutes into that day."""
    return day_text(day) + CLOCK[minute]


def _default(model: type[Model], name: str) -> Any:
    """A column's stored default, from the model; a required column without one is an error."""
    column = model._meta.fields[name]
    value = column.default() if callable(column.default) else column.default
    if value is None and not column.null:
        raise ValueError(f"{model.__name__}.{name} has no default: the generator must fill it")
    return column.db_value(value)


class BulkWriter:
    """Rows of one model, written with executemany: the given columns and the model's defaults.

    Every column the model has and the generator does not give gets the model's default,
    so a column added to the model later is filled as a new record's would be.
    """

    def __init__(self, database: db.ClinicDatabase, model: type[Model], given: Sequence[str]):
        fields = model._meta.fields
        rest = [name for name in fields if name not in given]
        self.defaults = tuple(_default(model, name) for name in rest)
        columns = ", ".join(f'"{fields[name].column_name}"' for name in (*given, *rest))
        marks = ", ".join("?" * (len(given) + len(rest)))
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        self.database = database
        self.rows: list[tuple] = []
        self.written = 0
        self.next_id = _last_id(database, model) + 1

    def add(self, *values: Any) -> int:
        """Queue a row (its id first) and return that id."""
        self.rows.append(values + self.defaults)
        self.next_id += 1
        return values[0]

    def flush(self) -> None:
        if self.rows:
            self.database.connection().executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows.clear()


def _last_id(database: db.ClinicDatabase, model: type[Model]) -> int:
    table = model._meta.table_name
    return database.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]


def _prepared(model: type[Model], values: dict[str, Any]) -> Model:
    """A new record with what the model derives on save (a search key)."""
    record = model(**values)
    record.prepare_save()
    return record


def _columns(record: Model) -> tuple:
    """Every column of a record, as stored."""
    fields = type(record)._meta.fields.items()
    return tuple(column.db_value(record.__data__.get(name)) for name, column in fields)


def _prepared_row(model: type[Model], values: dict[str, Any]) -> tuple:
    return _columns(_prepared(model, values))


def _insert_search_words(database: db.ClinicDatabase, rows: list[tuple]) -> None:
    """Clients' search words, as the model writes them with every save of a client."""
    fields = ClientSearchWord._meta.fields
    columns = ", ".join(f'"{fields[name].column_name}"' for name in SEARCH_WORD_COLUMNS)
    marks = ", ".join("?" * len(SEARCH_WORD_COLUMNS))
    sql = f'INSERT INTO "{ClientSearchWord._meta.table_name}" ({columns}) VALUES ({marks})'
    database.connection().executemany(sql, rows)


# --- the plan: who comes when ------------------------------------------------------------


@dataclass
class ClientPlan:
    client_id: int
    prescribed: bool
    days: list[date]
    coverage_id: int | None = None
    payer: Payer | None = None
    condition: int = 0  # a place in CONDITIONS
    rx_id: int | None = None
    rx_key: tuple[str, int] | None = None  # (modality, number of diagnoses)
    charges: list[tuple[int, date, int]] = field(default_factory=list)  # visit, day, net cents


class Generator:
    """One run: its random numbers, the day it counts back from, and the rows it writes."""

    def __init__(self, database: db.ClinicDatabase, today: date, seed: int) -> None:
        self.database = database
        self.today = today
        self.random = random.Random(seed)
        self.first_day = today - timedelta(days=365 * YEARS)
        self.line_plans: dict[tuple, fees.LinePlan | None] = {}
        self.rx_examples: dict[tuple[str, int], int] = {}  # a prescription of each kind
        self.coverage_examples: dict[int, int] = {}  # a coverage with each payer
        self.writers: dict[type[Model], BulkWriter] = {}
        self.notes: dict[tuple[str, ...], list[tuple]] = {}  # NOTE_VARIANTS per body areas
        self.search_words = 0

    def pick(self, items: Sequence[Any]) -> Any:
        return items[int(self.random.random() * len(items))]

    def between(self, low: int, high: int) -> int:
        """A whole number from `low` to `high` (both included)."""
        return low + int(self.random.random() * (high - low + 1))

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def writer(self, model: type[Model], given: Sequence[str]) -> BulkWriter:
        self.writers[model] = BulkWriter(self.database, model, given)
        return self.writers[model]

    # --- visit days -----------------------------------------------------------------------

    def visit_days(self, prescribed: bool, count: int) -> list[date]:
        """`count` visit days: every 10-18 days under a prescription, irregular otherwise.

        A few clients have their last visits booked in the next two weeks; no visit on Sundays.
        """
        low, high = (10, 18) if prescribed else (7, 120)
        gaps = [self.between(low, high) for _ in range(count - 1)]
        span = sum(gaps)
        if self.chance(0.04):
            start = self.today + timedelta(days=self.between(1, 14) - span)
        else:
            start = self.today - timedelta(days=self.between(span + 1, 365 * YEARS))
        days, day = [], start
        for gap in [0, *gaps]:
            day += timedelta(days=gap)
            sunday = day.weekday() == 6
            days.append(day + timedelta(days=self.pick((-1, 1))) if sunday else day)
        return days

    def plan(self, clients: int, visits_per_client: int, first_id: int) -> list[ClientPlan]:
        wanted = max(1, clients // CLIENTS_PER_PRESCRIPTION) if clients else 0
        prescribed = set(self.random.sample(range(clients), wanted))
        return [
            ClientPlan(
                first_id + n, n in prescribed, self.visit_days(n in prescribed, visits_per_client)
            )
            for n in range(clients)
        ]

    # --- the clinic, its therapists and physicians ------------------------------------------

    def records(self, model: type[Model], rows: Iterable[dict[str, Any]]) -> list[int]:
        """A few records of the clinic's own, made the morning of the first day."""
        writer = BulkWriter(self.database, model, list(model._meta.fields))
        moment = datetime.combine(self.first_day, time(8))
        ids = [
            writer.add(
                *_prepared_row(
                    model, {"id": writer.next_id, "created_at": moment, "updated_at": moment, **row}
                )
            )
            for row in rows
        ]
        writer.flush()
        return ids

    def clinic(self) -> None:
        profile = {
            "name": "Cedar & Sage Medical Massage",
            "address_line1": "2100 SE Belmont St, Suite 4",
            "city": "Portland",
            "state": "OR",
            "zip_code": "97214",
            "phone": "+15035550100",
            "email": "frontdesk@cedarsage.example",
            "ein": "93-7654321",
            "npi": self.npi("2"),
        }
        self.records(ClinicProfile, [profile])

    def npi(self, kind: str = "1") -> str:
        """A made-up NPI that passes the check (Luhn with the prefix 80840)."""
        body = kind + f"{self.between(0, 10**8 - 1):08d}"
        return body + luhn.calc_check_digit("80840" + body)

    def phone(self) -> str:
        return f"+1{self.pick(AREA_CODES)}555{self.between(0, 9999):04d}"

    def therapists(self, count: int) -> list[int]:
        rows = (
            {
                "first_name": self.pick(FEMALE + MALE),
                "last_name": self.pick(LAST),
                "credentials": "LMT",
                "license_number": f"LMT-{self.between(10000, 99999)}",
                "license_state": "OR",
                "npi": self.npi(),
            }
            for _ in range(count)
        )
        return self.records(Therapist, rows)

    def physicians(self) -> list[int]:
        practices = ("Family Medicine", "Orthopedics", "Spine & Sports", "Internal Medicine")
        rows = (
            {
                "first_name": self.pick(FEMALE + MALE),
                "last_name": self.pick(LAST),
                "credentials": self.pick(("MD", "MD", "DO", "NP", "PA-C")),
                "npi": self.npi(),
                "practice": f"{self.pick(CITIES)[0]} {self.pick(practices)}",
                "phone": self.phone(),
                "fax": self.phone(),
            }
            for _ in range(PHYSICIANS)
        )
        return self.records(Physician, rows)

    # --- clients and their coverage -----------------------------------------------------

    def clients(self, plans: list[ClientPlan]) -> None:
        payers = list(Payer.select().where(Payer.kind.in_(INSURED_KINDS)).order_by(Payer.id))
        clients = self.writer(Client, list(Client._meta.fields))
        coverages = self.writer(Coverage, COVERAGE_COLUMNS)
        words: list[tuple] = []
        with self.database.atomic():
            for plan in plans:
                values = self.client_values(plan)
                client = _prepared(Client, values)
                clients.add(*_columns(client))
                words.extend(search_word_rows(client))
                if self.chance(0.7 if plan.prescribed else 0.1):
                    self.coverage(plan, values, self.pick(payers), coverages)
            clients.flush()
            coverages.flush()
            _insert_search_words(self.database, words)
        self.search_words = len(words)

    def client_values(self, plan: ClientPlan) -> dict[str, Any]:
        female = self.chance(0.55)
        first, last = self.pick(FEMALE if female else MALE), self.pick(LAST)
        registered = plan.days[0] - timedelta(days=self.between(7, 21))
        moment = datetime.combine(registered, time(FIRST_HOUR))
        plan.condition = self.random.randrange(len(CONDITIONS))
        return {
            "id": plan.client_id,
            "created_at": moment,
            "updated_at": moment,
            "first_name": first,
            "middle_name": self.pick(MIDDLE) if self.chance(0.15) else "",
            "last_name": last,
            "preferred_name": self.pick(FEMALE if female else MALE) if self.chance(0.03) else "",
            "date_of_birth": self.today - timedelta(days=self.between(18 * 365, 90 * 365)),
            "sex": "F" if female else "M",
            **self.address(),
            "mobile_phone": self.phone(),
            "email": f"{_local(first)}.{_local(last)}{self.between(1, 999)}@mail.example",
            "preferred_contact": self.pick(("mobile", "text", "email")),
            "emergency_name": f"{self.pick(FEMALE + MALE)} {last}",
            "emergency_relation": self.pick(("Spouse", "Parent", "Sibling", "Friend")),
            "emergency_phone": self.phone(),
            "health_conditions": list(self.pick(CONDITION_SETS)),
            "current_complaint": CONDITIONS[plan.condition][0],
            "pain_areas": list(CONDITIONS[plan.condition][2]),
            "consent_signed_on": registered,
            "privacy_notice_on": registered,
            "referral_source": self.pick(REFERRALS),
        }

    def address(self) -> dict[str, str]:
        city, state, zip_start = self.pick(CITIES)
        return {
            "address_line1": f"{self.between(100, 9999)} {self.pick(STREETS)}",
            "city": city,
            "state": state,
            "zip_code": f"{zip_start}{self.between(0, 99):02d}",
        }

    def coverage(
        self, plan: ClientPlan, client: dict[str, Any], payer: Payer, coverages: BulkWriter
    ) -> None:
        starts = client["consent_signed_on"] - timedelta(days=30)
        moment = moment_text(client["created_at"])
        plan.coverage_id = coverages.add(
            coverages.next_id,
            moment,
            moment,
            plan.client_id,
            payer.id,
            (payer.plan_types or [""])[0],
            f"{fold(payer.name)[:3].upper()}{self.between(10**7, 10**8 - 1)}",
            f"G{self.between(1000, 9999)}" if payer.kind == "commercial" else "",
            f"{client['first_name']} {client['last_name']}",
            day_text(starts),
        )
        plan.payer = payer
        self.coverage_examples.setdefault(payer.id, plan.coverage_id)

    # --- prescriptions ------------------------------------------------------------------------

    def prescriptions(self, plans: list[ClientPlan], physicians: list[int]) -> None:
        prescriptions = self.writer(Prescription, PRESCRIPTION_COLUMNS)
        diagnoses = self.writer(PrescriptionDiagnosis, DIAGNOSIS_COLUMNS)
        descriptions = _descriptions()
        with self.database.atomic():
            for plan in plans:
                if plan.prescribed:
                    self.prescription(plan, self.pick(physicians), prescriptions)
                    codes = CONDITIONS[plan.condition][1]
                    for position, code in enumerate(codes, 1):
                        row = (plan.rx_id, position, code, descriptions[code])
                        diagnoses.add(diagnoses.next_id, *self.stamps(plan), *row)
            prescriptions.flush()
            diagnoses.flush()

    def stamps(self, plan: ClientPlan) -> tuple[str, str]:
        """created_at and updated_at of a prescription's rows: the day before its first visit."""
        moment = moment_text(datetime.combine(plan.days[0] - timedelta(days=1), time(12)))
        return moment, moment

    def prescription(self, plan: ClientPlan, physician: int, prescriptions: BulkWriter) -> None:
        reason, codes, areas = CONDITIONS[plan.condition]
        written = plan.days[0] - timedelta(days=self.between(1, 14))
        modality = "manual_therapy" if self.chance(0.1) else "massage_therapy"
        plan.rx_id = prescriptions.add(
            prescriptions.next_id,
            *self.stamps(plan),
            plan.client_id,
            physician,
            day_text(written),
            reason,
            modality,
            _json(TECHNIQUES),
            _json(areas),
            RX_TREATMENTS,
            RX_PER_MONTH,
            "month",
            RX_MONTHS,
            "month",
            day_text(end_date_for(written, RX_MONTHS, "month")),
        )
        plan.rx_key = (modality, len(codes))
        self.rx_examples.setdefault(plan.rx_key, plan.rx_id)

    # --- visits, their notes and charges --------------------------------------------------

    def visits_and_payments(self, plans: list[ClientPlan], therapists: list[int]) -> None:
        """Each client's visits with notes and service lines, then their payments."""
        self.writer(Visit, VISIT_COLUMNS)
        self.writer(ServiceLine, LINE_COLUMNS)
        self.writer(Payment, PAYMENT_COLUMNS)
        self.writer(PaymentAllocation, ALLOCATION_COLUMNS)
        booked: Counter[date] = Counter()
        for start in range(0, len(plans), CHUNK):
            with self.database.atomic():
                for plan in plans[start : start + CHUNK]:
                    for number, day in enumerate(plan.days):
                        slot = booked[day]
                        booked[day] += 1
                        therapist = therapists[slot // SLOTS_PER_DAY]
                        self.visit(plan, number, day, slot % SLOTS_PER_DAY, therapist)
                    self.payments(plan)
                for model in (Visit, ServiceLine, Payment, PaymentAllocation):
                    self.writers[model].flush()

    def status(self, number: int, day: date) -> str:
        """Future visits are booked; past ones done, a few cancelled or missed (never the first
        three, so every client has visits to pay for)."""
        if day > self.today:
            return "scheduled"
        roll = self.random.random() if number >= PAYMENTS_PER_CLIENT else 1.0
        return "cancelled" if roll < 0.05 else "no_show" if roll < 0.08 else "completed"

    def visit(self, plan: ClientPlan, number: int, day: date, slot: int, therapist: int) -> None:
        starts = (FIRST_HOUR + slot) * 60  # minutes into the day
        minutes = self.pick(MINUTES)
        status = self.status(number, day)
        areas = CONDITIONS[plan.condition][2] if plan.rx_id else self.pick(WELLNESS_AREAS)
        booked_at = clock(day - WEEK, starts)
        visits = self.writers[Visit]
        visit_id = visits.next_id
        if status == "completed":
            note = self.signed_note(clock(day, starts + minutes + 5), areas, therapist)
        else:
            note = self.unseen(status, booked_at)
        fee = LATE_FEE if status in ("cancelled", "no_show") and self.chance(0.4) else 0
        visits.add(
            visit_id,
            booked_at,
            note["updated_at"],
            note["version"],
            plan.client_id,
            therapist,
            clock(day, starts),
            minutes,
            plan.rx_id,
            plan.coverage_id,
            status,
            *note["columns"],
            fee,
            note["reason"],
        )
        if status == "completed":
            self.service_line(plan, visit_id, day, starts, minutes)
        elif fee:
            plan.charges.append((visit_id, day, fee))

    def signed_note(self, signed: str, areas: tuple[str, ...], therapist: int) -> dict[str, Any]:
        """A short SOAP note, signed by the treating therapist as the session ends.

        Booked, checked in, completed, drafted and signed: five saves, version 5.
        """
        columns = (*self.pick(self.note_texts(areas)), signed, therapist)
        return {"updated_at": signed, "version": 5, "columns": columns, "reason": ""}

    def note_texts(self, areas: tuple[str, ...]) -> list[tuple]:
        """Notes for visits treating `areas`, made once: techniques, areas, SOAP text, pain."""
        if areas not in self.notes:
            self.notes[areas] = [self.note_text(areas) for _ in range(NOTE_VARIANTS)]
        return self.notes[areas]

    def note_text(self, areas: tuple[str, ...]) -> tuple:
        area = AREA_WORDS[areas[0]]
        before = self.between(3, 8)
        after = max(0, before - self.between(1, 3))
        return (
            _json(TECHNIQUES[: 1 + self.between(0, 2)]),
            _json(areas),
            self.pick(SUBJECTIVE).format(area=area, pain=before),
            self.pick(OBJECTIVE).format(area=area),
            self.pick(ASSESSMENT).format(after=after),
            self.pick(PLAN),
            before,
            after,
        )

    def unseen(self, status: str, booked_at: str) -> dict[str, Any]:
        """A visit not (yet) given: booked (version 1), or cancelled or missed (version 2)."""
        columns = (EMPTY_LIST, EMPTY_LIST, "", "", "", "", None, None, None, None)
        if status == "scheduled":
            return {"updated_at": booked_at, "version": 1, "columns": columns, "reason": ""}
        reason = self.pick(CANCEL_REASONS) if status == "cancelled" else ""
        return {"updated_at": booked_at, "version": 2, "columns": columns, "reason": reason}

    def service_line(
        self, plan: ClientPlan, visit_id: int, day: date, starts: int, minutes: int
    ) -> None:
        line = self.line_plan(plan, day, starts, minutes)
        if line is None:
            return
        lines = self.writers[ServiceLine]
        moment = clock(day, starts + minutes)
        lines.add(
            lines.next_id,
            moment,
            moment,
            visit_id,
            line.code.id,
            line.units,
            line.charge_cents,
            line.discount_cents,
            line.diagnosis_pointers,
            line.discount_reason,
            line.medical,
        )
        net = line.charge_cents - line.discount_cents
        if net > 0:
            plan.charges.append((visit_id, day, net))

    def line_plan(
        self, plan: ClientPlan, day: date, starts: int, minutes: int
    ) -> fees.LinePlan | None:
        """The line the fee schedule charges such a visit, worked out once per kind of visit.

        A kind is the prescription's modality and diagnoses, the payer and the minutes: the
        generated clinic has no price changes, so the day does not change the charge.
        """
        payer_id = plan.payer.id if plan.payer is not None else None
        key = (plan.rx_key, payer_id, minutes)
        if key not in self.line_plans:
            example = Visit(
                starts_at=datetime.combine(day, time()) + timedelta(minutes=starts),
                minutes=minutes,
                prescription=self.rx_examples[plan.rx_key] if plan.rx_key else None,
                coverage=self.coverage_examples[payer_id] if payer_id else None,
            )
            found = fees.plan_lines(example)
            self.line_plans[key] = found[0] if found else None
        return self.line_plans[key]

    # --- payments -------------------------------------------------------------------------

    def payments(self, plan: ClientPlan) -> None:
        """Payments for consecutive groups of visits, each put on the visits it pays.

        Most clients owe nothing; a few still owe half a visit, a few have a credit.
        """
        groups = _split(plan.charges, PAYMENTS_PER_CLIENT)
        owing, credit = self.chance(0.08), self.chance(0.03)
        method, payer_id = self.method(plan)
        for number, group in enumerate(groups):
            shares = [(visit_id, cents) for visit_id, _, cents in group]
            last = number == len(groups) - 1
            if last and owing:
                shares[-1] = (shares[-1][0], shares[-1][1] // 2)
            extra = 2000 if last and credit else 0
            self.payment(plan, group[-1][1], method, payer_id, shares, extra)

    def method(self, plan: ClientPlan) -> tuple[str, int | None]:
        """How the client's visits are paid: by the insurer, or by the client."""
        if plan.payer is not None and plan.payer.kind != "discount_program":
            return "insurer", plan.payer.id
        return self.pick(CARD_METHODS if plan.payer else SELF_PAY_METHODS), None

    def payment(
        self,
        plan: ClientPlan,
        day: date,
        method: str,
        payer_id: int | None,
        shares: list[tuple[int, int]],
        extra: int,
    ) -> None:
        payments = self.writers[Payment]
        allocations = self.writers[PaymentAllocation]
        moment = moment_text(datetime.combine(day, time(17)))
        tip = self.between(5, 20) * 100 if method in GRATUITY_METHODS else 0
        payment_id = payments.add(
            payments.next_id,
            moment,
            moment,
            plan.client_id,
            day_text(day),
            sum(cents for _, cents in shares) + extra,
            tip if self.chance(0.25) else 0,
            method,
            self.reference(method),
            payer_id,
        )
        for visit_id, cents in shares:
            allocations.add(allocations.next_id, moment, moment, payment_id, visit_id, cents)

    def reference(self, method: str) -> str:
        if method == "check":
            return str(self.between(1000, 9999))
        if method == "insurer":
            return f"CLM{self.between(10**8, 10**9 - 1)}"
        return "" if method == "cash" else f"{self.between(0, 9999):04d}"


# --- helpers and the columns each model is given ---------------------------------------------

RX_TREATMENTS, RX_PER_MONTH, RX_MONTHS = 12, 2, 6
LATE_FEE = 2500  # a late cancellation or a no-show
EMPTY_LIST = "[]"
STAMPS = ("id", "created_at", "updated_at")
COVERAGE_COLUMNS = (
    *STAMPS, "client", "payer", "plan_type", "member_id", "group_number", "subscriber_name",
    "starts_on",
)  # fmt: skip
PRESCRIPTION_COLUMNS = (
    *STAMPS, "client", "physician", "written_on", "reason", "modality", "techniques",
    "body_areas", "treatments_prescribed", "frequency_count", "frequency_period",
    "duration_count", "duration_unit", "end_date",
)  # fmt: skip
DIAGNOSIS_COLUMNS = (*STAMPS, "prescription", "position", "code", "description")
VISIT_COLUMNS = (
    *STAMPS, "version", "client", "therapist", "starts_at", "minutes", "prescription",
    "coverage", "status", "techniques", "body_areas", "subjective", "objective", "assessment",
    "plan", "pain_before", "pain_after", "signed_at", "signed_by", "fee_cents", "status_reason",
)  # fmt: skip
LINE_COLUMNS = (
    *STAMPS, "visit", "service_code", "units", "charge_cents", "discount_cents",
    "diagnosis_pointers", "discount_reason", "medical",
)  # fmt: skip
PAYMENT_COLUMNS = (
    *STAMPS, "client", "received_on", "amount_cents", "gratuity_cents", "method", "reference",
    "payer",
)  # fmt: skip
ALLOCATION_COLUMNS = (*STAMPS, "payment", "visit", "amount_cents")
AREA_WORDS = {item.key: item.label.split(" (")[0].lower() for item in catalog.body_areas()}


@cache
def _local(name: str) -> str:
    """A name as the part of an email address before the @: plain letters."""
    return fold(name).replace(" ", "")


@cache
def _json(values: tuple[str, ...]) -> str:
    """A list of catalog keys as a JSON list column stores it."""
    return Visit.body_areas.db_value(list(values))


def _descriptions() -> dict[str, str]:
    """Each diagnosis code's description, as the prescription service stores it."""
    codes = {code for _, listed, _ in CONDITIONS for code in listed}
    return {code: icd10.lookup(code).description for code in codes}


def _split(items: list, parts: int) -> list[list]:
    """`items` in up to `parts` consecutive groups of nearly equal size (none empty)."""
    count = min(parts, len(items))
    size, rest = divmod(len(items), count) if count else (0, 0)
    groups, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < rest else 0)
        groups.append(items[start:end])
        start = end
    return groups


def therapists_needed(plans: Iterable[ClientPlan]) -> int:
    """Enough therapists that nobody is booked twice at once on the busiest day."""
    per_day = Counter(day for plan in plans for day in plan.days)
    return max(2, ceil(max(per_day.values(), default=0) / SLOTS_PER_DAY))


# --- the whole clinic ------------------------------------------------------------------------


class DatabaseNotEmpty(Exception):
    """The large clinic is only written into a database without clients."""


def generate(
    path: Path | str,
    clients: int = 100_000,
    visits_per_client: int = VISITS_PER_CLIENT,
    *,
    seed: int = 1,
    today: date | None = None,
) -> dict[str, int]:
    """Write the large clinic into a new database file; return the rows written per table.

    Per client: `visits_per_client` visits and 3 payments; one client in five has a
    prescription. The file is left closed.
    """
    database = db.open_database(path)
    try:
        if Client.select().exists():
            raise DatabaseNotEmpty(f"{Path(path).name} already has clients")
        _load_quickly(database)
        generator = Generator(database, today or date.today(), seed)
        _drop_indexes(database)
        counts = _write(generator, clients, visits_per_client)
        _create_indexes(database)
        _back_to_safe_writes(database)
    finally:
        db.close_database()
    return counts


BULK_MODELS = (
    Client, ClientSearchWord, Coverage, Prescription, PrescriptionDiagnosis, Visit, ServiceLine,
    Payment, PaymentAllocation,
)  # fmt: skip


def _load_quickly(database: db.ClinicDatabase) -> None:
    """While the new file fills, keep the rollback journal in memory and do not sync.

    A new generated file is not precious: a failed run is simply run again.
    """
    database.execute_sql("PRAGMA journal_mode = MEMORY")
    database.execute_sql("PRAGMA synchronous = OFF")


def _back_to_safe_writes(database: db.ClinicDatabase) -> None:
    """The journal mode and syncing the program opens the file with."""
    for name in ("journal_mode", "synchronous"):
        database.execute_sql(f"PRAGMA {name} = {db.PRAGMAS[name]}")


def _drop_indexes(database: db.ClinicDatabase) -> None:
    """Without their indexes the big tables fill about twice as fast (built once at the end)."""
    with database.atomic():
        for model in BULK_MODELS:
            model._schema.drop_indexes(safe=True)


def _create_indexes(database: db.ClinicDatabase) -> None:
    """The big tables' indexes, exactly as the models declare them."""
    with database.atomic():
        for model in BULK_MODELS:
            model._schema.create_indexes(safe=True)


def _write(generator: Generator, clients: int, visits_per_client: int) -> dict[str, int]:
    with generator.database.atomic():
        generator.clinic()
        physicians = generator.physicians()
    plans = generator.plan(clients, visits_per_client, _last_id(generator.database, Client) + 1)
    with generator.database.atomic():
        therapists = generator.therapists(therapists_needed(plans))
    generator.clients(plans)
    generator.prescriptions(plans, physicians)
    generator.visits_and_payments(plans, therapists)
    counts = {"therapist": len(therapists), "physician": len(physicians)}
    counts[ClientSearchWord._meta.table_name] = generator.search_words
    for model, writer in generator.writers.items():
        counts[model._meta.table_name] = writer.written
    return counts


# --- the benchmarks' copy, made once and reused ---------------------------------------------

CACHE = Path(tempfile.gettempdir()) / "frontdesk-bench"


def clinic_options(description: str, runs: int | None = None) -> argparse.ArgumentParser:
    """A benchmark's command line over the large clinic: --clients, --fresh (generate it
    again), and --runs when the benchmark repeats its work."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--clients", type=int, default=100_000)
    if runs is not None:
        parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--fresh", action="store_true", help="generate the clinic again")
    return parser


def clinic_file(clients: int, fresh: bool) -> Path:
    """The generated clinic of `clients` clients, written now unless a matching one is there."""
    path = CACHE / f"large-clinic-{clients}.db"
    if not fresh and _matches(path, clients):
        print(f"reusing {path}")
        return path
    for stale in CACHE.glob(f"{path.name}*"):
        stale.unlink()
    CACHE.mkdir(parents=True, exist_ok=True)
    started = perf_counter()
    counts = generate(path, clients)
    print(f"generated {counts['visit']:,} visits of {clients:,} clients in "
          f"{perf_counter() - started:.1f} s: {path}")  # fmt: skip
    return path


def _matches(path: Path, clients: int) -> bool:
    """The file is a generated clinic of this size at the program's schema version."""
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            found = connection.execute("SELECT COUNT(*) FROM client").fetchone()[0]
            visits = connection.execute("SELECT COUNT(*) FROM visit").fetchone()[0]
    except sqlite3.Error:
        return False
    return (version, found, visits) == (db.LATEST_VERSION, clients, clients * VISITS_PER_CLIENT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a large generated clinic.")
    parser.add_argument("out", type=Path, help="the new database file")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists already; give a new file")
    started = perf_counter()
    with access.acting_as(access.command_line("benchmark")):
        counts = generate(args.out, args.clients, seed=args.seed)
    took = perf_counter() - started
    for table, count in counts.items():
        print(f"  {table:20} {count:>10,}")
    size = args.out.stat().st_size / 2**20
    print(f"written in {took:.1f} s; {args.out.name} is {size:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
