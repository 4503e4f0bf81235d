from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .actionlog import MASKED_FIELDS, log_action
from .models import ActionLogEntry, LoginFailure, Membership


class LoggedAdmin(admin.ModelAdmin):
    """Every admin save and delete leaves one action log entry (QUALITY.md D1)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        label = obj._meta.label_lower
        action = "changed" if change else "created"
        data = {
            "changes": {
                name: ["?", _logged_value(name, form.cleaned_data.get(name))]
                for name in form.changed_data
            }
        }
        log_action(obj, f"{label}.{action}", actor=request.user, data=data)

    def delete_model(self, request, obj):
        log_action(obj, f"{obj._meta.label_lower}.deleted", actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            log_action(obj, f"{obj._meta.label_lower}.deleted", actor=request.user)
        super().delete_queryset(request, queryset)


def _logged_value(name: str, value) -> str:
    """Phones and passwords are logged as changed, never with their value (C2, C4)."""
    if name in MASKED_FIELDS or "password" in name:
        return "***"
    return str(value)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class LoggedUserAdmin(LoggedAdmin, UserAdmin):
    """Accounts made, changed and deleted in the admin are in the action log."""


@admin.register(Membership)
class MembershipAdmin(LoggedAdmin):
    list_display = ["user", "role", "federation", "union", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "federation__name", "union__name"]
    raw_id_fields = ["user", "federation", "union"]


@admin.register(ActionLogEntry)
class ActionLogEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "action_type", "object_repr", "actor", "request_id"]
    list_filter = ["action_type"]
    search_fields = ["object_repr", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Deleting an account's failures lifts its lockout at once."""

    list_display = ["username", "at"]
    search_fields = ["username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
