"""Working days of the notice period: weekends and holidays skipped, 调休 counted, the end at
23:59:59 Asia/Shanghai, and the last second still inside."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from starcity.lists.models import Holiday
from starcity.lists.workdays import end_of_day, notice_end, nth_working_day_after, within

SHANGHAI = ZoneInfo("Asia/Shanghai")


class TestPure:
    def test_five_working_days_after_a_monday_end_the_next_monday(self):
        assert nth_working_day_after(date(2026, 12, 7), 5, {}) == date(2026, 12, 14)

    def test_publication_on_a_friday_counts_from_monday(self):
        assert nth_working_day_after(date(2026, 12, 11), 1, {}) == date(2026, 12, 14)

    def test_publication_on_a_saturday_counts_from_monday(self):
        assert nth_working_day_after(date(2026, 12, 12), 5, {}) == date(2026, 12, 18)

    def test_holidays_are_skipped(self):
        # 2026-10-01 (Thursday) to 10-07 off: published on 2026-09-30, the first working day is 10-08
        days_off = {date(2026, 10, d): False for d in range(1, 8)}
        assert nth_working_day_after(date(2026, 9, 30), 1, days_off) == date(2026, 10, 8)
        assert nth_working_day_after(date(2026, 9, 30), 2, days_off) == date(2026, 10, 9)

    def test_a_weekend_working_day_counts(self):
        # 调休: Sunday 2026-09-27 is worked
        assert nth_working_day_after(date(2026, 9, 25), 1, {date(2026, 9, 27): True}) == date(2026, 9, 27)

    def test_n_must_be_positive(self):
        with pytest.raises(ValueError):
            nth_working_day_after(date(2026, 9, 25), 0, {})

    def test_end_of_day_is_the_last_second_in_shanghai(self):
        end = end_of_day(date(2026, 12, 14))
        assert end == datetime(2026, 12, 14, 23, 59, 59, tzinfo=SHANGHAI)
        assert end.astimezone(ZoneInfo("UTC")).hour == 15

    def test_within_holds_through_the_last_second(self):
        end = end_of_day(date(2026, 12, 14))
        assert within(end, end)
        assert within(end + timedelta(microseconds=999_999), end)
        assert not within(end + timedelta(seconds=1), end)


@pytest.mark.django_db
class TestHolidayTable:
    def test_holiday_rows_skip_and_add_days(self):
        Holiday.objects.create(date=date(2027, 1, 1), name="元旦")
        Holiday.objects.create(date=date(2027, 1, 4), name="元旦（调休）", is_workday=False)
        Holiday.objects.create(date=date(2027, 1, 9), name="调休上班", is_workday=True)
        # published Thursday 2026-12-31 10:00 in Shanghai: 1-1 off (Fri), 1-4 off (Mon),
        # then 1-5, 1-6, 1-7, 1-8 and the worked Saturday 1-9 are the five working days
        published = datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI)
        assert notice_end(published, 5) == datetime(2027, 1, 9, 23, 59, 59, tzinfo=SHANGHAI)

    def test_the_day_of_publication_is_read_in_shanghai(self):
        # 2026-12-06 20:00 UTC is already Monday 12-07 04:00 in Shanghai
        published = datetime(2026, 12, 6, 20, 0, tzinfo=ZoneInfo("UTC"))
        assert notice_end(published, 5) == datetime(2026, 12, 14, 23, 59, 59, tzinfo=SHANGHAI)
