"""The city's unified submission: deadlines at the second (grace, extensions, resubmission),
attribution, frozen revisions, and its permissions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from starcity.calls import selectors, services
from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.models import Application, ApplicationRevision
from starcity.calls.testing import submitted_assessment
from starcity.calls.tests.conftest import DEADLINE, OPENS, fill
from starcity.core.errors import InvalidTransition
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


@pytest.fixture
def zhangdian_approved(call, county_operator_same_city, zhangdian, county_standard, city_operator):
    """张店区's application, complete and approved by the city."""
    assessment = submitted_assessment(
        by=county_operator_same_city, region=zhangdian, version=county_standard, grade=4
    )
    application = services.application_create(by=county_operator_same_city, call=call, region=zhangdian)
    fill(application, county_operator_same_city, assessment, target=5)
    services.application_send_to_city(by=county_operator_same_city, application=application)
    return services.application_city_approve(by=city_operator, application=application)


def _submit(client, call, city="370300"):
    return client.post(reverse("calls:bundle_submit", args=[call.pk]), {"city": city})


class TestSubmission:
    def test_submits_every_approved_application_with_a_revision(
        self, client, province_officer, approved, zhangdian_approved, city_operator, call
    ):
        client.force_login(city_operator)
        response = _submit(client, call)
        assert response.status_code == 302
        for application in (approved, zhangdian_approved):
            application.refresh_from_db()
            assert application.status == S.SUBMITTED and application.revision == 1
            assert application.submitted_by == city_operator and application.submitted_at is not None
            revision = ApplicationRevision.objects.get(application=application)
            assert revision.number == 1 and revision.snapshot["target_grade"] == application.target_grade
            assert revision.snapshot["submitted_by_region"] == {"code": "370300", "name": "淄博市"}
            entry = AuditEntry.objects.get(action="application.submit", target_id=str(application.pk))
            assert entry.extra["submitted_by_region"] == "淄博市"
        note = Notification.objects.get(recipient=province_officer, kind="calls.bundle_submitted")
        assert "2" in note.title

    def test_page_shows_on_behalf_attribution(self, client, submitted, county_operator, province_officer):
        for user in (county_operator, province_officer):
            client.force_login(user)
            page = client.get(reverse("calls:application_detail", args=[submitted.pk])).content.decode()
            assert "由淄博市代桓台县提交" in page

    def test_nothing_to_submit_is_409(self, client, complete, city_operator, call):
        client.force_login(city_operator)
        response = _submit(client, call)
        assert response.status_code == 409
        assert not ApplicationRevision.objects.exists()

    def test_second_submission_finds_nothing(self, client, submitted, city_operator, call):
        client.force_login(city_operator)
        assert _submit(client, call).status_code == 409
        assert ApplicationRevision.objects.count() == 1

    def test_incomplete_content_is_refused_even_if_approved(self, approved, city_operator, call, zibo):
        Application.objects.filter(pk=approved.pk).update(contact_phone="")
        with pytest.raises(InvalidTransition) as error:
            services.bundle_submit(by=city_operator, call=call, city=zibo)
        assert "未填写联系电话" in " ".join(error.value.errors)


class TestDeadline:
    def test_exactly_at_the_deadline_is_allowed(self, approved, city_operator, call, zibo, clock_at):
        clock_at(DEADLINE)
        result = services.bundle_submit(by=city_operator, call=call, city=zibo)
        assert [a.pk for a in result.submitted] == [approved.pk]

    def test_one_second_later_is_refused_with_the_deadline(
        self, client, approved, city_operator, call, clock_at
    ):
        clock_at(DEADLINE + SECOND)
        client.force_login(city_operator)
        response = _submit(client, call)
        assert response.status_code == 409
        assert "桓台县的申报截止时间为 2026-10-20 23:59:59（北京时间）" in response.content.decode()
        approved.refresh_from_db()
        assert approved.status == S.CITY_APPROVED and approved.revision == 0
        assert not AuditEntry.objects.filter(action="application.submit").exists()

    def test_grace_period_to_the_second(self, approved, city_operator, call, zibo, clock_at):
        call.grace_minutes = 10
        call.save()
        clock_at(DEADLINE + timedelta(minutes=10) + SECOND)
        with pytest.raises(services.DeadlinePassed):
            services.bundle_submit(by=city_operator, call=call, city=zibo)
        clock_at(DEADLINE + timedelta(minutes=10))
        assert len(services.bundle_submit(by=city_operator, call=call, city=zibo).submitted) == 1

    def test_extension_lets_exactly_that_applicant_through(
        self, client, approved, zhangdian_approved, zhangdian, city_operator, province_officer, call, clock_at
    ):
        until = DEADLINE + timedelta(days=2)
        services.extension_grant(by=province_officer, call=call, region=zhangdian, until=until, reason="汛期")
        clock_at(DEADLINE + SECOND)
        client.force_login(city_operator)
        response = _submit(client, call)
        assert response.status_code == 302
        approved.refresh_from_db()
        zhangdian_approved.refresh_from_db()
        assert zhangdian_approved.status == S.SUBMITTED
        assert approved.status == S.CITY_APPROVED
        shown = [str(m) for m in response.wsgi_request._messages]
        assert any("桓台县的申报截止时间为 2026-10-20 23:59:59（北京时间）" in m for m in shown)

    def test_extension_ends_at_its_second(
        self, zhangdian_approved, zhangdian, city_operator, province_officer, call, zibo, clock_at
    ):
        until = DEADLINE + timedelta(days=2)
        services.extension_grant(by=province_officer, call=call, region=zhangdian, until=until, reason="汛期")
        clock_at(until + SECOND)
        with pytest.raises(services.DeadlinePassed) as error:
            services.bundle_submit(by=city_operator, call=call, city=zibo)
        assert "2026-10-22 23:59:59（北京时间）" in error.value.errors[0]

    def test_resubmission_period_after_a_province_return(
        self, submitted, province_officer, county_operator, city_operator, call, zibo, clock_at
    ):
        call.resubmission_until = DEADLINE + timedelta(days=5)
        call.save()
        services.application_province_return(by=province_officer, application=submitted, reason="缺少盖章")
        clock_at(DEADLINE + timedelta(days=3))
        services.application_send_to_city(by=county_operator, application=submitted)
        services.application_city_approve(by=city_operator, application=submitted)
        result = services.bundle_submit(by=city_operator, call=call, city=zibo)
        submitted.refresh_from_db()
        assert result.submitted and submitted.revision == 2
        assert ApplicationRevision.objects.filter(application=submitted).count() == 2

    def test_without_a_resubmission_period_the_deadline_holds(
        self, submitted, province_officer, county_operator, city_operator, call, zibo, clock_at
    ):
        services.application_province_return(by=province_officer, application=submitted, reason="缺少盖章")
        services.application_send_to_city(by=county_operator, application=submitted)
        services.application_city_approve(by=city_operator, application=submitted)
        clock_at(DEADLINE + SECOND)
        with pytest.raises(services.DeadlinePassed):
            services.bundle_submit(by=city_operator, call=call, city=zibo)


class TestPermissions:
    def test_anonymous(self, client, approved, call):
        response = _submit(client, call)
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_get_is_405(self, client, approved, city_operator, call):
        client.force_login(city_operator)
        assert client.get(reverse("calls:bundle_submit", args=[call.pk])).status_code == 405

    def test_county_operator_may_not(self, client, approved, county_operator, call):
        client.force_login(county_operator)
        assert _submit(client, call).status_code == 404
        assert client.post(reverse("calls:bundle_submit", args=[call.pk])).status_code == 403
        approved.refresh_from_db()
        assert approved.status == S.CITY_APPROVED

    def test_province_may_look_but_not_submit(self, client, approved, province_officer, call):
        client.force_login(province_officer)
        page = client.get(reverse("calls:bundle", args=[call.pk]) + "?city=370300")
        assert page.status_code == 200 and "桓台县" in page.content.decode()
        assert _submit(client, call).status_code == 403

    def test_another_citys_bundle_is_404(self, client, approved, make_user, call):
        jinan = make_user("jinan_city", "city_operator", "370100")
        client.force_login(jinan)
        assert client.get(reverse("calls:bundle", args=[call.pk]) + "?city=370300").status_code == 404
        assert _submit(client, call).status_code == 404
        own = client.get(reverse("calls:bundle", args=[call.pk]))
        assert own.status_code == 200 and "桓台县" not in own.content.decode()

    def test_page_lists_statuses_deadlines_and_the_button(
        self, client, approved, zhangdian, city_operator, call
    ):
        client.force_login(city_operator)
        page = client.get(reverse("calls:bundle", args=[call.pk])).content.decode()
        assert "桓台县" in page and "2026-10-20 23:59:59（北京时间）" in page
        assert reverse("calls:bundle_submit", args=[call.pk]) in page


class TestWhatThePageOffers:
    """The bundle page asks `selectors.bundle_of`, which applies the rules of `bundle_submit`."""

    def test_the_city_operator_may_submit_what_is_ready(self, approved, city_operator, call, zibo):
        bundle = selectors.bundle_of(call, zibo, city_operator)
        assert bundle.is_city_operator and bundle.opened and bundle.may_submit
        assert [row.application for row in bundle.ready] == [approved]

    def test_the_province_only_looks(self, approved, province_officer, call, zibo):
        bundle = selectors.bundle_of(call, zibo, province_officer)
        assert not bundle.is_city_operator and not bundle.may_submit and bundle.ready

    def test_nothing_approved_offers_nothing(self, with_city, city_operator, call, zibo):
        bundle = selectors.bundle_of(call, zibo, city_operator)
        assert bundle.is_city_operator and not bundle.ready and not bundle.may_submit

    def test_before_the_call_opens_there_is_no_button(
        self, client, approved, city_operator, call, zibo, clock_at
    ):
        clock_at(OPENS - SECOND)
        bundle = selectors.bundle_of(call, zibo, city_operator)
        assert not bundle.opened and not bundle.may_submit
        client.force_login(city_operator)
        page = client.get(reverse("calls:bundle", args=[call.pk])).content.decode()
        assert reverse("calls:bundle_submit", args=[call.pk]) not in page
        assert "2026-09-01 09:00:00（北京时间） 开始接受提交" in page
        clock_at(OPENS)
        assert selectors.bundle_of(call, zibo, city_operator).may_submit

    def test_a_closed_call_offers_nothing(
        self, approved, province_officer, city_operator, call, zibo, clock_at
    ):
        clock_at(DEADLINE + SECOND)
        services.call_close(by=province_officer, call=call)
        call.refresh_from_db()
        assert not selectors.bundle_of(call, zibo, city_operator).may_submit
