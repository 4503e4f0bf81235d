"""`Union.officers_changed_on/_at` (register.officer_changes): the newest officer change kept
on the union follows every path that writes officers, and compliance read from it gives the
same answer as reading every officer."""

import datetime

import pytest
from django.db.models import OuterRef, Q
from django.utils import timezone

from shuangliang.doublebright.compliance import compliant_q, items_hold_q, officer_changed_after_q
from shuangliang.register import services as register_services
from shuangliang.register.importers import register_import
from shuangliang.register.models import Officer, Position, Union
from shuangliang.register.officer_changes import refresh_officers_changed

from .factories import OfficerFactory, PersonFactory, UnionFactory
from .test_double_bright_status import confirmed
from .test_import_register import xlsx

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored(union: Union) -> tuple:
    return tuple(
        Union.objects.filter(pk=union.pk).values_list("officers_changed_on", "officers_changed_at")[
            0
        ]
    )


def recomputed(union: Union) -> tuple:
    """What the officers say now (the stored value must always equal it)."""
    refresh_officers_changed([union.pk])
    return stored(union)


def assert_follows(union: Union) -> tuple:
    value = stored(union)
    assert value == recomputed(union)
    return value


def test_appoint_end_update_and_delete_keep_the_union_current(world):
    union, actor = world.u2, world.users["county_c1"]
    start = timezone.localdate() - 5 * DAY
    officer = register_services.officer_appoint(
        actor=actor,
        union=union,
        person=PersonFactory(),
        data={"position": Position.VICE_CHAIR, "term_start": start},
    )
    assert assert_follows(union)[0] >= start
    register_services.officer_end(actor=actor, officer=officer, ended_on=timezone.localdate())
    assert assert_follows(union) == (
        timezone.localdate(),
        Officer.objects.get(pk=officer.pk).updated_at,
    )
    # A new chair replaces the old one: both the appointment and the departure are seen.
    chair_start = timezone.localdate() + 3 * DAY
    register_services.officer_appoint(
        actor=actor,
        union=union,
        person=PersonFactory(),
        data={"position": Position.CHAIR, "term_start": chair_start},
    )
    assert assert_follows(union)[0] == chair_start
    register_services.officer_update(actor=actor, officer=officer, data={"term_start": start - DAY})
    assert_follows(union)
    Officer.objects.filter(union=union, term_start=chair_start).delete()
    assert assert_follows(union)[0] == chair_start - DAY  # the replaced chair left the day before


def test_moving_an_officer_to_another_union_refreshes_both(world):
    """The admin's change form can set another union; it saves the model."""
    first, second = world.u1, world.u2
    officer = OfficerFactory(
        union=first, position=Position.COMMITTEE_MEMBER, term_start=timezone.localdate() + 30 * DAY
    )
    assert assert_follows(first)[0] == timezone.localdate() + 30 * DAY
    officer = Officer.objects.get(pk=officer.pk)
    officer.union = second
    officer.save()
    assert assert_follows(first)[0] != timezone.localdate() + 30 * DAY
    assert assert_follows(second)[0] == timezone.localdate() + 30 * DAY


def test_saving_a_union_read_before_an_officer_change_keeps_the_change(world):
    union = Union.objects.get(pk=world.u2.pk)  # read now, before the appointment
    OfficerFactory(union=union, position=Position.COMMITTEE_MEMBER, term_start=timezone.localdate())
    changed = assert_follows(union)
    union.office_address = "甲二镇新路1号"
    union.save()
    assert stored(union) == changed


def test_import_of_officers_into_a_registered_union(world):
    union = world.e1.union
    before = stored(union)
    result = register_import(
        file=xlsx(
            {
                "工会干部": [
                    ["企业统一社会信用代码", "姓名", "职务", "手机", "任职时间"],
                    [world.e1.credit_code, "新委员", "女职委委员", "13912345678", "2099-01-01"],
                ]
            }
        ),
        federation=world.c1,
    )
    assert result.errors == [] and result.written
    assert stored(union) != before
    assert assert_follows(union)[0] == Officer.objects.get(person__name="新委员").term_start


def test_import_of_a_new_union_with_its_chair(world):
    from .test_import_register import roster, roster_row

    result = register_import(file=roster([roster_row(1)]), federation=world.c1)
    assert result.written
    union = Officer.objects.latest("pk").union
    assert assert_follows(union)[0] is not None


def old_compliant_q() -> Q:
    """The rule as it was, reading every officer (the reference)."""
    changed = officer_changed_after_q(
        at_ref=OuterRef("double_bright_status__submitted_at"),
        on_ref=OuterRef("double_bright_status__submitted_on"),
        union_ref="pk",
    )
    return (
        Q(double_bright_status__state="confirmed")
        & items_hold_q("double_bright_status__")
        & ~Q(office_address="")
        & ~Q(changed)
    )


def test_compliance_from_the_column_equals_compliance_from_the_officers(world, monkeypatch):
    today = timezone.localdate()
    unions = [UnionFactory(federation=world.t2) for _ in range(6)]
    for union in unions:
        OfficerFactory(union=union, position=Position.CHAIR, term_start=today - 400 * DAY)
        confirmed(world, union)
    a, b, c, d, e, f = unions
    OfficerFactory(
        union=a, position=Position.COMMITTEE_MEMBER, term_start=today - 500 * DAY
    )  # back-dated
    OfficerFactory(union=b, position=Position.COMMITTEE_MEMBER, term_start=today)  # same day, later
    OfficerFactory(
        union=c, position=Position.COMMITTEE_MEMBER, term_start=today + 5 * DAY
    )  # future
    chair = Officer.objects.get(union=d, position=Position.CHAIR)
    register_services.officer_end(actor=world.users["county_c1"], officer=chair, ended_on=today)
    OfficerFactory(union=e, position=Position.COMMITTEE_MEMBER, term_start=today + 5 * DAY)
    OfficerFactory(union=e, position=Position.COMMITTEE_MEMBER, term_start=today)  # future and now
    Officer.objects.filter(union=f).update(created_at=timezone.now() + 3600 * DAY)
    refresh_officers_changed([f.pk])  # a queryset update must refresh itself

    def answers():
        ids = [u.pk for u in [*unions, world.u1, world.u2]]
        new = set(
            Union.objects.filter(pk__in=ids).filter(compliant_q()).values_list("pk", flat=True)
        )
        old = set(
            Union.objects.filter(pk__in=ids).filter(old_compliant_q()).values_list("pk", flat=True)
        )
        return new, old

    new, old = answers()
    assert new == old
    assert a.pk in new and c.pk in new and b.pk not in new and d.pk not in new
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + 10 * DAY)
    new, old = answers()
    assert new == old and c.pk not in new
