"""Public notice, objections and the final list: the period to the second, contact details,
handling with a reason, and the conditions of the final publication."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.choices import ListStatus, ObjectionStatus, Outcome
from starcity.lists.models import ListEntry, Objection, SelectionList
from starcity.lists.tests.conftest import MONDAY, complete_reviews
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_SECOND = "2026-12-14 23:59:59+08:00"
ONE_SECOND_LATER = "2026-12-15 00:00:00+08:00"
ANONYMOUS = None


def lodge(selection_list, **fields):  # type: ignore[no-untyped-def]
    data = {"name": "王先生", "phone": "0533-1234567", "email": "", "text": "该县材料与实际不符。"}
    data.update(fields)
    return services.objection_lodge(by=ANONYMOUS, selection_list=selection_list, **data)


class TestPublishNotice:
    def test_refused_while_a_pilot_review_is_open_naming_it(self, on_site, province_officer):
        with pytest.raises(InvalidTransition) as refused:
            services.selection_list_publish_notice(by=province_officer, selection_list=on_site)
        assert "淄博市桓台县" in str(refused.value.message)
        assert SelectionList.objects.get(pk=on_site.pk).status == ListStatus.ONSITE
        assert not AuditEntry.objects.filter(action="list.notice_publish").exists()

    def test_refused_from_preliminary(self, formed, province_officer):
        with pytest.raises(InvalidTransition):
            services.selection_list_publish_notice(by=province_officer, selection_list=formed)

    def test_period_ends_on_the_fifth_working_day(self, in_notice):
        assert in_notice.status == ListStatus.NOTICE
        assert in_notice.notice_published_at == datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
        assert in_notice.notice_ends_at == datetime(2026, 12, 14, 23, 59, 59, tzinfo=SHANGHAI)

    def test_applicants_operators_are_told_with_the_public_page(
        self, formed, province_officer, county_operator, city_operator
    ):
        services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        complete_reviews(formed, province_officer)
        with time_machine.travel(MONDAY, tick=False):
            services.selection_list_publish_notice(by=province_officer, selection_list=formed)
        told = Notification.objects.filter(kind="lists.notice")
        assert set(told.values_list("recipient__username", flat=True)) == {
            county_operator.username,
            city_operator.username,
        }
        assert told.first().url == f"/public/calls/{formed.call_id}/"


class TestObjections:
    def test_accepted_at_the_last_second(self, in_notice, province_officer):
        with time_machine.travel(LAST_SECOND, tick=False):
            objection = lodge(in_notice)
        assert objection.status == ObjectionStatus.RECEIVED
        assert AuditEntry.objects.get(action="objection.lodge").actor is None
        assert Notification.objects.filter(kind="lists.objection", recipient=province_officer).exists()

    def test_province_admins_are_told_too(self, in_notice, province_admin):
        with time_machine.travel(MONDAY, tick=False):
            lodge(in_notice)
        assert Notification.objects.filter(kind="lists.objection", recipient=province_admin).exists()

    def test_objections_open_to_the_second_and_only_in_notice(self, in_notice):
        from starcity.lists.selectors import objections_open

        last = datetime(2026, 12, 14, 23, 59, 59, 999000, tzinfo=SHANGHAI)
        assert objections_open(in_notice, last)
        assert not objections_open(in_notice, datetime(2026, 12, 15, 0, 0, tzinfo=SHANGHAI))
        unpublished = SelectionList(status=ListStatus.ONSITE, notice_ends_at=in_notice.notice_ends_at)
        assert not objections_open(unpublished, datetime(2026, 12, 8, tzinfo=SHANGHAI))

    def test_refused_one_second_later_with_the_end_shown(self, in_notice):
        with time_machine.travel(ONE_SECOND_LATER, tick=False), pytest.raises(InvalidTransition) as refused:
            lodge(in_notice)
        assert "2026-12-14 23:59:59" in str(refused.value.message)
        assert not Objection.objects.exists()

    def test_refused_without_contact(self, in_notice):
        with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationFailed) as refused:
            lodge(in_notice, phone="", email="")
        assert "联系电话或电子邮箱" in str(refused.value.message)
        assert not Objection.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"phone": "abc"}, "phone"),
            ({"phone": "", "email": "x@"}, "email"),
            ({"name": ""}, "name"),
            ({"text": " "}, "text"),
        ],
    )
    def test_bad_fields_are_named(self, in_notice, fields, field):
        with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationFailed) as refused:
            lodge(in_notice, **fields)
        assert refused.value.field == field

    def test_email_alone_is_enough_and_an_entry_may_be_named(self, in_notice):
        huantai = ListEntry.objects.get(application__region__code="370321")
        with time_machine.travel(MONDAY, tick=False):
            objection = lodge(in_notice, phone="", email="wang@example.com", entry=huantai)
        assert objection.entry == huantai

    def test_a_duplicate_is_refused(self, in_notice):
        with time_machine.travel(MONDAY, tick=False):
            lodge(in_notice)
            with pytest.raises(ValidationFailed):
                lodge(in_notice)
        assert Objection.objects.count() == 1

    def test_refused_before_the_notice(self, on_site):
        with pytest.raises(InvalidTransition):
            lodge(on_site)


class TestHandling:
    @pytest.fixture
    def objection(self, in_notice):  # type: ignore[no-untyped-def]
        with time_machine.travel(MONDAY, tick=False):
            return lodge(in_notice)

    def test_uphold_with_reason_is_audited(self, objection, province_officer):
        handled = services.objection_uphold(by=province_officer, objection=objection, reason="经核实属实")
        assert (handled.status, handled.handling_reason, handled.handled_by) == (
            ObjectionStatus.UPHELD,
            "经核实属实",
            province_officer,
        )
        row = AuditEntry.objects.get(action="objection.uphold")
        assert (row.from_state, row.to_state, row.reason) == ("received", "upheld", "经核实属实")

    def test_reason_is_mandatory(self, objection, province_officer):
        with pytest.raises(ValidationFailed):
            services.objection_reject(by=province_officer, objection=objection, reason="  ")
        assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.RECEIVED

    def test_handled_once(self, objection, province_officer):
        services.objection_reject(by=province_officer, objection=objection, reason="不属实")
        with pytest.raises(InvalidTransition):
            services.objection_uphold(by=province_officer, objection=objection, reason="x")

    def test_only_the_office_handles(self, objection, observer):
        with pytest.raises(NotAllowed):
            services.objection_reject(by=observer, objection=objection, reason="x")


class TestFinal:
    def test_refused_before_the_end_with_the_end_shown(self, in_notice, province_officer):
        with time_machine.travel(LAST_SECOND, tick=False), pytest.raises(InvalidTransition) as refused:
            services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert "2026-12-14 23:59:59" in str(refused.value.message)
        assert SelectionList.objects.get(pk=in_notice.pk).status == ListStatus.NOTICE

    def test_refused_with_an_unhandled_objection(self, in_notice, province_officer):
        with time_machine.travel(MONDAY, tick=False):
            objection = lodge(in_notice)
        with time_machine.travel(ONE_SECOND_LATER, tick=False), pytest.raises(InvalidTransition) as refused:
            services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert f"#{objection.pk}" in str(refused.value.message)

    def test_published_after_the_end_with_objections_handled(
        self, in_notice, province_officer, county_operator
    ):
        with time_machine.travel(MONDAY, tick=False):
            objection = lodge(in_notice)
        services.objection_reject(by=province_officer, objection=objection, reason="不属实")
        with time_machine.travel(ONE_SECOND_LATER, tick=False):
            final = services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert final.status == ListStatus.FINAL
        assert final.final_published_at == datetime(2026, 12, 15, 0, 0, tzinfo=SHANGHAI)
        zhangdian = ListEntry.objects.get(application__region__code="370303")
        assert (zhangdian.outcome, str(zhangdian.recheck_by)) == (Outcome.PRE_PILOT, "2027-09-30")
        assert Notification.objects.filter(kind="lists.final", recipient=county_operator).exists()
        assert AuditEntry.objects.get(action="list.final_publish").to_state == ListStatus.FINAL

    def test_an_upheld_objection_leads_to_an_override_then_final(self, in_notice, province_officer):
        huantai = ListEntry.objects.get(application__region__code="370321")
        with time_machine.travel(MONDAY, tick=False):
            objection = lodge(in_notice, entry=huantai)
        services.objection_uphold(by=province_officer, objection=objection, reason="属实")
        services.list_entry_override(
            by=province_officer,
            entry=huantai,
            outcome=Outcome.NOT_SELECTED,
            reason="异议成立",
            objection=objection,
        )
        # 张店区 moves up to pilot during the notice and needs its on-site review before final
        with time_machine.travel(ONE_SECOND_LATER, tick=False), pytest.raises(InvalidTransition) as refused:
            services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert "淄博市张店区" in str(refused.value.message)
        complete_reviews(in_notice, province_officer)
        with time_machine.travel(ONE_SECOND_LATER, tick=False):
            services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert ListEntry.objects.get(pk=huantai.pk).outcome == Outcome.NOT_SELECTED

    def test_only_the_office_publishes(self, in_notice, county_operator):
        with time_machine.travel(ONE_SECOND_LATER, tick=False), pytest.raises(NotAllowed):
            services.selection_list_publish_final(by=county_operator, selection_list=in_notice)
