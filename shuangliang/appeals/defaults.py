"""Default categories and the public-holiday calendar; the data migration and the demo load
them, and `ensure_defaults` puts back anything missing (it never changes an edited row)."""

import datetime

# (code, name, order, about the union itself, retention days)
DEFAULT_CATEGORIES = (
    ("unpaid_wages", "拖欠工资", 1, False, 3 * 365),
    ("social_insurance", "社会保险", 2, False, 3 * 365),
    ("labour_contract", "劳动合同", 3, False, 3 * 365),
    ("working_hours", "工时与加班", 4, False, 3 * 365),
    ("safety_health", "安全与健康", 5, False, 3 * 365),
    ("dismissal", "解除劳动关系", 6, False, 3 * 365),
    ("women_rights", "女职工权益", 7, False, 3 * 365),
    ("hardship", "困难帮扶", 8, False, 3 * 365),
    ("union_affairs", "工会工作", 9, True, 3 * 365),
    ("suggestion", "意见建议", 10, False, 365),
    ("other", "其他", 11, False, 3 * 365),
)

# Public holidays and adjusted working days as the State Council's notices set them.
# (first day, last day, name) for holidays; (day, name) for the weekend days worked instead.
HOLIDAYS = (
    ("2024-01-01", "2024-01-01", "元旦"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2024-04-04", "2024-04-06", "清明节"),
    ("2024-05-01", "2024-05-05", "劳动节"),
    ("2024-06-10", "2024-06-10", "端午节"),
    ("2024-09-15", "2024-09-17", "中秋节"),
    ("2024-10-01", "2024-10-07", "国庆节"),
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
)
ADJUSTED_WORKDAYS = (
    ("2024-02-04", "春节调休"),
    ("2024-02-18", "春节调休"),
    ("2024-04-07", "清明节调休"),
    ("2024-04-28", "劳动节调休"),
    ("2024-05-11", "劳动节调休"),
    ("2024-09-14", "中秋节调休"),
    ("2024-09-29", "国庆节调休"),
    ("2024-10-12", "国庆节调休"),
    ("2025-01-26", "春节调休"),
    ("2025-02-08", "春节调休"),
    ("2025-04-27", "劳动节调休"),
    ("2025-09-28", "国庆节调休"),
    ("2025-10-11", "国庆节调休"),
    ("2026-01-04", "元旦调休"),
    ("2026-02-14", "春节调休"),
    ("2026-02-28", "春节调休"),
    ("2026-05-09", "劳动节调休"),
    ("2026-09-20", "国庆节调休"),
    ("2026-10-10", "国庆节调休"),
)


def calendar_rows() -> list[tuple[datetime.date, str, str]]:
    rows = []
    for first, last, name in HOLIDAYS:
        day = datetime.date.fromisoformat(first)
        while day <= datetime.date.fromisoformat(last):
            rows.append((day, "holiday", name))
            day += datetime.timedelta(days=1)
    rows += [(datetime.date.fromisoformat(day), "workday", name) for day, name in ADJUSTED_WORKDAYS]
    return rows


def ensure_defaults(apps=None) -> None:
    """Create the default categories and calendar days that are missing."""
    if apps is None:
        from django.apps import apps
    Category = apps.get_model("appeals", "Category")
    CalendarDay = apps.get_model("appeals", "CalendarDay")
    for code, name, order, concerns_union, retention in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "sort_order": order,
                "concerns_union": concerns_union,
                "retention_days": retention,
            },
        )
    known = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day, kind=kind, name=name)
            for day, kind, name in calendar_rows()
            if day not in known
        ]
    )
