"""Django admin for superusers; saves go through the same model validation and the action log."""

from django.contrib import admin

from shuangliang.core.admin import LoggedAdmin

from .models import (
    CollectiveContract,
    ContractKind,
    ContractStepRecord,
    Enterprise,
    Federation,
    Officer,
    Person,
    Union,
)


@admin.register(Federation)
class FederationAdmin(LoggedAdmin):
    list_display = ["name", "level", "division_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "division_code"]
    raw_id_fields = ["parent"]


@admin.register(Enterprise)
class EnterpriseAdmin(LoggedAdmin):
    list_display = ["name", "credit_code", "federation", "operating_status", "union"]
    list_filter = ["operating_status", "industry", "ownership"]
    search_fields = ["name", "credit_code", "search_text"]
    raw_id_fields = ["federation", "union"]


@admin.register(Union)
class UnionAdmin(LoggedAdmin):
    list_display = ["name", "kind", "federation", "founded_on", "member_count"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code", "search_text"]
    raw_id_fields = ["federation"]


@admin.register(Person)
class PersonAdmin(LoggedAdmin):
    list_display = ["name", "gender"]
    search_fields = ["name", "search_text"]


@admin.register(Officer)
class OfficerAdmin(LoggedAdmin):
    list_display = ["person", "union", "position", "status", "term_start", "term_end"]
    list_filter = ["position", "status", "registration"]
    raw_id_fields = ["person", "union"]


@admin.register(ContractKind)
class ContractKindAdmin(LoggedAdmin):
    list_display = ["name", "code", "counts_for_three", "default_term_months"]


class ContractStepInline(admin.TabularInline):
    model = ContractStepRecord
    extra = 0


@admin.register(CollectiveContract)
class CollectiveContractAdmin(LoggedAdmin):
    list_display = ["union", "kind", "step", "signed_on", "expires_on"]
    list_filter = ["kind", "step"]
    raw_id_fields = ["union"]
    inlines = [ContractStepInline]
