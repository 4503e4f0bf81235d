"""Admin for the configurable parts only: categories and the holiday calendar.

Appeals themselves are handled in the back office, where access and identity are checked
and logged; the admin shows them read-only and never shows an appellant."""

from django.contrib import admin

from shuangliang.register.admin import LoggedAdmin

from .models import Appeal, CalendarDay, Category


@admin.register(Category)
class CategoryAdmin(LoggedAdmin):
    list_display = ["name", "code", "sort_order", "is_active", "concerns_union", "retention_days"]
    list_editable = ["sort_order", "is_active"]


@admin.register(CalendarDay)
class CalendarDayAdmin(LoggedAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["pk", "category", "status", "route", "handling_federation", "submitted_at"]
    list_filter = ["status", "route", "category"]
    fields = [
        "category",
        "status",
        "route",
        "requested_route",
        "about_union",
        "is_anonymous",
        "handling_federation",
        "handling_union",
        "accept_due_on",
        "conclude_due_on",
        "submitted_at",
        "closed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
