"""The comparison of two versions reads as words: labels for the format's codes (level, method,
direction, veto effect), lists written the way the language writes them, and item names in the
page's language."""

import copy
import re

import pytest
from django.urls import reverse
from django.utils import translation

from starcity.standards.diff import standard_diff
from starcity.standards.outline import diff_rows, value_text
from starcity.standards.services import standard_version_publish
from starcity.standards.tests.conftest import with_field
from starcity.standards.tests.test_diff import BASE

CODES = re.compile(r"\b(city|county|threshold|ratio|tiered|boolean|higher|lower|zero|cap)\b")


def _changed():
    b = copy.deepcopy(BASE)
    b["level"] = "city"
    b["indicators"][0].update(method="ratio", direction="lower", thresholds=[90, 70, 50])
    b["indicators"][0]["name_en"] = "Online rate"
    b["indicators"][1]["evidence"] = ["文件", "截图"]
    b["indicators"].append(
        {
            "code": "A3",
            "domain": "d1",
            "name": "新指标",
            "name_en": "New one",
            "method": "boolean",
            "weight": 1,
        }
    )
    b["vetoes"][0].update(effect="cap", cap=2)
    return b


def _rows(lang):
    return {
        (row.code, row.field or row.kind): row for row in diff_rows(standard_diff(BASE, _changed()), lang)
    }


def test_codes_of_the_format_read_as_labels_in_chinese():
    rows = _rows("zh")
    assert (rows[("", "适用层级")].before, rows[("", "适用层级")].after) == ("县级", "市级")
    assert (rows[("A1", "评价方法")].before, rows[("A1", "评价方法")].after) == (
        "数值达标",
        "比率(分子/分母)",
    )
    assert (rows[("A1", "方向")].before, rows[("A1", "方向")].after) == ("越高越好", "越低越好")
    assert (rows[("V1", "否决效果")].before, rows[("V1", "否决效果")].after) == ("一票否决", "限定最高等级")
    assert rows[("A1", "各等级阈值")].after == "90、70、50"
    assert (rows[("A2", "佐证材料")].before, rows[("A2", "佐证材料")].after) == ("—", "文件、截图")


def test_codes_of_the_format_read_as_labels_in_english():
    with translation.override("en"):
        rows = _rows("en")
        texts = [text for row in rows.values() for text in (row.before, row.after)]
        assert rows[("", "Applies to")].after == "City level"
        assert rows[("A1", "Assessment method")].before == "Threshold"
        assert rows[("A1", "Direction")].before == "Higher is better"
        assert rows[("A1", "Direction")].after == "Lower is better"
    assert not [text for text in texts if CODES.search(text) or "[" in text or "、" in text]
    assert any(text == "90, 70, 50" for text in texts)


def test_item_names_follow_the_language():
    assert _rows("en")[("A3", "added")].name == "New one"
    assert _rows("en")[("A1", "方向")].name == "Online rate"
    assert _rows("zh")[("A3", "added")].name == "新指标"
    assert _rows("zh")[("A1", "方向")].name == "网办率"


@pytest.mark.parametrize(
    ("value", "field", "expected"),
    [
        (None, "thresholds", "—"),
        ([], "evidence", "—"),
        (["一星级", "二星级"], "grades", "一星级、二星级"),
        ("county", "level", "县级"),
        ("unknown", "method", "unknown"),
        (True, "mandatory", "是"),
        ("12.50", "weight", "12.50"),
        (12.5, "weight", "12.5"),
        (
            [
                {"indicator": "A1", "min_value": 80, "from_grade": 3},
                {"indicator": "B1", "min_value": 1, "from_grade": 2},
            ],
            "gates",
            "A1 须达 80(自第 3 级)；B1 须达 1(自第 2 级)",
        ),
    ],
)
def test_value_text(value, field, expected):
    assert value_text(value, field) == expected


@pytest.mark.django_db
def test_compare_page_shows_labels_and_english_names(client, province_admin, city_standard, city_text):
    changed = with_field(city_text, "version", '"2099"').replace("method: threshold", "method: ratio", 1)
    newer = standard_version_publish(by=province_admin, content=changed)
    [indicator] = [
        after
        for before, after in zip(city_standard.data["indicators"], newer.data["indicators"], strict=True)
        if before["method"] != after["method"]
    ]
    client.force_login(province_admin)
    url = reverse("standards:compare") + f"?a={city_standard.pk}&b={newer.pk}"
    page = client.get(url).content.decode()
    assert '<td class="small">数值达标</td>' in page and '<td class="small">比率(分子/分母)</td>' in page
    assert ">threshold<" not in page and ">ratio<" not in page
    assert indicator["name"] in page
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert '<td class="small">Threshold</td>' in english
    assert indicator["name_en"] in english and indicator["name"] not in english
    assert city_standard.title_en in english
