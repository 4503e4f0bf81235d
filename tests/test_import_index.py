"""The import's index across rows (register/importers/index.py): what goes in comes back out,
with the union's key once written, and each union takes one chair."""

import datetime

import pytest

from shuangliang.register.importers.columns import ENTERPRISE, UNION, SheetLayout
from shuangliang.register.importers.index import FileIndex
from shuangliang.register.models import Union


@pytest.fixture
def index():
    index = FileIndex()
    yield index
    index.close()


def test_enterprises_and_unions_come_back_with_their_sheet_row_township_and_union(world, index):
    enterprises = SheetLayout(title="企业", kind=ENTERPRISE)
    unions = SheetLayout(title="工会", kind=UNION)
    union = Union(name="甲工会", term_start=datetime.date(2024, 3, 1))
    ref = index.add_union(unions, 4, union, world.t1)
    index.add_enterprise("91A", enterprises, 7, world.t1, None)
    index.add_enterprise("91B", enterprises, 8, None, ref)

    a, b = index.enterprise("91A"), index.enterprise("91B")
    assert (a.layout.title, a.number, a.federation, a.union) == ("企业", 7, world.t1, None)
    assert (b.layout.title, b.number, b.federation) == ("企业", 8, None)
    assert (b.union.name, b.union.term_start, b.union.federation) == (
        "甲工会",
        datetime.date(2024, 3, 1),
        world.t1,
    )
    assert index.enterprise("91C") is None
    assert list(index.enterprise_codes()) == ["91A"]  # only what has a township is written
    assert index.enterprise_place("91B") == (enterprises, 8)

    index.give_union(a, ref)
    assert index.enterprise("91A").union.name == "甲工会"


def test_a_union_is_found_by_code_name_and_row_and_carries_its_key_once_written(world, index):
    sheet = SheetLayout(title="花名册", kind=ENTERPRISE)
    first = index.add_union(sheet, 3, Union(name="乙工会"), world.t1)
    second = index.add_union(sheet, 9, Union(name="乙工会"), world.t2)
    index.add_union_code("81X", first)
    index.add_union_name("乙工会", first)
    index.add_union_name("乙工会", second)

    assert index.union_by_code("81X").id == first.id
    assert index.union_place("81X") == (sheet, 3)
    assert index.union_by_code("81Y") is None
    assert [u.federation for u in index.unions_named("乙工会")] == [world.t1, world.t2]
    assert index.union_at(sheet, 9).id == second.id
    assert index.union_at(sheet, 10) is None
    assert list(index.union_codes()) == ["81X"]

    assert index.union_by_code("81X").pk is None
    index.written(first, 4242)
    assert first.pk == 4242
    assert index.union_by_code("81X").stand_in().pk == 4242
    assert index.union(first.id).pk == 4242


def test_a_union_takes_one_chair_and_an_enterprise_one_union_sheet(world, index):
    ref = index.add_union(SheetLayout(title="工会", kind=UNION), 2, Union(name="丙工会"), None)
    assert index.take_chair(ref) is True
    assert index.take_chair(ref) is False
    assert index.claim("91A", 5) is None
    assert index.claim("91A", 8) == 5  # the first union keeps it
    index.attach("91R", ref)
    assert index.attached("91R").name == "丙工会"
    assert index.attached("91S") is None
