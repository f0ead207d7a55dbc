"""A client's coverage: who pays for their visits, with the numbers from the member card."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from peewee import fn

from frontdesk import db, formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, NotBefore, clean_all, using
from frontdesk.models import Coverage, Payer, Visit
from frontdesk.services import client_records as parts
from frontdesk.services import payers, records
from frontdesk.services.prescriptions.status import counted_visits
from frontdesk.validation import ErrorCollector, ValidationError

RELATIONSHIP_CHOICES = (
    ("self", "Self"),
    ("spouse", "Spouse"),
    ("child", "Child"),
    ("other", "Other"),
)
ORDER_CHOICES = (("primary", "Primary"), ("secondary", "Secondary"))
PLAN_TYPE_OPTIONS = (("", "Not known"), *payers.PLAN_TYPE_CHOICES)
PRIORITIES = {"primary": 1, "secondary": 2}
MEMBER_ID_OPTIONAL_KINDS = ("self_pay", "discount_program", "workers_comp", "auto")
MAX_VISITS_PER_YEAR = 366
QUERY_CHUNK = 500  # client ids per query (well under SQLite's limit on parameters)


_order_choice = parts.choice_or_default(ORDER_CHOICES, "primary")


def _order(text: str, field: str) -> int:
    return PRIORITIES[_order_choice(text, field)]


def _order_text(priority: int | None) -> str:
    return "primary" if (priority or 1) <= 1 else "secondary"


def coverage_rules(keep_payer_id: int | None = None) -> tuple[FieldRule, ...]:
    """The coverage form's fields; `keep_payer_id` is the payer the coverage has (when editing).

    The payer must be active, unless it is the one the coverage already has.
    """
    return (
        FieldRule(
            "payer_id",
            "Payer",
            payers.payer_picker(keep_id=keep_payer_id),
            required=True,
            empty=None,
            hint="choose from the directory",
        ),
        FieldRule(
            "plan_type",
            "Plan type",
            parts.choice_or_default(PLAN_TYPE_OPTIONS, ""),
            choices=PLAN_TYPE_OPTIONS,
        ),
        FieldRule("member_id", "Member ID", parts.reference(), hint="as on the member card"),
        FieldRule("group_number", "Group number", parts.reference()),
        FieldRule("subscriber_name", "Subscriber name", parts.optional_name),
        FieldRule(
            "subscriber_relation",
            "Relationship to subscriber",
            parts.choice_or_default(RELATIONSHIP_CHOICES, "self"),
            choices=RELATIONSHIP_CHOICES,
        ),
        parts.date_rule(
            "subscriber_birth_date",
            "Subscriber date of birth",
            using(validation.birth_date, required=False),
        ),
        FieldRule(
            "priority", "Coverage order", _order, empty=1, choices=ORDER_CHOICES, show=_order_text
        ),
        parts.date_rule("starts_on", "Effective date"),
        parts.date_rule("ends_on", "End date"),
        parts.money_rule("copay_cents", "Copay"),
        FieldRule("authorization_number", "Authorization number", parts.reference()),
        FieldRule(
            "visits_allowed",
            "Visits allowed per year",
            using(validation.integer, minimum=1, maximum=MAX_VISITS_PER_YEAR, required=False),
            empty=None,
        ),
    )


COVERAGE_RULES = coverage_rules()
RULES_BY_NAME = {rule.name: rule for rule in COVERAGE_RULES}


def _rules_by_name(rules: Iterable[FieldRule]) -> dict[str, FieldRule]:
    return {rule.name: rule for rule in rules}


def validate_coverage(raw: Mapping[str, Any], keep_payer_id: int | None = None) -> dict[str, Any]:
    """Validate a whole coverage form; raise ValidationErrors naming every bad field.

    Besides each field's own rule: the member ID is required unless the payer is self-pay,
    a discount program or a workers' comp / auto carrier (their case holds the claim), and
    the subscriber's name and date of birth when the client is not the subscriber.
    """
    rules = _rules_by_name(coverage_rules(keep_payer_id))
    errors = ErrorCollector()
    orders = (NotBefore(rules["ends_on"], rules["starts_on"]),)
    values = clean_all(rules.values(), raw, orders, errors=errors)
    payer = Payer.get_or_none(Payer.id == values["payer_id"]) if values["payer_id"] else None
    if payer is not None and payer.kind not in MEMBER_ID_OPTIONAL_KINDS:
        parts.require(errors, rules, values, ["member_id"], f"for {payer.name}")
    if values["subscriber_relation"] not in (None, "self"):
        subscriber = ["subscriber_name", "subscriber_birth_date"]
        parts.require(errors, rules, values, subscriber, "when the client is not the subscriber")
    errors.raise_if_any()
    return values


# --- warnings shown while typing --------------------------------------------------------


def _picked_payer(raw: Mapping[str, Any]) -> Payer | None:
    try:
        payer_id = int(str(raw.get("payer_id") or "").strip())
    except ValueError:
        return None
    return Payer.get_or_none(Payer.id == payer_id)


def _quietly(name: str, raw: Mapping[str, Any]) -> Any:
    """The field's clean value, or None when it is blank or not valid yet."""
    try:
        return RULES_BY_NAME[name].clean(raw.get(name, ""))
    except ValidationError:
        return None


@needs(Can.EDIT_CLIENTS)
def coverage_warnings(
    raw: Mapping[str, Any],
    *,
    client_id: int | None = None,
    coverage_id: int | None = None,
    today: date | None = None,
) -> list[str]:
    """What the form shows in amber while typing; the coverage can be saved all the same.

    Given the client (and the coverage being edited), also warns of a second current primary.
    """
    payer = _picked_payer(raw)
    if payer is None:
        return []
    today = today or date.today()
    warnings = _payer_warnings(payer, raw)
    ends_on = _quietly("ends_on", raw)
    if ends_on is not None and ends_on < today:
        warnings.append(
            f"This coverage ended on {formatting.us_date(ends_on)}: visits after that day "
            "are not covered by it."
        )
    if client_id is not None and _quietly("priority", raw) == 1:
        warnings += _other_primary_warning(client_id, coverage_id, today)
    return warnings


def _payer_warnings(payer: Payer, raw: Mapping[str, Any]) -> list[str]:
    warnings = []
    if payer.acceptance == "not_accepted":
        warnings.append(
            f"We are not in network with {payer.name}. The coverage is recorded, but no claim "
            "can be filed: offer self-pay with an HSA/FSA receipt, or check whether the plan "
            "includes ChooseHealthy or Whole Health Living."
        )
    if not payer.active:
        warnings.append(
            f"{payer.name} is marked inactive in the payer directory; check it is the right payer."
        )
    if payers.is_va_community_care(payer):
        if not _quietly("authorization_number", raw):
            warnings.append(
                "The VA Community Care Network needs the referral's authorization number "
                "before the first visit."
            )
        if not (_quietly("starts_on", raw) and _quietly("ends_on", raw)):
            warnings.append(
                "Enter the episode of care's dates from the VA referral as the Effective date "
                "and End date."
            )
    plan_type = _quietly("plan_type", raw)
    if plan_type and payer.plan_types and plan_type not in payer.plan_types:
        warnings.append(
            f"The directory lists {payer.name} for {', '.join(payer.plan_types)} plans only: "
            f"call to check that we are in network for this {plan_type} plan."
        )
    return warnings


def _current(today: date) -> Any:
    """The condition for a coverage in effect on `today`."""
    started = Coverage.starts_on.is_null() | (Coverage.starts_on <= today)
    return started & (Coverage.ends_on.is_null() | (Coverage.ends_on >= today))


def _other_primary_warning(client_id: int, coverage_id: int | None, today: date) -> list[str]:
    query = (
        Coverage.select(Coverage, Payer)
        .join(Payer)
        .where((Coverage.client == client_id) & (Coverage.priority == 1) & _current(today))
    )
    if coverage_id is not None:
        query = query.where(Coverage.id != coverage_id)
    other = query.first()
    if other is None:
        return []
    return [
        f"The client already has a current primary coverage ({other.payer.name}); "
        "make one of them secondary."
    ]


# --- saving and opening --------------------------------------------------------------------


@needs(Can.EDIT_CLIENTS)
def save_coverage(
    raw: Mapping[str, Any],
    client_id: int,
    coverage_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
) -> Coverage:
    """Record a client's coverage, or update the one opened at `version`, from raw form values.

    Nothing is saved if any field is bad (ValidationErrors), if the coverage was saved
    elsewhere since `version` (RecordChanged), or if it or the client was deleted
    (RecordMissing). Warnings (`coverage_warnings`) never stop a save.
    """
    records.check_can_save(coverage_id, version, "coverage")
    parts.get_client(client_id)
    keep = get_coverage(coverage_id).payer_id if coverage_id is not None else None
    values = validate_coverage(raw, keep_payer_id=keep)
    return parts.save_for_client(
        Coverage, client_id, coverage_id, version, values, noun="coverage", actor=actor
    )


@needs(Can.READ_CLIENTS)
def get_coverage(coverage_id: int) -> Coverage:
    """The coverage, or RecordMissing when it was deleted."""
    return records.get_record(Coverage, coverage_id, "coverage")


def coverage_form_values(coverage: Coverage) -> dict[str, str]:
    """The coverage's fields as a person would type them (to open it for editing)."""
    return parts.form_texts(coverage_rules(coverage.payer_id), coverage)


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """One line of a client's coverages."""

    id: int
    payer_id: int
    payer_name: str
    short_name: str  # the payer in a word or two
    kind: str  # payers.KIND_CHOICES
    acceptance: str  # payers.ACCEPTANCE_CHOICES
    plan_type: str
    member_id: str
    group_number: str
    authorization_number: str
    priority: int  # 1 = primary
    order: str  # "Primary" / "Secondary"
    starts_on: date | None
    ends_on: date | None
    ended: bool  # the end date is before today
    visits_allowed: int | None  # per calendar year; None when not limited or not known
    visits_used: int  # this calendar year: completed and booked, not cancelled or no-show
    copay_cents: int | None


@needs(Can.READ_CLIENTS)
def visits_used_in_year(coverage_ids: Iterable[int], year: int) -> dict[int, int]:
    """Visits of a calendar year linked to each coverage (cancelled and no-shows not counted)."""
    start = datetime.combine(date(year, 1, 1), time.min)
    end = datetime.combine(date(year + 1, 1, 1), time.min)
    query = (
        Visit.select(Visit.coverage, fn.COUNT(Visit.id).alias("used"))
        .where(
            Visit.coverage.in_(list(coverage_ids))
            & counted_visits()
            & (Visit.starts_at >= start)
            & (Visit.starts_at < end)
        )
        .group_by(Visit.coverage)
    )
    return {row.coverage_id: row.used for row in query}


@needs(Can.READ_CLIENTS)
def client_coverages(client_id: int, today: date | None = None) -> list[CoverageRow]:
    """The client's coverages: current ones first, each in coverage order."""
    today = today or date.today()
    coverages = list(
        Coverage.select(Coverage, Payer)
        .join(Payer)
        .where(Coverage.client == client_id)
        .order_by(Coverage.priority, Coverage.id)
    )
    used = visits_used_in_year((c.id for c in coverages), today.year)
    rows = [_row(coverage, used.get(coverage.id, 0), today) for coverage in coverages]
    return sorted(rows, key=lambda row: row.ended)


def _row(coverage: Coverage, used: int, today: date) -> CoverageRow:
    payer = coverage.payer
    return CoverageRow(
        id=coverage.id,
        payer_id=payer.id,
        payer_name=payer.name,
        short_name=payers.short_name(payer),
        kind=payer.kind,
        acceptance=payer.acceptance,
        plan_type=coverage.plan_type,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        authorization_number=coverage.authorization_number,
        priority=coverage.priority,
        order=dict(ORDER_CHOICES)[_order_text(coverage.priority)],
        starts_on=coverage.starts_on,
        ends_on=coverage.ends_on,
        ended=coverage.ends_on is not None and coverage.ends_on < today,
        visits_allowed=coverage.visits_allowed,
        visits_used=used,
        copay_cents=coverage.copay_cents,
    )


@needs(Can.READ_CLIENTS)
def primary_payer_names(client_ids: Iterable[int], today: date | None = None) -> dict[int, str]:
    """Each client's payer in a word or two, from their first current coverage in order.

    Clients without a current coverage are left out. One query per 500 clients.
    """
    today = today or date.today()
    wanted = list(dict.fromkeys(client_ids))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), QUERY_CHUNK):
        query = (
            Coverage.select(Coverage.client, Coverage.priority, Payer.name, Payer.aliases)
            .join(Payer)
            .where(db.among(Coverage.client, wanted[start : start + QUERY_CHUNK]) & _current(today))
            .order_by(Coverage.client, Coverage.priority, Coverage.id)
        )
        for coverage in query:
            names.setdefault(coverage.client_id, payers.short_name(coverage.payer))
    return names
