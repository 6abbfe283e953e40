"""Closing a call never strands an application: the call closes only once the province screened
every submitted application (each one still waiting is named), and formal screening goes on on
a closed call (what was submitted in time is still accepted or returned)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from starcity.accounts.workbench import sections_for
from starcity.calls import services
from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.choices import CallStatus
from starcity.calls.models import Call
from starcity.calls.tests.conftest import DEADLINE
from starcity.core.errors import InvalidTransition
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db
AFTER = DEADLINE + timedelta(seconds=1)


def _close_rows(call):
    return AuditEntry.objects.filter(action="call.close", target_id=str(call.pk)).count()


def _closed(call):
    """The call closed as it was before closing checked screening (data of an older release)."""
    Call.objects.filter(pk=call.pk).update(status=CallStatus.CLOSED)
    call.refresh_from_db()
    return call


class TestCloseWaitsForScreening:
    def test_refused_naming_every_submitted_application(self, submitted, call, province_officer, clock_at):
        clock_at(AFTER)
        with pytest.raises(InvalidTransition) as error:
            services.call_close(by=province_officer, call=call)
        assert "1 份申报待形式审查" in str(error.value.message)
        assert error.value.errors == ["淄博市桓台县（第 1 版）"]
        call.refresh_from_db()
        assert call.status == CallStatus.PUBLISHED and _close_rows(call) == 0

    def test_the_page_says_which_and_changes_nothing(
        self, client, submitted, call, province_officer, clock_at
    ):
        clock_at(AFTER)
        client.force_login(province_officer)
        response = client.post(reverse("calls:close", args=[call.pk]))
        assert response.status_code == 409
        body = response.content.decode()
        assert "待形式审查" in body and "淄博市桓台县（第 1 版）" in body
        call.refresh_from_db()
        assert call.status == CallStatus.PUBLISHED and _close_rows(call) == 0

    @pytest.mark.parametrize("screening", ["accept", "return"])
    def test_closes_once_everything_was_screened(
        self, submitted, call, province_officer, clock_at, screening
    ):
        clock_at(AFTER)
        if screening == "accept":
            services.application_accept(by=province_officer, application=submitted)
        else:
            services.application_province_return(
                by=province_officer, application=submitted, reason="缺少盖章"
            )
        services.call_close(by=province_officer, call=call)
        call.refresh_from_db()
        assert call.status == CallStatus.CLOSED and _close_rows(call) == 1

    def test_applications_not_yet_submitted_do_not_hold_it(self, approved, call, province_officer, clock_at):
        clock_at(AFTER)
        services.call_close(by=province_officer, call=call)
        assert Call.objects.get(pk=call.pk).status == CallStatus.CLOSED


class TestScreeningOnAClosedCall:
    def test_accept(self, client, submitted, call, province_officer, clock_at):
        clock_at(AFTER)
        _closed(call)
        client.force_login(province_officer)
        page = client.get(reverse("calls:application_detail", args=[submitted.pk])).content.decode()
        assert reverse("calls:accept", args=[submitted.pk]) in page
        assert reverse("calls:province_return", args=[submitted.pk]) in page
        assert client.post(reverse("calls:accept", args=[submitted.pk])).status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == S.ACCEPTED

    def test_return_tells_the_applicant_it_cannot_come_back(
        self, submitted, call, province_officer, county_operator, clock_at
    ):
        clock_at(AFTER)
        _closed(call)
        services.application_province_return(by=province_officer, application=submitted, reason="缺少盖章")
        submitted.refresh_from_db()
        assert submitted.status == S.PROVINCE_RETURNED
        note = Notification.objects.get(recipient=county_operator, kind="calls.province_returned")
        assert "缺少盖章" in note.body and "已过，不能再次提交" in note.body

    def test_the_applicant_still_cannot_change_anything(
        self, client, submitted, call, province_officer, city_operator, clock_at
    ):
        clock_at(AFTER)
        _closed(call)
        services.application_province_return(by=province_officer, application=submitted, reason="缺少盖章")
        client.force_login(city_operator)
        response = client.post(reverse("calls:withdraw", args=[submitted.pk]), {"reason": "放弃"})
        assert response.status_code == 409
        submitted.refresh_from_db()
        assert submitted.status == S.PROVINCE_RETURNED

    def test_it_stays_on_the_provinces_workbench(self, submitted, call, province_officer, clock_at):
        clock_at(AFTER)
        _closed(call)
        titles = [item.title for section in sections_for(province_officer) for item in section.items]
        assert any("桓台县" in title for title in titles)


def test_a_return_within_the_period_still_invites_resubmission(submitted, province_officer, county_operator):
    services.application_province_return(by=province_officer, application=submitted, reason="缺少盖章")
    note = Notification.objects.get(recipient=county_operator, kind="calls.province_returned")
    assert "重新提交" in note.body and "不能再次提交" not in note.body
