"""Issue 7: the three contracts stored on the enterprise for the dashboard equal the derived
rule (the list's) after every kind of change, in the same transaction; the check command
finds and repairs a difference."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from shuangliang.bench.generator import SCALES, generate_province
from shuangliang.register import services, stored_figures
from shuangliang.register.models import ContractKind, ContractStep, Enterprise
from shuangliang.register.selectors import three_contracts_q
from shuangliang.statistics import figures as fig

from .factories import EnterpriseFactory, TownshipFactory, UnionFactory


def assert_double_bright_equals_derived() -> int:
    """Today's Double Bright compliance by the stored values equals the coverage list's rule."""
    from shuangliang.doublebright.compliance import compliant_q

    assert not stored_figures.mismatches().exists()
    by_stored = set(
        Enterprise.objects.filter(union__isnull=False)
        .filter(stored_figures.stored_double_bright_q())
        .values_list("pk", flat=True)
    )
    derived = set(
        Enterprise.objects.filter(union__isnull=False)
        .filter(compliant_q(prefix="union__double_bright_status__", union_ref="union_id"))
        .values_list("pk", flat=True)
    )
    assert by_stored == derived
    return len(by_stored)


def assert_stored_equals_derived(day: datetime.date | None = None) -> int:
    """No enterprise's stored values differ, and the enterprises counted by them are those
    the list's rule selects (on `day`: stored values written before it still hold)."""
    assert not stored_figures.mismatches().exists()
    by_stored = set(
        Enterprise.objects.filter(union__isnull=False)
        .filter(stored_figures.stored_q(day))
        .values_list("pk", flat=True)
    )
    rule = three_contracts_q(union_ref="union_id") if day is None else fig.three_contracts_q(day)
    derived = set(
        Enterprise.objects.filter(union__isnull=False).filter(rule).values_list("pk", flat=True)
    )
    assert by_stored == derived
    return len(by_stored)


def counted_kinds():
    return list(ContractKind.objects.filter(counts_for_three=True).order_by("pk"))


def sign_all(union, *, signed_on=None, term_months=None, kinds=None) -> list:
    signed_on = signed_on or timezone.localdate() - datetime.timedelta(days=10)
    data = {"step": ContractStep.SIGNED, "signed_on": signed_on}
    if term_months:
        data["term_months"] = term_months
    return [
        services.contract_create(actor=None, union=union, data={**data, "kind": kind})
        for kind in (kinds if kinds is not None else counted_kinds())
    ]


@pytest.fixture
def union(world):
    township = TownshipFactory(parent=world.c1, division_code="990101201")
    union = UnionFactory(federation=township)
    EnterpriseFactory(federation=township, union=union)
    EnterpriseFactory(federation=township, union=union)  # a joint union
    return union


def held(union) -> int:
    return Enterprise.objects.filter(union=union).filter(stored_figures.stored_q()).count()


def test_signing_every_kind_stores_it_on_every_enterprise_of_the_union(world, union):
    assert_stored_equals_derived()
    contracts = sign_all(union)
    assert held(union) == 2
    assert_stored_equals_derived()
    # Back a step (the contract's signing undone by an edit), then deleted.
    services.contract_update(actor=None, contract=contracts[0], data={"step": ContractStep.TALKS})
    assert held(union) == 0
    assert_stored_equals_derived()
    services.contract_update(actor=None, contract=contracts[0], data={"step": ContractStep.SIGNED})
    assert held(union) == 2
    services.contract_delete(actor=None, contract=contracts[1])
    assert held(union) == 0
    assert_stored_equals_derived()


def test_advancing_a_contract_to_signed_stores_it(world, union):
    contracts = sign_all(union, kinds=counted_kinds()[:-1])
    last = counted_kinds()[-1]
    assert held(union) == 0
    contract = services.contract_create(
        actor=None, union=union, data={"kind": last, "step": ContractStep.TALKS}
    )
    assert held(union) == 0 and len(contracts) == len(counted_kinds()) - 1
    services.contract_advance(
        actor=None, contract=contract, step=ContractStep.SIGNED, reached_on=timezone.localdate()
    )
    assert held(union) == 2
    assert_stored_equals_derived()


def test_expiry_needs_no_write(world, union):
    """A contract running out stops counting the day after it expires, without a write."""
    today = timezone.localdate()
    contracts = sign_all(union, signed_on=today - datetime.timedelta(days=360), term_months=12)
    expires = min(c.expires_on for c in contracts)
    assert expires >= today
    stored = Enterprise.objects.filter(union=union).values_list("three_contracts_until", flat=True)
    assert set(stored) == {expires}
    assert assert_stored_equals_derived(expires) >= 2
    after = expires + datetime.timedelta(days=1)
    assert_stored_equals_derived(after)
    assert (
        Enterprise.objects.filter(union=union).filter(stored_figures.stored_q(after)).count() == 0
    )


def test_attaching_detaching_and_deleting_the_union(world, union):
    sign_all(union)
    other = EnterpriseFactory(federation=union.federation, union=None)
    services.enterprise_attach_union(actor=None, enterprise=other, union=union)
    assert held(union) == 3
    services.enterprise_attach_union(actor=None, enterprise=other, union=None)
    other.refresh_from_db()
    assert not other.three_contracts_signed
    assert_stored_equals_derived()
    services.enterprise_update(actor=None, enterprise=other, data={"union_id": union.pk})
    assert held(union) == 3
    services.union_delete(actor=None, union=union)
    assert not Enterprise.objects.filter(three_contracts_signed=True, union__isnull=True).exists()
    assert_stored_equals_derived()


def test_changing_which_kinds_count(world, union):
    sign_all(union)
    assert held(union) == 2
    extra = ContractKind.objects.filter(counts_for_three=False).first()
    extra.counts_for_three = True
    extra.save()
    assert held(union) == 0
    assert_stored_equals_derived()
    extra.counts_for_three = False
    extra.save()
    assert held(union) == 2


def test_dashboard_count_equals_the_list_rule(world, union):
    sign_all(union)
    figures = fig.headline_figures(user=None, federation=world.c1)
    listed = (
        Enterprise.objects.filter(
            federation__path__startswith=world.c1.path, operating_status="in_production"
        )
        .filter(Q(union__isnull=False) & three_contracts_q(union_ref="union_id"))
        .count()
    )
    assert figures["three_contracts_signed"] == listed >= 2


def test_check_command_finds_and_repairs_a_difference(world, union):
    sign_all(union)
    call_command("check_stored_figures", stdout=io.StringIO())
    Enterprise.objects.filter(union=union).update(three_contracts_signed=False)
    with pytest.raises(CommandError):
        call_command("check_stored_figures", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_stored_figures", "--repair", stdout=out)
    assert "2" in out.getvalue()
    assert held(union) == 2
    assert_stored_equals_derived()


def test_the_generator_stores_them(db):
    generate_province(scale=SCALES["tiny"], seed=3)
    assert assert_stored_equals_derived() > 0


# Double Bright ------------------------------------------------------------------------------


def test_double_bright_follows_confirmation_reopening_address_and_officers(world, monkeypatch):
    from shuangliang.doublebright.models import DoubleBrightStatus
    from shuangliang.doublebright.status_services import status_transition

    from .factories import OfficerFactory
    from .test_double_bright_status import confirmed

    union = world.u2
    assert_double_bright_equals_derived()
    status = confirmed(world, union)

    def compliant():  # read each time: the rule takes today's date
        return Enterprise.objects.filter(union=union).filter(
            stored_figures.stored_double_bright_q()
        )

    assert compliant().count() >= 1
    assert_double_bright_equals_derived()
    # The office address emptied, then back.
    address = union.office_address
    services.union_update(actor=None, union=union, data={"office_address": ""})
    assert compliant().count() == 0
    assert_double_bright_equals_derived()
    services.union_update(actor=None, union=union, data={"office_address": address})
    assert compliant().count() >= 1
    # A vice chair appointed from a day in the future: compliant until that day.
    start = timezone.localdate() + datetime.timedelta(days=10)
    OfficerFactory(union=union, position="vice_chair", term_start=start, term_end=None)
    assert compliant().count() >= 1
    assert set(
        Enterprise.objects.filter(union=union).values_list("double_bright_changes_on", flat=True)
    ) == {start}
    assert_double_bright_equals_derived()
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: start)
        assert compliant().count() == 0
        assert_double_bright_equals_derived()
    # Reopened by the reviewer.
    status.refresh_from_db()
    status_transition(actor=world.users["city"], status=status, to=DoubleBrightStatus.State.DRAFT)
    assert compliant().count() == 0
    assert_double_bright_equals_derived()


def test_double_bright_dashboard_count_equals_the_coverage_rule(world):
    from .test_double_bright_status import confirmed

    confirmed(world, world.u2)
    figures = fig.headline_figures(user=None, federation=world.c1)
    assert figures["double_bright_compliant"] == assert_double_bright_equals_derived() >= 1
