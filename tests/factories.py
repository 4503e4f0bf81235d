"""factory_boy factories for the register; credit codes are valid and unique."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from shuangliang.core.models import Membership
from shuangliang.register.models import (
    Enterprise,
    Federation,
    IndustrySection,
    Officer,
    Ownership,
    Person,
    Position,
    Union,
)
from shuangliang.register.validators import credit_code_check_character

_serial = itertools.count(1)


def make_credit_code(prefix: str = "91", serial: int | None = None) -> str:
    """A valid code: prefix, a fixed division code, a serial padded to fill 17, check char."""
    serial = next(_serial) if serial is None else serial
    body = f"{prefix}999001{serial:09d}"[:17]
    return body + credit_code_check_character(body)


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"测试工会{n}")
    level = Federation.Level.COUNTY
    division_code = factory.Sequence(lambda n: f"{990000 + n:06d}")


class TownshipFactory(FederationFactory):
    level = Federation.Level.TOWNSHIP
    name = factory.Sequence(lambda n: f"测试镇{n}")
    division_code = factory.Sequence(lambda n: f"{990000000 + n:09d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyFunction(make_credit_code)
    ownership = Ownership.PRIVATE
    industry = IndustrySection.C
    headcount = 100
    women_headcount = 40
    federation = factory.SubFactory(TownshipFactory)


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司工会委员会")
    federation = factory.SubFactory(TownshipFactory)
    founded_on = datetime.date(2020, 5, 1)
    member_count = 80
    women_member_count = 30
    term_start = datetime.date(2022, 5, 1)
    term_years = 5


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    gender = Person.Gender.FEMALE
    mobile = factory.Sequence(lambda n: f"138{n:08d}")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    person = factory.SubFactory(PersonFactory)
    union = factory.SubFactory(UnionFactory)
    position = Position.COMMITTEE_MEMBER
    term_start = datetime.date(2022, 5, 1)
    term_end = datetime.date(2027, 4, 30)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-only")


def membership(user, role: str, *, federation=None, union=None) -> Membership:
    return Membership.objects.create(user=user, role=role, federation=federation, union=union)
