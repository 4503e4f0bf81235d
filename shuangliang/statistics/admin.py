from django.contrib import admin

from shuangliang.core.admin import LoggedAdmin

from .models import MonthlySnapshot, StatisticsSettings


@admin.register(MonthlySnapshot)
class MonthlySnapshotAdmin(LoggedAdmin):
    list_display = ["federation", "month", "source", "taken_at"]
    list_filter = ["source", "month"]
    raw_id_fields = ["federation"]


@admin.register(StatisticsSettings)
class StatisticsSettingsAdmin(LoggedAdmin):
    list_display = ["federation", "open_data", "updated_at"]
    list_filter = ["open_data"]
    raw_id_fields = ["federation"]
