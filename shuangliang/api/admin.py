"""API tokens in the admin: list, create (the secret is shown once) and revoke."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuangliang.core.admin import LoggedAdmin

from .models import ApiToken
from .token_forms import ApiTokenAdminForm
from .tokens import api_token_issue, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(LoggedAdmin):
    list_display = [
        "name",
        "user",
        "key_prefix",
        "federation",
        "can_write",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["can_write", "revoked_at"]
    search_fields = ["name", "user__username", "key_prefix"]
    list_select_related = ["user", "federation"]
    actions = ["revoke"]
    form = ApiTokenAdminForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["key_prefix", "last_used_at", "revoked_at"]
        # An issued token's rights cannot be widened in place: revoke it and issue another.
        return [
            "user",
            "name",
            "key_prefix",
            "federation",
            "can_write",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "created_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "federation", "can_write", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj._issued_secret = api_token_issue(actor=request.user, token=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "api/token_created.html",
            {
                "token": obj,
                "secret": obj._issued_secret,
                "back_url": reverse("admin:api_apitoken_changelist"),
            },
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The selected tokens were revoked."))
