"""Managing calls: create and edit a draft, publish (every problem listed), move the calendar
(audited before/after), extensions (one per region, changeable, audited), close; and who sees
what on the call pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from starcity.calls import services
from starcity.calls.choices import CallStatus
from starcity.calls.models import Call, Extension
from starcity.calls.rules import LevelInput
from starcity.calls.testing import make_call
from starcity.calls.tests.conftest import BEFORE, DEADLINE, OPENS
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db


def values(**changes):
    base = {
        "year": 2026,
        "title": "2026年试点申报",
        "description": "",
        "grade_offers": [[3, 4], [4, 5]],
        "opens_at": OPENS,
        "deadline": DEADLINE,
        "grace_minutes": 0,
        "resubmission_until": None,
        "reminder_days": [7, 3, 1],
        "panel_size": 5,
        "substitutes": 2,
        "expert_load_cap": 10,
        "aggregation_rule": "auto",
        "disagreement_threshold": 2,
        "onsite_items": 8,
        "notice_working_days": 5,
    }
    return base | changes


def form_data(county_standard, **changes):
    data = {
        "year": "2026",
        "title": "2026年试点申报",
        "description": "",
        "opens_at": "2026-09-01T09:00:00",
        "deadline": "2026-10-20T23:59:59",
        "grace_minutes": "0",
        "resubmission_until": "",
        "reminder_text": "7, 3, 1",
        "panel_size": "5",
        "substitutes": "2",
        "expert_load_cap": "10",
        "aggregation_rule": "auto",
        "disagreement_threshold": "2",
        "onsite_items": "8",
        "notice_working_days": "5",
        "offer_1_met": "3",
        "offer_1_target": "4",
        "offer_2_met": "4",
        "offer_2_target": "5",
        "county_enabled": "on",
        "county_version": str(county_standard.pk),
        "county_pilots": "10",
        "county_pre_pilots": "5",
        "city_pilots": "0",
        "city_pre_pilots": "0",
    }
    return data | changes


@pytest.fixture
def draft_call(during, province_officer, county_standard):
    return services.call_create(
        by=province_officer, values=values(), levels=[LevelInput("county", county_standard, 10, 5)]
    )


class TestDraft:
    def test_create_through_the_form(self, client, during, province_officer, county_standard):
        client.force_login(province_officer)
        response = client.post(reverse("calls:create"), form_data(county_standard))
        call = Call.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("calls:detail", args=[call.pk])
        assert call.status == CallStatus.DRAFT and call.grade_offers == [[3, 4], [4, 5]]
        assert call.reminder_days == [7, 3, 1]
        assert call.deadline == DEADLINE
        level = call.levels.get()
        assert (level.level, level.standard_version, level.pilot_quota) == ("county", county_standard, 10)

    def test_form_errors_name_the_fields(self, client, during, province_officer, county_standard):
        client.force_login(province_officer)
        data = form_data(
            county_standard, deadline="2026-08-01T00:00:00", offer_2_target="", reminder_text="7, x"
        )
        response = client.post(reverse("calls:create"), data)
        body = response.content.decode()
        assert response.status_code == 400
        assert "第 2 项须同时填写已达星级和可申报星级" in body
        assert "提醒天数须为用逗号分隔的整数" in body
        assert not Call.objects.exists()

    def test_service_rules_come_back_on_the_form(self, client, during, province_officer, county_standard):
        client.force_login(province_officer)
        response = client.post(
            reverse("calls:create"), form_data(county_standard, deadline="2026-08-01T00:00:00")
        )
        assert response.status_code == 400
        assert "申报截止时间须晚于开始申报时间" in response.content.decode()

    def test_only_province_staff_create(self, client, city_operator):
        client.force_login(city_operator)
        assert client.get(reverse("calls:create")).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        response = client.get(reverse("calls:create"))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_edit_audits_what_changed(self, draft_call, province_officer, county_standard):
        services.call_update(
            by=province_officer,
            call=draft_call,
            values=values(title="改名后的批次", grace_minutes=30),
            levels=[LevelInput("county", county_standard, 12, 5)],
        )
        entry = AuditEntry.objects.get(action="call.update")
        assert entry.before["title"] == "2026年试点申报" and entry.after["title"] == "改名后的批次"
        assert entry.after["grace_minutes"] == 30 and "levels" in entry.after

    def test_offers_are_checked(self, during, province_officer, county_standard):
        with pytest.raises(ValidationFailed) as error:
            services.call_create(
                by=province_officer,
                values=values(grade_offers=[[4, 3], [3, 6]]),
                levels=[LevelInput("county", county_standard)],
            )
        assert error.value.errors == ["第 1 项：已达星级须低于申报星级。", "第 2 项：所选标准只有 5 个星级。"]

    def test_calendar_runs_forward(self, during, province_officer, county_standard):
        with pytest.raises(ValidationFailed) as error:
            services.call_create(
                by=province_officer,
                values=values(
                    review_starts=date(2026, 10, 1),
                    notice_starts=date(2026, 11, 20),
                    publication_date=date(2026, 11, 10),
                ),
                levels=[LevelInput("county", county_standard)],
            )
        assert error.value.errors == [
            "专家评审开始（2026-10-01）不能早于申报截止时间（2026-10-20）。",
            "名单发布（2026-11-10）不能早于公示开始（2026-11-20）。",
        ]

    def test_level_must_match_its_standard(self, during, province_officer, city_standard):
        with pytest.raises(ValidationFailed) as error:
            services.call_create(
                by=province_officer, values=values(), levels=[LevelInput("county", city_standard)]
            )
        assert error.value.field == "county_version"


class TestPublish:
    def test_publish_notifies_operators(
        self, client, city_operator, county_operator, draft_call, province_officer
    ):
        client.force_login(province_officer)
        response = client.post(reverse("calls:publish", args=[draft_call.pk]))
        assert response.status_code == 302
        draft_call.refresh_from_db()
        assert draft_call.status == CallStatus.PUBLISHED and draft_call.published_at is not None
        assert Notification.objects.filter(kind="calls.published", recipient=city_operator).exists()
        assert Notification.objects.filter(kind="calls.published", recipient=county_operator).exists()

    def test_publish_lists_every_problem(self, client, during, province_officer):
        call = services.call_create(
            by=province_officer, values=values(deadline=BEFORE - timedelta(hours=1)), levels=[]
        )
        client.force_login(province_officer)
        response = client.post(reverse("calls:publish", args=[call.pk]))
        body = response.content.decode()
        assert response.status_code == 400
        assert "至少需要开放一个申报层级" in body and "申报截止时间已过" in body
        call.refresh_from_db()
        assert call.status == CallStatus.DRAFT
        assert not AuditEntry.objects.filter(action="call.publish").exists()

    def test_twice_is_409(self, client, call, province_officer):
        client.force_login(province_officer)
        assert client.post(reverse("calls:publish", args=[call.pk])).status_code == 409

    def test_operator_gets_403_and_get_is_405(self, client, draft_call, city_operator, province_officer):
        client.force_login(city_operator)
        assert (
            client.post(reverse("calls:publish", args=[draft_call.pk])).status_code == 404
        )  # drafts are invisible
        client.force_login(province_officer)
        assert client.get(reverse("calls:publish", args=[draft_call.pk])).status_code == 405

    def test_published_call_cannot_be_edited(self, client, call, province_officer):
        with pytest.raises(InvalidTransition):
            services.call_update(by=province_officer, call=call, values=values(), levels=[])
        client.force_login(province_officer)
        assert client.post(reverse("calls:edit", args=[call.pk]), {}).status_code in (400, 409)


class TestCalendar:
    def test_dates_slip_with_before_and_after(self, client, call, province_officer, county_operator):
        client.force_login(province_officer)
        data = {"deadline": "2026-10-25T23:59:59", "review_starts": "2026-11-01", "resubmission_until": ""}
        response = client.post(reverse("calls:calendar", args=[call.pk]), data)
        assert response.status_code == 302
        call.refresh_from_db()
        assert call.deadline == DEADLINE + timedelta(days=5) and call.review_starts == date(2026, 11, 1)
        entry = AuditEntry.objects.get(action="call.calendar")
        assert entry.before["deadline"] == "2026-10-20 23:59:59（北京时间）"
        assert entry.after["deadline"] == "2026-10-25 23:59:59（北京时间）"
        assert entry.before["review_starts"] is None and entry.after["review_starts"] == "2026-11-01"
        assert Notification.objects.filter(kind="calls.deadline_moved", recipient=county_operator).exists()

    def test_deadline_cannot_move_into_the_past(self, call, province_officer):
        with pytest.raises(ValidationFailed):
            services.call_update_calendar(
                by=province_officer, call=call, values={"deadline": BEFORE - timedelta(days=1)}
            )

    def test_draft_calendar_is_409(self, client, draft_call, province_officer):
        client.force_login(province_officer)
        assert client.get(reverse("calls:calendar", args=[draft_call.pk])).status_code == 409
        assert (
            client.post(
                reverse("calls:calendar", args=[draft_call.pk]), {"deadline": "2026-10-25T23:59:59"}
            ).status_code
            == 409
        )

    def test_operators_may_not(self, client, call, city_operator):
        client.force_login(city_operator)
        assert client.get(reverse("calls:calendar", args=[call.pk])).status_code == 403


class TestExtensions:
    def test_grant_change_and_audit(self, call, province_officer, huantai):
        services.extension_grant(
            by=province_officer, call=call, region=huantai, until=DEADLINE + timedelta(days=1), reason="洪灾"
        )
        services.extension_grant(
            by=province_officer,
            call=call,
            region=huantai,
            until=DEADLINE + timedelta(days=3),
            reason="洪灾持续",
        )
        extension = Extension.objects.get()
        assert extension.until == DEADLINE + timedelta(days=3) and extension.reason == "洪灾持续"
        first, second = AuditEntry.objects.filter(action="call.extension").order_by("id")
        assert first.before == {} and second.before["until"] == "2026-10-21 23:59:59（北京时间）"
        assert second.after["until"] == "2026-10-23 23:59:59（北京时间）" and second.reason == "洪灾持续"

    def test_reason_and_later_date_required(self, client, call, province_officer, huantai):
        client.force_login(province_officer)
        data = {"region": huantai.pk, "until": "2026-10-20T23:59:58", "reason": " "}
        response = client.post(reverse("calls:extend", args=[call.pk]), data)
        body = response.content.decode()
        assert response.status_code == 400
        assert "延期须晚于申报截止时间 2026-10-20 23:59:59（北京时间）" in body
        assert not Extension.objects.exists()

    def test_only_province(self, call, city_operator, huantai):
        with pytest.raises(NotAllowed):
            services.extension_grant(
                by=city_operator, call=call, region=huantai, until=DEADLINE + timedelta(days=1), reason="x"
            )

    def test_shown_to_the_applicant_not_to_another_city(
        self, client, call, province_officer, huantai, county_operator, county_operator_other_city
    ):
        services.extension_grant(
            by=province_officer,
            call=call,
            region=huantai,
            until=DEADLINE + timedelta(days=2),
            reason="汛期影响",
        )
        client.force_login(county_operator)
        page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
        assert "2026-10-22 23:59:59（北京时间）" in page and "汛期影响" in page
        client.force_login(county_operator_other_city)
        page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
        assert "汛期影响" not in page and "2026-10-20 23:59:59（北京时间）" in page


class TestClose:
    def test_not_before_the_last_submission(self, call, province_officer):
        with pytest.raises(InvalidTransition) as error:
            services.call_close(by=province_officer, call=call)
        assert "2026-10-20 23:59:59（北京时间）" in str(error.value.message)

    def test_after_it(self, client, call, province_officer, clock_at):
        clock_at(DEADLINE + timedelta(seconds=1))
        client.force_login(province_officer)
        assert client.post(reverse("calls:close", args=[call.pk])).status_code == 302
        call.refresh_from_db()
        assert call.status == CallStatus.CLOSED and call.closed_at is not None

    def test_closed_call_freezes_its_applications(
        self, draft, call, province_officer, county_operator, clock_at
    ):
        clock_at(DEADLINE + timedelta(seconds=1))
        services.call_close(by=province_officer, call=call)
        with pytest.raises(InvalidTransition):
            services.application_save_tasks(by=county_operator, application=draft, tasks=[])


class TestPages:
    def test_drafts_only_for_province(self, client, draft_call, call, province_officer, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("calls:list")).content.decode()
        assert call.title in page and draft_call.title not in page
        assert client.get(reverse("calls:detail", args=[draft_call.pk])).status_code == 404
        client.force_login(province_officer)
        assert draft_call.title in client.get(reverse("calls:list")).content.decode()

    def test_detail_shows_calendar_rules_and_the_operators_deadline(self, client, call, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
        assert "2026-10-20 23:59:59（北京时间）" in page
        assert "已达三星级可申报四星级" in page
        assert reverse("calls:apply", args=[call.pk]) in page

    def test_start_from_the_call_page(self, client, call, county_operator, huantai):
        client.force_login(county_operator)
        response = client.post(reverse("calls:apply", args=[call.pk]), {"region": "370321"})
        application = call.applications.get()
        assert response["Location"] == reverse("calls:application_detail", args=[application.pk])
        again = client.post(reverse("calls:apply", args=[call.pk]), {"region": "370321"})
        assert again["Location"] == reverse("calls:application_detail", args=[application.pk])

    def test_start_for_another_region_is_refused(self, client, call, county_operator):
        client.force_login(county_operator)
        assert client.post(reverse("calls:apply", args=[call.pk]), {"region": "370303"}).status_code == 400
        assert not call.applications.exists()

    def test_make_call_builder_still_works(self, during, province_officer, county_standard):
        assert (
            make_call(by=province_officer, versions={"county": county_standard}).status
            == CallStatus.PUBLISHED
        )


POST_ONLY = ["publish", "close", "extend", "apply", "bundle_submit"]


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_urls_refuse_get(client, call, province_officer, name):
    client.force_login(province_officer)
    assert client.get(reverse(f"calls:{name}", args=[call.pk])).status_code == 405


@pytest.mark.parametrize("name", ["publish", "close", "extend", "edit", "calendar"])
def test_management_is_for_province_staff(client, call, county_operator, name):
    client.force_login(county_operator)
    before = AuditEntry.objects.count()
    assert client.post(reverse(f"calls:{name}", args=[call.pk]), {}).status_code == 403
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", ["publish", "close", "extend", "edit", "calendar", "detail"])
def test_anonymous_is_sent_to_login(client, call, name):
    response = (
        client.post(reverse(f"calls:{name}", args=[call.pk]))
        if name != "detail"
        else client.get(reverse("calls:detail", args=[call.pk]))
    )
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_closed_call_refuses_extensions_with_409(client, call, province_officer, huantai, clock_at):
    clock_at(DEADLINE + timedelta(seconds=1))
    services.call_close(by=province_officer, call=call)
    client.force_login(province_officer)
    data = {"region": huantai.pk, "until": "2026-10-30T23:59:59", "reason": "迟到的延期"}
    assert client.post(reverse("calls:extend", args=[call.pk]), data).status_code == 409
    assert not Extension.objects.exists()
