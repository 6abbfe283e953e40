"""Checking the answers form: format and value errors at once, each beside its field; a refused
save stays dirty and shows the result of what was entered; implausible values are warned about
but accepted."""

import pytest
from django.urls import reverse

from starcity.assessments.forms import field_names
from starcity.assessments.models import Answer
from starcity.assessments.selectors import values_mapping_of
from starcity.assessments.tests.conftest import first_of, full_values
from starcity.assessments.tests.test_views import form_data
from starcity.core.models import AuditEntry

HTMX = {"HX-Request": "true"}


def bad_pair(standard) -> tuple[dict, str, str]:  # type: ignore[no-untyped-def]
    """POST data with a format error (a threshold "abc") and a value error (a ratio −1/4)."""
    threshold, ratio = first_of(standard, "threshold"), first_of(standard, "ratio")
    names = field_names(ratio.code)
    data = {field_names(threshold.code)["value"]: "abc", names["numerator"]: "-1", names["denominator"]: "4"}
    return data, threshold.code, ratio.code


def answers_form_tag(page: str) -> str:
    return page.split('<form id="answers-form"')[1].split(">")[0]


def slot(page: str, code: str) -> str:
    """The content of an indicator's error and warning slot on a full page (one line)."""
    return page.split(f'<div class="checks" id="checks-{code}">')[1].split("\n")[0]


class TestBothKindsOfErrors:
    @pytest.mark.parametrize("name", ["save", "preview"])
    def test_format_and_value_errors_are_reported_together(
        self, client, draft, county_operator, county_std, name
    ):
        client.force_login(county_operator)
        data, threshold, ratio = bad_pair(county_std)
        response = client.post(reverse(f"assessments:{name}", args=[draft.pk]), data, headers=HTMX)
        assert response.status_code == 400
        errors = response.context["errors"]
        assert len(errors) == 2
        assert errors[0].startswith(ratio) or errors[1].startswith(ratio)
        assert any(error.startswith(threshold) and "abc" in error for error in errors)
        assert not Answer.objects.filter(assessment=draft).exists()

    def test_without_htmx_too(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        data, threshold, ratio = bad_pair(county_std)
        response = client.post(reverse("assessments:save", args=[draft.pk]), data)
        assert response.status_code == 400
        assert [error.split(" ")[0] for error in response.context["form_errors"]] == sorted(
            [threshold, ratio], key=[i.code for i in county_std.indicators].index
        )

    def test_each_error_is_put_beside_its_field_out_of_band(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        data, threshold, ratio = bad_pair(county_std)
        page = client.post(
            reverse("assessments:preview", args=[draft.pk]), data, headers=HTMX
        ).content.decode()
        for code in (threshold, ratio):
            assert f'id="checks-{code}" hx-swap-oob="innerHTML"><div class="errors">{code} ' in page
        # every other slot is emptied, so an error fixed since the last preview disappears
        other = next(i.code for i in county_std.indicators if i.code not in (threshold, ratio))
        assert f'id="checks-{other}" hx-swap-oob="innerHTML"></div>' in page
        assert page.count('hx-swap-oob="innerHTML"') == len(county_std.indicators)
        assert f'id="grade-{ratio}" hx-swap-oob="true">有误</span>' in page

    def test_the_rest_is_still_scored(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        data, threshold, ratio = bad_pair(county_std)
        values = {
            code: value for code, value in full_values(county_std).items() if code not in (threshold, ratio)
        }
        data.update(form_data(county_std, values))
        response = client.post(reverse("assessments:preview", args=[draft.pk]), data, headers=HTMX)
        assert response.status_code == 400
        assert response.context["panel"]["grade"] >= 1
        assert "未计入下方结果" in response.content.decode()


class TestRefusedSave:
    def test_the_form_is_rendered_dirty(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert "data-dirty" not in answers_form_tag(page)
        data, _threshold, _ratio = bad_pair(county_std)
        page = client.post(reverse("assessments:save", args=[draft.pk]), data).content.decode()
        assert 'data-dirty="true"' in answers_form_tag(page)

    def test_the_panel_and_pills_show_what_was_entered_not_what_was_saved(
        self, client, filled, county_operator, county_std
    ):
        client.force_login(county_operator)
        saved_grade = filled.grade
        data, threshold, ratio = bad_pair(county_std)
        response = client.post(reverse("assessments:save", args=[filled.pk]), data)  # the rest emptied
        assert response.status_code == 400
        assert response.context["panel"]["grade"] == 0 != saved_grade
        assert response.context["preview"] is True
        page = response.content.decode()
        panel = page.split('id="result-panel"')[1].split("</aside>")[0]
        assert "预览：按当前填写内容计算，尚未保存。" in panel and "abc" in panel
        assert f'id="grade-{ratio}">有误</span>' in page
        other = next(i.code for i in county_std.indicators if i.code not in (threshold, ratio))
        assert f'id="grade-{other}">未填</span>' in page
        assert f'<div class="errors">{threshold} ' in slot(page, threshold)
        filled.refresh_from_db()
        assert filled.grade == saved_grade


class TestPlausibility:
    def over(self, standard):  # type: ignore[no-untyped-def]
        ratio = first_of(standard, "ratio")
        return ratio.code, form_data(standard, {ratio.code: {"numerator": "9", "denominator": "8"}})

    def test_preview_warns_in_the_panel_and_beside_the_field(
        self, client, draft, county_operator, county_std
    ):
        client.force_login(county_operator)
        code, data = self.over(county_std)
        response = client.post(reverse("assessments:preview", args=[draft.pk]), data, headers=HTMX)
        assert response.status_code == 200  # a warning, not a refusal
        page = response.content.decode()
        assert f'<a href="#ind-{code}">{code}：分子大于分母（112.5%），请核对</a>' in page
        warning = '<div class="check-warning">⚠ 分子大于分母（112.5%），请核对</div>'
        assert f'id="checks-{code}" hx-swap-oob="innerHTML">{warning}' in page

    def test_the_value_is_saved_and_the_page_keeps_warning(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        code, data = self.over(county_std)
        assert client.post(reverse("assessments:save", args=[draft.pk]), data).status_code == 302
        assert values_mapping_of(draft)["values"][code] == {"numerator": "9", "denominator": "8"}
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert "分子大于分母（112.5%），请核对" in slot(page, code)
        assert f"{code}：分子大于分母（112.5%），请核对" in page.split('id="result-panel"')[1]

    def test_a_submitted_page_warns_too(self, client, draft, county_operator, province_officer, county_std):
        from starcity.assessments import services

        code, _data = self.over(county_std)
        values = {**full_values(county_std), code: {"numerator": "9", "denominator": "8"}}
        services.assessment_save_answers(
            by=county_operator, assessment=draft, values=values, bonus={}, vetoes={}
        )
        services.assessment_submit(by=county_operator, assessment=draft)
        client.force_login(province_officer)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert f"{code}：分子大于分母（112.5%），请核对" in page


class TestPanelLayout:
    def test_the_missing_indicators_are_collapsed(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        details = page.split('<details class="missing">')[1].split("</details>")[0]
        assert f"未填写的指标（{len(county_std.indicators)} 项）" in details.split("</summary>")[0]

    def test_the_aside_scrolls_within_the_viewport_and_badges_wrap(self, client, draft, county_operator):
        from django.conf import settings

        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert '<aside class="sticky result-aside">' in page
        css = (settings.BASE_DIR / "static/css/starcity.css").read_text()
        assert ".result-aside.sticky { max-height:calc(100vh - 2rem); overflow:auto;" in css
        assert ".result .badge { white-space:normal;" in css

    def test_ratio_inputs_share_one_line(self, client, draft, county_operator, county_std):
        from django.conf import settings

        client.force_login(county_operator)
        ratio = field_names(first_of(county_std, "ratio").code)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        line = page.split('<div class="ratio-inputs">')[1].split("</div>")[0]
        assert f'name="{ratio["numerator"]}"' in line and f'name="{ratio["denominator"]}"' in line
        css = (settings.BASE_DIR / "static/css/starcity.css").read_text()
        assert ".indicator .inputs .ratio-inputs { display:flex;" in css  # side by side, no <br>
        assert ".indicator .inputs .ratio-part { display:flex;" in css  # a label stays with its box


def test_no_audit_row_for_a_refused_preview_or_save(client, draft, county_operator, county_std):
    client.force_login(county_operator)
    count = AuditEntry.objects.count()
    data, _threshold, _ratio = bad_pair(county_std)
    client.post(reverse("assessments:save", args=[draft.pk]), data, headers=HTMX)
    client.post(reverse("assessments:preview", args=[draft.pk]), data, headers=HTMX)
    assert AuditEntry.objects.count() == count
