from django.contrib import admin

from shuangliang.register.admin import LoggedAdmin

from .models import Assignment, WorkTeam


@admin.register(WorkTeam)
class WorkTeamAdmin(LoggedAdmin):
    list_display = ["name", "federation"]
    filter_horizontal = ["members"]


@admin.register(Assignment)
class AssignmentAdmin(LoggedAdmin):
    list_display = ["cadre", "enterprise", "team", "starts_on", "ends_on"]
    raw_id_fields = ["cadre", "enterprise", "team"]
