"""Django admin for superusers: public pages and credentials change only through services,
so every change lands in the action log."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Credential, UnionPage


@admin.register(UnionPage)
class UnionPageAdmin(admin.ModelAdmin):
    list_display = ["union", "indexable", "office_hours", "created_at"]
    list_filter = ["indexable"]
    search_fields = ["union__name", "union__search_text"]
    raw_id_fields = ["union"]
    fields = ["union", "token", "indexable", "office_hours", "created_at", "updated_at"]
    readonly_fields = ["union", "token", "created_at", "updated_at"]
    actions = ["rotate_tokens"]

    def has_add_permission(self, request) -> bool:
        return False  # pages are created by union_page_ensure, never by hand

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # rotate the token instead: printed codes must not silently re-point

    def save_model(self, request, obj, form, change):
        services.union_page_update(
            actor=request.user,
            page=UnionPage.objects.get(pk=obj.pk),
            indexable=form.cleaned_data["indexable"],
            office_hours=form.cleaned_data["office_hours"],
        )

    @admin.action(description=_("Give the selected pages a new address"))
    def rotate_tokens(self, request, queryset):
        for page in queryset:
            services.union_page_rotate_token(actor=request.user, page=page)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d page has a new address.", "%(count)d pages have a new address.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["officer", "created_at", "revoked_at", "revoked_reason"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["officer__person__name", "officer__union__name"]
    list_select_related = ["officer__person", "officer__union"]
    readonly_fields = ["officer", "token", "created_at", "revoked_at", "revoked_reason"]
    actions = ["reissue"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only; revocation is the action below

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a revoked credential must keep saying "no longer valid"

    @admin.action(description=_("Revoke and issue a new credential (a lost badge)"))
    def reissue(self, request, queryset):
        count = 0
        for credential in queryset.filter(revoked_at__isnull=True).select_related("officer"):
            services.credential_reissue(
                actor=request.user, credential=credential, reason=str(_("Revoked in the admin"))
            )
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d credential was reissued.", "%(count)d credentials were reissued.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
