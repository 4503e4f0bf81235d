"""core.bulk.insert_rows: new rows with their keys, the values bulk_create would write (COPY on
PostgreSQL, bulk_create elsewhere), and the table's sequence moved past them."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from shuangliang.core.bulk import insert_rows
from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import Enterprise

from .factories import EnterpriseFactory, TownshipFactory

AWKWARD = "tab\there, new\nline, back\\slash, quote \"x\" 'y', 工會 🙂 \\N"


def test_rows_get_keys_and_their_values_round_trip(db):
    township = TownshipFactory()
    before = timezone.now()
    template = EnterpriseFactory.build(federation=township)
    enterprises = [
        Enterprise(
            name=f"{AWKWARD} {n}",
            credit_code=f"91330100MA2B{n:06d}",
            federation=township,
            address="",
            headcount=n,
            ownership=template.ownership,
            industry=template.industry,
            operating_status=template.operating_status,
            search_text=AWKWARD,
        )
        for n in range(3)
    ]
    insert_rows(Enterprise, enterprises)
    assert all(e.pk and not e._state.adding for e in enterprises)
    for enterprise in enterprises:
        stored = Enterprise.objects.get(pk=enterprise.pk)
        assert stored.name == enterprise.name and stored.search_text == AWKWARD
        assert stored.headcount == enterprise.headcount and stored.union_id is None
        assert stored.created_at >= before and stored.updated_at >= before  # auto_now stamps
    # The next row the ORM writes takes a key past them (the sequence moved on).
    later = EnterpriseFactory(federation=township)
    assert later.pk > max(e.pk for e in enterprises)


def test_json_and_nulls_round_trip(db):
    content_type = ContentType.objects.get_for_model(Enterprise)
    data = {
        "text": AWKWARD,
        "nested": {"list": [1, 2.5, None, True]},
        "decimal": str(decimal.Decimal("1.10")),
        "day": datetime.date(2026, 1, 2).isoformat(),
    }
    entries = [
        ActionLogEntry(
            content_type=content_type,
            object_id=str(n),
            object_repr=AWKWARD,
            action_type="test.bulk",
            actor=None,
            data=data,
        )
        for n in range(2)
    ]
    insert_rows(ActionLogEntry, entries)
    stored = list(ActionLogEntry.objects.filter(action_type="test.bulk").order_by("pk"))
    assert [e.pk for e in stored] == [e.pk for e in entries]
    assert all(e.data == data and e.object_repr == AWKWARD and e.actor_id is None for e in stored)
    assert all(e.timestamp is not None for e in stored)


def test_nothing_to_insert_does_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_rows(Enterprise, [])
