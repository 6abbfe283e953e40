"""Revisions: each submission freezes one; the province reads the latest revision, not the live
draft; the application page lists revisions and shows the differences between two."""

import pytest
from django.urls import reverse

from starcity.calls import selectors, services
from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.models import ApplicationRevision
from starcity.calls.testing import submitted_assessment
from starcity.calls.tests.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(submitted, province_officer):
    return services.application_province_return(
        by=province_officer, application=submitted, reason="报告缺少盖章页"
    )


@pytest.fixture
def resubmitted(returned, county_operator, city_operator, call, zibo, huantai, county_standard):
    """The returned application, changed (new report, new task, higher assessment) and resubmitted."""
    better = submitted_assessment(by=county_operator, region=huantai, version=county_standard, grade=4)
    services.application_update(
        by=county_operator,
        application=returned,
        target_grade=5,
        self_assessment=better,
        breakthrough_direction="youzheng",
        contact_name="李四",
        contact_phone="0533-7654321",
        contact_email="li@example.cn",
    )
    old = returned.materials.get()
    services.material_remove(by=county_operator, material=old)
    services.material_attach(
        by=county_operator, application=returned, kind="report", file=pdf("申请报告（盖章）.pdf")
    )
    services.application_save_tasks(
        by=county_operator,
        application=returned,
        tasks=[
            {"title": "一网通办提质", "description": "全程网办率达到 95%", "domain": "huimin"},
            {"title": "城市大脑", "description": "", "domain": "youzheng"},
        ],
    )
    services.application_send_to_city(by=county_operator, application=returned)
    services.application_city_approve(by=city_operator, application=returned)
    services.bundle_submit(by=city_operator, call=call, city=zibo)
    returned.refresh_from_db()
    return returned


def test_latest_revision_selector(submitted, resubmitted):
    assert selectors.latest_revision(resubmitted).number == 2
    assert resubmitted.revision == 2 and resubmitted.status == S.SUBMITTED


def test_latest_revision_is_none_before_submission(draft):
    assert selectors.latest_revision(draft) is None


def test_revision_snapshot_is_the_contract(submitted):
    snapshot = selectors.latest_revision(submitted).snapshot
    assert snapshot["region"]["full_name"] == "淄博市桓台县" and snapshot["level"] == "county"
    assert snapshot["self_assessment"]["grade"] == 3 and snapshot["self_assessment"]["values"]
    assert snapshot["materials"][0]["name"] == "申请报告.pdf"
    assert snapshot["tasks"] == [
        {"title": "一网通办提质", "description": "全程网办率达到 90%", "domain": "huimin"}
    ]


def test_province_reads_the_revision_not_the_live_draft(client, returned, county_operator, province_officer):
    services.application_save_tasks(
        by=county_operator,
        application=returned,
        tasks=[{"title": "草稿中的新任务", "description": "", "domain": "huimin"}],
    )
    client.force_login(province_officer)
    page = client.get(reverse("calls:application_detail", args=[returned.pk])).content.decode()
    assert "一网通办提质" in page and "草稿中的新任务" not in page
    client.force_login(county_operator)
    page = client.get(reverse("calls:application_detail", args=[returned.pk])).content.decode()
    assert "草稿中的新任务" in page
    assert "与上次提交相比的修改" in page


def test_province_sees_no_content_before_a_submission(client, complete, province_officer):
    client.force_login(province_officer)
    page = client.get(reverse("calls:application_detail", args=[complete.pk])).content.decode()
    assert "申报地区尚未向省级提交" in page and "一网通办提质" not in page


def test_page_shows_the_differences_between_revisions(client, resubmitted, province_officer):
    client.force_login(province_officer)
    url = reverse("calls:application_detail", args=[resubmitted.pk])
    page = client.get(url + "?a=1&b=2").content.decode()
    assert "第 1 版 → 第 2 版" in page
    for text in ("四星级", "五星级", "惠民", "优政", "城市大脑", "申请报告（盖章）.pdf", "张三", "李四"):
        assert text in page
    assert "全程网办率达到 95%" in page


def test_revisions_never_change(resubmitted):
    first = ApplicationRevision.objects.get(application=resubmitted, number=1)
    assert first.snapshot["target_grade"] == 4 and first.snapshot["materials"][0]["name"] == "申请报告.pdf"


def test_removed_material_still_downloads_from_its_revision(client, resubmitted, province_officer):
    old = resubmitted.materials.get(original_name="申请报告.pdf")
    client.force_login(province_officer)
    response = client.get(reverse("calls:material_download", args=[resubmitted.pk, old.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_province_timeline_shows_steps_not_draft_content(client, complete, province_officer, county_operator):
    client.force_login(province_officer)
    page = client.get(reverse("calls:application_detail", args=[complete.pk])).content.decode()
    assert "修改申报信息" in page and "0533-1234567" not in page
    client.force_login(county_operator)
    page = client.get(reverse("calls:application_detail", args=[complete.pk])).content.decode()
    assert "0533-1234567" in page and "申报星级：— → 四星级" in page
