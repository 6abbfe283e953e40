"""The application page and the workbench: content, checklist, buttons from the domain, forms."""

import pytest
from django.urls import reverse

from starcity.calls.models import Application

pytestmark = pytest.mark.django_db


def _page(client, user, application):
    client.force_login(user)
    response = client.get(reverse("calls:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_draft_page_for_its_county(client, draft, county_operator):
    page = _page(client, county_operator, draft)
    assert "完整性检查" in page and "未上传申请报告" in page
    assert reverse("calls:application_save", args=[draft.pk]) in page
    assert reverse("calls:application_tasks", args=[draft.pk]) in page
    assert reverse("calls:material_upload", args=[draft.pk]) in page
    assert reverse("calls:send_to_city", args=[draft.pk]) in page
    assert reverse("calls:withdraw", args=[draft.pk]) in page
    assert "2026-10-20 23:59:59（北京时间）" in page


def test_city_sees_review_buttons_only_when_sent(client, draft, city_operator, county_operator):
    page = _page(client, city_operator, draft)
    assert reverse("calls:city_approve", args=[draft.pk]) not in page
    assert reverse("calls:application_save", args=[draft.pk]) not in page


def test_city_review_page(client, with_city, city_operator):
    page = _page(client, city_operator, with_city)
    assert reverse("calls:city_approve", args=[with_city.pk]) in page
    assert reverse("calls:city_return", args=[with_city.pk]) in page
    assert "一网通办提质" in page


def test_province_screening_page(client, submitted, province_officer):
    page = _page(client, province_officer, submitted)
    assert reverse("calls:accept", args=[submitted.pk]) in page
    assert reverse("calls:province_return", args=[submitted.pk]) in page
    assert reverse("calls:application_save", args=[submitted.pk]) not in page
    assert "完整性检查" not in page


def test_form_error_comes_back_on_the_field(client, draft, county_operator, huantai_assessment):
    client.force_login(county_operator)
    response = client.post(
        reverse("calls:application_save", args=[draft.pk]),
        {"target_grade": "5", "self_assessment": huantai_assessment.pk, "contact_email": "zhang@example.cn"},
    )
    assert response.status_code == 400
    assert "申报五星级须自评估达到四星级，所选自评估为三星级。" in response.content.decode()
    assert Application.objects.get(pk=draft.pk).target_grade is None


def test_saving_content_through_the_page(client, draft, county_operator, huantai_assessment):
    client.force_login(county_operator)
    response = client.post(
        reverse("calls:application_save", args=[draft.pk]),
        {
            "target_grade": "4",
            "self_assessment": huantai_assessment.pk,
            "breakthrough_direction": "xingye",
            "contact_name": "王五",
            "contact_phone": "0533 1234567",
            "contact_email": "wang@example.cn",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.target_grade, draft.self_assessment, draft.breakthrough_direction) == (
        4,
        huantai_assessment,
        "xingye",
    )


def test_tasks_through_the_page_skip_blank_rows(client, draft, county_operator):
    client.force_login(county_operator)
    data = {
        "task_title": ["城市大脑", "", ""],
        "task_description": ["统一调度", "", ""],
        "task_domain": ["youzheng", "", ""],
    }
    response = client.post(reverse("calls:application_tasks", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.tasks == [{"title": "城市大脑", "description": "统一调度", "domain": "youzheng"}]


def test_bad_task_rows_are_kept_on_the_page(client, draft, county_operator):
    client.force_login(county_operator)
    data = {
        "task_title": ["", "好任务"],
        "task_description": ["只有说明", ""],
        "task_domain": ["huimin", "huimin"],
    }
    response = client.post(reverse("calls:application_tasks", args=[draft.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400 and "任务书第 1 项缺少任务名称。" in body and "只有说明" in body


def test_workbench_sections(client, with_city, county_operator, city_operator, province_officer, call):
    client.force_login(city_operator)
    page = client.get("/").content.decode()
    assert "待市级审核的县级申报" in page and "桓台县" in page
    client.force_login(county_operator)
    page = client.get("/").content.decode()
    assert "待准备的申报" not in page  # nothing to prepare while the city reviews
    assert "办理中的申报" in page and reverse("calls:application_detail", args=[with_city.pk]) in page


def test_workbench_follows_a_submitted_application(client, submitted, county_operator):
    client.force_login(county_operator)
    page = client.get("/").content.decode()
    assert "办理中的申报" in page and reverse("calls:application_detail", args=[submitted.pk]) in page


def test_workbench_has_no_progress_section_for_a_draft(client, draft, county_operator):
    client.force_login(county_operator)
    assert "办理中的申报" not in client.get("/").content.decode()


def test_workbench_for_county_with_a_draft(client, draft, county_operator):
    client.force_login(county_operator)
    page = client.get("/").content.decode()
    assert "待准备的申报" in page and reverse("calls:application_detail", args=[draft.pk]) in page


def test_workbench_for_province(client, submitted, province_officer):
    client.force_login(province_officer)
    page = client.get("/").content.decode()
    assert "待形式审查的申报" in page and reverse("calls:application_detail", args=[submitted.pk]) in page


def test_workbench_bundle_ready(client, approved, city_operator, call):
    client.force_login(city_operator)
    page = client.get("/").content.decode()
    assert "待统一提交省级" in page and reverse("calls:bundle", args=[call.pk]) in page


def test_workbench_invites_to_apply(client, call, county_operator):
    client.force_login(county_operator)
    page = client.get("/").content.decode()
    assert reverse("calls:detail", args=[call.pk]) in page
