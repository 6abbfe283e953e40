"""version_outline: the rules of a standard in words, and each indicator's grade columns."""

import copy

import pytest

from starcity.standards.outline import version_outline
from starcity.standards.tests.test_diff import BASE


@pytest.fixture
def data():
    full = copy.deepcopy(BASE)
    full["indicators"][0].update(direction="lower", thresholds=[15, "7.5", 3], unit="天", name_en="Days")
    full["rules"].update(
        domain_lag=1,
        mandatory_min=[0, 1, 3],
        coverage=[0, "0.5", "0.8"],
        gates=[{"indicator": "A1", "min_value": 5, "from_grade": 2}],
    )
    full["vetoes"].append({"code": "V2", "name": "数据问题", "effect": "cap", "cap": 2})
    return full


def test_rules_in_words(data):
    rules = dict(version_outline(data).rules)
    assert rules["分数线"] == (
        "一星级：总分不低于 30 分",
        "二星级：总分不低于 60 分",
        "三星级：总分不低于 85 分",
    )
    assert len(rules["领域下限"]) == 2
    assert "30 分" in rules["领域下限"][0]
    assert rules["核心指标"][0].endswith("不作要求")
    assert "三星级" in rules["核心指标"][2]
    assert [line for line in rules["覆盖面"] if "50%" in line or "80%" in line] == list(rules["覆盖面"])
    assert "不高于 5" in rules["门槛指标"][0]
    assert "3 分" in rules["加分上限"][0]


def test_indicator_columns(data):
    outline = version_outline(data)
    rows = {row.code: row for block in outline.domains for row in block.indicators}
    assert rows["A1"].cells == ("≤ 15天", "≤ 7.5天", "≤ 3天")
    assert rows["A2"].cells == ("规划", "建成", "联动")
    assert rows["B1"].cells == ()
    assert "是/否" in rows["B1"].span_text
    assert rows["B1"].mandatory
    assert [b.code for b in outline.domains] == ["d1", "d2"]


def test_names_follow_language(data):
    rows = {row.code: row for block in version_outline(data, "en").domains for row in block.indicators}
    assert rows["A1"].name == "Days"
    assert rows["A2"].name == "平台"


def test_vetoes_and_bonus(data):
    outline = version_outline(data)
    effects = {v["code"]: v["effect"] for v in outline.vetoes}
    assert effects["V1"] == "一票否决：等级为 0"
    assert effects["V2"] == "等级最高为二星级"
    assert outline.bonus == ({"code": "X1", "name": "试点", "points": "2"},)
