"""Copying onto a newer standard version says so; a draft's title can be changed."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.translation import override

from starcity.assessments.models import SelfAssessment
from starcity.assessments.selectors import not_carried_over
from starcity.assessments.services import assessment_copy
from starcity.assessments.services.assessments import copy_title
from starcity.assessments.tests.test_services import STANDARDS_DIR
from starcity.core.models import AuditEntry
from starcity.standards.services import standard_version_publish


def publish_without(by, code: str):  # type: ignore[no-untyped-def]
    """A new county version in which indicator `code` changed its method (its values cannot come
    along): it becomes a tiered indicator."""
    import yaml

    data = yaml.safe_load((STANDARDS_DIR / "sd-county.yaml").read_text(encoding="utf-8"))
    data["version"] = "2026-revised"
    for indicator in data["indicators"]:
        if indicator["code"] == code:
            for key in ("thresholds", "direction", "unit"):
                indicator.pop(key, None)
            indicator["method"] = "tiered"
            indicator["tiers"] = [f"第{n}档" for n in range(1, len(data["grades"]) + 1)]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return standard_version_publish(by=by, content=text, source_name="sd-county-2026.yaml")


class TestCopyAfterANewVersion:
    def test_message_names_the_switch_and_what_was_left_behind(
        self, client, submitted, county_operator, province_admin
    ):
        new_version = publish_without(province_admin, "H04")
        client.force_login(county_operator)
        response = client.post(reverse("assessments:copy", args=[submitted.pk]), follow=True)
        copy = SelfAssessment.objects.exclude(pk=submitted.pk).get()
        page = response.content.decode()
        top = page.split('<ul class="messages">')[1].split("</ul>")[0]
        assert submitted.standard_version.label in top and new_version.label in top
        assert "H04" in top and "未能沿用" in top
        assert new_version.label in copy.title and "副本" not in copy.title
        assert f"<h1>{copy.title}" in page

    def test_not_carried_over_lists_the_dropped_indicator(self, submitted, county_operator, province_admin):
        publish_without(province_admin, "H04")
        source = SelfAssessment.objects.get(pk=submitted.pk)
        copy = assessment_copy(by=county_operator, source=source)
        assert not_carried_over(source, copy) == ["H04"]

    def test_same_version_copy_has_no_switch_message(self, client, submitted, county_operator):
        client.force_login(county_operator)
        response = client.post(reverse("assessments:copy", args=[submitted.pk]), follow=True)
        assert "标准版本已由" not in response.content.decode()


class TestRenameView:
    def url(self, assessment):  # type: ignore[no-untyped-def]
        return reverse("assessments:rename", args=[assessment.pk])

    def test_draft_page_offers_the_title_form(self, client, draft, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert f'action="{self.url(draft)}"' in page
        assert f'value="{draft.title}"' in page

    def test_rename_redirects_with_the_new_title(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(self.url(draft), {"title": "桓台县 2026 年度自评估"})
        assert response.status_code == 302
        assert SelfAssessment.objects.get(pk=draft.pk).title == "桓台县 2026 年度自评估"
        timeline = client.get(response["Location"]).context["timeline"]
        assert timeline[0]["label"] == "修改标题"
        assert any("桓台县 2026 年度自评估" in change for change in timeline[0]["changes"])

    def test_blank_title_is_a_form_error_and_nothing_changes(self, client, draft, county_operator):
        client.force_login(county_operator)
        audit_count = AuditEntry.objects.count()
        response = client.post(self.url(draft), {"title": ""})
        assert response.status_code == 400
        assert "标题不能为空" in response.content.decode()
        assert SelfAssessment.objects.get(pk=draft.pk).title == draft.title
        assert AuditEntry.objects.count() == audit_count

    def test_submitted_page_has_no_title_form(self, client, submitted, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[submitted.pk])).content.decode()
        assert self.url(submitted) not in page


class TestCopyTitles:
    """A copy keeps the user's title: a version label in it follows the new version, and the copy
    suffix is never stacked."""

    OLD = SimpleNamespace(pk=1, label="SD-COUNTY@2019-trial-derived", version="2019-trial-derived")
    NEW = SimpleNamespace(pk=2, label="SD-COUNTY@2026-revised", version="2026-revised")

    @pytest.mark.parametrize(
        ("title", "new", "expected"),
        [
            ("桓台县年度自评", False, "桓台县年度自评（副本）"),
            ("桓台县年度自评（副本）", False, "桓台县年度自评（副本）"),
            ("桓台县年度自评（副本） (copy)", False, "桓台县年度自评（副本）"),
            ("桓台县年度自评 (copy)（副本）", False, "桓台县年度自评（副本）"),
            ("桓台县自评（SD-COUNTY@2019-trial-derived）", True, "桓台县自评（SD-COUNTY@2026-revised）"),
            (
                "桓台县自评（SD-COUNTY@2019-trial-derived）（副本）",
                True,
                "桓台县自评（SD-COUNTY@2026-revised）",
            ),
            ("桓台县 2019-trial-derived 版自评", True, "桓台县 2026-revised 版自评"),
            ("我们的自评", True, "我们的自评（副本）"),
        ],
    )
    def test_titles(self, title, new, expected):
        assert copy_title(title, self.OLD, self.NEW if new else self.OLD) == expected

    def test_english_suffix_is_not_stacked_either(self):
        with override("en"):
            assert copy_title("Our assessment (copy)", self.OLD, self.OLD) == "Our assessment (copy)"

    def test_copy_onto_a_new_version_keeps_the_users_title(
        self, county_operator, province_admin, huantai, county_standard
    ):
        from starcity.assessments.services import assessment_create, assessment_submit

        title = f"桓台县 2025 年度自评（{county_standard.label}）"
        draft = assessment_create(
            by=county_operator, region=huantai, standard_version=county_standard, title=title
        )
        source = assessment_submit(by=county_operator, assessment=draft)
        new_version = publish_without(province_admin, "H04")
        copy = assessment_copy(by=county_operator, source=source)
        assert copy.title == f"桓台县 2025 年度自评（{new_version.label}）"

    def test_copy_of_a_copy_has_one_suffix(self, submitted, county_operator):
        from starcity.assessments.services import assessment_submit

        first = assessment_copy(by=county_operator, source=submitted)
        second = assessment_copy(
            by=county_operator, source=assessment_submit(by=county_operator, assessment=first)
        )
        assert second.title == first.title == f"{submitted.title}（副本）"
