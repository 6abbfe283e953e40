"""Who may withdraw an application: the county until its city approved it; from then on (approved,
submitted) the application is the city's, and only the city's operators may withdraw it."""

import pytest
from django.urls import reverse

from starcity.calls import services
from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.models import Application
from starcity.calls.testing import submitted_assessment
from starcity.calls.tests.conftest import fill
from starcity.core.errors import InvalidTransition
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _withdraw(client, application, reason="本年度不再参评"):
    return client.post(reverse("calls:withdraw", args=[application.pk]), {"reason": reason})


def _withdraw_rows(application):
    return AuditEntry.objects.filter(action="application.withdraw", target_id=str(application.pk)).count()


def _page(client, application):
    return client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()


@pytest.mark.parametrize("state", ["approved", "submitted"])
def test_the_county_may_not_withdraw_once_its_city_approved(request, client, county_operator, state):
    application = request.getfixturevalue(state)
    client.force_login(county_operator)
    assert reverse("calls:withdraw", args=[application.pk]) not in _page(client, application)
    assert _withdraw(client, application).status_code == 409
    assert Application.objects.get(pk=application.pk).status == application.status
    assert _withdraw_rows(application) == 0


@pytest.mark.parametrize("state", ["complete", "with_city"])
def test_the_county_withdraws_before_approval(request, client, county_operator, city_operator, state):
    application = request.getfixturevalue(state)
    client.force_login(county_operator)
    assert _withdraw(client, application).status_code == 302
    assert Application.objects.get(pk=application.pk).status == S.WITHDRAWN
    note = Notification.objects.get(recipient=city_operator, kind="calls.withdrawn")
    assert note.title == "淄博市桓台县撤回了申报"
    assert not Notification.objects.filter(recipient=county_operator, kind="calls.withdrawn").exists()


def test_the_city_does_not_withdraw_what_it_was_sent(client, with_city, city_operator):
    client.force_login(city_operator)
    assert reverse("calls:withdraw", args=[with_city.pk]) not in _page(client, with_city)
    assert _withdraw(client, with_city).status_code == 409
    assert Application.objects.get(pk=with_city.pk).status == S.WITH_CITY


@pytest.mark.parametrize("state", ["approved", "submitted"])
def test_the_city_withdraws_an_approved_county_application(
    request, client, city_operator, county_operator, province_officer, state
):
    application = request.getfixturevalue(state)
    client.force_login(city_operator)
    assert reverse("calls:withdraw", args=[application.pk]) in _page(client, application)
    assert _withdraw(client, application).status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN and _withdraw_rows(application) == 1
    note = Notification.objects.get(recipient=county_operator, kind="calls.withdrawn")
    assert note.title == "淄博市撤回了桓台县的申报" and "本年度不再参评" in note.body
    assert not Notification.objects.filter(recipient=city_operator, kind="calls.withdrawn").exists()
    told_province = Notification.objects.filter(recipient=province_officer, kind="calls.withdrawn").exists()
    assert told_province == (state == "submitted")


def test_another_citys_operator_cannot_withdraw(client, approved, make_user):
    jinan = make_user("jinan_city", "city_operator", "370100")
    client.force_login(jinan)
    assert _withdraw(client, approved).status_code == 404
    assert Application.objects.get(pk=approved.pk).status == S.CITY_APPROVED


def test_the_city_withdraws_its_own_application_at_any_stage_before_acceptance(
    call, city_operator, zibo, city_standard
):
    application = services.application_create(by=city_operator, call=call, region=zibo)
    assessment = submitted_assessment(by=city_operator, region=zibo, version=city_standard, grade=3)
    fill(application, city_operator, assessment)
    services.application_city_approve(by=city_operator, application=application)
    services.bundle_submit(by=city_operator, call=call, city=zibo)
    withdrawn = services.application_withdraw(by=city_operator, application=application, reason="调整计划")
    assert withdrawn.status == S.WITHDRAWN


def test_the_service_refuses_the_county_too(approved, county_operator):
    with pytest.raises(InvalidTransition):
        services.application_withdraw(by=county_operator, application=approved, reason="想撤回")
