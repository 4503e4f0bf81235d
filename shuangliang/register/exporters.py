"""Exports of the register's lists: the same selectors (and so the same scope) as the pages.

Mobile numbers and a person's office phone leave only masked (QUALITY.md C2); a query count
that does not grow with the rows is decided here with select_related / prefetch_related.
"""

from collections.abc import Iterator

from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.core.exports import Exporter

from .models import Enterprise, Officer, Person, Union, mask_phone
from .selectors import EnterpriseFilters, enterprise_list, officer_list, union_list

CHUNK_SIZE = 2000


def _label(model: type[Model], name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


class EnterpriseExporter(Exporter):
    """The enterprise list as filtered on its page."""

    filename_stem = pgettext_lazy("export file name", "Enterprise directory")
    sheet_title = _("Enterprises")
    widths = (36, 22, 16, 18, 8, 30, 10, 10, 36, 12, 30, 36, 22)

    def __init__(self, *, user, filters: EnterpriseFilters, sort: str = "name"):
        self.queryset = enterprise_list(user=user, filters=filters, sort=sort)

    def get_headers(self) -> list[str]:
        fields = ["name", "credit_code", "federation", "ownership"]
        headers = [_label(Enterprise, name) for name in fields]
        headers.append(str(_("Non-public")))
        headers += [
            _label(Enterprise, name)
            for name in (
                "industry",
                "headcount",
                "women_headcount",
                "address",
                "operating_status",
            )
        ]
        headers += [str(_("Focus tags")), _label(Enterprise, "union"), _label(Union, "credit_code")]
        return headers

    def iter_rows(self) -> Iterator[list]:
        for enterprise in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            union = enterprise.union
            yield [
                enterprise.name,
                enterprise.credit_code,
                enterprise.federation.name,
                enterprise.get_ownership_display(),
                enterprise.is_non_public,
                enterprise.get_industry_display(),
                enterprise.headcount,
                enterprise.women_headcount,
                enterprise.address,
                enterprise.get_operating_status_display(),
                "、".join(enterprise.focus_tags),
                union.name if union else "",
                (union.credit_code or "") if union else "",
            ]


class UnionExporter(Exporter):
    """The union list as filtered on its page, with the chair in office."""

    filename_stem = pgettext_lazy("export file name", "Union directory")
    sheet_title = _("Unions")
    widths = (36, 22, 14, 16, 10, 12, 10, 10, 30, 16, 12, 10, 12, 10, 10, 12, 16)

    def __init__(self, *, user, **filters):
        self.queryset = union_list(user=user, **filters)

    def get_headers(self) -> list[str]:
        headers = [_label(Union, name) for name in ("name", "credit_code", "kind", "federation")]
        headers.append(str(_("Enterprises covered")))
        headers += [
            _label(Union, name)
            for name in (
                "founded_on",
                "member_count",
                "women_member_count",
                "office_address",
                "office_phone",
                "term_start",
                "term_years",
            )
        ]
        headers += [
            str(_("Re-election due on")),
            _label(Union, "has_audit_committee"),
            _label(Union, "has_women_committee"),
            str(_("Chair")),
            str(_("Chair's mobile")),
        ]
        return headers

    def iter_rows(self) -> Iterator[list]:
        for union in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            chair = union.chairs_in_office[0].person if union.chairs_in_office else None
            yield [
                union.name,
                union.credit_code or "",
                union.get_kind_display(),
                union.federation.name,
                union.enterprise_count,
                union.founded_on,
                union.member_count,
                union.women_member_count,
                union.office_address,
                union.office_phone,
                union.term_start,
                union.get_term_years_display(),
                union.reelection_due_on,
                union.has_audit_committee,
                union.has_women_committee,
                chair.name if chair else "",
                chair.masked_mobile if chair else "",
            ]


class OfficerExporter(Exporter):
    """The cadre list as filtered on its page; phones masked."""

    filename_stem = pgettext_lazy("export file name", "Union cadres")
    sheet_title = _("Union cadres")
    widths = (12, 6, 14, 36, 16, 12, 12, 8, 12, 12, 10, 16, 16)

    def __init__(self, *, user, **filters):
        self.queryset = officer_list(user=user, **filters)

    def get_headers(self) -> list[str]:
        return [
            _label(Person, "name"),
            _label(Person, "gender"),
            _label(Officer, "position"),
            _label(Officer, "union"),
            _label(Union, "federation"),
            _label(Officer, "term_start"),
            _label(Officer, "term_end"),
            _label(Officer, "is_full_time"),
            _label(Officer, "registration"),
            _label(Officer, "registered_on"),
            _label(Officer, "status"),
            _label(Person, "mobile"),
            _label(Person, "office_phone"),
        ]

    def iter_rows(self) -> Iterator[list]:
        for officer in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            person = officer.person
            yield [
                person.name,
                person.get_gender_display(),
                officer.get_position_display(),
                officer.union.name,
                officer.union.federation.name,
                officer.term_start,
                officer.term_end,
                officer.is_full_time,
                officer.get_registration_display(),
                officer.registered_on,
                officer.get_status_display(),
                person.masked_mobile,
                mask_phone(person.office_phone),
            ]
