"""Changes during the notice: an override must follow an upheld objection; any change of what
the public sees restarts the notice (period counted again, audited, applicants told); the
portal and the list notice show the list as published, never the live entries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from starcity.core.errors import ValidationFailed
from starcity.core.models import AuditEntry
from starcity.lists import documents, services
from starcity.lists.choices import ObjectionStatus, Outcome
from starcity.lists.models import ListEntry, Objection, OnsiteReview, SelectionList
from starcity.lists.tests.conftest import MONDAY
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = "2026-12-09 10:00:00+08:00"  # a restart then ends 2026-12-16 23:59:59


def entry(code: str) -> ListEntry:
    return ListEntry.objects.select_related("application__region").get(application__region__code=code)


def published(selection_list: SelectionList) -> dict[str, str]:
    fresh = SelectionList.objects.get(pk=selection_list.pk)
    return {row["region"]: row["outcome"] for row in fresh.published_entries}


@pytest.fixture
def upheld(in_notice, province_officer):  # type: ignore[no-untyped-def]
    """An upheld objection about 桓台县."""
    with time_machine.travel(MONDAY, tick=False):
        objection = services.objection_lodge(
            by=None,
            selection_list=in_notice,
            name="王先生",
            phone="13800000000",
            text="桓台县材料与实际不符。",
            entry=entry("370321"),
        )
        return services.objection_uphold(by=province_officer, objection=objection, reason="经核实属实")


def drop_huantai(by, objection):  # type: ignore[no-untyped-def]
    with time_machine.travel(WEDNESDAY, tick=False):
        return services.list_entry_override(
            by=by, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason="异议属实", objection=objection
        )


class TestOverrideDuringNotice:
    def test_refused_without_an_upheld_objection_and_nothing_changes(self, in_notice, province_officer):
        before = AuditEntry.objects.count()
        with pytest.raises(ValidationFailed) as refused:
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason="复核"
            )
        assert refused.value.field == "objection"
        assert entry("370321").outcome == Outcome.PILOT
        assert AuditEntry.objects.count() == before
        assert SelectionList.objects.get(pk=in_notice.pk).notice_round == 1

    def test_the_level_page_offers_no_override_without_an_upheld_objection(
        self, client, in_notice, province_officer
    ):
        client.force_login(province_officer)
        page = client.get(reverse("lists:level", args=[in_notice.pk, "county"])).content.decode()
        assert "公示期间只能依据认定成立的异议调整名单" in page
        assert reverse("lists:override", args=[in_notice.pk, entry("370321").pk]) not in page

    def test_the_override_form_requires_the_objection(self, client, in_notice, upheld, province_officer):
        client.force_login(province_officer)
        huantai = entry("370321")
        response = client.post(
            reverse("lists:override", args=[in_notice.pk, huantai.pk]),
            {f"entry-{huantai.pk}-outcome": Outcome.NOT_SELECTED, f"entry-{huantai.pk}-reason": "异议属实"},
        )
        assert response.status_code == 400
        assert entry("370321").outcome == Outcome.PILOT

    def test_an_override_restarts_the_notice(self, in_notice, upheld, province_officer, county_operator):
        drop_huantai(province_officer, upheld)
        fresh = SelectionList.objects.get(pk=in_notice.pk)
        assert fresh.notice_round == 2
        assert fresh.notice_published_at == datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI)
        assert fresh.notice_ends_at == datetime(2026, 12, 16, 23, 59, 59, tzinfo=SHANGHAI)
        assert published(in_notice) == {
            "淄博市桓台县": Outcome.NOT_SELECTED,
            "淄博市张店区": Outcome.PILOT,
            "淄博市高青县": Outcome.NOT_SELECTED,
        }
        row = AuditEntry.objects.get(action="list.notice_restart")
        assert datetime.fromisoformat(row.before["notice_ends_at"]) == in_notice.notice_ends_at
        assert datetime.fromisoformat(row.after["notice_ends_at"]) == fresh.notice_ends_at
        assert {entry["region"] for entry in row.extra["moved"]} == {"淄博市桓台县", "淄博市张店区"}
        told = Notification.objects.filter(kind="lists.notice", title__contains="重新公示")
        assert told.filter(recipient=county_operator).exists()
        assert "2026-12-16 23:59:59" in told.get(recipient=county_operator).body

    def test_the_timeline_shows_the_restart(self, client, in_notice, upheld, province_officer):
        drop_huantai(province_officer, upheld)
        client.force_login(province_officer)
        page = client.get(reverse("lists:detail", args=[in_notice.pk])).content.decode()
        assert "名单调整后重新公示" in page and "公示期重新计算，至 2026-12-16 23:59:59" in page

    def test_objections_stay_open_for_the_new_period(self, in_notice, upheld, province_officer):
        drop_huantai(province_officer, upheld)
        with time_machine.travel("2026-12-16 23:59:59+08:00", tick=False):
            services.objection_lodge(
                by=None, selection_list=in_notice, name="李", phone="13900000000", text="张店区不应入选"
            )
        assert Objection.objects.filter(status=ObjectionStatus.RECEIVED).count() == 1

    def test_the_portal_says_the_list_was_announced_again(self, client, in_notice, upheld, province_officer):
        drop_huantai(province_officer, upheld)
        with time_machine.travel(WEDNESDAY, tick=False):
            page = client.get(reverse("portal:call", args=[in_notice.call_id])).content.decode()
        assert "重新公示" in page and "2026-12-16 23:59:59" in page


class TestOnsiteDuringNotice:
    def test_a_grade_changed_on_site_restarts_the_notice(self, in_notice, upheld, province_officer):
        """张店区 became a pilot by the override; its on-site review lowers its grade: the
        published grade changes, so the notice starts again."""
        drop_huantai(province_officer, upheld)
        review = OnsiteReview.objects.get(entry__application__region__code="370303")
        services.onsite_review_save(
            by=province_officer, review=review, team="张三", visited_on=None, summary="部分指标不实"
        )
        review.refresh_from_db()
        review.visited_on = review.created_at.date()
        review.save(update_fields=["visited_on"])
        for item in review.items.all():
            services.onsite_item_save(by=province_officer, item=item, confirmed=True)
        services.onsite_item_save(
            by=province_officer, item=review.items.get(indicator="H01"), confirmed=False, value="10"
        )
        with time_machine.travel("2026-12-10 10:00:00+08:00", tick=False):
            services.onsite_review_complete(by=province_officer, review=review)
        fresh = SelectionList.objects.get(pk=in_notice.pk)
        assert fresh.notice_round == 3
        assert fresh.notice_ends_at == datetime(2026, 12, 17, 23, 59, 59, tzinfo=SHANGHAI)
        zhangdian = next(row for row in fresh.published_entries if row["region"] == "淄博市张店区")
        assert zhangdian["grade"] == entry("370303").verified_grade < 3

    def test_a_review_that_changes_nothing_public_keeps_the_period(self, in_notice, upheld, province_officer):
        drop_huantai(province_officer, upheld)
        from starcity.lists.tests.conftest import complete_reviews

        complete_reviews(in_notice, province_officer)
        fresh = SelectionList.objects.get(pk=in_notice.pk)
        assert fresh.notice_round == 2
        assert AuditEntry.objects.filter(action="list.notice_restart").count() == 1


class TestWhatThePublicSees:
    def test_portal_and_notice_show_the_published_list_not_live_changes(self, client, in_notice):
        tables = documents.notice_tables(in_notice)
        # a live change that bypassed the services (or one still being prepared) stays unseen
        ListEntry.objects.filter(application__region__code="370321").update(
            outcome=Outcome.NOT_SELECTED, override_reason="未经服务的改动"
        )
        fresh = SelectionList.objects.get(pk=in_notice.pk)
        assert documents.notice_tables(fresh) == tables
        with time_machine.travel(MONDAY, tick=False):
            response = client.get(reverse("portal:call", args=[in_notice.call_id]))
        rows = {
            row["entry"].region: row["entry"].outcome
            for group in response.context["groups"]
            for row in group["rows"]
        }
        assert rows["淄博市桓台县"] == Outcome.PILOT

    def test_the_final_list_publishes_what_was_noticed(self, in_notice, province_officer):
        with time_machine.travel("2026-12-15 09:00:00+08:00", tick=False):
            final = services.selection_list_publish_final(by=province_officer, selection_list=in_notice)
        assert final.published_entries == SelectionList.objects.get(pk=in_notice.pk).published_entries
        assert published(final)["淄博市桓台县"] == Outcome.PILOT


class TestTargetGrade:
    """The grade a pilot is to create (创建五星级试点) is published with the list."""

    def test_the_snapshot_holds_the_target_grade(self, in_notice):
        rows = {row["region"]: row for row in SelectionList.objects.get(pk=in_notice.pk).published_entries}
        assert rows["淄博市桓台县"]["target_grade"] == 5

    def test_the_notice_names_the_pilots_target(self, in_notice):
        tables = documents.notice_tables(in_notice)
        pilots = tables[0]
        assert "试点类别" in pilots.columns
        assert pilots.rows[0][1] == "淄博市桓台县" and pilots.rows[0][-1] == "创建五星级试点"
        assert "试点类别" not in tables[1].columns  # pre-pilots: their re-check date instead

    def test_a_snapshot_written_without_it_is_not_a_change(self, in_notice, upheld, province_officer):
        """A list published before the target grade was kept restarts only for a real change;
        its rows show no target rather than one read from live data."""
        legacy = [
            {key: value for key, value in row.items() if key != "target_grade"}
            for row in in_notice.published_entries
        ]
        SelectionList.objects.filter(pk=in_notice.pk).update(published_entries=legacy)
        fresh = SelectionList.objects.get(pk=in_notice.pk)
        assert services.renotice_if_changed(fresh, by=province_officer) is False
        assert SelectionList.objects.get(pk=in_notice.pk).notice_round == 1
        assert documents.notice_tables(fresh)[0].rows[0][-1] == "—"
        drop_huantai(province_officer, upheld)
        restarted = SelectionList.objects.get(pk=in_notice.pk)
        assert restarted.notice_round == 2
        assert all("target_grade" in row for row in restarted.published_entries)
