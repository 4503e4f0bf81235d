"""Working days on the Chinese calendar: Monday to Friday, minus public holidays, plus the
weekend days made working days (調休), as kept in the `CalendarDay` table."""

import datetime

from .models import CalendarDay

ONE_DAY = datetime.timedelta(days=1)


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    )


def _is_working(day: datetime.date, exceptions: dict[datetime.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    return _is_working(day, _exceptions(day, day))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date on which the `days`-th working day after `start` falls (start not counted).

    A deadline of 15 working days from a Friday submission is the 15th working day after it."""
    if days <= 0:
        return start
    # Generous window: even the longest holiday (9 days) leaves 5 working days in 14.
    horizon = start + datetime.timedelta(days=days * 2 + 30)
    exceptions = _exceptions(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if day > horizon:  # the table cannot run out, but never loop forever
            horizon = day + datetime.timedelta(days=days * 2 + 30)
            exceptions.update(_exceptions(day, horizon))
        if _is_working(day, exceptions):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if _is_working(day, exceptions):
            count += 1
    return count
