"""The payer directory: who pays for visits, whether we take them, and what to do next.

Insurers, discount programs, government programs, workers' comp and auto carriers and
self-pay, each with its other names and plan types. `search_payers` finds one by any part
of those, with typos; `next_steps` tells the front desk what to do for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from peewee import fn

from frontdesk import formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import Coverage, InjuryCase, Payer, Payment, database_proxy
from frontdesk.namesearch import NameEntry, NameIndex
from frontdesk.services import audit, fees, records
from frontdesk.services import client_records as parts
from frontdesk.textsearch import fold
from frontdesk.validation import ErrorCollector, ValidationError, ValidationErrors

log = logging.getLogger(__name__)

SEARCH_LIMIT = 20
SHORT_NAME_LENGTH = 20  # the client list and header show a payer in this many letters or fewer
MAX_ALIASES = 20
KIND_CHOICES = (
    ("commercial", "Health insurance"),
    ("discount_program", "Discount program"),
    ("government", "Government program"),
    ("workers_comp", "Workers' compensation"),
    ("auto", "Auto accident (PIP / no-fault)"),
    ("self_pay", "Self-pay"),
)
ACCEPTANCE_CHOICES = (
    ("in_network", "In network"),
    ("via_discount_program", "Through a discount program"),
    ("not_accepted", "Not accepted"),
)
PLAN_TYPE_CHOICES = (
    ("PPO", "PPO"),
    ("HMO", "HMO"),
    ("POS", "POS"),
    ("EPO", "EPO"),
    ("HDHP", "HDHP (high deductible)"),
    ("Benefit Plan", "Benefit Plan"),
    ("Indemnity", "Indemnity"),
    ("Medicare Advantage", "Medicare Advantage"),
    ("Medicaid", "Medicaid managed care"),
    ("Discount program", "Discount program"),
    ("VA Community Care", "VA Community Care"),
    ("PIP / no-fault", "PIP / no-fault"),
    ("Med-pay", "Med-pay"),
)
KIND_SEARCH_WORDS = {  # what a kind of payer is also found by ("workers comp", "auto")
    "discount_program": "discount",
    "government": "government",
    "workers_comp": "workers compensation comp",
    "auto": "auto accident",
    "self_pay": "self pay",
}
REFERRAL_PLAN_TYPES = ("HMO", "POS")

# --- what to do next ------------------------------------------------------------------

NO_MATCH_ADVICE = (
    "No payer in our directory matches this name, so we are not in network with it. "
    "Many health plans still give their members access to massage through the ChooseHealthy "
    "or Whole Health Living programs: ask the client to look on the back of the member card "
    "or on the plan's member website for “ChooseHealthy” or “American Specialty Health”, or "
    "for “Whole Health Living” or “Tivity”. If one is there, look that program up here and "
    "record it as the client's coverage. Otherwise offer self-pay: the client pays at the "
    "visit and gets a receipt for their HSA/FSA."
)
INACTIVE_STEP = (
    "This payer is marked inactive in the directory: check with the owner before using it."
)
NOT_ACCEPTED_STEPS = (
    "We are not in network with this payer, so no claim can be filed with it.",
    "Offer self-pay: the client pays at the visit and gets a receipt for their HSA/FSA "
    "(a medical visit needs a current prescription for that).",
    "Or check the discount programs: ask the client to look on the back of the member card "
    "or on the plan's website for ChooseHealthy or Whole Health Living.",
)
DISCOUNT_STEPS = (
    "This is a discount program, not insurance: no claim is filed.",
    "Check the client's membership card (or the health-plan card that names the program) "
    "and copy the member ID.",
    "The client pays the program's reduced fee at the visit.",
)
VIA_PROGRAM_STEP = (
    "We see this plan's members through a discount program: find the program's name "
    "(ChooseHealthy or Whole Health Living) on the back of the member card and record that "
    "program as the coverage."
)
VA_STEPS = (
    "Before the first visit the veteran needs an approved VA referral: get the authorization "
    "(referral) number and the episode of care's start and end dates, and enter them on the "
    "client's coverage.",
    "Check which services and how many visits the referral approves; book no visit after the "
    "episode of care ends or once the approved visits are used (ask the VA for a new referral).",
    "Never bill the veteran: there is nothing to pay at the visit.",
)
KIND_STEPS = {
    "commercial": (
        "Copy the member ID and group number from the member card.",
        "Call the number on the back of the card to check the massage therapy benefits: "
        "whether it is covered, the copay, the visits allowed this year, and whether a "
        "prescription or pre-authorization is needed.",
        "A physician's prescription is needed for every medical visit.",
    ),
    "government": (
        "Copy the member ID, and check with the program whether massage therapy is covered "
        "and whether an authorization is needed before the first visit.",
    ),
    "workers_comp": (
        "Before the first visit get the claim number, the date of injury, the employer, and "
        "the carrier's adjuster (name and phone).",
        "Ask the adjuster to confirm that massage therapy is authorized, and for how many visits.",
        "Open a workers' compensation case for the client with these details.",
        "The client pays nothing at the visit unless the adjuster says otherwise.",
    ),
    "auto": (
        "Get the claim number, the policy number, the date of the accident, and the carrier's "
        "adjuster (name and phone); if the client has an attorney, note the attorney's name "
        "and phone.",
        "Ask the adjuster whether massage therapy is covered under PIP / no-fault or med-pay, "
        "and how much coverage is left.",
        "Open an auto-accident case for the client with these details.",
    ),
    "self_pay": (
        "The client pays at the visit: cash, card or HSA/FSA card.",
        "For an HSA/FSA card, a medical visit needs a current prescription so the receipt "
        "shows the diagnosis codes and the prescribing physician; a wellness massage is not "
        "eligible.",
        "A tip cannot go on an HSA/FSA card: take it separately.",
    ),
}
REFERRAL_STEP = (
    "HMO and POS members usually need a referral from their primary care doctor: ask for it "
    "and enter the referral number as the coverage's authorization number."
)


def is_va_community_care(payer: Payer) -> bool:
    """True for the VA's Community Care Network (a government payer known as VA or Veterans)."""
    if payer.kind != "government":
        return False
    words = set(fold(" ".join([payer.name, *payer.aliases])).split())
    return bool(words & {"va", "veterans"})


def next_steps(payer: Payer) -> list[str]:
    """What the front desk does next for a client with this payer, in plain sentences."""
    steps = [] if payer.active else [INACTIVE_STEP]
    if payer.acceptance == "not_accepted":
        return [*steps, *NOT_ACCEPTED_STEPS]
    if is_va_community_care(payer):
        return [*steps, *VA_STEPS]
    if payer.kind == "discount_program":
        return [*steps, *DISCOUNT_STEPS]
    if payer.acceptance == "via_discount_program":
        return [*steps, VIA_PROGRAM_STEP, *DISCOUNT_STEPS]
    steps += KIND_STEPS.get(payer.kind, KIND_STEPS["commercial"])
    if payer.kind == "commercial" and set(REFERRAL_PLAN_TYPES) & set(payer.plan_types):
        steps.append(REFERRAL_STEP)
    return steps


def short_name(payer: Payer) -> str:
    """The payer in a word or two: its name if short, else its first short other name."""
    if len(payer.name) <= SHORT_NAME_LENGTH:
        return payer.name
    for alias in payer.aliases:
        if len(alias) <= SHORT_NAME_LENGTH and "(" not in alias:
            return alias
    return _shortened(payer.name)


_TRAILING = {"plan", "program", "inc", "co", "company", "corporation", "llc", "network", "of"}


def _shortened(name: str) -> str:
    """The name without a bracketed part or trailing generic words, cut to fit at a word."""
    words = re.sub(r"\(.*?\)", " ", name).split()
    while len(words) > 1 and fold(words[-1]) in _TRAILING:
        words.pop()
    shown = " ".join(words)
    if len(shown) <= SHORT_NAME_LENGTH:
        return shown
    while len(words) > 1 and len(" ".join(words)) > SHORT_NAME_LENGTH - 1:
        words.pop()
    return " ".join(words)[: SHORT_NAME_LENGTH - 1] + "…"


# --- the directory's form ---------------------------------------------------------------


def _text(max_length: int) -> Callable[[str, str], str]:
    return using(validation.optional_text, max_length=max_length)


def _listed(text: str) -> list[str]:
    """Comma-separated items, trimmed, blanks dropped."""
    return [" ".join(item.split()) for item in text.split(",") if item.strip()]


def _aliases(text: str, field: str) -> list[str]:
    """Other names, comma-separated; each once (ignoring case and accents)."""
    aliases: dict[str, str] = {}
    for typed in _listed(text):
        alias = validation.required_text(typed, field, max_length=80)
        aliases.setdefault(fold(alias), alias)
    if len(aliases) > MAX_ALIASES:
        raise ValidationError(field, f"list at most {MAX_ALIASES} other names.")
    return list(aliases.values())


def _plan_types(text: str, field: str) -> list[str]:
    """Plan types from PLAN_TYPE_CHOICES, comma-separated, by value or label; each once."""
    options = dict(PLAN_TYPE_CHOICES)
    chosen = [validation.choice(item, field, options) for item in _listed(text)]
    return list(dict.fromkeys(chosen))


def _joined(values: Any) -> str:
    return ", ".join(values or ())


def _percent_text(percent: int | None) -> str:
    """No discount shows as blank, so the field's hint says what it is for."""
    return str(percent) if percent else ""


PAYER_RULES: tuple[FieldRule, ...] = (
    FieldRule("name", "Name", using(validation.required_text, max_length=120), required=True),
    FieldRule(
        "aliases", "Also known as", _aliases, show=_joined, hint="other names, comma-separated"
    ),
    FieldRule(
        "kind",
        "Kind",
        using(validation.choice, options=dict(KIND_CHOICES)),
        required=True,
        choices=KIND_CHOICES,
    ),
    FieldRule(
        "acceptance",
        "Acceptance",
        using(validation.choice, options=dict(ACCEPTANCE_CHOICES)),
        required=True,
        choices=ACCEPTANCE_CHOICES,
    ),
    FieldRule("plan_types", "Plan types", _plan_types, show=_joined, hint="e.g. PPO, HMO"),
    FieldRule("phone", "Phone", using(validation.phone), show=formatting.phone),
    FieldRule(
        "payer_id",
        "Payer ID",
        using(validation.reference_code, max_length=20),
        hint="for electronic claims",
    ),
    FieldRule(
        "unit_rounding",
        "Timed units",
        parts.choice_or_default(fees.ROUNDING, fees.DEFAULT_ROUNDING),
        choices=fees.ROUNDING,
    ),
    FieldRule(
        "discount_percent",
        "Discount (%)",
        using(validation.integer, minimum=0, maximum=100, required=False),
        empty=0,
        show=_percent_text,
        hint="discount programs only: the percent off the fee",
    ),
    FieldRule("notes", "Notes", _text(2000), multiline=True),
)
RULES_BY_NAME = {rule.name: rule for rule in PAYER_RULES}


class DuplicatePayer(ValidationErrors, ValidationError):
    """Another payer has this name (ignoring case and accents); nothing was saved.

    It is both the form's refusal (ValidationErrors) and one refusal of Name.
    """

    def __init__(self, existing: Payer) -> None:
        self.existing = existing
        self.field = RULES_BY_NAME["name"].label
        self.message = (
            f"{existing.name} is already in the directory; open it instead, or use another name."
        )
        self.errors = [ValidationError(self.field, self.message)]
        ValueError.__init__(self, self._describe())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.existing,))


class PayerInUse(Exception):
    """A payer with coverages, cases or payments is made inactive, never deleted."""


def validate_payer(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a whole payer form; raise ValidationErrors listing every bad field.

    A discount is refused unless the payer is a discount program (only theirs is applied).
    """
    errors = ErrorCollector()
    values = clean_all(PAYER_RULES, raw, errors=errors)
    if values["discount_percent"] and values["kind"] not in (None, "discount_program"):
        errors.add(
            RULES_BY_NAME["discount_percent"].label,
            "only a discount program's rate comes off the fee; type 0, or choose "
            "Discount program as the kind.",
        )
    errors.raise_if_any()
    return values


def _same_name(name: str, exclude_id: int | None) -> Payer | None:
    wanted = fold(name)
    query = Payer.select()
    if exclude_id is not None:
        query = query.where(Payer.id != exclude_id)
    return next((payer for payer in query if fold(payer.name) == wanted), None)


@needs(Can.EDIT_PAYERS)
def save_payer(
    raw: Mapping[str, Any],
    payer_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
) -> Payer:
    """Add a payer, or update the one opened at `version`, from raw form values.

    Nothing is saved if a field is bad (ValidationErrors), if another payer has the same
    name (DuplicatePayer, also a ValidationError on Name), if the payer was saved elsewhere
    since `version` (RecordChanged) or deleted (RecordMissing).
    """
    values = validate_payer(raw)

    def refuse_twin(_current: Payer | None) -> None:
        twin = _same_name(values["name"], payer_id)
        if twin is not None:
            raise DuplicatePayer(twin)

    payer = records.save_record(
        Payer, payer_id, version, values, noun="payer", actor=actor, before=refuse_twin
    )
    _index.forget()
    return payer


@needs(Can.LOOK_UP_PAYERS)
def get_payer(payer_id: int) -> Payer:
    """The payer, or RecordMissing when it was deleted."""
    return records.get_record(Payer, payer_id, "payer")


def payer_form_values(payer: Payer) -> dict[str, str]:
    """The payer's fields as a person would type them (to open it for editing)."""
    return {rule.name: rule.as_text(getattr(payer, rule.name)) for rule in PAYER_RULES}


@needs(Can.EDIT_PAYERS)
def set_payer_active(payer_id: int, active: bool, actor: str = "") -> Payer:
    """Make a payer inactive (hidden from search and pickers, kept for history) or active again."""
    with database_proxy.atomic():
        payer = get_payer(payer_id)
        if payer.active != active:
            payer.active = active
            payer.save()
            audit.record("restore" if active else "deactivate", "payer", payer.id, actor)
    _index.forget()
    return payer


@needs(Can.LOOK_UP_PAYERS)
def payer_uses(payer_id: int) -> int:
    """How many coverages, injury cases and payments name this payer."""
    return (
        Coverage.select().where(Coverage.payer == payer_id).count()
        + InjuryCase.select().where(InjuryCase.carrier == payer_id).count()
        + Payment.select().where(Payment.payer == payer_id).count()
    )


@needs(Can.EDIT_PAYERS)
def delete_payer(payer_id: int, actor: str = "") -> None:
    """Delete a payer nothing uses; one in use raises PayerInUse (make it inactive instead)."""
    with database_proxy.atomic():
        payer = get_payer(payer_id)
        if payer_uses(payer_id):
            raise PayerInUse(
                f"{payer.name} is on clients' coverages, cases or payments, so it cannot be "
                "deleted; make it inactive instead."
            )
        payer.delete_instance()
        audit.record("delete", "payer", payer_id, actor)
    _index.forget()


def payer_picker(
    kinds: Iterable[str] = (), keep_id: int | None = None
) -> Callable[[str, str], int | None]:
    """Parse a payer picked from the directory (its id): active, and of one of `kinds` if given.

    `keep_id` is the payer a record already has: it stays acceptable after being made inactive.
    """
    wanted = tuple(kinds)

    def parse(text: str, field: str) -> int | None:
        if not text.strip():
            return None
        try:
            payer_id = validation.integer(text, field, minimum=1)
        except ValidationError:
            raise ValidationError(field, "choose the payer from the directory.") from None
        payer = Payer.get_or_none(Payer.id == payer_id)
        if payer is None:
            raise ValidationError(
                field, "this payer is no longer in the directory; choose another."
            )
        if wanted and payer.kind not in wanted:
            labels = dict(KIND_CHOICES)
            wanted_labels = " or ".join(labels.get(kind, kind) for kind in wanted)
            raise ValidationError(
                field,
                f"{payer.name} is listed as {labels.get(payer.kind, payer.kind)}, not as "
                f"{wanted_labels}; choose another.",
            )
        if not payer.active and payer_id != keep_id:
            raise ValidationError(
                field, f"{payer.name} is marked inactive in the directory; choose another."
            )
        return payer_id

    return parse


# --- search ------------------------------------------------------------------------------


def _entry(payer: Payer) -> NameEntry:
    """What a payer is found by: its name, other names, plan types and kind."""
    plan_labels = dict(PLAN_TYPE_CHOICES)
    plans = dict.fromkeys(
        text for plan in payer.plan_types for text in (plan, plan_labels.get(plan, plan))
    )
    kind = KIND_SEARCH_WORDS.get(payer.kind, "")
    phrases = (payer.name, *payer.aliases, *plans, kind)
    return NameEntry(key=payer.id, name=payer.name, phrases=phrases, active=payer.active)


class _DirectoryIndex:
    """The search index of the directory as last read; rebuilt when the directory changes.

    The directory's stamp (row count, newest id, summed versions, latest change) changes
    with any save, here or on another computer, so a stale index is never used.
    """

    def __init__(self) -> None:
        self.stamp: tuple[Any, ...] | None = None
        self.index = NameIndex(())

    def current(self) -> NameIndex:
        stamp = _directory_stamp()
        if stamp != self.stamp:
            self.index = NameIndex(_entry(payer) for payer in Payer.select())
            self.stamp = stamp
            log.debug("payer search index built for %d payers", len(self.index.entries))
        return self.index

    def forget(self) -> None:
        self.stamp = None


def _directory_stamp() -> tuple[Any, ...]:
    row = Payer.select(
        fn.COUNT(Payer.id), fn.MAX(Payer.id), fn.SUM(Payer.version), fn.MAX(Payer.updated_at)
    ).tuples()
    return (getattr(database_proxy.obj, "database", None), *row.get())


_index = _DirectoryIndex()


@needs(Can.LOOK_UP_PAYERS)
def search_payers(
    text: str, limit: int = SEARCH_LIMIT, include_inactive: bool = False
) -> list[Payer]:
    """Payers found by any part of a name, other name or plan type, the best match first.

    Word order, case, punctuation and accents do not matter, and a typo or two per word is
    forgiven; a query that matches nothing finds nothing. Blank text lists them A to Z.
    """
    keys = _index.current().search(text, limit, include_inactive)
    if not keys:
        return []
    found = {payer.id: payer for payer in Payer.select().where(Payer.id.in_(keys))}
    return [found[key] for key in keys if key in found]
