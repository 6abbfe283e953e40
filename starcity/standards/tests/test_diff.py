"""standard_diff: pure comparison of two standards, item by item and field by field."""

import copy

import pytest

from starcity.standards.diff import ADDED, CHANGED, REMOVED, standard_diff

BASE = {
    "schema": "starcity/standard@1",
    "code": "EX",
    "version": "1",
    "level": "county",
    "title": "示例",
    "provenance": "invented",
    "grades": ["一星级", "二星级", "三星级"],
    "domains": [
        {"code": "d1", "name": "惠民", "weight": 60},
        {"code": "d2", "name": "强基", "weight": 40},
    ],
    "indicators": [
        {
            "code": "A1",
            "domain": "d1",
            "name": "网办率",
            "method": "threshold",
            "thresholds": [50, 70, 90],
            "weight": 30,
        },
        {
            "code": "A2",
            "domain": "d1",
            "name": "平台",
            "method": "tiered",
            "tiers": ["规划", "建成", "联动"],
            "weight": 30,
        },
        {"code": "B1", "domain": "d2", "name": "机制", "method": "boolean", "weight": 40, "mandatory": True},
    ],
    "bonus": [{"code": "X1", "name": "试点", "points": 2}],
    "vetoes": [{"code": "V1", "name": "安全事件", "effect": "zero"}],
    "rules": {"score_bands": [30, 60, 85], "bonus_cap": 3},
}


def _copy():
    return copy.deepcopy(BASE)


def _indicator(data, code):
    return next(i for i in data["indicators"] if i["code"] == code)


def test_identical_standards_have_no_difference():
    diff = standard_diff(BASE, _copy())
    assert diff.is_empty
    assert diff.header == ()
    assert diff.change_count == 0


def test_numbers_compare_by_value_and_defaults_count_as_given():
    b = _copy()
    _indicator(b, "A1").update(weight="30.0", direction="higher", thresholds=["50", "70.00", 90])
    _indicator(b, "A2")["mandatory"] = False
    assert standard_diff(BASE, b).is_empty


def test_added_and_removed_indicators():
    b = _copy()
    b["indicators"] = [i for i in b["indicators"] if i["code"] != "A2"]
    b["indicators"].append(
        {"code": "A3", "domain": "d1", "name": "新指标", "method": "boolean", "weight": 30}
    )
    diff = standard_diff(BASE, b)
    kinds = {(c.kind, c.code) for c in diff.indicators}
    assert kinds == {(REMOVED, "A2"), (ADDED, "A3")}


def test_changed_weight_and_threshold_field_by_field():
    b = _copy()
    _indicator(b, "A1").update(weight=35, thresholds=[50, 75, 90])
    b["domains"][0]["weight"] = 65
    diff = standard_diff(BASE, b)
    [change] = diff.indicators
    assert change.kind == CHANGED
    assert change.code == "A1"
    fields = {f.field: (f.before, f.after) for f in change.fields}
    assert fields == {"weight": (30, 35), "thresholds": ([50, 70, 90], [50, 75, 90])}
    [domain] = diff.domains
    assert (domain.code, domain.fields[0].field, domain.fields[0].after) == ("d1", "weight", 65)


def test_changed_method_direction_mandatory_and_tiers():
    b = _copy()
    _indicator(b, "A1")["direction"] = "lower"
    _indicator(b, "A1")["thresholds"] = [90, 70, 50]
    _indicator(b, "A2")["tiers"] = ["规划", "建成", "智能联动"]
    _indicator(b, "B1")["mandatory"] = False
    diff = standard_diff(BASE, b)
    fields = {c.code: {f.field for f in c.fields} for c in diff.indicators}
    assert fields == {"A1": {"direction", "thresholds"}, "A2": {"tiers"}, "B1": {"mandatory"}}


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("score_bands", [30, 65, 85]),
        ("domain_lag", 1),
        ("mandatory_min", [0, 1, 3]),
        ("coverage", [0, "0.5", "0.8"]),
        ("gates", [{"indicator": "A1", "min_value": 80, "from_grade": 3}]),
        ("bonus_cap", 5),
    ],
)
def test_each_rule_change_is_reported(rule, value):
    b = _copy()
    b["rules"][rule] = value
    diff = standard_diff(BASE, b)
    assert [c.field for c in diff.rules] == [rule]
    assert diff.rules[0].before == BASE["rules"].get(rule)
    assert diff.rules[0].after == value


def test_bonus_vetoes_and_grades_changes():
    b = _copy()
    b["bonus"][0]["points"] = 3
    b["vetoes"].append({"code": "V2", "name": "数据问题", "effect": "cap", "cap": 2})
    b["grades"] = ["一星", "二星", "三星"]
    diff = standard_diff(BASE, b)
    assert [(c.kind, c.code, c.fields[0].field) for c in diff.bonus] == [(CHANGED, "X1", "points")]
    assert [(c.kind, c.code) for c in diff.vetoes] == [(ADDED, "V2")]
    assert diff.grades is not None
    assert diff.grades.after == ["一星", "二星", "三星"]


def test_header_changes_are_separate_from_content():
    b = _copy()
    b["version"] = "2"
    diff = standard_diff(BASE, b)
    assert diff.is_empty
    assert [c.field for c in diff.header] == ["version"]


def test_accepts_scoring_models(city_text):
    from starcity.scoring import load_standard

    a = load_standard(city_text)
    assert standard_diff(a, a.raw).is_empty
