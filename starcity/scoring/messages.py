"""Message texts in Chinese and English, for problems and for the limits of a result."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .numeric import exact_text

__all__ = ["format_message", "term"]

# code -> (Chinese, English); parameters in braces.
MESSAGES: dict[str, tuple[str, str]] = {
    # reading
    "yaml_syntax": (
        "YAML 语法错误（第 {column} 列）：文件的写法不符合 YAML 语法，请检查此处及前几行的缩进、冒号、"
        "括号和引号。原始信息：{detail}",
        "YAML syntax error: {detail}",
    ),
    "yaml_error": (
        "YAML 语法错误：文件的写法不符合 YAML 语法。原始信息：{detail}",
        "YAML syntax error: {detail}",
    ),
    "duplicate_key": (
        "键 {key} 重复（首次出现在第 {first_line} 行）。",
        "duplicate key {key} (first at line {first_line})",
    ),
    "key_not_text": ("键必须是文本，实际为 {key}。", "a key must be text, got {key}"),
    "unsupported_tag": ("不支持的 YAML 标签 {tag}。", "unsupported YAML tag {tag}"),
    "too_complex": ("别名循环或展开过大。", "a recursive alias or too large an expansion"),
    "not_utf8": ("文件不是 UTF-8 文本。", "the file is not UTF-8 text"),
    "empty_document": ("文件为空。", "the file is empty"),
    # structure
    "wrong_type": ("应为{expected}，实际为{got}。", "expected {expected}, got {got}"),
    "missing": ("缺少必填项 {key}。", "required key {key} is missing"),
    "unknown_key": ("未知的键 {key}。", "unknown key {key}"),
    "null_value": ("此处不允许 null。", "null is not allowed here"),
    "schema": ("schema 应为 {expected}，实际为 {got}。", "schema must be {expected}, got {got}"),
    "pattern": ("{value} 不符合格式 {pattern}。", "{value} does not match {pattern}"),
    "choice": ("{value} 不是允许的取值（{choices}）。", "{value} is not one of {choices}"),
    "empty_text": ("不能为空。", "must not be empty"),
    "reserved_code": (
        "代码 {value} 是保留字（YAML 1.1 会把它读作布尔值或空值）。",
        "code {value} is a reserved word (YAML 1.1 reads it as a boolean or null)",
    ),
    "duplicate_code": ("代码 {value} 重复（已用于 {first}）。", "code {value} is already used by {first}"),
    # numbers
    "not_a_number": (
        "{value} 不是数字（只接受十进制数，不接受指数、NaN、无穷或空格）。",
        "{value} is not a number (decimal digits only: no exponent, NaN, infinity or spaces)",
    ),
    "binary_float": (
        "不接受二进制浮点数 {value}，请用字符串或 Decimal。",
        "binary float {value} refused: use a string or Decimal",
    ),
    "not_decimal": ("{value} 不是有限小数。", "{value} is not a terminating decimal"),
    "not_integer": ("{value} 不是整数。", "{value} is not an integer"),
    "number_too_long": ("数字过长。", "number too long"),
    "positive": ("{value} 必须大于 0。", "{value} must be greater than 0"),
    "not_negative": ("{value} 不能为负数。", "{value} must not be negative"),
    "range": ("{value} 超出范围 {low}..{high}。", "{value} is outside {low}..{high}"),
    "band_range": ("{value} 不在 (0, 100] 之内。", "{value} is outside (0, 100]"),
    "count": ("需要 {expected} 个{what}，实际 {got} 个。", "expected {expected} {what}, got {got}"),
    "grades_count": ("等级数须在 1..9 之间，实际 {got} 个。", "there must be 1..9 grades, got {got}"),
    "order": ("{what}必须{order}。", "{what} must be {order}"),
    # standard rules
    "direction_not_allowed": ("{method} 指标不能设置 direction。", "a {method} indicator takes no direction"),
    "not_allowed": ("{method} 指标不能设置 {key}。", "a {method} indicator takes no {key}"),
    "domain_weight_sum": ("领域权重之和为 {sum}，应为 100。", "domain weights add up to {sum}, not 100"),
    "indicator_weight_sum": (
        "领域 {domain} 的指标权重之和为 {sum}，应为 {expected}。",
        "indicator weights of domain {domain} add up to {sum}, not {expected}",
    ),
    "domain_empty": ("领域 {domain} 没有指标。", "domain {domain} has no indicator"),
    "unknown_domain": ("未知的领域 {value}。", "unknown domain {value}"),
    "gate_unknown": ("门槛指向未知的指标 {value}。", "the gate names an unknown indicator {value}"),
    "gate_method": (
        "门槛只能用于 threshold 或 ratio 指标，{value} 是 {method}。",
        "a gate needs a threshold or ratio indicator; {value} is {method}",
    ),
    "cap_required": ("cap 类否决项必须设置 cap。", "a cap veto needs a cap"),
    "cap_not_allowed": ("zero 类否决项不能设置 cap。", "a zero veto takes no cap"),
    # values (the message is prefixed with the code of the indicator, bonus item or veto)
    "standard_mismatch": (
        "standard 为 {got}，与所用标准 {expected} 不符。",
        "standard is {got}, but the standard used is {expected}",
    ),
    "unknown_indicator": ("标准中没有这个指标。", "the standard has no such indicator"),
    "unknown_bonus": ("标准中没有这个加分项。", "the standard has no such bonus item"),
    "unknown_veto": ("标准中没有这个否决项。", "the standard has no such veto"),
    "ratio_shape": (
        "比率须为只含 numerator 和 denominator 的映射。",
        "a ratio is a mapping of exactly numerator and denominator",
    ),
    "ratio_negative": ("比率的分子和分母不能为负。", "a ratio's parts must not be negative"),
    "ratio_zero": ("比率的分母不能为 0。", "a ratio's denominator must not be 0"),
    "tier_range": ("档位 {value} 超出 0..{high}。", "tier grade {value} is outside 0..{high}"),
    "not_boolean": ("{value} 不是 true 或 false。", "{value} is not true or false"),
    "missing_value": ("没有填报（严格模式）。", "no value given (strict mode)"),
    # limits of a result
    "limit_score_band": ("总分 {actual} < {required}", "total score {actual} < {required}"),
    "limit_domain_floor": ("{domain} 得分率 {actual} < {required}", "{domain} score {actual} < {required}"),
    "limit_mandatory": ("{indicator} 等级 {actual} < {required}", "{indicator} grade {actual} < {required}"),
    "limit_coverage": (
        "达到 {grade} 级的权重 {actual} < {required}",
        "weight of indicators at grade {grade} or above {actual} < {required}",
    ),
    "limit_gate": ("{indicator} 未达到门槛 {required}", "{indicator} does not meet the gate {required}"),
    "limit_gate_missing": (
        "{indicator} 未填报，门槛 {required}",
        "{indicator} has no value; gate {required}",
    ),
    "limit_veto_zero": ("否决项 {veto} 一票否决", "veto {veto} sets the grade to 0"),
    "limit_veto_cap": ("否决项 {veto} 封顶 {cap} 级", "veto {veto} caps the grade at {cap}"),
}

# Words used as parameters (types, list names, orders), translated when a message is rendered.
TERMS: dict[str, tuple[str, str]] = {
    "mapping": ("映射", "a mapping"),
    "list": ("列表", "a list"),
    "text": ("文本", "text"),
    "number": ("数字", "a number"),
    "integer": ("整数", "an integer"),
    "boolean": ("true/false", "true or false"),
    "null": ("null", "null"),
    "thresholds": ("阈值", "thresholds"),
    "tiers": ("档位", "tiers"),
    "score_bands": ("分数线", "score bands"),
    "mandatory_min": ("必选指标最低等级", "mandatory minimums"),
    "coverage": ("覆盖率", "coverage values"),
    "ascending": ("严格递增", "strictly ascending"),
    "descending": ("严格递减", "strictly descending"),
    "non_decreasing": ("非递减", "non-decreasing"),
    "values": ("值", "values"),
}

_TRANSLATED = ("expected", "got", "what", "order")


def term(word: str, lang: str) -> str:
    """A parameter word in `lang`, or the word itself when it is not a term."""
    pair = TERMS.get(word)
    if pair is None:
        return word
    return pair[1] if lang == "en" else pair[0]


def format_message(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The message of `code` in `lang` ("zh" default, "en"), with its parameters filled in."""
    pair = MESSAGES.get(code)
    if pair is None:
        return f"{code} {dict(params)}"
    shown = {key: _show(key, value, lang) for key, value in params.items()}
    return (pair[1] if lang == "en" else pair[0]).format(**shown)


def _show(key: str, value: Any, lang: str) -> str:
    if key in _TRANSLATED and isinstance(value, str):
        return term(value, lang)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction | Decimal):
        return exact_text(Fraction(value))
    if isinstance(value, list | tuple):
        return (", " if lang == "en" else "、").join(_show("", item, lang) for item in value)
    if value is None:
        return "null"
    return str(value)
