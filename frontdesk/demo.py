"""A believable demo clinic for trying the program and for screenshots."""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from frontdesk import access, catalog, db
from frontdesk.demo_mark import DEMO_MARK, DatabaseNotEmpty, is_demo_clinic
from frontdesk.formatting import us_date
from frontdesk.models import (
    Client,
    ClinicProfile,
    Coverage,
    InjuryCase,
    Payer,
    Payment,
    Physician,
    Prescription,
    ServiceCode,
    Therapist,
    Visit,
    database_proxy,
)
from frontdesk.services import audit, fees, ledger, notes, prescriptions, visits
from frontdesk.services.cases import link_prescription, save_case
from frontdesk.services.coverage import save_coverage
from frontdesk.services.payers import save_payer
from frontdesk.services.physicians import save_physician
from frontdesk.services.prescriptions import save_prescription

DEMO_ACTOR = "demo"
log = logging.getLogger(__name__)

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
PRESCRIBED_AREAS = {
    "back": ("lower_back", "hip_left", "hip_right"),
    "work_back": ("lower_back", "hip_left", "hip_right"),
    "neck": ("neck", "upper_back"),
    "whiplash": ("neck", "upper_back"),
    "shoulder": ("shoulder_right", "upper_back", "neck"),
    "fibro": ("neck", "upper_back", "lower_back", "hip_left", "hip_right"),
}
PRESCRIBED_TECHNIQUES = ("myofascial_release", "trigger_point_therapy", "neuromuscular_therapy")


@dataclass(frozen=True)
class Situation:
    count: int
    payer: str | None
    diagnosis: str | None  # key of DIAGNOSES; None = wellness, no prescription
    payment_method: str
    case_kind: str | None = None


SITUATIONS = (  # payment_method: how the visits are paid (ledger.METHODS)
    Situation(9, "Self-pay", "back", "hsa_fsa_card"),
    Situation(3, "Self-pay", "fibro", "credit_card"),
    Situation(4, "ChooseHealthy Affinity Program", "neck", "credit_card"),
    Situation(2, "Whole Health Living Program", "shoulder", "debit_card"),
    Situation(5, "Capital Blue Cross", "back", "insurer"),
    Situation(3, "Priority Health", "shoulder", "insurer"),
    Situation(3, "Veterans Affairs Community Care Network", "back", "insurer"),
    Situation(
        3, "Workers' compensation carrier (other)", "work_back", "workers_comp", "workers_comp"
    ),
    Situation(3, "Auto-accident / PIP carrier (other)", "whiplash", "auto", "auto"),
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
        raw = {
            "physician_id": physician.id,
            "written_on": us_date(written),
            "reason": REASONS[diagnosis],
            "diagnosis_codes": ", ".join(DIAGNOSES[diagnosis]),
            "modality": "Massage therapy",
            "techniques": list(PRESCRIBED_TECHNIQUES),
            "body_areas": list(PRESCRIBED_AREAS[diagnosis]),
            "treatments_prescribed": str((12, 12, 4, 12)[variant % 4]),
            "frequency": "2 per month",
            "duration": "6 months",
        }
        return save_prescription(raw, client.id, actor=DEMO_ACTOR, today=self.today)

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
        regulars = [
            self.client_with_history(situation, index, therapists, physicians)
            for situation in SITUATIONS
            for index in range(situation.count)
        ]
        VisitHistory(self.random, self.today).write(regulars)
        for regular in regulars[-2:]:  # two wellness clients who stopped coming
            regular.client.archived = True
            regular.client.save()
        return Client.select().count()

    def client_with_history(
        self,
        situation: Situation,
        index: int,
        therapists: list[Therapist],
        physicians: list[Physician],
    ) -> Regular:
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
        return Regular(
            client=client,
            situation=situation,
            index=index,
            therapists=(therapists[self.counter % 2], therapists[(self.counter + 1) % 2]),
            prescription=prescription,
            case=case,
            coverage=coverage,
            hour=OPEN_HOUR + (self.counter * 5) % (CLOSE_HOUR - OPEN_HOUR),
        )


# --- the appointment book: visits, notes, charges and payments, through the services ------------

OPEN_HOUR, CLOSE_HOUR = 9, 17  # the first visit starts at 9, the last one ends by 5
PRESCRIPTION_STATES = ("active", "ending_soon", "used_up", "expired")  # by prescription variant
ENDING_SOON_VISITS = 11  # of 12: every other week, the same weekday
EVERY_OTHER_WEEK = timedelta(days=14)
EXPIRED_EVERY = timedelta(days=21)
EXPIRED_VISITS = 4  # of 12: the client stopped coming before it ended
MASSAGE_CODE = "97124"
PRICE_CHANGE_DAYS_AGO = 16  # the massage code went from $35.00 to $38.00 a unit then
NEW_MASSAGE_PRICE_CENTS = 3800
LATE_CANCEL_FEE_CENTS = 4000
NO_SHOW_FEE_CENTS = 4000
COURTESY_CENTS = 1000
SPLIT_HSA_CENTS = 6000  # what was left on the HSA/FSA card; the rest was paid in cash
SPLIT_TIP_CENTS = 1500
TIPS_CENTS = (1000, 1500, 2000)
RECENT_DRAFTS = 4  # the latest visits' notes are not signed yet
MONTH = timedelta(days=30)
SHIFTS = (0, -1, 1, -2, 2, -3, 3)  # a full day moves the visit to a day nearby
PROGRAM_DISCOUNTS = {"ChooseHealthy Affinity Program": 25, "Whole Health Living Program": 20}
CARRIER_METHODS = tuple(ledger.PAYER_KINDS)  # a payer pays these after a claim, not the client
CLIENT_METHODS = ("cash", "credit_card", "debit_card")  # what pays a wellness visit
CLAIM_DAYS = 12  # a carrier pays a visit at its first remittance this many days later or more
REMITTANCE_EVERY = 14
WELLNESS_REASONS = (
    "No prescription: relaxation massage",
    "No prescription: stress relief for tight shoulders",
    "Wellness massage; no physician's order",
)
USED_UP_REASON = (
    "Prescription used up; renewal requested from the physician. Relaxation massage meanwhile."
)
EXPIRED_REASON = "Prescription expired; renewal requested. Relaxation massage today."
ADDENDA = (
    "Client called the next morning: soreness eased within a day, no bruising. "
    "No change to the plan.",
    "Spoke with the physician's office: physical therapy starts next week. Soft-tissue work "
    "continues here; strengthening is left to PT.",
)
WELLNESS_TECHNIQUES = ("swedish_massage", "deep_tissue_massage")
WELLNESS_AREAS = ("neck", "upper_back", "lower_back", "shoulder_left", "shoulder_right")

# SOAP notes as a therapist writes them: (subjective, objective, assessment, plan) alternatives.
BACK_OBJECTIVE = (
    "Hypertonic lumbar paraspinals and quadratus lumborum, R > L; active trigger points in "
    "gluteus medius on both sides. Forward bend limited to mid-shin.",
    "Guarding in the lumbar erectors, tender piriformis on the left. Seated rotation limited "
    "by tightness rather than pain.",
)
BACK_ASSESSMENT = (
    "Tissue more pliable after treatment; forward bend improved to the ankles. "
    "Pain {after}/10 at the end of the session.",
    "Good response: trigger points released with sustained pressure, less guarding. "
    "Pain {after}/10 leaving.",
)
NECK_ASSESSMENT = (
    "Trigger points released; rotation improved and the headache eased. "
    "Pain {after}/10 after treatment.",
    "Less guarding in the cervical muscles; turns the head more freely. Pain {after}/10.",
)
NOTE_TEXTS: dict[str | None, tuple[tuple[str, ...], ...]] = {
    "back": (
        (
            "Low back pain {before}/10 today, worse after sitting through a long workday. "
            "Slept better since the last session.",
            "Low back ache {before}/10 on waking that eases once moving. "
            "No numbness or tingling in the legs.",
            "Lumbar tightness {before}/10 after a weekend of yard work; "
            "did the home stretches most days.",
        ),
        BACK_OBJECTIVE,
        BACK_ASSESSMENT,
        (
            "Continue as prescribed. Home care: knee-to-chest and figure-4 stretch daily, "
            "heat for 15 minutes after work.",
            "Continue as prescribed; reviewed lifting mechanics and a standing break every "
            "30 minutes.",
        ),
    ),
    "work_back": (
        (
            "Lumbar pain {before}/10 after a full shift on modified duty; "
            "still not lifting over 20 lb.",
            "Back pain {before}/10, stiff getting out of the truck; "
            "sleeping through the night now.",
        ),
        BACK_OBJECTIVE,
        BACK_ASSESSMENT,
        (
            "Continue per the prescription and the work restrictions; "
            "core bracing and hip hinge reviewed.",
            "Continue as prescribed; ice after shifts, walk 10 minutes on breaks.",
        ),
    ),
    "neck": (
        (
            "Neck stiffness and two tension headaches this week; pain {before}/10, "
            "worse by late afternoon at the computer.",
            "Neck pain {before}/10, tight turning to the left; one headache since the last visit.",
        ),
        (
            "Upper trapezius and levator scapulae hypertonic with active trigger points, L > R; "
            "suboccipitals tender. Cervical rotation limited to the left.",
            "Forward head posture; scalenes and suboccipitals tight, a trigger point in the "
            "left upper trapezius refers pain to the temple.",
        ),
        NECK_ASSESSMENT,
        (
            "Chin tucks and upper trapezius stretch twice a day; raise the monitor to eye level. "
            "Continue as prescribed.",
            "Continue as prescribed. Heat before the evening stretches; keep a headache diary.",
        ),
    ),
    "whiplash": (
        (
            "Neck pain {before}/10 since the collision; stiff checking the blind spot "
            "while driving.",
            "Neck and upper back ache {before}/10; fewer headaches this week, "
            "sleeping on a cervical pillow.",
        ),
        (
            "Guarding in the cervical paraspinals and SCM; trigger points in the upper trapezius "
            "and rhomboids on both sides. Rotation limited both ways, left worse.",
            "Tender along the posterior cervical muscles, tissue dense at C5-C7; "
            "no new numbness or tingling reported.",
        ),
        NECK_ASSESSMENT,
        (
            "Continue as prescribed; gentle range-of-motion exercises from the physician's "
            "sheet, ice after driving.",
            "Continue as prescribed; keep the cervical pillow, break up long drives.",
        ),
    ),
    "shoulder": (
        (
            "Right shoulder aches {before}/10 reaching overhead and when lying on it at night.",
            "Right shoulder pain {before}/10, better than last time; can now reach the top shelf.",
        ),
        (
            "Trigger points in the right infraspinatus and supraspinatus; posterior deltoid "
            "tender. Abduction painful past 120 degrees.",
            "Tight right pectoralis minor and upper trapezius, rounded shoulder posture; "
            "rotator cuff muscles tender to touch.",
        ),
        (
            "Abduction improved to 150 degrees with less pain after treatment; pain {after}/10.",
            "Trigger points released; the shoulder moves more freely. Pain {after}/10.",
        ),
        (
            "Continue as prescribed; pendulum swings and a doorway chest stretch twice a day.",
            "Continue as prescribed; avoid sleeping on the right side, keep up the band "
            "exercises from physical therapy.",
        ),
    ),
    "fibro": (
        (
            "Widespread aching {before}/10 with poor sleep this week; tired in the afternoons.",
            "Flare after a stressful week, pain {before}/10, most in the neck and hips.",
        ),
        (
            "Many tender points in the neck, upper back and hips; sensitive to pressure, "
            "light to moderate pressure only.",
            "Generalized muscle tension, tender upper trapezius and gluteals; "
            "guarding with deeper pressure.",
        ),
        (
            "Tolerated gentle myofascial work well; less aching and more relaxed after the "
            "session. Pain {after}/10.",
            "Good response to slow, light pressure; no flare expected after treatment. "
            "Pain {after}/10.",
        ),
        (
            "Continue as prescribed at light pressure; warm bath and gentle stretching on "
            "flare days.",
            "Continue as prescribed; pace activities, short daily walks as tolerated.",
        ),
    ),
    None: (
        (
            "Requests a relaxation massage; general tension in the shoulders from a busy month "
            "at work.",
            "Here for a wellness massage; tight upper back from long hours at the desk, "
            "no health changes since the last visit.",
            "Wellness massage; feeling run-down, wants medium pressure on the back.",
        ),
        (
            "Mild tension in the upper trapezius and along the spine; "
            "no contraindications noted today.",
            "General muscle tension in the back and shoulders; skin intact, no swelling.",
        ),
        (
            "Relaxed and reports feeling looser after the session.",
            "Tension eased; comfortable throughout.",
        ),
        (
            "Rebook in 3 to 4 weeks as desired; drink water today.",
            "May rebook as wanted; shoulder rolls at the desk.",
        ),
    ),
}


@dataclass(frozen=True)
class Regular:
    """A demo client as the appointment book sees them."""

    client: Client
    situation: Situation
    index: int  # among the clients of the same situation
    therapists: tuple[Therapist, Therapist]  # their usual therapist first
    prescription: Prescription | None
    case: InjuryCase | None
    coverage: Coverage | None
    hour: int  # the hour they like to come

    @property
    def state(self) -> str:
        """What their prescription is built to show (see DemoBuilder.prescription), or "none"."""
        return "none" if self.prescription is None else PRESCRIPTION_STATES[self.index % 4]

    def is_(self, payer: str | None, diagnosis: str | None, index: int) -> bool:
        """The client of this situation (payer, diagnosis) with this index."""
        situation = self.situation
        same = situation.payer == payer and situation.diagnosis == diagnosis
        return same and self.index == index


@dataclass
class Planned:
    """One visit in the appointment book, before it is written."""

    regular: Regular
    day: date
    minutes: int
    outcome: str = "completed"  # completed / scheduled / cancelled / no_show
    wellness_reason: str = ""
    note: str = "signed"  # signed / draft / none (not written yet)
    event: str = ""  # one of EVENTS
    fee_cents: int = 0
    reason: str = ""  # why it was cancelled or missed


EVENTS = {
    "split": "paid part by HSA/FSA card, part in cash with a cash tip",
    "twice": "the card payment was keyed twice; the second entry is voided",
    "courtesy": "a courtesy discount",
    "addendum": "an addendum after signing",
    "unpaid": "the client left without paying",
    "carry": "the late-cancel fee is paid at the client's next visit",
    "prepaid": "paid when booking; refunded when cancelled a day ahead",
}


def weekday_on_or_before(day: date) -> date:
    """The day itself, or the Friday before a weekend day."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def weekday_on_or_after(day: date) -> date:
    """The day itself, or the Monday after a weekend day."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() > 4 else 0)


def dollars(cents: int) -> str:
    """An amount as the front desk types it: "85.00"."""
    return f"{cents // 100}.{cents % 100:02d}"


class AppointmentBook:
    """The hours each therapist is taken, so the demo never books anyone twice (9 to 5)."""

    def __init__(self) -> None:
        self.taken: set[tuple[int, date, int]] = set()

    def place(
        self, regular: Regular, days: list[date], minutes: int
    ) -> tuple[Therapist, datetime] | None:
        """The first of `days` with a free hour: the client's usual therapist at the nearest
        free hour to the one they like, else the other therapist."""
        for day in days:
            found = self.place_on(regular, day, minutes)
            if found is not None:
                return found
        return None

    def place_on(
        self, regular: Regular, day: date, minutes: int
    ) -> tuple[Therapist, datetime] | None:
        length = -(-minutes // 60)
        for therapist in regular.therapists:
            for hour in self.hours_near(regular.hour, length):
                wanted = {(therapist.id, day, h) for h in range(hour, hour + length)}
                if not wanted & self.taken:
                    self.taken |= wanted
                    return therapist, datetime.combine(day, time(hour))
        return None

    @staticmethod
    def hours_near(preferred: int, length: int) -> list[int]:
        hours = range(OPEN_HOUR, CLOSE_HOUR - length + 1)
        return sorted(hours, key=lambda hour: (abs(hour - preferred), hour))


class VisitHistory:
    """The demo's visits through the services: each prescription's visits so far (the last
    month in full: notes, cancellations, payments of every kind), today's and the next days'.
    """

    def __init__(self, rng: random.Random, today: date) -> None:
        self.random = rng
        self.today = today
        self.book = AppointmentBook()
        self.seen: Counter[str] = Counter()  # clients planned so far, by prescription state
        self.sessions: Counter[int] = Counter()  # treatments so far, by client id
        self.carried: dict[int, dict[int, int]] = {}  # client id -> {visit id: fee to pay}
        self.treated: list[tuple[Planned, Visit]] = []
        self.addenda = iter(ADDENDA)

    def write(self, regulars: list[Regular]) -> None:
        massage = ServiceCode.get(ServiceCode.code == MASSAGE_CODE)
        changed_on = self.back(PRICE_CHANGE_DAYS_AGO)
        fees.set_price(massage.id, NEW_MASSAGE_PRICE_CENTS, changed_on, actor=DEMO_ACTOR)
        for planned in sorted(self.plan(regulars), key=lambda p: (p.day, p.regular.client.id)):
            self.carry_out(planned)
        self.check_in_first_of_today()
        self.carrier_payments()

    # --- days ----------------------------------------------------------------------------------

    def back(self, days: int) -> date:
        return weekday_on_or_before(self.today - timedelta(days=days))

    def ahead(self, days: int) -> date:
        return weekday_on_or_after(self.today + timedelta(days=days))

    def jitter(self, most: int) -> int:
        return self.random.randint(0, most)

    # --- the plan ------------------------------------------------------------------------------

    def plan(self, regulars: list[Regular]) -> list[Planned]:
        plans = [planned for regular in regulars for planned in self.plan_for(regular)]
        self.mark_notes_not_signed_yet(plans)
        self.add_events(regulars, plans)
        return plans

    def plan_for(self, regular: Regular) -> list[Planned]:
        planner = {
            "active": self.active,
            "ending_soon": self.ending_soon,
            "used_up": self.used_up,
            "expired": self.expired,
            "none": self.wellness_only,
        }[regular.state]
        self.seen[regular.state] += 1
        return planner(regular, self.seen[regular.state] - 1)

    def medical(self, regular: Regular, day: date, outcome: str = "completed") -> Planned:
        return Planned(regular, day, self.random.choice((60, 60, 60, 45)), outcome)

    def wellness(
        self, regular: Regular, day: date, reason: str, outcome: str = "completed"
    ) -> Planned:
        minutes = self.random.choice((60, 60, 90))
        return Planned(regular, day, minutes, outcome, wellness_reason=reason)

    def active(self, regular: Regular, _: int) -> list[Planned]:
        """Two visits this month (2 of 12 used) and the next one booked."""
        days = (self.back(26 + self.jitter(3)), self.back(12 + self.jitter(3)))
        booked = self.medical(regular, self.ahead(1 + self.jitter(5)), "scheduled")
        return [*(self.medical(regular, day) for day in days), booked]

    def ending_soon(self, regular: Regular, number: int) -> list[Planned]:
        """11 of 12 visits, every other week; the last one today, lately or in a few days."""
        if number % 2 == 0:
            last, outcome = self.today, "scheduled"
        elif number % 4 == 1:
            last, outcome = self.back(4 + self.jitter(3)), "completed"
        else:
            last, outcome = self.ahead(3 + self.jitter(3)), "scheduled"
        first = weekday_on_or_before(last) - EVERY_OTHER_WEEK * (ENDING_SOON_VISITS - 1)
        days = [first + EVERY_OTHER_WEEK * n for n in range(ENDING_SOON_VISITS - 1)]
        return [*(self.medical(regular, day) for day in days), self.medical(regular, last, outcome)]

    def used_up(self, regular: Regular, number: int) -> list[Planned]:
        """All 4 visits used, 2 of them this month; then wellness care while a renewal is asked."""
        plans = [self.medical(regular, self.back(n + self.jitter(2))) for n in (54, 40, 26, 12)]
        if number % 3 == 0:
            plans.append(self.wellness(regular, self.today, USED_UP_REASON, "scheduled"))
        elif number % 3 == 1:
            day = self.ahead(1 + self.jitter(3))
            plans.append(self.wellness(regular, day, USED_UP_REASON, "scheduled"))
        else:
            plans.append(self.wellness(regular, self.back(5 + self.jitter(2)), USED_UP_REASON))
        return plans

    def expired(self, regular: Regular, number: int) -> list[Planned]:
        """A few visits when the prescription was new, then none; one wellness visit lately."""
        rx = regular.prescription
        assert rx is not None
        first = rx.written_on + timedelta(days=5)
        days = (weekday_on_or_before(first + EXPIRED_EVERY * n) for n in range(EXPIRED_VISITS))
        plans = [self.medical(regular, day) for day in days]
        if number == 0:
            plans.append(self.wellness(regular, self.back(8 + self.jitter(3)), EXPIRED_REASON))
        elif number == 1:
            day = self.ahead(4 + self.jitter(2))
            plans.append(self.wellness(regular, day, EXPIRED_REASON, "scheduled"))
        return plans

    def wellness_only(self, regular: Regular, number: int) -> list[Planned]:
        """A wellness massage about once a month; the last two clients stopped coming."""
        reason = WELLNESS_REASONS[number % len(WELLNESS_REASONS)]
        if number >= 4:
            days = (self.back(150 + self.jitter(5)), self.back(122 + self.jitter(5)))
            return [self.wellness(regular, day, reason) for day in days]
        days = (self.back(24 + self.jitter(4)), self.back(4 + self.jitter(3)))
        plans = [self.wellness(regular, day, reason) for day in days]
        if number == 2:
            plans.append(self.wellness(regular, self.today, reason, "scheduled"))
        return plans

    def mark_notes_not_signed_yet(self, plans: list[Planned]) -> None:
        """The latest visits' notes are drafts; the very last one's is not written yet."""
        done = sorted(
            (p for p in plans if p.outcome == "completed"),
            key=lambda p: (p.day, p.regular.client.id),
        )
        for planned in done[-RECENT_DRAFTS:]:
            planned.note = "draft"
        done[-1].note = "none"

    def add_events(self, regulars: list[Regular], plans: list[Planned]) -> None:
        """The month's out-of-the-ordinary visits and payments (EVENTS), on chosen clients."""

        def who(payer: str | None, diagnosis: str | None, index: int) -> Regular:
            return next(r for r in regulars if r.is_(payer, diagnosis, index))

        def this_month(regular: Regular) -> list[Planned]:
            start = self.today - MONTH
            return [
                p
                for p in plans
                if p.regular is regular and p.outcome == "completed" and p.day >= start
            ]

        this_month(who("Self-pay", "back", 0))[-1].event = "split"
        this_month(who("Self-pay", "fibro", 1))[-1].event = "twice"
        this_month(who("Whole Health Living Program", "shoulder", 0))[0].event = "courtesy"
        this_month(who("Self-pay", "back", 5))[-1].event = "unpaid"
        this_month(who(None, None, 1))[-1].event = "unpaid"
        for regular in (
            who("Capital Blue Cross", "back", 0),
            who("Workers' compensation carrier (other)", "work_back", 0),
        ):
            first = this_month(regular)[0]
            first.event, first.note = "addendum", "signed"
        plans.extend(self.cancellations(who))

    def cancellations(self, who: Callable[[str | None, str | None, int], Regular]) -> list[Planned]:
        """A late cancel with its fee, two a day ahead (one of them prepaid), a no-show."""
        late = "Called 2 hours before the visit: held up at work (late cancel)."
        return [
            Planned(
                who("Self-pay", "fibro", 0), self.back(19), 60, "cancelled",
                fee_cents=LATE_CANCEL_FEE_CENTS, event="carry", reason=late,
            ),
            Planned(
                who("ChooseHealthy Affinity Program", "neck", 0), self.back(9), 60, "cancelled",
                reason="Called the day before with a cold; rebooked.",
            ),
            Planned(
                who(None, None, 0), self.back(16), 60, "cancelled",
                wellness_reason=WELLNESS_REASONS[0], event="prepaid",
                reason="Called a day ahead: family emergency.",
            ),
            Planned(
                who("Self-pay", "back", 4), self.back(7), 60, "no_show",
                fee_cents=NO_SHOW_FEE_CENTS, reason="Did not come; no answer when called.",
            ),
        ]  # fmt: skip

    # --- writing it ----------------------------------------------------------------------------

    def carry_out(self, planned: Planned) -> None:
        regular = planned.regular
        place = self.book.place(regular, self.days_near(planned.day), planned.minutes)
        if place is None:
            log.debug("demo visit of client #%s not booked: no free hour", regular.client.id)
            return
        therapist, starts_at = place
        planned.day = starts_at.date()
        if not planned.wellness_reason and self.would_warn(regular, starts_at):
            log.debug("demo visit of client #%s not booked: not medical", regular.client.id)
            return
        prepaid = self.prepay(planned) if planned.event == "prepaid" else None
        visit = self.book_visit(planned, therapist, starts_at)
        if planned.outcome in ("cancelled", "no_show"):
            self.not_treated(planned, visit, prepaid)
        elif planned.outcome == "completed":
            self.treat(planned, visit)

    def days_near(self, day: date) -> list[date]:
        """The day, then weekdays nearby on the same side of today."""
        if day == self.today:
            return [day]
        nearby = (day + timedelta(days=shift) for shift in SHIFTS)
        if day < self.today:
            return [d for d in nearby if d < self.today and d.weekday() < 5]
        return [d for d in nearby if d > self.today and d.weekday() < 5]

    @staticmethod
    def would_warn(regular: Regular, starts_at: datetime) -> bool:
        """Whether the visit could not count as medical care (used up, ended, ...)."""
        rx = regular.prescription
        check = prescriptions.check_visit(
            regular.client.id, starts_at.date(), prescription_id=rx.id if rx else None
        )
        return bool(check.warnings)

    def book_visit(self, planned: Planned, therapist: Therapist, starts_at: datetime) -> Visit:
        """Booked under the client's prescription, case and coverage, or as wellness care
        (which the client pays: no coverage)."""
        regular, links = planned.regular, {"coverage_id": None}
        if not planned.wellness_reason:
            links["prescription_id"] = regular.prescription.id if regular.prescription else None
            links["case_id"] = regular.case.id if regular.case else None
            links["coverage_id"] = regular.coverage.id if regular.coverage else None
        booking = visits.book_visit(
            regular.client.id,
            therapist.id,
            starts_at,
            planned.minutes,
            wellness_reason=planned.wellness_reason,
            actor=DEMO_ACTOR,
            **links,
        )
        return booking.visit

    def treat(self, planned: Planned, visit: Visit) -> None:
        if planned.day >= self.today - MONTH:  # older visits went straight to completed
            visit = visits.check_in(visit.id, visit.version, actor=DEMO_ACTOR)
        visit = visits.complete_visit(
            visit.id, visit.version, actor=DEMO_ACTOR, **self.discounts(planned)
        )
        self.sessions[planned.regular.client.id] += 1
        visit = self.write_note(planned, visit)
        self.pay_at_visit(planned, visit)
        self.treated.append((planned, visit))

    def discounts(self, planned: Planned) -> dict[str, Any]:
        found: dict[str, Any] = {}
        rate = PROGRAM_DISCOUNTS.get(planned.regular.situation.payer or "")
        if rate and not planned.wellness_reason:
            found["discount_percent"] = rate
        if planned.event == "courtesy":
            found["courtesy_cents"] = COURTESY_CENTS
            found["courtesy_reason"] = "Session started 15 minutes late"
        return found

    def not_treated(self, planned: Planned, visit: Visit, prepaid: Payment | None) -> None:
        end = visits.cancel_visit if planned.outcome == "cancelled" else visits.mark_no_show
        visit = end(
            visit.id,
            visit.version,
            fee_cents=planned.fee_cents,
            reason=planned.reason,
            actor=DEMO_ACTOR,
        )
        if planned.event == "carry":
            self.carried[planned.regular.client.id] = {visit.id: planned.fee_cents}
        if prepaid is not None:
            ledger.refund_payment(
                prepaid.id,
                prepaid.amount_cents,
                "Visit cancelled a day ahead; the prepayment went back to the card.",
                on=planned.day - timedelta(days=1),
                actor=DEMO_ACTOR,
            )

    # --- notes ---------------------------------------------------------------------------------

    def write_note(self, planned: Planned, visit: Visit) -> Visit:
        if planned.note == "none":
            return visit
        raw = self.note_form(planned, visit)
        if planned.note != "signed":  # written as far as the findings; finished later
            unfinished = {"assessment": "", "plan": "", "pain_after": ""}
            return notes.save_draft(visit.id, visit.version, raw | unfinished, actor=DEMO_ACTOR)
        visit = notes.save_draft(visit.id, visit.version, raw, actor=DEMO_ACTOR)
        at = visit.starts_at + timedelta(minutes=visit.minutes + 10)
        visit = notes.sign_note(
            visit.id, visit.therapist_id, visit.version, at=at, actor=DEMO_ACTOR
        )
        if planned.event == "addendum":
            notes.add_addendum(visit.id, visit.therapist_id, next(self.addenda), actor=DEMO_ACTOR)
        return visit

    def note_form(self, planned: Planned, visit: Visit) -> dict[str, Any]:
        """A SOAP note as the therapist types it: pain easing over the course of treatment."""
        rx = planned.regular.prescription if visit.prescription_id is not None else None
        if rx is None:
            techniques = list(WELLNESS_TECHNIQUES[: self.random.randint(1, 2)])
            areas, texts, pain = list(WELLNESS_AREAS), NOTE_TEXTS[None], ("", "")
        else:
            techniques = self.random.sample(rx.techniques, 2)
            areas, texts = list(rx.body_areas), NOTE_TEXTS[planned.regular.situation.diagnosis]
            pain = self.pain(self.sessions[planned.regular.client.id])
        words = {"before": pain[0], "after": pain[1]}
        subjective, objective, assessment, plan = (
            self.random.choice(section).format(**words) for section in texts
        )
        treated = treatment_line(techniques, areas, visit.minutes)
        return {
            "subjective": subjective,
            "objective": f"{objective}\n{treated}",
            "assessment": assessment,
            "plan": plan,
            "pain_before": str(pain[0]),
            "pain_after": str(pain[1]),
            "techniques": techniques,
            "body_areas": areas,
        }

    def pain(self, session: int) -> tuple[int, int]:
        """Pain before and after (0-10): lower as the course of treatment goes on."""
        before = min(max(7 - session // 3 + self.random.randint(-1, 1), 2), 9)
        return before, max(before - self.random.randint(2, 3), 0)

    # --- payments ------------------------------------------------------------------------------

    def method_for(self, planned: Planned) -> str:
        """How the client pays: a wellness visit never goes to a carrier or an HSA/FSA card."""
        method = planned.regular.situation.payment_method
        if planned.wellness_reason and method not in CLIENT_METHODS:
            return CLIENT_METHODS[planned.regular.client.id % 2 + 1]
        if planned.regular.prescription is None:
            return CLIENT_METHODS[planned.regular.index % 2]
        return method

    def pay_at_visit(self, planned: Planned, visit: Visit) -> None:
        if planned.event == "unpaid":
            return
        regular, owed = planned.regular, ledger.visit_charges([visit.id])[visit.id]
        method = self.method_for(planned)
        if method in CARRIER_METHODS:
            self.copay(planned, visit, owed)
        elif planned.event == "split":
            self.split_payment(planned, visit, owed)
        else:
            allocations = {visit.id: owed, **self.carried.pop(regular.client.id, {})}
            tip = self.gratuity(method)
            self.pay(regular, planned.day, method, allocations, gratuity=tip)
            if planned.event == "twice":
                self.keyed_twice(regular, planned.day, method, sum(allocations.values()), tip)

    def copay(self, planned: Planned, visit: Visit, owed: int) -> None:
        coverage = planned.regular.coverage
        copay = min(coverage.copay_cents or 0, owed) if coverage else 0
        if copay:
            method = self.random.choice(("credit_card", "debit_card"))
            self.pay(planned.regular, planned.day, method, {visit.id: copay}, notes="Copay")

    def split_payment(self, planned: Planned, visit: Visit, owed: int) -> None:
        on_card = min(SPLIT_HSA_CENTS, owed)
        regular, day = planned.regular, planned.day
        note = "The HSA/FSA card had only this left; the rest was paid in cash."
        self.pay(regular, day, "hsa_fsa_card", {visit.id: on_card}, notes=note)
        self.pay(regular, day, "cash", {visit.id: owed - on_card}, gratuity=SPLIT_TIP_CENTS)

    def keyed_twice(self, regular: Regular, day: date, method: str, cents: int, tip: int) -> None:
        twice = self.pay(regular, day, method, {}, gratuity=tip, amount=cents)
        reason = "Keyed twice by mistake; the card was charged once."
        ledger.void_entry(twice.id, reason, on=day, actor=DEMO_ACTOR)

    def gratuity(self, method: str) -> int:
        if method == "hsa_fsa_card" or self.random.random() > 0.35:
            return 0
        return self.random.choice(TIPS_CENTS)

    def prepay(self, planned: Planned) -> Payment:
        price = ServiceCode.get(ServiceCode.code == f"WELL{planned.minutes}").price_cents
        day = planned.day - timedelta(days=5)
        return self.pay(planned.regular, day, "credit_card", {}, amount=price, notes="Prepaid")

    def pay(
        self,
        regular: Regular,
        day: date,
        method: str,
        allocations: dict[int, int],
        *,
        gratuity: int = 0,
        amount: int | None = None,
        payer_id: int | None = None,
        reference: str = "",
        notes: str = "",
    ) -> Payment:
        """A payment typed in at the front desk and put on the visits it pays."""
        cents = sum(allocations.values()) if amount is None else amount
        card = method.endswith("_card")
        raw = {
            "method": method,
            "received_on": us_date(day),
            "amount_cents": dollars(cents),
            "gratuity_cents": dollars(gratuity) if gratuity else "",
            "reference": reference or (f"{regular.client.id * 7919 % 10000:04d}" if card else ""),
            "payer_id": str(payer_id) if payer_id else "",
            "notes": notes,
        }
        return ledger.record_payment(
            raw, regular.client.id, allocations=allocations, actor=DEMO_ACTOR
        )

    def carrier_payments(self) -> None:
        """Insurers and carriers pay the claims of visits some weeks old; newer ones wait."""
        claims: dict[tuple[date, int], list[tuple[Planned, Visit]]] = defaultdict(list)
        for planned, visit in self.treated:
            paid_on = self.remittance_day(planned.day)
            if self.method_for(planned) in CARRIER_METHODS and paid_on is not None:
                claims[paid_on, planned.regular.client.id].append((planned, visit))
        for (paid_on, _), treated in sorted(claims.items()):
            regular = treated[0][0].regular
            owed = ledger.open_charges(visit.id for _, visit in treated)
            allocations = {visit_id: cents for visit_id, cents in owed.items() if cents > 0}
            if not allocations or regular.coverage is None:
                continue
            self.pay(
                regular,
                paid_on,
                regular.situation.payment_method,
                allocations,
                payer_id=regular.coverage.payer_id,
                reference=f"EOB-{self.random.randint(10**7, 10**8 - 1)}",
            )

    def remittance_day(self, treated_on: date) -> date | None:
        """The carrier's first pay day (every other week) at least CLAIM_DAYS after the visit."""
        latest = self.today - timedelta(days=3)
        gap = (latest - treated_on).days - CLAIM_DAYS
        if gap < 0:
            return None
        return weekday_on_or_before(
            latest - timedelta(days=REMITTANCE_EVERY * (gap // REMITTANCE_EVERY))
        )

    def check_in_first_of_today(self) -> None:
        """The day's first client has arrived."""
        waiting = [row for row in visits.day_sheet(self.today) if row.status == "scheduled"]
        if waiting:
            visits.check_in(waiting[0].visit_id, waiting[0].version, actor=DEMO_ACTOR)


def treatment_line(techniques: list[str], areas: list[str], minutes: int) -> str:
    """E.g. "Treatment: myofascial release, trigger point therapy to the neck (60 min)."."""
    technique_labels = catalog.by_key(catalog.techniques())
    area_labels = catalog.by_key(catalog.body_areas())
    done = ", ".join(technique_labels[key].label.lower() for key in techniques)
    where = ", ".join(area_labels[key].label.lower() for key in areas)
    return f"Treatment: {done} to the {where} ({minutes} min)."


DEMO_PASSWORD = "try the demo"  # made-up logins of a made-up clinic: listed in the README
DEMO_LOGINS = (("owner", "Owner"), ("desk", "Front desk"), ("therapist", "Therapist"))
DEMO_NAMES = {"owner": "Olivia Owner", "desk": "Dana Desk"}  # the therapist's is theirs


def build_demo_clinic(today: date | None = None, seed: int = 7) -> int:
    """Fill an empty database with the demo clinic and its logins (one per role); returns
    the number of clients."""
    builder = access.Actor(None, DEMO_ACTOR, access.OWNER)
    with access.acting_as(builder), database_proxy.atomic():
        if Client.select().exists() or ClinicProfile.select().exists():
            raise DatabaseNotEmpty("This database already holds a clinic; the demo was not added.")
        count = DemoBuilder(today or date.today(), seed).build()
        _add_demo_logins()
        audit.record("create", DEMO_MARK, None, DEMO_ACTOR, detail=f"{count} clients")
    return count


def _add_demo_logins() -> None:
    """One login per role; the therapist's is the first therapist's."""
    from frontdesk.services import users

    therapist = Therapist.select().order_by(Therapist.id).first()
    names = {**DEMO_NAMES, "therapist": f"{therapist.first_name} {therapist.last_name}"}
    for name, role in DEMO_LOGINS:
        form = {"username": name, "full_name": names[name], "role": role}
        tied = therapist.id if role == "Therapist" else None
        users.add_user(form, DEMO_PASSWORD, tied)


def demo_path_for(db_path: Path) -> Path:
    """The demo clinic's own file, beside the clinic's database and never the same file."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-demo{db_path.suffix or '.db'}")


def open_demo_clinic(db_path: Path) -> Path:
    """Open the demo clinic kept beside `db_path`, building it the first time; its path.

    Raises DatabaseNotEmpty when that file holds a clinic that is not the demo, and
    db.DatabaseUnavailable when it cannot be opened.
    """
    path = demo_path_for(db_path)
    db.open_database(path)
    if not is_demo_clinic():
        build_demo_clinic()
    return path
