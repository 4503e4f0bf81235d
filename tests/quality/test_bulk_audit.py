"""QUALITY.md D1 on the bulk paths of the admin: every action of every admin list (delete the
selected rows, revoke tokens, rotate page tokens, reissue credentials…) leaves one action log
entry per row it changed.

The actions are found from the admin site, so a new admin or action is covered when it is
registered. Each runs on two rows of the test world in a savepoint rolled back afterwards.
"""

from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from shuangliang.core.models import ActionLogEntry


def _actions(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            yield model, name


def test_every_admin_action_logs_each_row_it_changes(world):
    superuser = world.users["superuser"]
    client = Client()
    client.force_login(superuser)
    missing, ran = [], 0
    for model, action in _actions(superuser):
        if model is ActionLogEntry:
            continue
        manager = model._default_manager
        pks = list(manager.order_by("-pk").values_list("pk", flat=True)[:2])
        if not pks:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        savepoint = transaction.savepoint()
        try:
            before = {pk: _state(manager, pk) for pk in pks}
            entries = ActionLogEntry.objects.count()
            response = client.post(url, {"action": action, "_selected_action": pks, "post": "yes"})
            # 403: the rows hang on others the admin may not delete; nothing changes then.
            assert response.status_code in (200, 302, 403), (model, action, response.status_code)
            changed = [pk for pk in pks if _state(manager, pk) != before[pk]]
            logged = set(
                ActionLogEntry.objects.order_by("pk")[entries:].values_list("object_id", flat=True)
            )
            ran += 1
            if changed and not {str(pk) for pk in changed} <= logged:
                missing.append(f"{model._meta.label} {action}: {changed} not in the log")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert missing == [], "\n".join(missing)
    assert ran >= 15, ran


def _state(manager, pk):
    return manager.filter(pk=pk).values().first()


def test_admin_saves_of_accounts_and_roles_are_logged_without_secrets(world):
    client = Client()
    client.force_login(world.users["superuser"])
    secret = "Zq8-unusual-Passw0rd"
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new_clerk",
            "password1": secret,
            "password2": secret,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = ActionLogEntry.objects.get(action_type="auth.user.created")
    assert entry.actor == world.users["superuser"]
    assert secret not in str(entry.data) and entry.data["changes"]["password1"] == ["?", "***"]
    person = world.chair1.person
    response = client.post(
        reverse("admin:register_person_change", args=[person.pk]),
        {"name": person.name, "gender": person.gender, "mobile": "13911112222"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = ActionLogEntry.objects.filter(action_type="register.person.changed").last()
    assert entry.data["changes"]["mobile"] == ["?", "***"]
    assert "13911112222" not in str(entry.data)
