"""core.months: the one calendar-month arithmetic that contracts, campaigns and snapshots use."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from shuangliang.core.months import add_months, month_end, month_start

D = datetime.date


def test_a_shorter_month_ends_on_its_last_day():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)


def test_years_roll_over_both_ways():
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2026, 1, 1), -1) == D(2025, 12, 1)
    assert add_months(D(2012, 6, 1), 36) == D(2015, 6, 1)  # a three-year collective contract
    assert add_months(D(2026, 11, 1), -9) == D(2026, 2, 1)


def test_first_and_last_day_of_a_month():
    assert month_start(D(2026, 11, 24)) == D(2026, 11, 1)
    assert month_end(D(2026, 11, 24)) == D(2026, 11, 30)
    assert month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert month_end(D(2025, 12, 31)) == D(2025, 12, 31)


# Derandomized and without a deadline: the same examples on every run, whatever the load.
@settings(deadline=None, derandomize=True, database=None, max_examples=500)
@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)), st.integers(-600, 600))
def test_adding_months_moves_the_month_and_keeps_the_day_where_it_can(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, month_end(moved).day)
    assert month_start(moved) <= moved <= month_end(moved)
    assert month_end(moved) + datetime.timedelta(days=1) == add_months(month_start(moved), 1)
