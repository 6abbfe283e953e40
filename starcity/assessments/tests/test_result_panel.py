"""The result panel, the radar chart and the timeline as read (presentation), and the live
preview's out-of-band updates of the grade pills and domain scores."""

import re
from fractions import Fraction

import pytest
from django.urls import reverse

from starcity.assessments import presentation
from starcity.assessments.forms import field_names
from starcity.assessments.presentation import (
    bonus_rule,
    limit_detail,
    radar_options,
    result_panel,
    timeline_entries,
    wrap_axis_name,
)
from starcity.assessments.selectors import assessment_result, values_mapping_of
from starcity.assessments.tests.conftest import first_of, full_values
from starcity.assessments.tests.test_views import form_data
from starcity.core.audit import audit_timeline_for
from starcity.scoring import result_to_dict, score, values_from_mapping


class TestLimits:
    @pytest.mark.parametrize(
        ("rule", "code", "detail", "shown"),
        [
            ("score_band", None, "总分 11.50 < 20.00", "11.50 < 20.00"),
            ("score_band", None, "total score 11.50 < 20.00", "11.50 < 20.00"),
            ("mandatory", "H18", "H18 等级 0 < 1", "等级 0 < 1"),
            ("mandatory", "H18", "H18 grade 0 < 1", "grade 0 < 1"),
            ("veto", "V01", "否决项 V01 一票否决", "一票否决"),
            ("gate", "H18", "H18 未达到门槛 80", "未达到门槛 80"),
            ("coverage", None, "达到 3 级的权重 40 < 60", "达到 3 级的权重 40 < 60"),
        ],
    )
    def test_detail_does_not_repeat_the_rule_or_the_code(self, rule, code, detail, shown):
        assert limit_detail(rule, code, detail) == shown

    def test_panel_lines_say_each_thing_once(self, draft, county_std):
        panel = result_panel(county_std, assessment_result(draft, "zh"), "zh")
        limit = panel["limits"][0]
        assert limit["rule"] == "总分"
        assert not limit["text"].startswith("总分")

    def test_core_indicator_line(self, county_std):
        values = full_values(county_std)
        values["H18"] = "1"
        document = {"schema": "starcity/values@1", "values": values}
        result = result_to_dict(score(county_std, values_from_mapping(document, county_std)), "zh")
        panel = result_panel(county_std, result, "zh")
        line = next(limit for limit in panel["limits"] if limit["rule"] == "核心指标")
        h18 = county_std.indicator_map["H18"]
        assert line["text"] == f"H18 {h18.name}：等级 0 < 1"


class TestRadar:
    def test_long_english_names_are_wrapped(self):
        wrapped = wrap_axis_name("Strong foundations (infrastructure and safeguards)")
        assert "\n" in wrapped
        lines = wrapped.split("\n")
        assert all(len(line) <= presentation.RADAR_LINE_LATIN or " " not in line for line in lines)
        assert lines == ["Strong", "foundations", "(infrastructure", "and safeguards)"]
        assert wrapped.replace("\n", " ") == "Strong foundations (infrastructure and safeguards)"
        assert wrap_axis_name("惠民") == "惠民"

    def test_options_leave_room_for_the_names(self, county_std):
        options = radar_options(county_std, {}, "en")
        names = [item["name"] for item in options["radar"]["indicator"]]
        lines = [line for name in names for line in name.split("\n")]
        assert all(len(line) <= presentation.RADAR_LINE_LATIN or " " not in line for line in lines)
        assert sum("\n" in name for name in names) >= 3
        assert int(options["radar"]["radius"].rstrip("%")) < 55
        assert options["radar"]["axisName"]["formatter"] == "{value}"


class TestBonusWording:
    def test_the_plural_follows_the_number(self, monkeypatch):
        seen = []

        def fake(singular, plural, count):  # type: ignore[no-untyped-def]
            seen.append(count)
            return singular

        monkeypatch.setattr(presentation.indicators, "ngettext", fake)
        assert bonus_rule(Fraction(1)) == "加 1 分"
        assert bonus_rule(Fraction(2)) == "加 2 分"
        assert bonus_rule(Fraction(3, 2)) == "加 1.5 分"
        assert seen == [1, 2, 2]


class TestTimeline:
    def test_values_fields_and_states_are_read_not_raw(self, submitted, county_std):
        entries = timeline_entries(audit_timeline_for(submitted), standard=county_std, lang="zh")
        by_label = {entry["label"]: entry for entry in entries}
        assert by_label["提交自评估"]["states"] == "草稿 → 已提交"
        created = " ".join(by_label["创建自评估"]["changes"])
        assert "区域：370321" in created and "标准版本：" in created and "标题：" in created
        assert not re.search(r"\b(region|standard|title):", created)
        saved = by_label["保存填报"]["changes"]
        boolean = first_of(county_std, "boolean")
        assert f"{boolean.code} {boolean.name}：是" in saved
        assert not [line for line in saved if "true" in line or "True" in line]
        assert "加分项：— → B01 是" in saved
        submitted_lines = by_label["提交自评估"]["changes"]
        assert f"星级：{submitted.grade}" in submitted_lines
        assert (
            f"{'H01'} {county_std.indicator_map['H01'].name}：证明.pdf" in by_label["上传佐证材料"]["changes"]
        )

    def test_a_changed_value_reads_before_and_after(self, filled, county_operator, county_std):
        from starcity.assessments import services

        code = first_of(county_std, "boolean").code
        values = full_values(county_std)
        values[code] = False
        services.assessment_save_answers(
            by=county_operator, assessment=filled, values=values, bonus={"B01": True}, vetoes={}
        )
        entry = timeline_entries(audit_timeline_for(filled)[:1], standard=county_std)[0]
        assert entry["changes"] == [f"{code} {county_std.indicator_map[code].name}：是 → 否"]


class TestLivePills:
    def test_empty_indicators_read_not_filled(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert "当前等级 0" not in page
        assert f'id="grade-{county_std.indicators[0].code}">未填</span>' in page
        assert "hx-swap-oob" not in page  # the first render needs no out-of-band copies

    def test_preview_updates_pills_and_domain_scores_out_of_band(
        self, client, draft, county_operator, county_std
    ):
        client.force_login(county_operator)
        threshold = first_of(county_std, "threshold")
        data = form_data(county_std, {threshold.code: full_values(county_std)[threshold.code]})
        response = client.post(
            reverse("assessments:preview", args=[draft.pk]), data, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert f'id="grade-{threshold.code}" hx-swap-oob="true">当前等级 3</span>' in page
        other = next(i.code for i in county_std.indicators if i.code != threshold.code)
        assert f'id="grade-{other}" hx-swap-oob="true">未填</span>' in page
        domain = county_std.indicator_map[threshold.code].domain
        score = response.context["panel"]["domains"]
        shown = next(d["score"] for d in score if d["code"] == domain)
        assert f'id="domain-score-{domain}" hx-swap-oob="true">· 得分 {shown}</span>' in page
        assert page.count('hx-swap-oob="true"') == len(county_std.indicators) + len(county_std.domains)

    def test_htmx_save_updates_them_too(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        data = form_data(county_std, full_values(county_std))
        response = client.post(
            reverse("assessments:save", args=[draft.pk]), data, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert page.count('hx-swap-oob="true">当前等级 ') == len(county_std.indicators)
        assert 'hx-swap-oob="true">未填' not in page


class TestNegativeRatio:
    def test_the_code_is_not_repeated(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        ratio = first_of(county_std, "ratio")
        names = field_names(ratio.code)
        response = client.post(
            reverse("assessments:save", args=[draft.pk]),
            {names["numerator"]: "-1", names["denominator"]: "5"},
        )
        assert response.status_code == 400
        errors = response.context["form_errors"]
        assert [error.rstrip("。") for error in errors] == [
            f"{ratio.code} {ratio.name}：比率的分子和分母不能为负"
        ]
        assert not values_mapping_of(draft)["values"]
