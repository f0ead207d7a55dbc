"""Injury cases: a workers' compensation or auto-accident claim that pays for a client's care."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from peewee import JOIN

from frontdesk import formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, NotBefore, clean_all, using
from frontdesk.models import OPEN_CASE_STATUSES, InjuryCase, Payer, Prescription, database_proxy
from frontdesk.services import client_records as parts
from frontdesk.services import payers, records

CASE_KIND_CHOICES = (("workers_comp", "Workers' compensation"), ("auto", "Auto accident"))
CASE_STATUS_CHOICES = (
    ("open", "Open"),
    ("pending", "Pending (claim not accepted yet)"),
    ("denied", "Denied"),
    ("settled", "Settled"),
    ("closed", "Closed"),
)
DATE_LABELS = {"workers_comp": "Date of injury", "auto": "Date of accident"}
FIELDS = {
    "workers_comp": (
        "claim_number",
        "date_of_injury",
        "employer",
        "employer_address",
        "carrier_id",
        "adjuster_name",
        "adjuster_phone",
        "adjuster_email",
        "status",
    ),
    "auto": (
        "claim_number",
        "date_of_injury",
        "state",
        "carrier_id",
        "policy_number",
        "adjuster_name",
        "adjuster_phone",
        "attorney_name",
        "attorney_phone",
        "pip_limit_cents",
        "status",
    ),
}
REQUIRED = {"workers_comp": ("employer", "carrier_id"), "auto": ("state",)}
_DATE_OF_BIRTH = FieldRule("date_of_birth", "Client's date of birth", using(validation.us_date))


def _every_rule(kind: str, keep_carrier_id: int | None, today: date | None) -> list[FieldRule]:
    """Every field a case of this kind could have (the kind picks which it has)."""
    return [
        FieldRule("claim_number", "Claim number", parts.reference()),
        parts.date_rule(
            "date_of_injury",
            DATE_LABELS[kind],
            using(validation.past_or_today_date, today=today),
            required=True,
        ),
        FieldRule("employer", "Employer", parts.text(120)),
        FieldRule("employer_address", "Employer address", parts.text(200)),
        FieldRule("state", "State", using(validation.state), hint="e.g. OR"),
        FieldRule(
            "carrier_id",
            "Carrier",
            payers.payer_picker((kind,), keep_carrier_id),
            empty=None,
            hint="choose from the directory",
        ),
        FieldRule("policy_number", "Policy number", parts.reference()),
        FieldRule("adjuster_name", "Adjuster name", parts.optional_name),
        FieldRule("adjuster_phone", "Adjuster phone", parts.phone, show=formatting.phone),
        FieldRule("adjuster_email", "Adjuster email", parts.email),
        FieldRule("attorney_name", "Attorney name", parts.optional_name),
        FieldRule("attorney_phone", "Attorney phone", parts.phone, show=formatting.phone),
        parts.money_rule("pip_limit_cents", "PIP limit"),
        FieldRule(
            "status",
            "Case status",
            parts.choice_or_default(CASE_STATUS_CHOICES, "open"),
            choices=CASE_STATUS_CHOICES,
        ),
    ]


def case_rules(
    kind: str, *, keep_carrier_id: int | None = None, today: date | None = None
) -> tuple[FieldRule, ...]:
    """The form's fields for a case of `kind` (workers_comp or auto), in the form's order.

    The carrier must be an active payer of that kind, unless it is the one the case has
    (`keep_carrier_id`); the date may not be after `today`.
    """
    if kind not in FIELDS:
        raise ValueError(f"unknown kind of case: {kind!r}")
    rules = {rule.name: rule for rule in _every_rule(kind, keep_carrier_id, today)}
    required = REQUIRED[kind]
    return tuple(
        replace(rules[name], required=rules[name].required or name in required)
        for name in FIELDS[kind]
    )


def validate_case(
    raw: Mapping[str, Any],
    kind: str,
    date_of_birth: date,
    *,
    keep_carrier_id: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Validate a whole case form; raise ValidationErrors naming every bad field.

    The date of injury or accident may not be before the client's birth or after today.
    """
    rules = case_rules(kind, keep_carrier_id=keep_carrier_id, today=today)
    dated = next(rule for rule in rules if rule.name == "date_of_injury")
    orders = (NotBefore(dated, _DATE_OF_BIRTH),)
    return clean_all(rules, raw, orders, known={"date_of_birth": date_of_birth})


@needs(Can.EDIT_CLIENTS)
def save_case(
    raw: Mapping[str, Any],
    client_id: int,
    kind: str,
    case_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
    today: date | None = None,
) -> InjuryCase:
    """Open a client's workers' comp or auto case, or update the one opened at `version`.

    Nothing is saved if any field is bad (ValidationErrors), if the case was saved elsewhere
    since `version` (RecordChanged), or if it or the client was deleted (RecordMissing).
    A case keeps its kind (ValueError).
    """
    records.check_can_save(case_id, version, "case")
    client = parts.get_client(client_id)
    keep = get_case(case_id).carrier_id if case_id is not None else None
    values = validate_case(raw, kind, client.date_of_birth, keep_carrier_id=keep, today=today)
    return parts.save_for_client(
        InjuryCase,
        client_id,
        case_id,
        version,
        values,
        noun="case",
        actor=actor,
        fixed={"kind": kind},
    )


@needs(Can.READ_CLIENTS)
def get_case(case_id: int) -> InjuryCase:
    """The case, or RecordMissing when it was deleted."""
    return records.get_record(InjuryCase, case_id, "case")


def case_form_values(case: InjuryCase) -> dict[str, str]:
    """The case's fields as a person would type them (to open it for editing)."""
    return parts.form_texts(case_rules(case.kind, keep_carrier_id=case.carrier_id), case)


@needs(Can.EDIT_CLIENTS)
def link_prescription(prescription_id: int, case_id: int | None, actor: str = "") -> Prescription:
    """Tie a prescription to the client's case it treats (or untie it, with None)."""
    with database_proxy.atomic():
        prescription = records.get_record(Prescription, prescription_id, "prescription")
        if case_id is not None and get_case(case_id).client_id != prescription.client_id:
            raise ValueError("the case and the prescription belong to different clients")
        return records.update_record(
            Prescription,
            prescription_id,
            prescription.version,
            {"injury_case_id": case_id},
            entity="prescription",
            noun="prescription",
            actor=actor,
        )


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One line of a client's cases."""

    id: int
    kind: str  # CASE_KIND_CHOICES
    kind_label: str
    claim_number: str
    date_label: str  # "Date of injury" / "Date of accident"
    date: date
    carrier_name: str  # "" when no carrier is recorded
    status: str  # CASE_STATUS_CHOICES
    status_label: str
    open: bool


@needs(Can.READ_CLIENTS)
def client_cases(client_id: int, open_only: bool = False) -> list[CaseRow]:
    """The client's cases: open ones first, the most recent injury first."""
    query = (
        InjuryCase.select(InjuryCase, Payer)
        .join(Payer, JOIN.LEFT_OUTER)
        .where(InjuryCase.client == client_id)
        .order_by(InjuryCase.date_of_injury.desc(), InjuryCase.id.desc())
    )
    if open_only:
        query = query.where(InjuryCase.status.in_(OPEN_CASE_STATUSES))
    rows = [_row(case) for case in query]
    return sorted(rows, key=lambda row: not row.open)


def _row(case: InjuryCase) -> CaseRow:
    return CaseRow(
        id=case.id,
        kind=case.kind,
        kind_label=dict(CASE_KIND_CHOICES).get(case.kind, case.kind),
        claim_number=case.claim_number,
        date_label=DATE_LABELS.get(case.kind, "Date of injury"),
        date=case.date_of_injury,
        carrier_name=case.carrier.name if case.carrier_id else "",
        status=case.status,
        status_label=dict(CASE_STATUS_CHOICES).get(case.status, case.status),
        open=case.status in OPEN_CASE_STATUSES,
    )
