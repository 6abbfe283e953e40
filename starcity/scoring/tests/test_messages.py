"""Message texts: Chinese punctuation in the Chinese texts, the English ones as they were, and
YAML syntax errors explained in Chinese with their position and PyYAML's own words kept."""

import re

import pytest

from starcity.scoring.messages import MESSAGES, format_message
from starcity.scoring.yamlcore import read_yaml

HALF_WIDTH = re.compile(r"[,()]|: ")
INTERVAL = "(0, 100]"  # mathematical notation, the same in both languages


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_chinese_texts_use_chinese_punctuation(code):
    chinese = MESSAGES[code][0].replace(INTERVAL, "")
    assert not HALF_WIDTH.search(chinese), chinese


@pytest.mark.parametrize("code", sorted(c for c in MESSAGES if not c.startswith(("limit_", "yaml_"))))
def test_chinese_problem_texts_are_sentences(code):
    assert MESSAGES[code][0].endswith("。")


def test_english_texts_keep_their_punctuation():
    params = {"domain": "D1", "sum": 45, "expected": 40}
    assert format_message("indicator_weight_sum", params, "zh") == "领域 D1 的指标权重之和为 45，应为 40。"
    assert format_message("indicator_weight_sum", params, "en") == (
        "indicator weights of domain D1 add up to 45, not 40"
    )
    assert format_message("missing_value", {}, "zh") == "没有填报（严格模式）。"
    assert format_message("missing_value", {}, "en") == "no value given (strict mode)"


def test_lists_are_enumerated_the_way_each_language_writes_them():
    params = {"value": "metropolis", "choices": ["city", "county"]}
    assert format_message("choice", params, "zh") == "metropolis 不是允许的取值（city、county）。"
    assert format_message("choice", params, "en") == "metropolis is not one of city, county"


def test_yaml_syntax_error_is_explained_in_chinese_with_its_column_and_raw_detail():
    [problem] = read_yaml("a: 1\nb: [1, 2\nc: 3\n").problems
    raw = "while parsing a flow sequence expected ',' or ']', but got ':'"
    assert (problem.code, problem.line, problem.params["column"]) == ("yaml_syntax", 3, 2)
    chinese = problem.message("zh")
    assert chinese.startswith("YAML 语法错误（第 2 列）：文件的写法不符合 YAML 语法")
    assert chinese.endswith(f"原始信息：{raw}")
    assert problem.message("en") == f"YAML syntax error: {raw}"
    assert problem.render("zh").startswith("line 3: YAML 语法错误")


def test_yaml_error_without_a_position_is_explained_too():
    [problem] = read_yaml("a: \x01\n").problems
    assert problem.code == "yaml_error" and problem.line is None
    assert problem.message("zh").startswith("YAML 语法错误：文件的写法不符合 YAML 语法。原始信息：")
    assert problem.message("en").startswith("YAML syntax error: unacceptable character")
