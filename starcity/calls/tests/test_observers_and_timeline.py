"""What observers and applicants may read: an observer sees the submitted applications of its own
region only (list, export, page, timeline); an application's timeline shows applicants only the
chain's own steps, never the province's internal list decisions, which the office reads with
their outcomes named."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from starcity.accounts.choices import Role
from starcity.calls import selectors, services, workflow
from starcity.calls.testing import make_accepted_application, submitted_assessment
from starcity.calls.tests.conftest import region
from starcity.core.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def observer_jinan(make_user):
    """An observer of 济南市 (a city-level observer)."""
    return make_user("observer_jinan", Role.OBSERVER, "370100", org_name="济南市观察员")


@pytest.fixture
def zhangqiu(call, province_officer, county_operator_other_city, county_standard):
    """章丘区 (济南市), accepted."""
    assessment = submitted_assessment(
        by=county_operator_other_city, region=region("370114"), version=county_standard, grade=3
    )
    return make_accepted_application(call=call, assessment=assessment, by=province_officer)


class TestObserverScope:
    def test_the_list_and_the_export_hold_only_its_region(self, client, submitted, zhangqiu, observer_jinan):
        client.force_login(observer_jinan)
        page = client.get(reverse("calls:application_list"))
        assert {app.pk for app in page.context["page"].object_list} == {zhangqiu.pk}
        sheet = load_workbook(io.BytesIO(client.get(reverse("calls:application_export")).content)).active
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [zhangqiu.pk]

    def test_another_regions_application_is_404(self, client, submitted, zhangqiu, observer_jinan):
        client.force_login(observer_jinan)
        assert client.get(reverse("calls:application_detail", args=[submitted.pk])).status_code == 404
        assert client.get(reverse("calls:application_detail", args=[zhangqiu.pk])).status_code == 200

    def test_its_role_follows_the_region(self, submitted, zhangqiu, observer_jinan, observer):
        assert workflow.VIEWER not in workflow.roles_of(observer_jinan, submitted)
        assert workflow.VIEWER in workflow.roles_of(observer_jinan, zhangqiu)
        assert workflow.VIEWER in workflow.roles_of(observer, submitted)

    def test_a_province_observer_sees_every_submitted_application(
        self, submitted, zhangqiu, draft_elsewhere, observer
    ):
        assert set(selectors.applications_visible_to(observer)) == {submitted, zhangqiu}

    def test_drafts_stay_hidden_in_its_region(self, draft_elsewhere, zhangqiu, observer_jinan):
        assert list(selectors.applications_visible_to(observer_jinan)) == [zhangqiu]


@pytest.fixture
def draft_elsewhere(call, make_user):
    """历下区 (济南市) has a draft: no observer sees it."""
    operator = make_user("lixia_op", "county_operator", "370102")
    return services.application_create(by=operator, call=call, region=region("370102"))


@pytest.fixture
def override(submitted, province_officer):
    """The province's internal list decision about 桓台县, as the lists app records it."""
    return audit_record(
        actor=province_officer,
        action="list.override",
        target=submitted,
        scope=submitted.region.path,
        from_state="pilot",
        to_state="not_selected",
        reason="内部研判：名额调整",
    )


class TestTimeline:
    def _page(self, client, user, application):
        client.force_login(user)
        response = client.get(reverse("calls:application_detail", args=[application.pk]))
        assert response.status_code == 200
        return response.content.decode()

    @pytest.mark.parametrize("user", ["county_operator", "city_operator", "observer"])
    def test_applicants_and_observers_do_not_see_list_decisions(
        self, request, client, submitted, override, user
    ):
        page = self._page(client, request.getfixturevalue(user), submitted)
        assert "内部研判" not in page and "试点 → 未入选" not in page
        assert "统一提交省级" in page  # the chain's own steps are still there

    def test_the_office_reads_them_with_outcomes_named(self, client, submitted, override, province_officer):
        page = self._page(client, province_officer, submitted)
        assert "内部研判：名额调整" in page and "试点 → 未入选" in page
        assert "not_selected" not in page

    def test_the_selector(self, submitted, override, county_operator, province_officer):
        mine = {entry.action for entry in selectors.application_timeline(submitted, county_operator)}
        office = {entry.action for entry in selectors.application_timeline(submitted, province_officer)}
        assert "list.override" not in mine and all(action.startswith("application.") for action in mine)
        assert office == mine | {"list.override"}

    def test_onsite_states_are_named(self, client, submitted, province_officer):
        audit_record(
            actor=province_officer,
            action="onsite.complete",
            target=submitted,
            scope=submitted.region.path,
            from_state="open",
            to_state="completed",
        )
        page = self._page(client, province_officer, submitted)
        assert "待复核 → 已完成" in page
