"""The deadline rule at the second: grace, extensions, resubmission, and how deadlines read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

from starcity.calls.deadlines import (
    format_deadline,
    may_submit,
    resubmission_closes_at,
    stated_deadline,
    submission_closes_at,
)

BEIJING = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime(2026, 10, 20, 23, 59, 59, tzinfo=BEIJING)
SECOND = timedelta(seconds=1)


class TestFirstSubmission:
    def test_at_the_deadline_is_allowed(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=0)
        assert may_submit(now=DEADLINE, closes_at=closes)

    def test_one_second_later_is_refused(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=0)
        assert not may_submit(now=DEADLINE + SECOND, closes_at=closes)

    def test_a_microsecond_later_is_refused(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=0)
        assert not may_submit(now=DEADLINE + timedelta(microseconds=1), closes_at=closes)

    def test_grace_extends_to_the_second(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=15)
        assert closes == DEADLINE + timedelta(minutes=15)
        assert may_submit(now=DEADLINE + timedelta(minutes=15), closes_at=closes)
        assert not may_submit(now=DEADLINE + timedelta(minutes=15) + SECOND, closes_at=closes)

    def test_extension_replaces_the_deadline(self):
        until = DEADLINE + timedelta(days=3)
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=15, extension_until=until)
        assert closes == until
        assert may_submit(now=until, closes_at=closes)
        assert not may_submit(now=until + SECOND, closes_at=closes)

    def test_an_extension_never_shortens_the_time(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=30, extension_until=DEADLINE + SECOND)
        assert closes == DEADLINE + timedelta(minutes=30)

    def test_timezones_do_not_matter(self):
        utc = DEADLINE.astimezone(ZoneInfo("UTC"))
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=0)
        assert may_submit(now=utc, closes_at=closes)
        assert not may_submit(now=utc + SECOND, closes_at=closes)


class TestResubmission:
    def test_resubmission_period_when_set(self):
        until = DEADLINE + timedelta(days=10)
        assert resubmission_closes_at(closes_at=DEADLINE, resubmission_until=until) == until

    def test_without_it_the_deadline_holds(self):
        assert resubmission_closes_at(closes_at=DEADLINE, resubmission_until=None) == DEADLINE

    def test_an_earlier_resubmission_date_does_not_cut_an_extension(self):
        extension = DEADLINE + timedelta(days=5)
        assert resubmission_closes_at(closes_at=extension, resubmission_until=DEADLINE) == extension


class TestReading:
    def test_stated_deadline_is_the_extension_when_later(self):
        later = DEADLINE + timedelta(days=1)
        assert stated_deadline(deadline=DEADLINE, extension_until=later) == later
        assert stated_deadline(deadline=DEADLINE, extension_until=None) == DEADLINE

    def test_format_in_beijing_time_to_the_second(self):
        assert format_deadline(DEADLINE) == "2026-10-20 23:59:59（北京时间）"
        assert format_deadline(DEADLINE.astimezone(ZoneInfo("UTC"))) == "2026-10-20 23:59:59（北京时间）"

    def test_format_in_english(self):
        with translation.override("en"):
            text = format_deadline(DEADLINE)
        assert text.startswith("2026-10-20 23:59:59")
