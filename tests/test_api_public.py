"""The public API for the WeChat mini-program: the union page and cadre verification by
token, with the public pages' consent rules (QUALITY.md C1) and no login."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.register.models import Officer


def union_url(world) -> str:
    return reverse("api:public_union", args=[world.union_page.token])


def credential_url(world) -> str:
    return reverse("api:public_credential", args=[world.credential.token])


def test_public_union_page_without_login(world):
    response = Client().get(union_url(world))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["name"] == world.u1.name
    assert data["enterprises"] == [world.e1.name]
    assert data["township"]["division_code"] == world.t1.division_code
    assert [c["name"] for c in data["cadres"]] == ["王芳"]
    assert data["page_url"].endswith(reverse("public:union_page", args=[world.union_page.token]))


def test_public_union_page_shows_phones_only_with_consent(world):
    person = world.chair1.person
    person.mobile, person.office_phone = "13812345678", "0771-5551234"
    person.consent_mobile = person.consent_office_phone = person.consent_photo = False
    person.save()
    client = Client()
    response = client.get(union_url(world))
    cadre = response.json()["cadres"][0]
    assert cadre["mobile"] == "" and cadre["office_phone"] == ""
    assert cadre["photo_url"] is None
    assert "5678" not in response.content.decode() and "5551234" not in response.content.decode()
    person.consent_mobile = True
    person.save()
    assert client.get(union_url(world)).json()["cadres"][0]["mobile"] == "13812345678"
    person.consent_mobile = False  # withdrawal shows on the next request
    person.save()
    assert "13812345678" not in client.get(union_url(world)).content.decode()


def test_public_credential_verifies_and_follows_the_officers_state(world):
    client = Client()
    data = client.get(credential_url(world)).json()
    assert data["is_valid"] is True and data["reason"] == "valid"
    assert data["person_name"] == "赵敏"
    assert data["photo_url"] is None  # consent, but no photo on file: as the page
    person = world.chair3.person
    person.photo = "photos/2024/chair3.jpg"
    person.save()
    photo = reverse("public:credential_photo", args=[world.credential.token])
    assert client.get(credential_url(world)).json()["photo_url"].endswith(photo)
    Officer.objects.filter(pk=world.chair3.pk).update(
        status=Officer.Status.REPLACED, ended_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    data = client.get(credential_url(world)).json()
    assert data["is_valid"] is False and data["reason"] == "replaced"
    assert data["photo_url"] is None
    assert data["explanation"]


def test_public_unknown_token_is_404(world):
    assert Client().get(reverse("api:public_union", args=["AAAAAAAAAAAA"])).status_code == 404
    assert Client().get(reverse("api:public_credential", args=["AAAAAAAAAAAA"])).status_code == 404


def test_public_api_is_read_only(world):
    client = Client()
    assert client.post(union_url(world), {}).status_code == 405
    assert client.delete(credential_url(world)).status_code == 405
