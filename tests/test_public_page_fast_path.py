"""The public union page's hot path: its queries compiled once (core/prepared.py), the
federations above the union and the notices app's model-unit years read in the page's own
query, and the public API answering from the same selectors and cache as the HTML page.

Whatever is read faster must still be exact on the very next request (QUALITY.md C1)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangliang.core.prepared import PreparedQuery
from shuangliang.doublebright import selectors
from shuangliang.doublebright.services import union_page_ensure
from shuangliang.notices.models import Designation
from shuangliang.register.models import Federation, Officer, Position
from shuangliang.register.services import officer_appoint, person_update

from .factories import (
    FederationFactory,
    OfficerFactory,
    PersonFactory,
    TownshipFactory,
    UnionFactory,
)

MOBILE = "13912345678"


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _page_html(page) -> str:
    response = Client().get(reverse("public:union_page", args=[page.token]))
    assert response.status_code == 200
    return response.content.decode()


def _api(page) -> dict:
    response = Client().get(reverse("api:public_union", args=[page.token]))
    assert response.status_code == 200
    return response.json()


# --- the compiled queries ----------------------------------------------------------------------


def test_a_prepared_query_returns_what_the_orm_returns(world):
    """Same rows as the queryset itself, values converted the same way (dates, datetimes,
    booleans), for other values than the ones it was compiled with."""
    OfficerFactory(union=world.u1, position=Position.VICE_CHAIR)
    OfficerFactory(  # not yet in office
        union=world.u2, term_start=datetime.date(2099, 1, 1), term_end=datetime.date(2104, 1, 1)
    )

    def build(union_id, today):
        return (
            Officer.objects.filter(Officer.current_q(today), union_id=union_id)
            .order_by("id")
            .values_list("id", "position", "term_start", "updated_at", "person__consent_mobile")
        )

    prepared = PreparedQuery(build, union_id=-1, today=datetime.date(1901, 1, 1))
    today = timezone.localdate()
    for union in (world.u1, world.u2, world.u3):
        expected = [list(row) for row in build(union.pk, today)]
        assert prepared.rows(union_id=union.pk, today=today) == expected
    assert len(prepared.rows(union_id=world.u1.pk, today=today)) == 2
    assert prepared.rows(union_id=world.u1.pk, today=datetime.date(2000, 1, 1)) == []


def test_a_placeholder_missing_from_the_query_is_refused(world):
    prepared = PreparedQuery(lambda token: Officer.objects.values_list("id"), token="absent")
    with pytest.raises(ValueError, match="token"):
        prepared.rows(token="x")


def test_the_page_query_loads_the_page_union_and_federations(world):
    page = union_page_ensure(union=world.u1)
    with CaptureQueriesContext(connection) as queries:
        loaded = selectors.union_page_for_public(token=page.token)
        union = loaded.union
        chain = [union.federation, union.federation.parent, union.federation.parent.parent]
    assert len(queries) == 1
    assert (loaded.pk, loaded.token, union.pk, union.name) == (
        page.pk,
        page.token,
        world.u1.pk,
        world.u1.name,
    )
    assert [f.pk for f in chain] == [world.t1.pk, world.t1.parent_id, world.t1.parent.parent_id]
    assert chain[-1].parent_id is None
    assert union.model_unit_years == []
    with pytest.raises(type(page).DoesNotExist):
        selectors.union_page_for_public(token="AAAAAAAAAAAA")


# --- the concern contact from the loaded federations ------------------------------------------


def test_the_concern_contact_is_the_nearest_federation_with_a_phone(world):
    page = union_page_ensure(union=world.u1)
    for phones, expected in (
        (("0771-1", "0771-2", "0771-3"), world.t1),
        (("", "0771-2", "0771-3"), world.c1),
        (("", "", "0771-3"), world.city),
        (("", "", ""), world.t1),  # none: the township itself
    ):
        for federation, phone in zip((world.t1, world.c1, world.city), phones, strict=True):
            Federation.objects.filter(pk=federation.pk).update(phone=phone)
        union = selectors.union_page_for_public(token=page.token).union
        with CaptureQueriesContext(connection) as queries:
            concern = selectors.concern_contact(union=union)
        assert len(queries) == 0
        assert concern.pk == expected.pk
        # The same answer as from a union loaded without its federations (one query).
        assert selectors.concern_contact(union=type(union).objects.get(pk=union.pk)).pk == (
            expected.pk
        )


def test_a_tree_deeper_than_the_joined_levels_still_finds_the_concern_contact(world):
    """Six levels (a park under a township): the page's query joins four above the park,
    the rest is read; the national federation's phone is still found."""
    national = FederationFactory(level=Federation.Level.NATIONAL, phone="010-1")
    province = FederationFactory(level=Federation.Level.PROVINCE, parent=national)
    city = FederationFactory(level=Federation.Level.CITY, parent=province)
    county = FederationFactory(parent=city)
    township = TownshipFactory(parent=county)
    park = TownshipFactory(level=Federation.Level.PARK, parent=township)
    page = union_page_ensure(union=UnionFactory(federation=park))
    assert selectors.concern_contact(
        union=selectors.union_page_for_public(token=page.token).union
    ) == (national)
    assert "010-1" in _page_html(page)
    assert _api(page)["concern_contact"]["phone"] == "010-1"


# --- the model-unit banner in the page's query -------------------------------------------------


def test_an_approved_model_unit_shows_on_the_next_request(world, cached):
    page = union_page_ensure(union=world.u1)
    html = _page_html(page)
    assert 'id="model-unit"' not in html
    designation = Designation.objects.create(union=world.u1, year=2023, reason="好")
    assert 'id="model-unit"' not in _page_html(page)  # proposed, not approved
    designation.state = Designation.State.APPROVED
    designation.save()
    Designation.objects.create(
        union=world.u1, year=2025, reason="好", state=Designation.State.APPROVED
    )
    Designation.objects.create(  # another union's
        union=world.u2, year=2024, reason="好", state=Designation.State.APPROVED
    )
    html = _page_html(page)
    assert "2025" in html and "2023" in html and "2024" not in html
    assert html.index("2025") < html.index("2023")  # newest first
    assert selectors.union_page_for_public(token=page.token).union.model_unit_years == [
        2025,
        2023,
    ]
    designation.delete()
    assert "2023" not in _page_html(page)


# --- the public API answers from the page's selectors and cache --------------------------------


def test_the_api_agrees_with_the_page(world, cached):
    page = union_page_ensure(union=world.u1)
    second = OfficerFactory(union=world.u1, position=Position.VICE_CHAIR)
    person_update(
        actor=None,
        person=second.person,
        data={"mobile": MOBILE, "consent_mobile": True, "consent_photo": False},
    )
    html = _page_html(page)
    data = _api(page)
    assert [c["name"] for c in data["cadres"]] == [world.chair1.person.name, second.person.name]
    for cadre in data["cadres"]:
        assert cadre["name"] in html and cadre["verify_token"] in html
    assert MOBILE in html and data["cadres"][1]["mobile"] == MOBILE
    assert data["enterprises"] == [world.e1.name] and world.e1.name in html
    assert data["concern_contact"]["name"] in html
    assert data["page_url"] == "http://testserver" + reverse("public:union_page", args=[page.token])


def test_the_api_shows_a_withdrawn_consent_and_a_new_chair_on_the_next_request(world, cached):
    page = union_page_ensure(union=world.u1)
    person = world.chair1.person
    person_update(actor=None, person=person, data={"mobile": MOBILE, "consent_mobile": True})
    assert _api(page)["cadres"][0]["mobile"] == MOBILE
    assert _api(page)["cadres"][0]["mobile"] == MOBILE  # from the cache
    with CaptureQueriesContext(connection) as queries:
        _api(page)
    assert len(queries) == 1  # cached: the page's query only
    person_update(actor=None, person=person, data={"consent_mobile": False})
    response = Client().get(reverse("api:public_union", args=[page.token]))
    assert MOBILE not in response.content.decode()
    officer_appoint(
        actor=None,
        union=world.u1,
        person=PersonFactory(name="新主席"),
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )
    assert [c["name"] for c in _api(page)["cadres"]] == ["新主席"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_postgresql_plans_the_page_query_once_per_connection(world):
    """After psycopg's threshold of runs the page's query is a prepared statement; Django's
    own queries are not prepared."""
    page = union_page_ensure(union=world.u1)
    for _ in range(connection.connection.prepare_threshold + 2):
        selectors.union_page_for_public(token=page.token)
        Officer.objects.filter(union=world.u1).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "doublebright_unionpage"' in s for s in statements)
    assert not any("COUNT(*)" in s for s in statements)
