"""Deadline reminders: due N days before each applicant's own deadline, to its operators, each
once (the sweep is idempotent), the most urgent only when the sweep runs late."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from starcity.calls import services
from starcity.calls.models import ReminderSent
from starcity.calls.services.reminders import concerned_regions, due_reminder_days
from starcity.calls.tests.conftest import DEADLINE
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="calls.deadline_reminder").order_by("id"))


class TestDue:
    def test_window_of_each_day(self):
        days = [7, 3, 1]
        assert due_reminder_days(now=DEADLINE - timedelta(days=8), closes_at=DEADLINE, days=days) == []
        assert due_reminder_days(now=DEADLINE - timedelta(days=7), closes_at=DEADLINE, days=days) == [7]
        assert due_reminder_days(now=DEADLINE - timedelta(days=2), closes_at=DEADLINE, days=days) == [3, 7]
        assert due_reminder_days(now=DEADLINE, closes_at=DEADLINE, days=days) == []


class TestSweep:
    def test_reminds_the_city_and_counties_with_unsubmitted_applications(
        self, city_operator, county_operator, county_operator_same_city, draft, call, clock_at
    ):
        clock_at(DEADLINE - timedelta(days=7))
        sent = services.deadline_reminders_send()
        regions = {reminder.region.code for reminder in sent}
        assert "370300" in regions and "370321" in regions
        assert "370303" not in regions  # 张店区 has not applied: its city is reminded instead
        assert len(_reminders(city_operator)) == 1 and len(_reminders(county_operator)) == 1
        assert not _reminders(county_operator_same_city)
        note = _reminders(county_operator)[0]
        assert "2026-10-20 23:59:59（北京时间）" in note.body and "7" in note.body

    def test_idempotent(self, county_operator, draft, call, clock_at):
        clock_at(DEADLINE - timedelta(days=7))
        services.deadline_reminders_send()
        assert services.deadline_reminders_send() == []
        assert len(_reminders(county_operator)) == 1
        clock_at(DEADLINE - timedelta(days=6))
        assert services.deadline_reminders_send() == []

    def test_each_reminder_day_once(self, county_operator, draft, call, clock_at):
        for days in (7, 3, 1):
            clock_at(DEADLINE - timedelta(days=days))
            services.deadline_reminders_send()
        assert len(_reminders(county_operator)) == 3
        assert set(
            ReminderSent.objects.filter(region=draft.region).values_list("days_before", flat=True)
        ) == {7, 3, 1}

    def test_a_late_sweep_sends_the_most_urgent_only(self, county_operator, draft, call, clock_at):
        clock_at(DEADLINE - timedelta(hours=12))
        services.deadline_reminders_send()
        notes = _reminders(county_operator)
        assert len(notes) == 1 and "截止前 1 天" in notes[0].body
        assert ReminderSent.objects.filter(region=draft.region).count() == 3

    def test_extension_moves_that_applicants_reminders(
        self, county_operator, city_operator, draft, call, province_officer, huantai, clock_at
    ):
        services.extension_grant(
            by=province_officer, call=call, region=huantai, until=DEADLINE + timedelta(days=10), reason="汛期"
        )
        clock_at(DEADLINE - timedelta(days=7))
        services.deadline_reminders_send()
        assert len(_reminders(city_operator)) == 1
        assert not _reminders(county_operator)
        clock_at(DEADLINE + timedelta(days=3))
        services.deadline_reminders_send()
        note = _reminders(county_operator)[0]
        assert "2026-10-30 23:59:59（北京时间）" in note.body

    def test_nothing_after_the_deadline(self, county_operator, draft, call, clock_at):
        clock_at(DEADLINE + timedelta(seconds=1))
        assert services.deadline_reminders_send() == []

    def test_submitted_applicants_are_left_alone(self, submitted, call, county_operator):
        regions = {region.code for region in concerned_regions(call)}
        assert "370321" not in regions and "370300" not in regions  # all of 淄博's are with the province
        assert "370100" in regions  # 济南 has not applied yet


def test_command_reports_and_is_idempotent(county_operator, draft, call, clock_at):
    clock_at(DEADLINE - timedelta(days=3))
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "370321 3d" in out.getvalue()
    again = StringIO()
    call_command("send_deadline_reminders", stdout=again)
    assert again.getvalue().strip() == "0 reminder(s) sent"
