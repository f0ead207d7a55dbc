"""Entering a physician's prescription: the form's rules, the plan check, saving, renewing."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from frontdesk import catalog, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, NotBefore, clean_all, using
from frontdesk.formatting import us_date
from frontdesk.icd10 import Icd10Code
from frontdesk.models import (
    Client,
    InjuryCase,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    database_proxy,
)
from frontdesk.services import audit, records
from frontdesk.services.prescriptions.status import end_date_for, visits_used
from frontdesk.validation import ValidationError

MAX_DIAGNOSES = 12
MAX_TREATMENTS = 365
MODALITY_CHOICES = (("massage_therapy", "Massage therapy"), ("manual_therapy", "Manual therapy"))
PER_UNIT_MAX = {"week": 7, "month": 31}  # treatments per week / per month
DURATION_MAX = {"week": 104, "month": 24}
WEEKS_PER_MONTH = (4.0, 52 / 12)  # a month is 4 to 4.33 weeks
DATE_HINT = "MM/DD/YYYY"
FREQUENCY_HINT = "type it as 2 per week or 1 per month."
DURATION_HINT = "type it as 6 weeks or 12 months."

_UNIT = r"(?P<unit>weeks?|wks?|w|months?|mos?|m)\.?"
_FREQUENCY_RE = re.compile(
    r"(?P<count>[0-9]{1,3}|once|twice)\s*(?:x|times)?\s*(?:per|a|an|each|every|/)?\s*" + _UNIT,
    re.IGNORECASE,
)
_DURATION_RE = re.compile(r"(?P<count>[0-9]{1,3})\s*" + _UNIT, re.IGNORECASE)
_CODE_SEPARATORS = re.compile(r"[,;\s]+")


class Frequency(NamedTuple):
    count: int
    period: str  # week / month

    def __str__(self) -> str:
        return f"{self.count} per {self.period}"


class Duration(NamedTuple):
    count: int
    unit: str  # week / month

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


# --- parsers for the form's fields -------------------------------------------------------


def _unit(word: str) -> str:
    return "week" if word.lower().startswith("w") else "month"


def parse_frequency(text: str, field: str = "Frequency") -> Frequency:
    """How often: "2 per month", "2x/week", "twice a week"."""
    match = _FREQUENCY_RE.fullmatch(text.strip())
    if not match:
        raise ValidationError(field, FREQUENCY_HINT)
    word = match["count"].lower()
    count = {"once": 1, "twice": 2}.get(word) or int(word)
    period = _unit(match["unit"])
    if not 1 <= count <= PER_UNIT_MAX[period]:
        raise ValidationError(
            field, f"type from 1 to {PER_UNIT_MAX[period]} treatments per {period}."
        )
    return Frequency(count, period)


def parse_duration(text: str, field: str = "Duration") -> Duration:
    """How long: "12 months", "6 weeks", "3 mo"."""
    match = _DURATION_RE.fullmatch(text.strip())
    if not match:
        raise ValidationError(field, DURATION_HINT)
    count, unit = int(match["count"]), _unit(match["unit"])
    if not 1 <= count <= DURATION_MAX[unit]:
        raise ValidationError(field, f"type from 1 to {DURATION_MAX[unit]} {unit}s.")
    return Duration(count, unit)


def parse_diagnosis_codes(text: str, field: str = "Diagnosis codes") -> tuple[Icd10Code, ...]:
    """One or more billable ICD-10-CM codes, the primary first; each refusal says why."""
    typed = [token for token in _CODE_SEPARATORS.split(text) if token]
    if len(typed) > MAX_DIAGNOSES:
        raise ValidationError(
            field, f"list at most {MAX_DIAGNOSES} codes ({len(typed)} were typed)."
        )
    codes: list[Icd10Code] = []
    problems: list[str] = []
    for token in typed:
        try:
            code = validation.icd10_code(token, field)
        except ValidationError as error:
            problems.append(error.message)
            continue
        if code in codes:
            problems.append(f"{code.code} is listed twice; list each code once.")
        else:
            codes.append(code)
    if problems:
        raise ValidationError(field, " ".join(_sentence(problem) for problem in problems))
    return tuple(codes)


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def _codes_text(codes: Iterable[Icd10Code | str] | str | None) -> str:
    """Codes as typed in the form: "M54.50, M62.830" (text already typed stays as it is)."""
    if isinstance(codes, str):
        return codes
    return ", ".join(getattr(code, "code", code) for code in codes or ())


def _physician(text: str, field: str) -> int:
    """The id of a physician in the directory."""
    try:
        physician_id = validation.integer(text, field, minimum=1)
    except ValidationError:
        raise ValidationError(field, "choose the physician from the directory.") from None
    if not Physician.select().where(Physician.id == physician_id).exists():
        raise ValidationError(
            field,
            "this physician is no longer in the directory; choose another or add them again.",
        )
    return physician_id


def _treatments(visits_already_used: int) -> Callable[[str, str], int]:
    """Parse the number of treatments: 1-365, and not fewer than the visits already used."""

    def parse(text: str, field: str) -> int:
        count = validation.integer(text, field, minimum=1, maximum=MAX_TREATMENTS)
        if count < visits_already_used:
            raise ValidationError(
                field,
                f"{visits_already_used} visits are already used or booked on this prescription; "
                f"type {visits_already_used} or more, not {count}.",
            )
        return count

    return parse


def _injury_case(text: str, field: str) -> int | None:
    """The id of the injury case the prescription treats, or None (blank)."""
    if not text.strip():
        return None
    try:
        case_id = validation.integer(text, field, minimum=1)
    except ValidationError:
        raise ValidationError(field, "choose one of the client's cases.") from None
    if not InjuryCase.select().where(InjuryCase.id == case_id).exists():
        raise ValidationError(field, "this case no longer exists; choose another.")
    return case_id


def _modality(text: str, field: str) -> str:
    return validation.choice(text, field, dict(MODALITY_CHOICES))


# --- the form ------------------------------------------------------------------------------


def prescription_rules(
    today: date | None = None, visits_already_used: int = 0
) -> tuple[FieldRule, ...]:
    """The form's fields; `today` bounds the date written, editing counts the visits used."""
    return (
        FieldRule("physician_id", "Physician", _physician, required=True),
        FieldRule(
            "written_on",
            "Date written",
            using(validation.past_or_today_date, today=today),
            required=True,
            hint=DATE_HINT,
        ),
        FieldRule(
            "reason",
            "Reason for medical necessity",
            using(validation.required_text, max_length=200),
            required=True,
            hint="e.g. Low back pain",
        ),
        FieldRule(
            "diagnosis_codes",
            "Diagnosis codes",
            parse_diagnosis_codes,
            required=True,
            show=_codes_text,
            hint="e.g. M54.50, M62.830 (primary first)",
        ),
        FieldRule("injury_case_id", "Injury case", _injury_case, empty=None),
        FieldRule("modality", "Modality", _modality, required=True, choices=MODALITY_CHOICES),
        FieldRule(
            "treatments_prescribed",
            "Number of treatments",
            _treatments(visits_already_used),
            required=True,
        ),
        FieldRule("frequency", "Frequency", parse_frequency, required=True, hint="e.g. 2 per week"),
        FieldRule("duration", "Duration", parse_duration, required=True, hint="e.g. 12 months"),
        FieldRule("end_date", "End date", using(validation.us_date), empty=None, hint=DATE_HINT),
        FieldRule("notes", "Notes", using(validation.optional_text), multiline=True),
    )


PRESCRIPTION_RULES = prescription_rules()
RULES_BY_NAME = {rule.name: rule for rule in PRESCRIPTION_RULES}
CHECKLIST_LABELS = {"techniques": "Techniques", "body_areas": "Body areas"}
_DATE_OF_BIRTH = FieldRule("date_of_birth", "Client's date of birth", using(validation.us_date))
ORDERS = (
    NotBefore(RULES_BY_NAME["written_on"], _DATE_OF_BIRTH),
    NotBefore(RULES_BY_NAME["end_date"], RULES_BY_NAME["written_on"]),
)


def _body_areas(raw: Any) -> list[str]:
    label = CHECKLIST_LABELS["body_areas"]
    keys = catalog.checked_keys(raw, catalog.body_areas(), label)
    if not keys:
        raise ValidationError(label, "tick the body areas the physician prescribed treatment for.")
    return keys


def validate_prescription(
    raw: Mapping[str, Any],
    date_of_birth: date,
    *,
    today: date | None = None,
    visits_already_used: int = 0,
) -> dict[str, Any]:
    """Validate a whole prescription form; raise ValidationErrors naming every bad field.

    A blank end date becomes the date written plus the duration.
    """
    raw = {**raw, "diagnosis_codes": _as_text(raw.get("diagnosis_codes"))}
    errors = validation.ErrorCollector()
    rules = prescription_rules(today, visits_already_used)
    known = {"date_of_birth": date_of_birth}
    values = errors.check(clean_all, rules, raw, ORDERS, known) or {}
    values["techniques"] = errors.check(
        catalog.checked_keys,
        raw.get("techniques"),
        catalog.techniques(),
        CHECKLIST_LABELS["techniques"],
    )
    values["body_areas"] = errors.check(_body_areas, raw.get("body_areas"))
    errors.raise_if_any()
    if values["end_date"] is None:
        duration = values["duration"]
        values["end_date"] = end_date_for(values["written_on"], duration.count, duration.unit)
    return values


def _as_text(value: Any) -> str:
    """Diagnosis codes as one text, whether typed in one input or picked into a list."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(str(getattr(item, "code", item)) for item in value)


# --- the plan check shown beside the form --------------------------------------------------


@dataclass(frozen=True)
class PlanCheck:
    """What the form shows while typing: the computed end date and an amber warning."""

    end_date: date | None  # date written + duration; None until both are valid
    warning: str  # "" when frequency x duration agrees with the number (or is not typed yet)


def expected_treatments(frequency: Frequency, duration: Duration) -> tuple[int, int]:
    """How many treatments a frequency over a duration makes: (fewest, most)."""
    total = frequency.count * duration.count
    if frequency.period == duration.unit:
        return total, total
    if frequency.period == "week":  # weekly for some months
        low, high = (total * weeks for weeks in WEEKS_PER_MONTH)
    else:  # monthly for some weeks
        low, high = (total / weeks for weeks in reversed(WEEKS_PER_MONTH))
    return math.floor(low + 1e-9), math.ceil(high - 1e-9)


def plan_warning(treatments: int, frequency: Frequency, duration: Duration) -> str:
    """ "2 per month for 12 months is 24 treatments, not 10." or "" when they agree."""
    low, high = expected_treatments(frequency, duration)
    if low <= treatments <= high:
        return ""
    expected = f"{low}" if low == high else f"{low} to {high}"
    return f"{frequency} for {duration} is {expected} treatments, not {treatments}."


def check_plan(raw: Mapping[str, Any]) -> PlanCheck:
    """The computed end date and the plan warning for the form's current text (never raises)."""
    written = _quietly("written_on", raw)
    duration = _quietly("duration", raw)
    frequency = _quietly("frequency", raw)
    treatments = _quietly("treatments_prescribed", raw)
    end = end_date_for(written, duration.count, duration.unit) if written and duration else None
    warning = (
        plan_warning(treatments, frequency, duration)
        if treatments and frequency and duration
        else ""
    )
    return PlanCheck(end, warning)


def _quietly(name: str, raw: Mapping[str, Any]) -> Any:
    """The field's clean value, or None when it is blank or not valid yet."""
    try:
        return RULES_BY_NAME[name].clean(raw.get(name, ""))
    except ValidationError:
        return None


# --- saving -----------------------------------------------------------------------------------


def _columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The prescription's columns from the form's clean values."""
    frequency, duration = values["frequency"], values["duration"]
    simple = (
        "physician_id",
        "injury_case_id",
        "written_on",
        "reason",
        "modality",
        "techniques",
        "body_areas",
    )
    return {
        **{name: values[name] for name in simple},
        "treatments_prescribed": values["treatments_prescribed"],
        "frequency_count": frequency.count,
        "frequency_period": frequency.period,
        "duration_count": duration.count,
        "duration_unit": duration.unit,
        "end_date": values["end_date"],
        "notes": values["notes"],
    }


@needs(Can.READ_CLIENTS)
def get_prescription(prescription_id: int) -> Prescription:
    """The prescription, or RecordMissing when it was deleted."""
    return records.get_record(Prescription, prescription_id, "prescription")


@needs(Can.READ_CLIENTS)
def diagnoses_of(prescription: Prescription) -> list[PrescriptionDiagnosis]:
    """The prescription's diagnoses, the primary first."""
    return list(prescription.diagnoses.order_by(PrescriptionDiagnosis.position))


def _write_diagnoses(prescription: Prescription, codes: Iterable[Icd10Code]) -> None:
    PrescriptionDiagnosis.delete().where(
        PrescriptionDiagnosis.prescription == prescription
    ).execute()
    for position, code in enumerate(codes, start=1):
        PrescriptionDiagnosis.create(
            prescription=prescription,
            position=position,
            code=code.code,
            description=code.description,
        )


def _check_case_is_the_clients(case_id: int | None, client_id: int) -> None:
    if case_id is not None and InjuryCase.get_by_id(case_id).client_id != client_id:
        raise validation.ValidationErrors(
            [ValidationError("Injury case", "choose one of this client's own cases.")]
        )


@needs(Can.EDIT_PRESCRIPTIONS)
def save_prescription(
    raw: Mapping[str, Any],
    client_id: int,
    prescription_id: int | None = None,
    version: int | None = None,
    actor: str = "",
    *,
    today: date | None = None,
) -> Prescription:
    """Enter a client's prescription, or update the one opened at `version`, from raw values.

    Nothing is saved if any field is bad (ValidationErrors; the number of treatments may
    not drop below the visits already used), if the prescription was saved elsewhere since
    `version` (RecordChanged) or if it or the client was deleted (RecordMissing).
    """
    if prescription_id is not None and version is None:
        raise ValueError("updating a prescription needs the version that was opened")
    client = records.get_record(Client, client_id, "client")
    used = 0 if prescription_id is None else visits_used([prescription_id]).get(prescription_id, 0)
    values = validate_prescription(raw, client.date_of_birth, today=today, visits_already_used=used)
    _check_case_is_the_clients(values["injury_case_id"], client_id)
    columns, codes = _columns(values), values["diagnosis_codes"]
    with database_proxy.atomic():
        if prescription_id is None:
            prescription = Prescription.create(client=client_id, **columns)
            _write_diagnoses(prescription, codes)
            audit.record("create", "prescription", prescription.id, actor)
            return prescription
        return _update(prescription_id, client_id, version, columns, codes, actor)


def _update(
    prescription_id: int,
    client_id: int,
    version: int,
    columns: Mapping[str, Any],
    codes: tuple[Icd10Code, ...],
    actor: str,
) -> Prescription:
    """Write the changes (columns and diagnoses together) if the version is still the one opened."""
    prescription = get_prescription(prescription_id)
    if prescription.client_id != client_id:
        raise ValueError("this prescription belongs to another client")
    if prescription.version != version:
        raise records.RecordChanged("prescription", prescription)
    changed = [name for name, value in columns.items() if getattr(prescription, name) != value]
    stored = [(d.code, d.description) for d in diagnoses_of(prescription)]
    codes_changed = stored != [(code.code, code.description) for code in codes]
    if not changed and not codes_changed:
        return prescription
    for name in changed:
        setattr(prescription, name, columns[name])
    if not prescription.save_if_version(version):
        raise records.RecordChanged("prescription", get_prescription(prescription_id))
    if codes_changed:
        _write_diagnoses(prescription, codes)
        changed.append("diagnosis_codes")
    audit.record(
        "update", "prescription", prescription.id, actor, detail="fields: " + ", ".join(changed)
    )
    return prescription


# --- opening and renewing -----------------------------------------------------------------


def form_values(prescription: Prescription) -> dict[str, Any]:
    """The prescription as a person would type it in the form (to open it for editing)."""
    stored = {
        "physician_id": prescription.physician_id,
        "injury_case_id": prescription.injury_case_id,
        "written_on": prescription.written_on,
        "reason": prescription.reason,
        "diagnosis_codes": [d.code for d in diagnoses_of(prescription)],
        "modality": prescription.modality,
        "treatments_prescribed": prescription.treatments_prescribed,
        "frequency": Frequency(prescription.frequency_count, prescription.frequency_period),
        "duration": Duration(prescription.duration_count, prescription.duration_unit),
        "end_date": prescription.end_date,
        "notes": prescription.notes,
    }
    texts = {rule.name: rule.as_text(stored[rule.name]) for rule in PRESCRIPTION_RULES}
    return {
        **texts,
        "techniques": list(prescription.techniques),
        "body_areas": list(prescription.body_areas),
    }


@needs(Can.READ_CLIENTS)
def renew_values(prescription_id: int, today: date | None = None) -> dict[str, Any]:
    """Form values for a new prescription like an old one: written today, end date recomputed.

    The notes start empty: they were about the old prescription.
    """
    old = get_prescription(prescription_id)
    written = today or date.today()
    end = end_date_for(written, old.duration_count, old.duration_unit)
    return {
        **form_values(old),
        "written_on": us_date(written),
        "end_date": us_date(end),
        "notes": "",
    }
