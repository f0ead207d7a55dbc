"""The ledger: payments, allocations, voids, refunds and balances, all in cents."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.models import (
    Client,
    Payer,
    Payment,
    PaymentAllocation,
    ServiceCode,
    ServiceLine,
    Visit,
)
from frontdesk.services import billing, ledger
from frontdesk.services.ledger import LedgerRefused
from frontdesk.validation import ValidationErrors
from tests.other_pc import OtherPC

DAY = date(2026, 11, 2)


def charged_visit(
    client: Client, therapist, charge: int, discount: int = 0, hour: int = 9
) -> Visit:
    visit = Visit.create(
        client=client, therapist=therapist, starts_at=datetime(2026, 11, 2, hour), minutes=60,
        status="completed",
    )  # fmt: skip
    code = ServiceCode.get(code="97124")
    ServiceLine.create(visit=visit, service_code=code, charge_cents=charge, discount_cents=discount)
    return visit


def pay(client: Client, amount: str, method: str = "cash", **more: str) -> Payment:
    raw = {"method": method, "received_on": "11/02/2026", "amount_cents": amount, **more}
    return ledger.record_payment(raw, client.id)


def test_a_payment_is_checked_as_typed(patient):
    with pytest.raises(ValidationErrors) as refused:
        ledger.record_payment(
            {"method": "barter", "received_on": "", "amount_cents": "x"}, patient.id
        )
    assert set(refused.value.by_field()) == {"Method", "Date received", "Amount"}
    with pytest.raises(ValidationErrors, match="HSA/FSA card cannot pay a gratuity"):
        pay(patient, "100.00", "HSA/FSA card", gratuity_cents="20.00")
    with pytest.raises(ValidationErrors, match="choose who paid"):
        pay(patient, "100.00", "insurer")
    with pytest.raises(ValidationErrors, match="does not pay as"):
        pay(patient, "100.00", "insurer", payer_id=str(Payer.get(name="Health Allies").id))
    assert not Payment.select().exists()


def test_balance_charges_less_discounts_and_payments_gratuity_apart(patient, therapist):
    visit = charged_visit(patient, therapist, 14000, discount=1000)
    payment = ledger.record_payment(
        {"method": "Credit card", "received_on": "11/02/2026", "amount_cents": "100.00",
         "gratuity_cents": "20.00", "reference": "4242"},
        patient.id,
        allocations={visit.id: 10000},
    )  # fmt: skip
    assert (payment.amount_cents, payment.gratuity_cents, payment.kind) == (10000, 2000, "payment")
    account = ledger.client_balance(patient.id)
    assert (account.charges_cents, account.discounts_cents, account.payments_cents) == (
        14000, 1000, 10000,
    )  # fmt: skip
    assert (account.balance_cents, account.owed_cents, account.credit_cents) == (3000, 3000, 0)
    assert billing.balance_cents(patient.id) == 3000
    assert ledger.open_charges([visit.id]) == {visit.id: 3000}


def test_one_visit_paid_by_several_payments_never_beyond_its_charge(patient, therapist):
    visit = charged_visit(patient, therapist, 14000)
    pay_insurer = ledger.record_payment(
        {"method": "insurer", "received_on": "11/20/2026", "amount_cents": "110.00",
         "payer_id": str(Payer.get(name="Capital Blue Cross").id)},
        patient.id, allocations={visit.id: 11000},
    )  # fmt: skip
    copay = pay(patient, "50.00", "HSA/FSA card")
    ledger.allocate(copay.id, visit.id, 3000)
    with pytest.raises(LedgerRefused, match=r"only \$0.00 left to pay"):
        ledger.allocate(copay.id, visit.id, 1)
    assert ledger.unapplied_cents(copay) == 2000 and pay_insurer.payer.name == "Capital Blue Cross"
    assert ledger.client_balance(patient.id).credit_cents == 2000


def test_allocations_never_exceed_the_payment_or_cross_clients(patient, therapist):
    first, second = (
        charged_visit(patient, therapist, 9000),
        charged_visit(patient, therapist, 9000, hour=11),
    )
    payment = pay(patient, "100.00")
    ledger.allocate(payment.id, first.id, 9000)
    with pytest.raises(LedgerRefused, match=r"only \$10.00 left"):
        ledger.allocate(payment.id, second.id, 1001)
    other = Client.create(first_name="Bo", last_name="Lee", date_of_birth=date(1990, 1, 1))
    with pytest.raises(LedgerRefused, match="another client"):
        ledger.allocate(pay(other, "10.00").id, second.id, 500)
    with pytest.raises(LedgerRefused, match="above"):
        ledger.allocate(payment.id, second.id, 0)


def test_a_mistaken_payment_is_voided_by_an_entry_never_deleted(patient, therapist):
    visit = charged_visit(patient, therapist, 9000)
    wrong = ledger.record_payment(
        {"method": "check", "received_on": "11/02/2026", "amount_cents": "90.00"},
        patient.id, allocations={visit.id: 9000},
    )  # fmt: skip
    with pytest.raises(Exception, match="Reason"):
        ledger.void_entry(wrong.id, " ")
    void = ledger.void_entry(wrong.id, "Check returned unpaid", on=DAY)
    assert (void.kind, void.reverses_id, void.amount_cents) == ("void", wrong.id, 9000)
    assert Payment.get_by_id(wrong.id).amount_cents == 9000  # still there, as it was
    assert PaymentAllocation.select().count() == 1
    assert ledger.client_balance(patient.id).balance_cents == 9000
    assert ledger.open_charges([visit.id]) == {visit.id: 9000}
    with pytest.raises(LedgerRefused, match="voided"):
        ledger.void_entry(wrong.id, "again")
    with pytest.raises(LedgerRefused, match="voided"):
        ledger.allocate(wrong.id, visit.id, 100)
    with pytest.raises(LedgerRefused):
        ledger.refund_payment(wrong.id, 100, "refund a void")


def test_a_credit_is_refunded_by_an_entry(patient, therapist):
    visit = charged_visit(patient, therapist, 9000)
    payment = pay(patient, "100.00")
    ledger.allocate(payment.id, visit.id, 9000)
    assert ledger.client_balance(patient.id).credit_cents == 1000
    with pytest.raises(LedgerRefused, match=r"\$10.00"):
        ledger.refund_payment(payment.id, 1001, "Overpaid")
    refund = ledger.refund_payment(payment.id, 1000, "Overpaid", on=DAY)
    assert (refund.kind, refund.method, refund.amount_cents) == ("refund", "cash", 1000)
    account = ledger.client_balance(patient.id)
    assert (account.refunds_cents, account.balance_cents) == (1000, 0)
    with pytest.raises(LedgerRefused, match="void the refund first"):
        ledger.void_entry(payment.id, "wrong")
    ledger.void_entry(refund.id, "Refund keyed twice")
    assert ledger.client_balance(patient.id).credit_cents == 1000


# --- properties ---------------------------------------------------------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(1, 30000)),
        st.tuples(
            st.just("allocate"), st.integers(0, 5), st.integers(0, 2), st.integers(-5, 20000)
        ),
        st.tuples(st.just("void"), st.integers(0, 5)),
        st.tuples(st.just("refund"), st.integers(0, 5), st.integers(-5, 20000)),
    ),
    max_size=12,
)
CHARGES = st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 100)), min_size=1, max_size=3)


def _apply(operation: tuple, client: Client, visit_ids: list[int], entries: list[int]) -> None:
    kind, *args = operation
    pick = lambda index: entries[index % len(entries)]  # noqa: E731
    try:
        if kind == "pay":
            entries.append(pay(client, f"{args[0] / 100:.2f}").id)
        elif not entries:
            return
        elif kind == "allocate":
            ledger.allocate(pick(args[0]), visit_ids[args[1] % len(visit_ids)], args[2])
        elif kind == "void":
            ledger.void_entry(pick(args[0]), "mistake")
        else:
            entries.append(ledger.refund_payment(pick(args[0]), args[1], "back").id)
    except LedgerRefused:
        pass


def _check_books(client: Client, visit_ids: list[int]) -> None:
    voided = {p.reverses_id for p in Payment.select().where(Payment.kind == "void")}
    live = [p for p in Payment.select().where(Payment.client == client.id) if p.id not in voided]
    for payment in (p for p in live if p.kind == "payment"):
        used = sum(a.amount_cents for a in payment.allocations)
        back = sum(
            r.amount_cents for r in live if r.kind == "refund" and r.reverses_id == payment.id
        )
        assert used + back <= payment.amount_cents
    live_ids = {p.id for p in live}
    for visit in Visit.select().where(Visit.id.in_(visit_ids)):
        paid = sum(a.amount_cents for a in visit.allocations if a.payment_id in live_ids)
        net = sum(line.charge_cents - line.discount_cents for line in visit.service_lines)
        assert 0 <= paid <= net + visit.fee_cents
    lines = ServiceLine.select().join(Visit).where(Visit.client == client.id)
    expected = (
        sum(line.charge_cents for line in lines)
        - sum(line.discount_cents for line in lines)
        - sum(p.amount_cents for p in live if p.kind == "payment")
        + sum(p.amount_cents for p in live if p.kind == "refund")
    )
    account = ledger.client_balance(client.id)
    assert account.balance_cents == expected == account.owed_cents - account.credit_cents


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(charges=CHARGES, operations=OPERATIONS)
def test_the_books_always_balance(set_up_clinic, charges, operations):
    _, therapist = set_up_clinic
    client = Client.create(first_name="Ana", last_name="Silva", date_of_birth=date(1980, 4, 17))
    visits = [
        charged_visit(client, therapist, charge, discount=charge * percent // 100, hour=9 + i)
        for i, (charge, percent) in enumerate(charges)
    ]
    visit_ids = [visit.id for visit in visits]
    entries: list[int] = []
    for operation in operations:
        _apply(operation, client, visit_ids, entries)
        _check_books(client, visit_ids)


# --- two PCs at once ----------------------------------------------------------------------------


def _another_pc_can_write() -> bool:
    """Whether a second connection to the database could take the write lock right now."""
    with OtherPC(wait_s=0) as other:
        return other.can_take_write_lock()


def probe_lock(monkeypatch, owner, name: str) -> list[bool]:
    """Before `owner.name` runs, note whether another PC could take the write lock."""
    seen: list[bool] = []
    original = getattr(owner, name)

    def probing(*args):
        seen.append(_another_pc_can_write())
        return original(*args)

    monkeypatch.setattr(owner, name, probing)
    return seen


def test_an_allocation_holds_the_write_lock_from_its_first_read(patient, therapist, monkeypatch):
    visit = charged_visit(patient, therapist, 9000)
    payment = pay(patient, "90.00")
    assert _another_pc_can_write()  # nothing is locked between saves
    seen = probe_lock(monkeypatch, ledger, "_check_allocation")
    ledger.allocate(payment.id, visit.id, 9000)
    assert seen == [False]  # what is left to pay was read under the lock
    assert ledger.open_charges([visit.id]) == {visit.id: 0}
    assert _another_pc_can_write()  # committed: the lock is let go


def test_a_payment_holds_the_lock_from_its_first_read_and_nests_its_allocations(
    patient, therapist, monkeypatch
):
    first = charged_visit(patient, therapist, 9000)
    second = charged_visit(patient, therapist, 5000, hour=11)
    seen = probe_lock(monkeypatch, ledger.parts, "get_client")
    ledger.record_payment(
        {"method": "cash", "received_on": "11/02/2026", "amount_cents": "140.00"},
        patient.id,
        allocations={first.id: 9000, second.id: 5000},
    )
    assert seen == [False]
    assert ledger.open_charges([first.id, second.id]) == {first.id: 0, second.id: 0}
    assert _another_pc_can_write()
