"""The deadline rule at the second: grace, extensions, resubmission, how deadlines read, and every
place that checks a deadline (start, bundle, close) dropping fractions of a second."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from starcity.calls import selectors, services
from starcity.calls.choices import ApplicationStatus
from starcity.calls.deadlines import (
    format_deadline,
    may_submit,
    resubmission_closes_at,
    stated_deadline,
    submission_closes_at,
)
from starcity.calls.services import DeadlinePassed
from starcity.core.errors import InvalidTransition

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

    def test_fractions_of_the_last_second_still_count(self):
        closes = submission_closes_at(deadline=DEADLINE, grace_minutes=0)
        assert may_submit(now=DEADLINE + timedelta(microseconds=1), closes_at=closes)
        assert may_submit(now=DEADLINE + timedelta(milliseconds=999), closes_at=closes)
        assert may_submit(now=DEADLINE + timedelta(microseconds=999_999), closes_at=closes)
        assert not may_submit(now=DEADLINE + timedelta(seconds=1), closes_at=closes)

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


LAST_INSTANT = DEADLINE + timedelta(milliseconds=999)  # 23:59:59.999: still 23:59:59


@pytest.mark.django_db
class TestEveryCheckIsToTheSecond:
    """Each place that compares the clock with a deadline accepts 23:59:59.999 and refuses
    00:00:00 (the rule of `may_submit`)."""

    def test_starting_an_application(self, call, county_operator, huantai, zhangdian, clock_at):
        clock_at(LAST_INSTANT)
        assert selectors.may_start_application(call, huantai)
        assert services.application_create(by=county_operator, call=call, region=huantai).pk
        clock_at(DEADLINE + SECOND)
        assert not selectors.may_start_application(call, zhangdian)

    def test_starting_is_refused_one_second_later(self, call, county_operator, huantai, clock_at):
        clock_at(DEADLINE + SECOND)
        with pytest.raises(DeadlinePassed):
            services.application_create(by=county_operator, call=call, region=huantai)

    def test_the_call_page_offers_the_start(self, client, call, county_operator, clock_at):
        client.force_login(county_operator)
        clock_at(LAST_INSTANT)
        page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
        assert reverse("calls:apply", args=[call.pk]) in page
        clock_at(DEADLINE + SECOND)
        page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
        assert reverse("calls:apply", args=[call.pk]) not in page

    def test_the_bundle(self, client, approved, call, city_operator, zibo, clock_at):
        clock_at(LAST_INSTANT)
        bundle = selectors.bundle_of(call, zibo, city_operator)
        assert bundle.may_submit and not bundle.rows[0].late
        client.force_login(city_operator)
        assert "已逾期" not in client.get(reverse("calls:bundle", args=[call.pk])).content.decode()
        result = services.bundle_submit(by=city_operator, call=call, city=zibo)
        assert [app.pk for app in result.submitted] == [approved.pk]
        approved.refresh_from_db()
        assert approved.status == ApplicationStatus.SUBMITTED

    def test_the_bundle_one_second_later(self, approved, call, city_operator, zibo, clock_at):
        clock_at(DEADLINE + SECOND)
        bundle = selectors.bundle_of(call, zibo, city_operator)
        assert not bundle.may_submit and bundle.rows[0].late and bundle.late_approved
        with pytest.raises(DeadlinePassed):
            services.bundle_submit(by=city_operator, call=call, city=zibo)

    def test_closing_waits_for_the_last_second_to_end(self, call, province_officer, clock_at):
        clock_at(LAST_INSTANT)
        with pytest.raises(InvalidTransition):
            services.call_close(by=province_officer, call=call)
        clock_at(DEADLINE + SECOND)
        assert services.call_close(by=province_officer, call=call).status == "closed"
