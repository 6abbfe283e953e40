"""When the list may be formed and go on site: only once no application can still reach the
province (the deadline with its grace, every extension and the resubmission window, to the
second, or the call closed) and none waits for formal screening; the blockers show in the
action bar and on the index."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.models import Extension
from starcity.calls.testing import make_call
from starcity.core.errors import InvalidTransition
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.choices import ListStatus
from starcity.lists.models import OnsiteReview, SelectionList
from starcity.lists.testing import accepted_application, ranked_application
from starcity.lists.workbench import list_sections
from starcity.regions.models import Region

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime(2026, 12, 1, 17, 0, tzinfo=SHANGHAI)
GRACE_END = "2026-12-01 17:30:00.999+08:00"  # the last second of the 30-minute grace, late in it
AFTER_GRACE = "2026-12-01 17:30:01+08:00"


@pytest.fixture
def open_call(province_officer, county_standard):
    """A call closing 2026-12-01 17:00 (Beijing) with 30 minutes' grace, one concluded panel."""
    with time_machine.travel("2026-11-01 09:00:00+08:00", tick=False):
        call = make_call(
            by=province_officer,
            versions={"county": county_standard},
            quotas={"county": (1, 1)},
            opens_at=datetime(2026, 11, 1, 8, 0, tzinfo=SHANGHAI),
            deadline=DEADLINE,
            grace_minutes=30,
        )
    ranked_application(call=call, region="370321", by=province_officer, grade=4, target_grade=5)
    return call


def form(call, by):  # type: ignore[no-untyped-def]
    return services.selection_list_form(by=by, call=call)


class TestForming:
    def test_refused_within_the_grace_period_to_the_second(self, open_call, province_officer):
        with time_machine.travel(GRACE_END, tick=False), pytest.raises(InvalidTransition) as refused:
            form(open_call, province_officer)
        assert "申报尚未截止" in str(refused.value.message)
        assert "2026-12-01 17:30:00" in str(refused.value.message)
        assert not SelectionList.objects.exists()
        assert not AuditEntry.objects.filter(action="list.form").exists()

    def test_formed_one_second_after_the_grace(self, open_call, province_officer):
        with time_machine.travel(AFTER_GRACE, tick=False):
            assert form(open_call, province_officer).entries.count() == 1

    def test_an_extension_keeps_the_list_waiting_until_it_ends(self, open_call, province_officer):
        Extension.objects.create(
            call=open_call,
            region=Region.objects.get(code="370303"),
            until=datetime(2026, 12, 3, 12, 0, tzinfo=SHANGHAI),
            reason="系统故障",
            granted_by=province_officer,
        )
        with time_machine.travel("2026-12-03 12:00:00.500+08:00", tick=False):
            with pytest.raises(InvalidTransition) as refused:
                form(open_call, province_officer)
            assert "2026-12-03 12:00:00" in str(refused.value.message)
        with time_machine.travel("2026-12-03 12:00:01+08:00", tick=False):
            assert form(open_call, province_officer).status == ListStatus.PRELIMINARY

    def test_a_returned_application_keeps_the_list_waiting_for_the_resubmission_window(
        self, open_call, province_officer
    ):
        open_call.resubmission_until = datetime(2026, 12, 8, 17, 0, tzinfo=SHANGHAI)
        open_call.save(update_fields=["resubmission_until"])
        returned = accepted_application(call=open_call, region="370303", by=province_officer)
        returned.status = ApplicationStatus.PROVINCE_RETURNED
        returned.save(update_fields=["status"])
        with time_machine.travel("2026-12-08 17:00:00+08:00", tick=False), pytest.raises(InvalidTransition):
            form(open_call, province_officer)
        with time_machine.travel("2026-12-08 17:00:01+08:00", tick=False):
            assert form(open_call, province_officer).entries.count() == 1

    def test_a_closed_call_may_be_ranked_before_its_deadline(self, open_call, province_officer):
        open_call.status = CallStatus.CLOSED
        open_call.save(update_fields=["status"])
        with time_machine.travel("2026-11-20 09:00:00+08:00", tick=False):
            assert form(open_call, province_officer).entries.count() == 1

    def test_refused_while_an_application_waits_for_screening_naming_it(self, call, three, province_officer):
        waiting = accepted_application(call=call, region="370323", by=province_officer)
        waiting.status = ApplicationStatus.SUBMITTED
        waiting.save(update_fields=["status"])
        with pytest.raises(InvalidTransition) as refused:
            form(call, province_officer)
        assert "待形式审查" in str(refused.value.message)
        assert "淄博市沂源县" in str(refused.value.message)
        assert not SelectionList.objects.exists()


class TestStartOnsite:
    def test_refused_while_an_application_waits_for_screening(self, formed, call, province_officer):
        waiting = accepted_application(call=call, region="370323", by=province_officer)
        waiting.status = ApplicationStatus.SUBMITTED
        waiting.save(update_fields=["status"])
        with pytest.raises(InvalidTransition) as refused:
            services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        assert "淄博市沂源县" in str(refused.value.message)
        assert SelectionList.objects.get(pk=formed.pk).status == ListStatus.PRELIMINARY
        assert not OnsiteReview.objects.exists()
        assert not AuditEntry.objects.filter(action="list.onsite_start").exists()

    def test_refused_while_a_concluded_application_is_not_on_the_list(self, formed, call, province_officer):
        ranked_application(call=call, region="370305", by=province_officer, grade=5, target_grade=5)
        with pytest.raises(InvalidTransition) as refused:
            services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        assert "重新形成初步名单" in str(refused.value.message)
        assert "淄博市临淄区" in str(refused.value.message)
        services.selection_list_form(by=province_officer, call=call)
        started = services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        assert started.status == ListStatus.ONSITE


class TestShown:
    def test_the_index_shows_why_the_list_cannot_be_formed_yet(self, client, open_call, province_officer):
        client.force_login(province_officer)
        with time_machine.travel(GRACE_END, tick=False):
            page = client.get(reverse("lists:index")).content.decode()
        assert "申报尚未截止" in page
        assert reverse("lists:form", args=[open_call.pk]) not in page
        with time_machine.travel(AFTER_GRACE, tick=False):
            page = client.get(reverse("lists:index")).content.decode()
        assert reverse("lists:form", args=[open_call.pk]) in page

    def test_the_action_bar_shows_why_the_list_cannot_go_on_site(
        self, client, formed, call, province_officer
    ):
        waiting = accepted_application(call=call, region="370323", by=province_officer)
        waiting.status = ApplicationStatus.SUBMITTED
        waiting.save(update_fields=["status"])
        client.force_login(province_officer)
        page = client.get(reverse("lists:detail", args=[formed.pk])).content.decode()
        assert 'aria-describedby="blocked-onsite"' in page
        assert "淄博市沂源县" in page
        assert reverse("lists:onsite", args=[formed.pk]) not in page

    def test_the_workbench_says_submissions_are_open(self, open_call, province_officer):
        with time_machine.travel(GRACE_END, tick=False):
            items = list_sections(province_officer)[0].items
        assert [str(item.badge) for item in items] == ["申报尚未截止"]
        with time_machine.travel(AFTER_GRACE, tick=False):
            items = list_sections(province_officer)[0].items
        assert [str(item.badge) for item in items] == ["可形成初步名单"]
