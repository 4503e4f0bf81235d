"""The appeals of the test world (issue 4): one the worker sent to union U1 (named, sharing
their identity with the union), one sent straight to county C1 about enterprise E1 (named),
an attachment on the first, and a day of the holiday calendar."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shuangliang.appeals import services
from shuangliang.appeals.defaults import ensure_defaults
from shuangliang.appeals.models import Appeal, Attachment, CalendarDay, Category, Channel

WORLD_PDF = "appeals/test-world-attachment.pdf"
WORLD_PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def submit(**kwargs) -> Appeal:
    data = {
        "form_key": services.form_key_new(),
        "category": Category.objects.get(code="unpaid_wages"),
        "subject": "三个月工资未发",
        "body": "车间三个月没有发工资。",
        "channel": Channel.UNION_PAGE,
        "anonymous": False,
        "name": "陈小明",
        "phone": "13912345678",
    }
    data.update(kwargs)
    return services.appeal_submit(**data).appeal


def appeal_world_objects(*, u1, e1, c1) -> dict:
    ensure_defaults()
    appeal_u1 = submit(enterprise=e1, wants_union=True, identity_to_union=True)
    appeal_c1 = submit(enterprise=e1, wants_union=False, subject="加班费问题")
    assert appeal_u1.handling_union_id == u1.pk and appeal_c1.handling_federation_id == c1.pk
    if not default_storage.exists(WORLD_PDF):
        default_storage.save(WORLD_PDF, ContentFile(WORLD_PDF_BYTES))
    attachment = Attachment(
        appeal=appeal_u1, content_type="application/pdf", size=len(WORLD_PDF_BYTES)
    )
    attachment.file.name = WORLD_PDF
    attachment.save()
    calendar_day = CalendarDay.objects.order_by("date").first()
    return {
        "appeal_u1": appeal_u1,
        "appeal_c1": appeal_c1,
        "appeal_attachment": attachment,
        "calendar_day": calendar_day,
    }
