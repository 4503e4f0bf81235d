"""QUALITY.md E1: five failed logins lock an account for 15 minutes; logins are audited."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.core.models import ActionLogEntry, LoginFailure

from .factories import UserFactory

PASSWORD = "right-password-123"


@pytest.fixture
def user(db):
    user = UserFactory(username="clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(password: str, username: str = "clerk", **headers) -> object:
    client = Client(headers=headers)
    return client.post(reverse("login"), {"username": username, "password": password}, follow=False)


def test_five_failures_lock_the_account_even_for_the_right_password(user):
    for _ in range(5):
        response = attempt("wrong")
        assert response.status_code == 200
    response = attempt(PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200  # the form again, not the redirect of a login
    assert "_auth_user_id" not in response.client.session
    assert "该账号登录失败次数过多，请 15 分钟后再试" in response.content.decode()


def test_a_wrong_password_says_so_without_telling_whether_the_account_exists(user):
    wrong = attempt("wrong").content.decode()
    unknown = attempt("wrong", username="nobody").content.decode()
    message = "用户名或密码错误，请重新输入。"
    assert message in wrong and message in unknown


def test_four_failures_do_not_lock(user):
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(user):
    for n in range(5):
        attempt("wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 200


def test_the_lock_lifts_after_fifteen_minutes(user):
    for _ in range(5):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 200
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert attempt(PASSWORD).status_code == 302


def test_the_account_name_is_matched_without_case_or_spaces(user):
    for name in ["Clerk", " clerk", "CLERK", "clerk ", "cLeRk"]:
        attempt("wrong", username=name)
    assert attempt(PASSWORD).status_code == 200


def test_a_successful_login_clears_the_failures(user):
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 302


def test_logins_are_audited(user):
    attempt("wrong")
    attempt(PASSWORD)
    actions = list(
        ActionLogEntry.objects.filter(object_id=str(user.pk))
        .order_by("id")
        .values_list("action_type", flat=True)
    )
    assert actions == ["login_failed", "login"]
    failed = ActionLogEntry.objects.get(action_type="login_failed")
    assert PASSWORD not in str(failed.data) and "wrong" not in str(failed.data)


def test_no_password_or_address_is_stored_for_a_failure(user):
    attempt("wrong-secret", HTTP_X_FORWARDED_FOR="192.0.2.7")
    failure = LoginFailure.objects.get()
    assert failure.username == "clerk"
    assert {f.name for f in LoginFailure._meta.get_fields()} == {"id", "username", "at"}
