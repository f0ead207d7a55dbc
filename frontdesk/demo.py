"""A believable demo clinic for trying the program and for screenshots."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.formatting import us_date
from frontdesk.models import (
    Client,
    ClinicProfile,
    Coverage,
    InjuryCase,
    Payer,
    Payment,
    PaymentAllocation,
    Physician,
    Prescription,
    ServiceCode,
    ServiceLine,
    Therapist,
    Visit,
    database_proxy,
)
from frontdesk.services import audit
from frontdesk.services.billing import units_for_minutes
from frontdesk.services.cases import link_prescription, save_case
from frontdesk.services.coverage import save_coverage
from frontdesk.services.payers import save_payer
from frontdesk.services.physicians import save_physician
from frontdesk.services.prescriptions import save_prescription

DEMO_ACTOR = "demo"


class DatabaseNotEmpty(Exception):
    """The demo clinic is only written into a database without clients."""


# fmt: off
FEMALE_NAMES = (
    "Maria", "Linda", "Patricia", "Jennifer", "Elizabeth", "Susan", "Jessica", "Sarah", "Karen",
    "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
    "Carol", "Amanda", "Keiko",
)
MALE_NAMES = (
    "James", "Robert", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Daniel",
    "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin",
    "Brian",
)
# fmt: on
CONDITION_SETS = (
    [],
    [],
    [],
    ["high_blood_pressure"],
    ["blood_clots"],
    ["pregnancy"],
    ["diabetes", "other_medications"],
    ["osteoporosis"],
    ["allergy_oils_lotions"],
    ["blood_thinners"],
)  # fmt: skip
LAST_NAMES = [
    "Garcia",
    "Nguyen",
    "Johnson",
    "Kealoha",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nakamura",
    "Baker",
]
STREETS = ("NE Alberta St", "SE Hawthorne Blvd", "N Williams Ave", "SW Main St", "NW 23rd Ave")
COMPLAINTS = {
    "back": "Low back pain, worse after sitting",
    "neck": "Stiff neck and headaches from desk work",
    "shoulder": "Right shoulder pain reaching overhead",
    "whiplash": "Neck pain since a rear-end collision",
    "work_back": "Low back pain after lifting at work",
    "fibro": "Widespread muscle pain and tender points",
    None: "Tension in upper back and shoulders",
}

REASONS = {
    "back": "Low back pain",
    "neck": "Neck pain and tension headaches",
    "shoulder": "Right shoulder pain",
    "whiplash": "Whiplash injury, neck pain",
    "work_back": "Lumbar strain at work",
    "fibro": "Fibromyalgia pain",
}

# Situations: (how many, payer name or None, diagnosis codes, prescription state)
DIAGNOSES = {
    "back": ("M54.50", "M62.830"),
    "neck": ("M54.2", "G44.209"),
    "shoulder": ("M25.511", "M75.41"),
    "whiplash": ("S13.4XXA", "M54.2"),
    "work_back": ("S39.012A", "M54.50"),
    "fibro": ("M79.7",),
}


@dataclass(frozen=True)
class Situation:
    count: int
    payer: str | None
    diagnosis: str | None  # key of DIAGNOSES; None = wellness, no prescription
    payment_method: str
    case_kind: str | None = None


SITUATIONS = (
    Situation(9, "Self-pay", "back", "hsa_fsa_card"),
    Situation(3, "Self-pay", "fibro", "card"),
    Situation(4, "ChooseHealthy Affinity Program", "neck", "card"),
    Situation(2, "Whole Health Living Program", "shoulder", "card"),
    Situation(5, "Capital Blue Cross", "back", "payer"),
    Situation(3, "Priority Health", "shoulder", "payer"),
    Situation(3, "Veterans Affairs Community Care Network", "back", "payer"),
    Situation(3, "Workers' compensation carrier (other)", "work_back", "payer", "workers_comp"),
    Situation(3, "Auto-accident / PIP carrier (other)", "whiplash", "payer", "auto"),
    Situation(6, None, None, "cash"),
)


CLAIM_PREFIX = {"workers_comp": "WC", "auto": "PIP"}
CLOSED_STATUS = {"workers_comp": "settled", "auto": "closed"}  # the third case of each kind
CASE_DETAILS = {
    "workers_comp": {
        "employer": "Columbia Freight",
        "employer_address": "4400 NW Front Ave, Portland, OR 97210",
        "adjuster_email": "morgan.lee@claims.example",
    },
    "auto": {"state": "OR", "policy_number": "PAC-2231907", "pip_limit_cents": "15,000.00"},
}
ATTORNEY = {"attorney_name": "Dana Whitfield", "attorney_phone": "(503) 555-0188"}
PLAN_DETAILS = {  # what the front desk copies from these cards besides the numbers
    "Capital Blue Cross": {"plan_type": "PPO", "copay_cents": "25.00", "visits_allowed": "20"},
    "Priority Health": {"plan_type": "HMO", "copay_cents": "30.00", "visits_allowed": "12"},
    "ChooseHealthy Affinity Program": {"plan_type": "Discount program"},
    "Whole Health Living Program": {"plan_type": "Discount program"},
    "Auto-accident / PIP carrier (other)": {"plan_type": "PIP / no-fault"},
}
NOT_ACCEPTED_PAYER = {
    "name": "Evergreen Mutual Health Plan",
    "aliases": "Evergreen Mutual, EMHP",
    "kind": "commercial",
    "acceptance": "not_accepted",
    "plan_types": "PPO",
    "notes": "A made-up insurer of the demo clinic: we are not in network with it.",
}
EXTRA_COVERAGE = {  # (situation payer, client index: the first of each such situation) -> extra
    ("Priority Health", 0): (
        "Providence Health Plan",
        {"started_days_ago": 900, "ended_days_ago": 370, "order": "primary"},
    ),
    ("Self-pay", 0): (NOT_ACCEPTED_PAYER["name"], {"started_days_ago": 400, "order": "secondary"}),
}


class DemoBuilder:
    """Writes the demo clinic; one instance per run, with its own random generator."""

    def __init__(self, today: date, seed: int = 7) -> None:
        self.today = today
        self.random = random.Random(seed)
        self.counter = 0

    def phone(self) -> str:
        area = self.random.choice(("503", "971", "360"))
        return f"+1{area}55501{self.random.randint(0, 99):02d}"

    def clinic(self) -> list[Therapist]:
        ClinicProfile.create(
            name="Willow Medical Massage",
            address_line1="1420 NE Broadway, Suite 210",
            city="Portland",
            state="OR",
            zip_code="97232",
            phone="+15035550100",
            email="frontdesk@willowmassage.example",
            ein="93-1234567",
            npi="1234567893",
            receipt_footer="Thank you for trusting us with your care.",
        )
        return [
            Therapist.create(
                first_name="Hannah",
                last_name="Okafor",
                credentials="LMT",
                license_number="LMT-21873",
                license_state="OR",
                npi="1245319599",
            ),
            Therapist.create(
                first_name="Diego",
                last_name="Alvarez",
                credentials="LMT, NMT",
                license_number="LMT-19552",
                license_state="OR",
                npi="1679576722",
            ),
        ]

    def physicians(self) -> list[Physician]:
        rows = (
            (
                "Alicia",
                "Chen",
                "MD",
                "1003000126",
                "Eastside Family Medicine",
                "2800 E Burnside St",
            ),
            ("Robert", "Haines", "DO", "1922156405", "Rose City Orthopedics", "1515 NW 18th Ave"),
            (
                "Priya",
                "Raman",
                "MD",
                "1497758544",
                "Cascade Spine & Sports",
                "8800 SE Sunnyside Rd",
            ),
        )
        return [
            save_physician(
                {
                    "first_name": first,
                    "last_name": last,
                    "credentials": cred,
                    "npi": npi,
                    "practice": practice,
                    "address_line1": street,
                    "city": "Portland",
                    "state": "OR",
                    "phone": self.phone(),
                    "fax": self.phone(),
                },
                actor=DEMO_ACTOR,
            )
            for first, last, cred, npi, practice, street in rows
        ]

    def client(self, situation: Situation) -> Client:
        self.counter += 1
        sex = "F" if self.counter % 2 else "M"
        names = FEMALE_NAMES if sex == "F" else MALE_NAMES
        first = names[(self.counter // 2) % len(names)]
        last = LAST_NAMES[(self.counter * 7) % len(LAST_NAMES)]
        born = self.today - timedelta(days=self.random.randint(22 * 365, 78 * 365))
        conditions = self.random.choice(CONDITION_SETS)
        if "pregnancy" in conditions and (sex == "M" or self.today.year - born.year > 44):
            conditions = ["varicose_veins"]
        return Client.create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            sex=sex,
            preferred_name="Kay" if first == "Kimberly" else "",
            address_line1=f"{self.random.randint(100, 9999)} {self.random.choice(STREETS)}",
            city="Portland",
            state="OR",
            zip_code=f"972{self.random.randint(10, 39)}",
            mobile_phone=self.phone(),
            email=f"{first}.{last}@mail.example".lower(),
            preferred_contact=self.random.choice(("mobile", "text", "email")),
            emergency_name=f"{self.random.choice(FEMALE_NAMES + MALE_NAMES)} {last}",
            emergency_relation=self.random.choice(("Spouse", "Parent", "Sibling", "Friend")),
            emergency_phone=self.phone(),
            health_conditions=conditions,
            current_complaint=COMPLAINTS[situation.diagnosis],
            consent_signed_on=self.today - timedelta(days=self.random.randint(20, 300)),
            privacy_notice_on=self.today - timedelta(days=self.random.randint(20, 300)),
            referral_source=self.random.choice(("Physician", "Friend", "Web search", "")),
        )

    def prescription(
        self, client: Client, diagnosis: str, physician: Physician, variant: int
    ) -> Prescription:
        """Entered through the prescriptions service, as the front desk would type it.

        `variant` picks the state: active, ending soon (by date), used up, expired.
        """
        written = self.today - timedelta(days=(40, 170, 60, 250)[variant % 4])
        neck = diagnosis in ("neck", "whiplash")
        raw = {
            "physician_id": physician.id,
            "written_on": us_date(written),
            "reason": REASONS[diagnosis],
            "diagnosis_codes": ", ".join(DIAGNOSES[diagnosis]),
            "modality": "Massage therapy",
            "techniques": ["myofascial_release", "trigger_point_therapy", "neuromuscular_therapy"],
            "body_areas": ["neck", "upper_back"]
            if neck
            else ["lower_back", "hip_left", "hip_right"],
            "treatments_prescribed": str((12, 12, 4, 12)[variant % 4]),
            "frequency": "2 per month",
            "duration": "6 months",
        }
        return save_prescription(raw, client.id, actor=DEMO_ACTOR, today=self.today)

    def visits(
        self,
        client: Client,
        therapist: Therapist,
        prescription: Prescription | None,
        coverage: Coverage | None,
        case: InjuryCase | None,
        method: str,
    ) -> None:
        medical = prescription is not None
        code = ServiceCode.get(code="97124" if medical else "WELL60")
        start = prescription.written_on if prescription else self.today - timedelta(days=120)
        count = prescription.treatments_prescribed if prescription else 3
        count = min(count, max(((self.today - start).days - 3) // 14, 1))
        if prescription and prescription.treatments_prescribed == 4:
            count = 4  # used up
        for number in range(count):
            day = start + timedelta(days=3 + 14 * number)
            minutes = self.random.choice((45, 60, 60))
            units = units_for_minutes(minutes) if code.timed else 1
            visit = Visit.create(
                client=client,
                therapist=therapist,
                starts_at=datetime.combine(day, time(9 + number % 8)),
                minutes=minutes,
                prescription=prescription,
                injury_case=case,
                coverage=coverage,
                status="completed",
                techniques=prescription.techniques if medical else [],
                body_areas=prescription.body_areas if medical else [],
                subjective="Client reports pain 6/10, worse in the morning.",
                objective="Hypertonic paraspinals, tender points along the upper trapezius.",
                assessment="Tissue more pliable after treatment; range of motion improved.",
                plan="Continue as prescribed; home stretching shown.",
                pain_before=self.random.randint(5, 8),
                pain_after=self.random.randint(2, 4),
                signed_at=datetime.combine(day, time(17)),
                signed_by=therapist,
            )
            charge = code.price_cents * units
            ServiceLine.create(
                visit=visit,
                service_code=code,
                units=units,
                charge_cents=charge,
                diagnosis_pointers="1" if medical else "",
            )
            if number < count - 1 or self.random.random() < 0.6:  # some leave a balance
                self.payment(client, visit, charge, method, coverage, day)

    def payment(
        self,
        client: Client,
        visit: Visit,
        amount: int,
        method: str,
        coverage: Coverage | None,
        day: date,
    ) -> None:
        payment = Payment.create(
            client=client,
            received_on=day,
            amount_cents=amount,
            method=method,
            gratuity_cents=1000 if method in ("card", "cash") and self.random.random() < 0.3 else 0,
            payer=coverage.payer if method == "payer" and coverage else None,
            reference=f"{self.random.randint(1000, 9999)}",
        )
        PaymentAllocation.create(payment=payment, visit=visit, amount_cents=amount)

    def coverage(self, client: Client, payer_name: str, index: int) -> Coverage:
        """Entered through the coverage service, as the front desk would type it from the card."""
        payer = Payer.get(name=payer_name)
        member_id = "" if payer.kind == "self_pay" else f"{payer.name[:3].upper()}{self.number(8)}"
        group = f"G{self.random.randint(1000, 9999)}" if payer.kind == "commercial" else ""
        va = payer.kind == "government"
        raw = {
            "payer_id": str(payer.id),
            "member_id": member_id,
            "group_number": group,
            "subscriber_name": client.full_name,
            "authorization_number": f"VA{self.random.randint(100000, 999999)}" if va else "",
            "visits_allowed": "12" if va else "",
            "starts_on": us_date(self.today - timedelta(days=200 if va else 365)),
            "ends_on": us_date(self.today + timedelta(days=165)) if va else "",
            **PLAN_DETAILS.get(payer_name, {}),
            **self.subscriber(client, payer, index),
        }
        return save_coverage(raw, client.id, actor=DEMO_ACTOR)

    def number(self, digits: int) -> int:
        return self.random.randint(10 ** (digits - 1), 10**digits - 1)

    def subscriber(self, client: Client, payer: Payer, index: int) -> dict[str, str]:
        """The second client of a commercial plan is covered through their spouse."""
        if payer.kind != "commercial" or index != 1:
            return {}
        born = client.date_of_birth - timedelta(days=3 * 365)
        return {
            "subscriber_relation": "spouse",
            "subscriber_name": f"Jordan {client.last_name}",
            "subscriber_birth_date": us_date(born),
        }

    def extra_coverage(self, client: Client, situation: Situation, index: int) -> None:
        """An ended coverage and a plan the clinic does not take, for variety."""
        extra = EXTRA_COVERAGE.get((situation.payer, index))
        if extra is None:
            return
        payer_name, details = extra
        raw = {
            "payer_id": str(Payer.get(name=payer_name).id),
            "member_id": f"X{client.id:08d}",
            "subscriber_name": client.full_name,
            "starts_on": us_date(self.today - timedelta(days=details["started_days_ago"])),
            "ends_on": us_date(self.today - timedelta(days=details["ended_days_ago"]))
            if "ended_days_ago" in details
            else "",
            "priority": details["order"],
        }
        save_coverage(raw, client.id, actor=DEMO_ACTOR)

    def injury_case(self, client: Client, coverage: Coverage, kind: str, index: int) -> InjuryCase:
        """Entered through the cases service: the claim the client's visits are billed to."""
        raw = {
            "claim_number": f"{CLAIM_PREFIX[kind]}-{self.random.randint(10**6, 10**7)}",
            "date_of_injury": us_date(self.today - timedelta(days=self.random.randint(90, 200))),
            "carrier_id": str(coverage.payer_id),
            "adjuster_name": "Morgan Lee",
            "adjuster_phone": self.phone(),
            "status": ("open", "open", CLOSED_STATUS[kind])[index % 3],
            **CASE_DETAILS[kind],
            **(ATTORNEY if kind == "auto" and index == 1 else {}),
        }
        return save_case(raw, client.id, kind, actor=DEMO_ACTOR, today=self.today)

    def build(self) -> int:
        therapists = self.clinic()
        physicians = self.physicians()
        save_payer(NOT_ACCEPTED_PAYER, actor=DEMO_ACTOR)
        for situation in SITUATIONS:
            for index in range(situation.count):
                self.client_with_history(situation, index, therapists, physicians)
        archived = list(Client.select().order_by(Client.id.desc()).limit(2))
        for client in archived:
            client.archived = True
            client.save()
        return Client.select().count()

    def client_with_history(
        self,
        situation: Situation,
        index: int,
        therapists: list[Therapist],
        physicians: list[Physician],
    ) -> None:
        client = self.client(situation)
        coverage = self.coverage(client, situation.payer, index) if situation.payer else None
        self.extra_coverage(client, situation, index)
        case = (
            self.injury_case(client, coverage, situation.case_kind, index)
            if situation.case_kind and coverage
            else None
        )
        prescription = None
        if situation.diagnosis:
            physician = physicians[self.counter % len(physicians)]
            prescription = self.prescription(client, situation.diagnosis, physician, index)
            if case is not None:
                link_prescription(prescription.id, case.id, actor=DEMO_ACTOR)
        therapist = therapists[self.counter % len(therapists)]
        self.visits(client, therapist, prescription, coverage, case, situation.payment_method)


def build_demo_clinic(today: date | None = None, seed: int = 7) -> int:
    """Fill an empty database with the demo clinic; returns the number of clients."""
    with database_proxy.atomic():
        if Client.select().exists() or ClinicProfile.select().exists():
            raise DatabaseNotEmpty("This database already holds a clinic; the demo was not added.")
        count = DemoBuilder(today or date.today(), seed).build()
        audit.record("create", "demo_clinic", None, detail=f"{count} clients")
    return count
