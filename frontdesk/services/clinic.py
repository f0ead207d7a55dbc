"""The clinic's profile and its therapists."""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Mapping
from typing import Any

from frontdesk import formatting, validation
from frontdesk.access import Can, needs, require
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import ClinicProfile, Therapist, database_proxy
from frontdesk.services import audit, records
from frontdesk.storage_errors import RecordMissing

CLINIC_RULES: tuple[FieldRule, ...] = (
    FieldRule("name", "Clinic name", using(validation.required_text), required=True),
    FieldRule("address_line1", "Address", using(validation.required_text), required=True),
    FieldRule("address_line2", "Address line 2", using(validation.optional_text, max_length=120)),
    FieldRule("city", "City", using(validation.required_text, max_length=80), required=True),
    FieldRule("state", "State", using(validation.state), required=True),
    FieldRule("zip_code", "ZIP", using(validation.zip_code), required=True),
    FieldRule(
        "phone",
        "Phone",
        using(validation.phone),
        required=True,
        show=formatting.phone,
    ),
    FieldRule("ein", "EIN", using(validation.ein), required=True),
    FieldRule("npi", "Organization NPI", using(validation.npi), required=True),
)

PROFILE_RULES: tuple[FieldRule, ...] = (
    *CLINIC_RULES,
    FieldRule(
        "receipt_footer",
        "Receipt footer",
        using(validation.optional_text, max_length=300),
        multiline=True,
        hint="printed at the foot of every receipt",
    ),
)

THERAPIST_RULES: tuple[FieldRule, ...] = (
    FieldRule("first_name", "First name", using(validation.person_name), required=True),
    FieldRule("last_name", "Last name", using(validation.person_name), required=True),
    FieldRule(
        "credentials", "Credentials", using(validation.required_text, max_length=40), required=True
    ),
    FieldRule("license_number", "License number", validation.license_number, required=True),
    FieldRule("license_state", "License state", using(validation.state), required=True),
    FieldRule("npi", "NPI", using(validation.npi)),
)


def clinic_profile() -> ClinicProfile | None:
    return ClinicProfile.select().order_by(ClinicProfile.id).first()


DEFAULT_LOCK_MINUTES = 10
LOCK_MINUTES = "Lock after (minutes idle)"


def lock_minutes() -> int:
    """After how many idle minutes the window locks (the clinic's choice; 10 until set)."""
    profile = clinic_profile()
    return profile.lock_after_minutes if profile is not None else DEFAULT_LOCK_MINUTES


@needs(Can.EDIT_CLINIC)
def set_lock_minutes(text: str) -> int:
    """The owner's choice of idle minutes before the window locks: 1 to 240."""
    minutes = validation.integer(text, LOCK_MINUTES, minimum=1, maximum=240)
    assert minutes is not None
    with database_proxy.atomic():
        profile = clinic_profile()
        if profile is None:
            raise RecordMissing("the clinic's profile is not set up yet")
        if profile.lock_after_minutes != minutes:  # that column alone, and a new version:
            ClinicProfile.update(  # a profile open elsewhere is then refused, not overwritten
                lock_after_minutes=minutes, version=ClinicProfile.version + 1
            ).where(ClinicProfile.id == profile.id).execute()
            audit.record(
                "update", "clinic_profile", profile.id, detail="fields: lock_after_minutes"
            )
    return minutes


def needs_setup() -> bool:
    """True until the clinic profile and at least one therapist exist."""
    return clinic_profile() is None or not Therapist.select().exists()


@needs(Can.EDIT_CLINIC)
def save_clinic_profile(raw: Mapping[str, Any], actor: str = "") -> ClinicProfile:
    return _save_profile(raw, actor)


def _save_profile(raw: Mapping[str, Any], actor: str) -> ClinicProfile:
    values = clean_all(CLINIC_RULES, raw)
    with database_proxy.atomic():
        profile = clinic_profile() or ClinicProfile(name=values["name"])
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
        audit.record("update", "clinic_profile", profile.id, actor)
    return profile


@needs(Can.EDIT_CLINIC)
def update_clinic_profile(raw: Mapping[str, Any], version: int, actor: str = "") -> ClinicProfile:
    """Change the clinic's profile as opened at `version` (RecordChanged when it moved on)."""
    values = clean_all(PROFILE_RULES, raw)
    with database_proxy.atomic():
        profile = clinic_profile()
        if profile is None:
            raise RecordMissing("the clinic's profile is not set up yet")
        return records.save_record(
            ClinicProfile, profile.id, version, values, noun="clinic", actor=actor
        )


LOGO_FIELD = "Logo"
LOGO_MAX_BYTES = 10_000_000
LOGO_MAX_PIXELS = 40_000_000
LOGO_SIDE = 600  # px: sharp at the 0.6-inch height a receipt prints it, and a small file


def logo_png(data: bytes) -> str:
    """A PNG or JPEG picture as the receipts print it: PNG, at most LOGO_SIDE px, base64.

    Raises ValidationError (field "Logo") for anything that is not a picture that decodes.
    """
    from PIL import Image  # lazy: only needed when a logo is chosen

    if len(data) > LOGO_MAX_BYTES:
        raise validation.ValidationError(LOGO_FIELD, "choose a picture smaller than 10 MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                if picture.format not in ("PNG", "JPEG"):
                    raise OSError("not a PNG or JPEG")
                if picture.width * picture.height > LOGO_MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                picture.thumbnail((LOGO_SIDE, LOGO_SIDE))
                shown = picture.convert("RGBA")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        message = "the picture is too large; choose one under 40 megapixels"
        raise validation.ValidationError(LOGO_FIELD, message) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        message = "choose a PNG or JPEG picture (this file is not one, or it is damaged)"
        raise validation.ValidationError(LOGO_FIELD, message) from error
    out = io.BytesIO()
    shown.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")


@needs(Can.EDIT_CLINIC)
def set_clinic_logo(data: bytes | None, version: int, actor: str = "") -> ClinicProfile:
    """Put the logo on the receipts (a PNG or JPEG picture), or take it off (None)."""
    logo = None if data is None else logo_png(data)
    with database_proxy.atomic():
        profile = clinic_profile()
        if profile is None:
            raise RecordMissing("the clinic's profile is not set up yet")
        return records.save_record(
            ClinicProfile, profile.id, version, {"logo": logo}, noun="clinic", actor=actor
        )


@needs(Can.EDIT_CLINIC)
def save_therapist(
    raw: Mapping[str, Any], therapist_id: int, version: int, actor: str = ""
) -> Therapist:
    """Change a therapist's details as opened at `version`."""
    values = clean_all(THERAPIST_RULES, raw)
    with database_proxy.atomic():
        return records.save_record(
            Therapist, therapist_id, version, values, noun="therapist", actor=actor
        )


@needs(Can.EDIT_CLINIC)
def add_therapist(raw: Mapping[str, Any], actor: str = "") -> Therapist:
    return _add_therapist(raw, actor)


def _add_therapist(raw: Mapping[str, Any], actor: str) -> Therapist:
    values = clean_all(THERAPIST_RULES, raw)
    with database_proxy.atomic():
        therapist = Therapist.create(**values)
        audit.record("create", "therapist", therapist.id, actor)
    return therapist


def setup_clinic(
    clinic_raw: Mapping[str, Any], therapist_raw: Mapping[str, Any], actor: str = ""
) -> tuple[ClinicProfile, Therapist]:
    """First run: the clinic and its first therapist, saved together or not at all.

    Open to anyone while the clinic is not set up (no login exists yet); afterwards it
    changes the clinic's settings, which only a role that may do so can.
    """
    if not needs_setup():
        require(Can.EDIT_CLINIC)
    errors = validation.ErrorCollector()
    errors.check(clean_all, CLINIC_RULES, clinic_raw)
    errors.check(clean_all, THERAPIST_RULES, therapist_raw)
    errors.raise_if_any()
    with database_proxy.atomic():
        return _save_profile(clinic_raw, actor), _add_therapist(therapist_raw, actor)


@needs(Can.EDIT_CLINIC)
def set_therapist_active(
    therapist_id: int, version: int, active: bool, actor: str = ""
) -> Therapist:
    """Deactivate a therapist who left (their visits and notes stay theirs), or bring one back."""
    with database_proxy.atomic():
        return records.save_record(
            Therapist, therapist_id, version, {"active": active}, noun="therapist", actor=actor
        )


def all_therapists() -> list[Therapist]:
    """Every therapist, active ones first, by name."""
    query = Therapist.select().order_by(
        Therapist.active.desc(), Therapist.last_name, Therapist.first_name
    )
    return list(query)


def active_therapists() -> list[Therapist]:
    query = Therapist.select().where(Therapist.active == True)  # noqa: E712
    return list(query.order_by(Therapist.last_name, Therapist.first_name))
