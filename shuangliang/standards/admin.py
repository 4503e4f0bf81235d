"""Read-mostly admin for the operator: standards are edited on the staff pages, where every
change is logged and published versions stay frozen."""

from django.contrib import admin

from .models import Inspection, InspectionRound, Rectification, Standard, StandardVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ["name", "federation", "template_code", "created_at"]
    search_fields = ["name"]


@admin.register(StandardVersion)
class StandardVersionAdmin(ReadOnlyAdmin):
    list_display = ["standard", "number", "state", "published_at"]
    list_filter = ["state"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "federation", "year", "seed"]
    list_filter = ["kind", "year"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["union", "kind", "year", "state", "percent", "grade"]
    list_filter = ["kind", "state", "grade", "year"]
    list_select_related = ["union"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["union", "item", "state", "deadline", "responsible"]
    list_filter = ["state"]
    list_select_related = ["union", "item"]
