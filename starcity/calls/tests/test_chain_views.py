"""Every transition of the chain through its POST URL: happy path, anonymous, wrong role, another
city's operator, wrong state (409, nothing changed, no audit row), GET (405), and reasons."""

import pytest
from django.urls import reverse

from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.models import Application
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db

# name, state fixture, actor, target, wrong-role user, wrong-state fixture, needs reason
CASES = [
    ("send_to_city", "complete", "county_operator", S.WITH_CITY, "city_operator", "with_city", False),
    ("city_approve", "with_city", "city_operator", S.CITY_APPROVED, "county_operator", "complete", False),
    ("city_return", "with_city", "city_operator", S.CITY_RETURNED, "county_operator", "complete", True),
    ("accept", "submitted", "province_officer", S.ACCEPTED, "city_operator", "approved", False),
    (
        "province_return",
        "submitted",
        "province_officer",
        S.PROVINCE_RETURNED,
        "county_operator",
        "approved",
        True,
    ),
    ("withdraw", "complete", "county_operator", S.WITHDRAWN, "province_officer", "accepted", True),
]
IDS = [case[0] for case in CASES]


@pytest.fixture
def accepted(submitted, province_officer):
    from starcity.calls import services

    return services.application_accept(by=province_officer, application=submitted)


def _post(client, name, application, reason="材料不全，请补充"):
    return client.post(reverse(f"calls:{name}", args=[application.pk]), {"reason": reason})


def _audit_count(application):
    return AuditEntry.objects.filter(target_type="calls.application", target_id=str(application.pk)).count()


@pytest.mark.parametrize(("name", "state", "actor", "target", "_w", "_s", "_r"), CASES, ids=IDS)
def test_happy_path(request, client, name, state, actor, target, _w, _s, _r):
    application = request.getfixturevalue(state)
    client.force_login(request.getfixturevalue(actor))
    before = _audit_count(application)
    response = _post(client, name, application)
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == target
    assert _audit_count(application) == before + 1
    entry = AuditEntry.objects.filter(target_id=str(application.pk)).order_by("-id").first()
    assert entry.action == f"application.{name}" and entry.to_state == target


@pytest.mark.parametrize(("name", "state", "_a", "_t", "_w", "_s", "_r"), CASES, ids=IDS)
def test_anonymous_goes_to_login(request, client, name, state, _a, _t, _w, _s, _r):
    application = request.getfixturevalue(state)
    response = _post(client, name, application)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Application.objects.get(pk=application.pk).status == application.status


@pytest.mark.parametrize(("name", "state", "_a", "_t", "wrong", "_s", "_r"), CASES, ids=IDS)
def test_wrong_role_is_403(request, client, name, state, _a, _t, wrong, _s, _r):
    application = request.getfixturevalue(state)
    client.force_login(request.getfixturevalue(wrong))
    before = _audit_count(application)
    assert _post(client, name, application).status_code == 403
    assert Application.objects.get(pk=application.pk).status == application.status
    assert _audit_count(application) == before


@pytest.mark.parametrize(("name", "state", "_a", "_t", "_w", "_s", "_r"), CASES, ids=IDS)
def test_other_citys_operator_gets_404(
    request, client, name, state, _a, _t, _w, _s, _r, county_operator_other_city
):
    application = request.getfixturevalue(state)
    client.force_login(county_operator_other_city)
    assert _post(client, name, application).status_code == 404
    assert client.get(reverse("calls:application_detail", args=[application.pk])).status_code == 404


@pytest.mark.parametrize(("name", "_st", "actor", "_t", "_w", "wrong_state", "_r"), CASES, ids=IDS)
def test_wrong_state_is_409_and_changes_nothing(request, client, name, _st, actor, _t, _w, wrong_state, _r):
    application = request.getfixturevalue(wrong_state)
    client.force_login(request.getfixturevalue(actor))
    status, before = application.status, _audit_count(application)
    response = _post(client, name, application)
    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).status == status
    assert _audit_count(application) == before


@pytest.mark.parametrize(("name", "state", "actor", "_t", "_w", "_s", "_r"), CASES, ids=IDS)
def test_get_is_405(request, client, name, state, actor, _t, _w, _s, _r):
    application = request.getfixturevalue(state)
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse(f"calls:{name}", args=[application.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "state", "actor", "_t", "_w", "_s", "needs"),
    [c for c in CASES if c[6]],
    ids=[c[0] for c in CASES if c[6]],
)
def test_reason_is_mandatory(request, client, name, state, actor, _t, _w, _s, needs):
    application = request.getfixturevalue(state)
    client.force_login(request.getfixturevalue(actor))
    before = _audit_count(application)
    response = _post(client, name, application, reason="   ")
    assert response.status_code == 400
    assert "必须填写理由" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == application.status
    assert _audit_count(application) == before


def test_send_to_city_refuses_an_incomplete_application_listing_everything(client, draft, county_operator):
    client.force_login(county_operator)
    response = _post(client, "send_to_city", draft)
    body = response.content.decode()
    assert response.status_code == 400
    assert "未选择申报星级" in body and "未上传申请报告" in body and "未填写联系电话" in body
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_return_reason_is_kept_shown_and_notified(client, with_city, city_operator, county_operator):
    client.force_login(city_operator)
    _post(client, "city_return", with_city, reason="任务书过于笼统")
    with_city.refresh_from_db()
    assert with_city.return_reason == "任务书过于笼统"
    note = Notification.objects.get(recipient=county_operator, kind="calls.city_returned")
    assert "任务书过于笼统" in note.body and note.url == reverse(
        "calls:application_detail", args=[with_city.pk]
    )
    client.force_login(county_operator)
    assert "任务书过于笼统" in client.get(note.url).content.decode()


def test_sending_notifies_the_city_operators(city_operator, with_city):
    note = Notification.objects.get(recipient=city_operator, kind="calls.sent_to_city")
    assert "桓台县" in note.title


def test_province_return_notifies_applicant_and_city(
    client, submitted, province_officer, county_operator, city_operator
):
    client.force_login(province_officer)
    _post(client, "province_return", submitted, reason="缺少盖章")
    for user in (county_operator, city_operator):
        assert Notification.objects.filter(recipient=user, kind="calls.province_returned").exists()


def test_city_own_application_is_approved_by_the_city(client, call, city_operator, zibo, city_standard):
    from starcity.calls import services
    from starcity.calls.testing import submitted_assessment
    from starcity.calls.tests.conftest import fill

    application = services.application_create(by=city_operator, call=call, region=zibo)
    assessment = submitted_assessment(by=city_operator, region=zibo, version=city_standard, grade=3)
    fill(application, city_operator, assessment)
    client.force_login(city_operator)
    page = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert reverse("calls:city_approve", args=[application.pk]) in page
    assert reverse("calls:send_to_city", args=[application.pk]) not in page
    assert _post(client, "city_approve", application).status_code == 302
    application.refresh_from_db()
    assert application.status == S.CITY_APPROVED
