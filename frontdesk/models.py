"""The clinic's data model: one table per thing the clinic keeps.

Money is stored in integer cents, dates as dates. The models are bound to a
database through `database_proxy`, which `frontdesk.db.open_database` sets.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    NodeList,
    SqliteDatabase,
    TextField,
)

from frontdesk.textsearch import birth_date_word, index_words, search_key

database_proxy = DatabaseProxy()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class JSONListField(TextField):
    """A list of plain values kept as JSON text (portable across databases)."""

    def db_value(self, value: Any) -> str:
        return json.dumps(list(value or []))

    def python_value(self, value: str | None) -> list:
        return json.loads(value) if value else []


class BytesField(BlobField):
    """Binary data read back as bytes on every engine (PostgreSQL's driver gives a memoryview)."""

    def python_value(self, value: Any) -> bytes | None:
        return None if value is None else bytes(value)


class IdField(AutoField):
    """A row id that is never handed out twice, even after the newest row is deleted.

    PostgreSQL's sequences never reuse ids; SQLite needs AUTOINCREMENT for that.
    """

    def ddl(self, ctx: Any) -> Any:
        node = super().ddl(ctx)
        if isinstance(database_proxy.obj, SqliteDatabase):
            return NodeList((node, SQL("AUTOINCREMENT")))
        return node


class SearchTextField(TextField):
    """Folded text that searches compare and order by character code, as SQLite compares all
    text: a clinic server compares it COLLATE "C", so "starts with" (a range of the index)
    and the list's order are the same on both engines, whatever the server's language
    setting. Text, not VARCHAR(255): a client's four names may be longer together."""

    def ddl(self, ctx: Any) -> Any:
        node = super().ddl(ctx)
        if isinstance(database_proxy.obj, SqliteDatabase):
            return node
        return NodeList((node, SQL('COLLATE "C"')))


class BaseModel(Model):
    """An editable record: a never-reused id, timestamps, and a version for safe saving.

    Each save of an existing record raises its version by one. `save_if_version`
    writes only when the stored version is still the one the editor started from,
    so a save based on an old copy is refused instead of overwriting newer changes.
    """

    id = IdField()
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])

    class Meta:
        database = database_proxy
        legacy_table_names = False

    def prepare_save(self) -> None:
        """Keep derived columns in step before writing (models override this)."""

    def save(self, *args: Any, **kwargs: Any) -> int:
        self.prepare_save()
        self.updated_at = _now()
        if self.id is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        return super().save(*args, **kwargs)

    def save_if_version(self, expected_version: int) -> bool:
        """Write the changed fields only if the stored version is `expected_version`."""
        self.prepare_save()
        self.updated_at = _now()
        self.version = expected_version + 1
        model = type(self)
        changes = {field: self.__data__[field.name] for field in self.dirty_fields}
        written = (
            model.update(changes)
            .where((model.id == self.id) & (model.version == expected_version))
            .execute()
        )
        if written:
            self._dirty.clear()
        return written == 1


class AddressMixin(Model):
    address_line1 = CharField(default="")
    address_line2 = CharField(default="")
    city = CharField(default="")
    state = CharField(max_length=2, default="")
    zip_code = CharField(max_length=10, default="")


# --- the clinic ---------------------------------------------------------------


class ClinicProfile(BaseModel, AddressMixin):
    name = CharField()
    phone = CharField(default="")  # E.164
    fax = CharField(default="")
    email = CharField(default="")
    ein = CharField(default="")  # 12-3456789
    npi = CharField(default="")  # organization (type 2) NPI
    receipt_footer = TextField(default="")
    next_receipt_number = IntegerField(default=1)
    logo = TextField(null=True)  # the clinic's logo: PNG bytes as base64, or none
    lock_after_minutes = IntegerField(default=10, constraints=[SQL("DEFAULT 10")])  # idle lock


class Therapist(BaseModel):
    first_name = CharField()
    last_name = CharField()
    credentials = CharField(default="")  # e.g. LMT
    license_number = CharField(default="")
    license_state = CharField(max_length=2, default="")
    npi = CharField(default="")
    active = BooleanField(default=True)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


class User(BaseModel):
    """A person's login: one role; a therapist's login is tied to their therapist record."""

    username = CharField(unique=True)  # kept folded to lower case
    full_name = CharField(default="", constraints=[SQL("DEFAULT ''")])
    password_hash = CharField()  # argon2id
    role = CharField(default="front_desk")  # front_desk / therapist / owner
    therapist = ForeignKeyField(Therapist, null=True, backref="users", on_delete="SET NULL")
    active = BooleanField(default=True)
    failed_sign_ins = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # wrong, in a row
    locked_until = DateTimeField(null=True)  # after too many, no sign-in before this


# --- clients ------------------------------------------------------------------


class Client(BaseModel, AddressMixin):
    first_name = CharField()
    middle_name = CharField(default="")
    last_name = CharField(index=True)
    preferred_name = CharField(default="")
    date_of_birth = DateField(index=True)
    sex = CharField(default="")  # F / M / X / "" (not given)
    mobile_phone = CharField(default="", index=True)  # E.164
    home_phone = CharField(default="")
    email = CharField(default="")
    preferred_contact = CharField(default="")  # mobile / home / email / text
    emergency_name = CharField(default="")
    emergency_relation = CharField(default="")
    emergency_phone = CharField(default="")
    employer = CharField(default="")
    occupation = CharField(default="")
    health_conditions = JSONListField(default=list)  # keys of resources/health_conditions.json
    health_notes = TextField(default="")
    current_complaint = TextField(default="")
    pain_areas = JSONListField(default=list)  # keys of resources/body_areas.json
    consent_signed_on = DateField(null=True)
    privacy_notice_on = DateField(null=True)
    referral_source = CharField(default="")
    notes = TextField(default="")
    archived = BooleanField(default=False)
    search_key = SearchTextField(default="")  # folded names, kept by save(); see textsearch

    class Meta:
        # The list walks (archived, search_key) in order; with archived shown, search_key.
        indexes = ((("archived", "search_key"), False), (("search_key",), False))

    def prepare_save(self) -> None:
        self.search_key = search_key(
            self.last_name, self.first_name, self.middle_name, self.preferred_name
        )

    def save(self, *args: Any, **kwargs: Any) -> int:
        with database_proxy.atomic():
            written = super().save(*args, **kwargs)
            keep_search_words(self)
        return written

    def save_if_version(self, expected_version: int) -> bool:
        with database_proxy.atomic():
            written = super().save_if_version(expected_version)
            if written:
                keep_search_words(self)
        return written

    def search_words(self) -> set[str]:
        """The words the client is found by: names, phone digits, the birth date."""
        names = (self.last_name, self.first_name, self.middle_name, self.preferred_name)
        words = index_words(names, (self.mobile_phone or "", self.home_phone or ""))
        return words | {birth_date_word(self.date_of_birth)} if self.date_of_birth else words

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_name, self.last_name]
        return " ".join(part for part in parts if part)

    @property
    def display_name(self) -> str:
        return client_display_name(self.last_name, self.first_name, self.preferred_name)


def client_display_name(last_name: str, first_name: str, preferred_name: str) -> str:
    """How lists name a client: Last, First ("Preferred")."""
    name = f"{last_name}, {first_name}"
    if preferred_name and preferred_name != first_name:
        name += f" ({preferred_name})"
    return name


class ClientSearchWord(Model):
    """One word a client is found by, with the client's search key and archived flag so a
    search finds, filters and orders its matches from this table's index alone.

    Derived from the client and rewritten with every save of it (see `keep_search_words`);
    a prefix search is a range on `word`, which any database's B-tree index answers.
    """

    client = ForeignKeyField(Client, backref="+", on_delete="CASCADE", index=False)
    word = SearchTextField()
    search_key = SearchTextField()
    archived = BooleanField(default=False)

    class Meta:
        database = database_proxy
        legacy_table_names = False
        primary_key = CompositeKey("client", "word")  # also the index a client's words use
        indexes = ((("word", "search_key", "client", "archived"), False),)


def search_word_rows(client: Client) -> list[tuple[int, str, str, bool]]:
    """The client's ClientSearchWord rows: (client id, word, search key, archived)."""
    return [
        (client.id, word, client.search_key, bool(client.archived))
        for word in sorted(client.search_words())
    ]


SEARCH_WORD_COLUMNS = ("client", "word", "search_key", "archived")


def keep_search_words(client: Client) -> None:
    """Write the client's search words afresh (call inside the transaction that saves it)."""
    ClientSearchWord.delete().where(ClientSearchWord.client == client.id).execute()
    rows = search_word_rows(client)
    if rows:
        fields = [ClientSearchWord._meta.fields[name] for name in SEARCH_WORD_COLUMNS]
        ClientSearchWord.insert_many(rows, fields=fields).execute()


# --- payers, coverage and injury cases ----------------------------------------------

OPEN_CASE_STATUSES = ("open", "pending")  # an injury case in any other status is closed


class Payer(BaseModel):
    name = CharField(unique=True)
    aliases = JSONListField(default=list)
    kind = (
        CharField()
    )  # commercial / discount_program / government / workers_comp / auto / self_pay
    plan_types = JSONListField(default=list)
    acceptance = CharField()  # in_network / via_discount_program / not_accepted
    phone = CharField(default="")
    payer_id = CharField(default="")
    notes = TextField(default="")
    active = BooleanField(default=True)
    unit_rounding = CharField(default="cms", constraints=[SQL("DEFAULT 'cms'")])  # fees.ROUNDING
    discount_percent = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # programs' rate


class Coverage(BaseModel):
    client = ForeignKeyField(Client, backref="coverages", on_delete="CASCADE")
    payer = ForeignKeyField(Payer, backref="coverages", on_delete="RESTRICT")
    plan_type = CharField(default="", constraints=[SQL("DEFAULT ''")])  # PLAN_TYPE_CHOICES
    member_id = CharField(default="")
    group_number = CharField(default="")
    subscriber_name = CharField(default="")
    subscriber_relation = CharField(default="self")  # self / spouse / child / other
    subscriber_birth_date = DateField(null=True)
    priority = IntegerField(default=1)  # 1 = primary
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    authorization_number = CharField(default="")
    visits_allowed = IntegerField(null=True)  # per calendar year
    copay_cents = IntegerField(null=True)


class InjuryCase(BaseModel):
    client = ForeignKeyField(Client, backref="injury_cases", on_delete="CASCADE")
    kind = CharField()  # workers_comp / auto
    claim_number = CharField(default="")
    date_of_injury = DateField()  # the date of the accident for an auto case
    carrier = ForeignKeyField(Payer, null=True, backref="injury_cases", on_delete="RESTRICT")
    policy_number = CharField(default="", constraints=[SQL("DEFAULT ''")])
    adjuster_name = CharField(default="")
    adjuster_phone = CharField(default="")
    adjuster_email = CharField(default="", constraints=[SQL("DEFAULT ''")])
    employer = CharField(default="")
    employer_address = CharField(default="", constraints=[SQL("DEFAULT ''")])
    attorney_name = CharField(default="")
    attorney_phone = CharField(default="")
    state = CharField(max_length=2, default="")
    pip_limit_cents = IntegerField(null=True)
    status = CharField(default="open", constraints=[SQL("DEFAULT 'open'")])
    closed = BooleanField(default=False)  # kept in step with `status`

    def prepare_save(self) -> None:
        self.closed = self.status not in OPEN_CASE_STATUSES


# --- prescriptions ----------------------------------------------------------------


class Physician(BaseModel, AddressMixin):
    first_name = CharField()
    last_name = CharField()
    credentials = CharField(default="")  # MD, DO, DC, NP, PA-C
    npi = CharField(default="")
    practice = CharField(default="")
    phone = CharField(default="")
    fax = CharField(default="")
    search_key = SearchTextField(default="", constraints=[SQL("DEFAULT ''")])  # names, practice

    def prepare_save(self) -> None:
        self.search_key = search_key(self.last_name, self.first_name, self.practice)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


class Prescription(BaseModel):
    client = ForeignKeyField(Client, backref="prescriptions", on_delete="CASCADE")
    physician = ForeignKeyField(Physician, backref="prescriptions", on_delete="RESTRICT")
    written_on = DateField()
    reason = CharField()  # medical necessity, e.g. "back pain"
    modality = CharField(default="massage_therapy")  # massage_therapy / manual_therapy
    techniques = JSONListField(default=list)
    body_areas = JSONListField(default=list)
    treatments_prescribed = IntegerField()
    frequency_count = IntegerField(default=1)
    frequency_period = CharField(default="week")  # week / month
    duration_count = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    duration_unit = CharField(default="month", constraints=[SQL("DEFAULT 'month'")])  # week / month
    duration_months = IntegerField(null=True)  # schema 1-2 only; kept for their upgrade
    end_date = DateField()
    notes = TextField(default="")
    injury_case = ForeignKeyField(
        InjuryCase, null=True, backref="prescriptions", on_delete="SET NULL"
    )  # the workers' comp or auto case it treats


class PrescriptionDiagnosis(BaseModel):
    prescription = ForeignKeyField(Prescription, backref="diagnoses", on_delete="CASCADE")
    position = IntegerField()  # 1 = primary
    code = CharField(max_length=8)
    description = CharField()

    class Meta:
        indexes = ((("prescription", "position"), True),)


class PrescriptionScan(BaseModel):
    prescription = ForeignKeyField(Prescription, backref="scans", on_delete="CASCADE")
    filename = CharField()
    media_type = CharField()
    data = BytesField()


# --- visits and billing --------------------------------------------------------------


class ServiceCode(BaseModel):
    code = CharField(unique=True)  # CPT/HCPCS, or a clinic code for wellness services
    description = CharField()  # in the clinic's own words
    timed = BooleanField(default=True)
    unit_minutes = IntegerField(default=15)
    price_cents = IntegerField()
    medical = BooleanField(default=True)
    active = BooleanField(default=True)


class ServicePrice(BaseModel):
    """A code's price from a day on; before its first change a code costs its `price_cents`."""

    service_code = ForeignKeyField(ServiceCode, backref="prices", on_delete="CASCADE")
    effective_on = DateField()
    price_cents = IntegerField()

    class Meta:
        indexes = ((("service_code", "effective_on"), True),)


class Visit(BaseModel):
    client = ForeignKeyField(Client, backref="visits", on_delete="RESTRICT")
    therapist = ForeignKeyField(Therapist, backref="visits", on_delete="RESTRICT")
    starts_at = DateTimeField(index=True)
    minutes = IntegerField()
    prescription = ForeignKeyField(Prescription, null=True, backref="visits", on_delete="RESTRICT")
    injury_case = ForeignKeyField(InjuryCase, null=True, backref="visits", on_delete="RESTRICT")
    coverage = ForeignKeyField(Coverage, null=True, backref="visits", on_delete="SET NULL")
    status = CharField(default="scheduled")  # scheduled / completed / cancelled / no_show
    techniques = JSONListField(default=list)
    body_areas = JSONListField(default=list)
    subjective = TextField(default="")
    objective = TextField(default="")
    assessment = TextField(default="")
    plan = TextField(default="")
    pain_before = IntegerField(null=True)  # 0-10
    pain_after = IntegerField(null=True)
    signed_at = DateTimeField(null=True)
    signed_by = ForeignKeyField(Therapist, null=True, backref="signed_visits", on_delete="RESTRICT")
    wellness = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])  # non-medical
    wellness_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])
    fee_cents = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # late-cancel / no-show
    status_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])  # why cancelled


class VisitAddendum(BaseModel):
    visit = ForeignKeyField(Visit, backref="addenda", on_delete="CASCADE")
    author = ForeignKeyField(Therapist, backref="addenda", on_delete="RESTRICT")
    text = TextField()


class ServiceLine(BaseModel):
    visit = ForeignKeyField(Visit, backref="service_lines", on_delete="CASCADE")
    service_code = ForeignKeyField(ServiceCode, backref="lines", on_delete="RESTRICT")
    units = IntegerField(default=1)
    charge_cents = IntegerField()  # units x unit price at the time of service
    discount_cents = IntegerField(default=0)
    diagnosis_pointers = CharField(default="")  # e.g. "1,2": positions on the prescription
    discount_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])
    medical = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])


class Payment(BaseModel):
    client = ForeignKeyField(Client, backref="payments", on_delete="RESTRICT")
    received_on = DateField()
    amount_cents = IntegerField()  # for services; the gratuity is apart
    gratuity_cents = IntegerField(default=0)
    method = CharField()  # ledger.METHODS (older rows: card / payer)
    reference = CharField(default="")  # check number, last 4 digits, claim number
    payer = ForeignKeyField(Payer, null=True, backref="payments", on_delete="RESTRICT")
    notes = TextField(default="")
    kind = CharField(default="payment", constraints=[SQL("DEFAULT 'payment'")])  # ledger.KINDS
    reverses = ForeignKeyField(
        "self", null=True, backref="reversals", on_delete="RESTRICT"
    )  # the payment a void or refund entry is about
    reason = TextField(default="", constraints=[SQL("DEFAULT ''")])  # why voided or refunded


class PaymentAllocation(BaseModel):
    payment = ForeignKeyField(Payment, backref="allocations", on_delete="CASCADE")
    visit = ForeignKeyField(Visit, backref="allocations", on_delete="RESTRICT")
    amount_cents = IntegerField()


class Receipt(BaseModel):
    number = IntegerField(unique=True)
    kind = CharField()  # hsa_fsa / superbill / year_end
    client = ForeignKeyField(Client, backref="receipts", on_delete="RESTRICT")
    issued_on = DateField()
    snapshot = TextField()  # JSON of exactly what was printed
    duplicate_of = ForeignKeyField("self", null=True, backref="duplicates", on_delete="RESTRICT")


class AuditEvent(Model):
    """Who did what to which record. Ids and actions only: never names or notes.

    Each row's `chain_hash` covers its own fields and the previous row's hash
    (see `frontdesk.services.audit`), so a row changed or removed afterwards shows.
    """

    id = IdField()
    at = DateTimeField(default=_now, index=True)
    actor = CharField(default="")
    action = CharField()  # create / update / archive / delete / print / ...
    entity = CharField(index=True)  # the Audit page's filters: kind and record
    entity_id = IntegerField(null=True, index=True)
    detail = TextField(default="")
    chain_hash = CharField(null=True)  # set in the same transaction as the row is written

    class Meta:
        database = database_proxy
        legacy_table_names = False


ALL_MODELS: list[type[Model]] = [
    ClinicProfile,
    Therapist,
    User,
    Client,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
    PrescriptionScan,
    Payer,
    Coverage,
    InjuryCase,
    ServiceCode,
    ServicePrice,
    Visit,
    VisitAddendum,
    ServiceLine,
    Payment,
    PaymentAllocation,
    Receipt,
    AuditEvent,
]
# Tables derived from the records above and rewritten with them: never exported or restored
# on their own.
DERIVED_MODELS: list[type[Model]] = [ClientSearchWord]
