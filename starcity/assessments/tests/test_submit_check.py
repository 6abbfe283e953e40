"""Before submitting, the page says (from the server) what is missing; submitting stays allowed."""

import pytest
from django.urls import reverse

from starcity.assessments import services
from starcity.assessments.choices import Status
from starcity.assessments.models import SelfAssessment
from starcity.assessments.selectors import submission_check
from starcity.assessments.tests.conftest import full_values, pdf_upload
from starcity.assessments.tests.test_services import publish_new_county_version


def check_html(client, assessment) -> str:  # type: ignore[no-untyped-def]
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert '<div id="submit-check"' in page
    return page.split('<div id="submit-check"')[1].split("</div>")[0]


class TestSelector:
    def test_empty_draft(self, draft, county_std):
        check = submission_check(draft)
        assert check.total == len(county_std.indicators)
        assert check.empty == [indicator.code for indicator in county_std.indicators]
        assert check.empty_core == [i.code for i in county_std.indicators if i.mandatory]
        assert check.without_evidence == [] and not check.superseded and not check.complete

    def test_filled_draft_lists_values_without_evidence(self, filled, county_operator, county_std):
        services.evidence_attach(
            by=county_operator, assessment=filled, indicator_code="H01", file=pdf_upload()
        )
        check = submission_check(filled)
        assert check.empty == [] and check.empty_core == []
        assert "H01" not in check.without_evidence
        assert len(check.without_evidence) == len(county_std.indicators) - 1

    def test_superseded_version_names_the_current_one(self, draft, province_admin):
        new_version = publish_new_county_version(province_admin)
        check = submission_check(SelfAssessment.objects.get(pk=draft.pk))
        assert check.superseded and check.superseded_by == new_version


class TestPage:
    def test_empty_draft_names_counts_and_core_indicators(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        summary = check_html(client, draft)
        total = len(county_std.indicators)
        assert f"{total} 项指标未填写（共 {total} 项）" in summary
        core = [i for i in county_std.indicators if i.mandatory]
        assert "未填写的核心指标" in summary
        for indicator in core:
            assert f"{indicator.code} {indicator.name}" in summary

    def test_filled_draft_counts_values_without_evidence(self, client, filled, county_operator, county_std):
        client.force_login(county_operator)
        services.evidence_attach(
            by=county_operator, assessment=filled, indicator_code="H01", file=pdf_upload()
        )
        summary = check_html(client, filled)
        assert f"全部 {len(county_std.indicators)} 项指标均已填写" in summary
        assert f"{len(county_std.indicators) - 1} 项已填指标没有佐证材料" in summary
        assert "未填写的核心指标" not in summary

    def test_superseded_version_is_warned(self, client, draft, county_operator, province_admin):
        new_version = publish_new_county_version(province_admin)
        client.force_login(county_operator)
        summary = check_html(client, draft)
        assert "已被" in summary and new_version.label in summary

    def test_the_confirmation_repeats_the_summary(self, client, draft, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        form = page.split(f'action="{reverse("assessments:submit", args=[draft.pk])}"')[1].split(">")[0]
        assert 'data-confirm="提交后不能再修改' in form and 'data-confirm-with="submit-check"' in form
        assert 'summary.querySelectorAll("li")' in page

    def test_no_summary_once_submitted_or_for_viewers(
        self, client, submitted, county_operator, province_officer
    ):
        for user in (county_operator, province_officer):
            client.force_login(user)
            page = client.get(reverse("assessments:detail", args=[submitted.pk])).content.decode()
            assert 'id="submit-check"' not in page

    @pytest.mark.parametrize("fill", [False, True])
    def test_incomplete_or_complete_submission_is_allowed(
        self, client, draft, county_operator, county_std, fill
    ):
        if fill:
            services.assessment_save_answers(
                by=county_operator, assessment=draft, values=full_values(county_std), bonus={}, vetoes={}
            )
        client.force_login(county_operator)
        assert client.post(reverse("assessments:submit", args=[draft.pk])).status_code == 302
        assert SelfAssessment.objects.get(pk=draft.pk).status == Status.SUBMITTED
