from django.contrib import admin

from .models import ActionLogEntry, LoginFailure, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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
