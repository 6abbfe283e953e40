"""Section 1.1: every validation rule, each error with its path and (from text) its line."""

from decimal import Decimal
from fractions import Fraction

import pytest
import yaml

from starcity.scoring import StandardInvalid, load_standard, load_standard_file, standard_from_mapping

from .helpers import DELETE, EXAMPLES, mutated

BASE = load_standard_file(EXAMPLES / "standard.yaml").raw
EXAMPLE_TEXT = (EXAMPLES / "standard.yaml").read_text(encoding="utf-8")

# (mutated path, new value or DELETE, expected error path, expected code)
CASES = [
    ("schema", "starcity/standard@2", "schema", "schema"),
    ("schema", DELETE, "schema", "missing"),
    ("code", DELETE, "code", "missing"),
    ("version", DELETE, "version", "missing"),
    ("level", DELETE, "level", "missing"),
    ("title", DELETE, "title", "missing"),
    ("provenance", DELETE, "provenance", "missing"),
    ("grades", DELETE, "grades", "missing"),
    ("domains", DELETE, "domains", "missing"),
    ("indicators", DELETE, "indicators", "missing"),
    ("rules", DELETE, "rules", "missing"),
    ("rules.score_bands", DELETE, "rules.score_bands", "missing"),
    ("code", "sd-city", "code", "pattern"),
    ("code", "SD CITY", "code", "pattern"),
    ("version", "v 1", "version", "pattern"),
    ("version", 1, "version", "wrong_type"),
    ("level", "town", "level", "choice"),
    ("title", "  ", "title", "empty_text"),
    ("titel", "x", "titel", "unknown_key"),
    ("rules.bonus_capp", 3, "rules.bonus_capp", "unknown_key"),
    ("domains[0].wieght", 3, "domains[0].wieght", "unknown_key"),
    ("indicators[0].threshold", [1], "indicators[0].threshold", "unknown_key"),
    ("bonus[0].pts", 1, "bonus[0].pts", "unknown_key"),
    ("vetoes[0].capp", 1, "vetoes[0].capp", "unknown_key"),
    ("rules.gates[0].grade", 1, "rules.gates[0].grade", "unknown_key"),
    ("indicators[1].code", "huimin", "indicators[1].code", "duplicate_code"),
    ("indicators[1].code", "H01", "indicators[1].code", "duplicate_code"),
    ("bonus[0].code", "Q02", "bonus[0].code", "duplicate_code"),
    ("vetoes[1].code", "B02", "vetoes[1].code", "duplicate_code"),
    ("indicators[0].code", "1H", "indicators[0].code", "pattern"),
    ("indicators[0].code", "H 1", "indicators[0].code", "pattern"),
    ("domains[0].code", "yes", "domains[0].code", "reserved_code"),
    ("indicators[0].code", "NO", "indicators[0].code", "reserved_code"),
    ("bonus[0].code", "On", "bonus[0].code", "reserved_code"),
    ("vetoes[0].code", "Null", "vetoes[0].code", "reserved_code"),
    ("indicators[0].code", "y", "indicators[0].code", "reserved_code"),
    ("title_en", None, "title_en", "null_value"),
    ("indicators[0].unit", None, "indicators[0].unit", "null_value"),
    ("rules.gates[0].min_value", None, "rules.gates[0].min_value", "null_value"),
    ("grades[2]", None, "grades[2]", "null_value"),
    ("indicators[0].method", DELETE, "indicators[0].method", "missing"),
    ("indicators[0].method", "score", "indicators[0].method", "choice"),
    ("indicators[3].direction", "higher", "indicators[3].direction", "direction_not_allowed"),
    ("indicators[6].direction", "lower", "indicators[6].direction", "direction_not_allowed"),
    ("indicators[0].direction", "up", "indicators[0].direction", "choice"),
    ("domains[0].weight", 0, "domains[0].weight", "positive"),
    ("domains[0].weight", 41, "domains", "domain_weight_sum"),
    ("indicators[0].weight", 14, "domains[0]", "indicator_weight_sum"),
    ("indicators[0].weight", -1, "indicators[0].weight", "positive"),
    ("indicators[0].domain", "nowhere", "indicators[0].domain", "unknown_domain"),
    ("indicators[0].thresholds", [50, 65, 80, 90], "indicators[0].thresholds", "count"),
    ("indicators[0].thresholds", [50, 65, 65, 90, 98], "indicators[0].thresholds", "order"),
    ("indicators[4].thresholds", [3, 5, 7, 10, 15], "indicators[4].thresholds", "order"),
    ("indicators[0].thresholds[2]", "abc", "indicators[0].thresholds[2]", "not_a_number"),
    ("indicators[0].thresholds[2]", "8e1", "indicators[0].thresholds[2]", "not_a_number"),
    ("indicators[0].thresholds", DELETE, "indicators[0].thresholds", "missing"),
    ("indicators[0].tiers", ["a", "b", "c", "d", "e"], "indicators[0].tiers", "not_allowed"),
    ("indicators[3].tiers", ["a", "b", "c", "d"], "indicators[3].tiers", "count"),
    ("indicators[3].tiers", DELETE, "indicators[3].tiers", "missing"),
    ("indicators[3].thresholds", [1, 2, 3, 4, 5], "indicators[3].thresholds", "not_allowed"),
    ("indicators[6].thresholds", [1, 2, 3, 4, 5], "indicators[6].thresholds", "not_allowed"),
    ("indicators[6].tiers", ["a", "b", "c", "d", "e"], "indicators[6].tiers", "not_allowed"),
    ("indicators[0].mandatory", "yes", "indicators[0].mandatory", "wrong_type"),
    ("indicators[0].evidence", "清单", "indicators[0].evidence", "wrong_type"),
    ("rules.score_bands", [20, 40, 60, 75], "rules.score_bands", "count"),
    ("rules.score_bands", [20, 40, 40, 75, 88], "rules.score_bands", "order"),
    ("rules.score_bands", [0, 40, 60, 75, 88], "rules.score_bands[0]", "band_range"),
    ("rules.score_bands", [20, 40, 60, 75, "100.5"], "rules.score_bands[4]", "band_range"),
    ("rules.mandatory_min", [1, 2, 2, 4], "rules.mandatory_min", "count"),
    ("rules.mandatory_min", [1, 2, 2, 4, 6], "rules.mandatory_min[4]", "range"),
    ("rules.mandatory_min", [1, 2, 1, 4, 5], "rules.mandatory_min", "order"),
    ("rules.mandatory_min", [1, 2, "2.5", 4, 5], "rules.mandatory_min[2]", "not_integer"),
    ("rules.coverage", [0, 0, "0.5", "0.6"], "rules.coverage", "count"),
    ("rules.coverage", [0, 0, "0.5", "0.6", "1.2"], "rules.coverage[4]", "range"),
    ("rules.coverage", [0, "0.3", "0.2", "0.6", "0.8"], "rules.coverage", "order"),
    ("rules.domain_lag", -1, "rules.domain_lag", "range"),
    ("rules.domain_lag", "1.5", "rules.domain_lag", "not_integer"),
    ("rules.gates[0].indicator", "X99", "rules.gates[0].indicator", "gate_unknown"),
    ("rules.gates[0].indicator", "Z01", "rules.gates[0].indicator", "gate_method"),
    ("rules.gates[0].indicator", "Q02", "rules.gates[0].indicator", "gate_method"),
    ("rules.gates[0].from_grade", 0, "rules.gates[0].from_grade", "range"),
    ("rules.gates[0].from_grade", 6, "rules.gates[0].from_grade", "range"),
    ("rules.gates[0].min_value", "x", "rules.gates[0].min_value", "not_a_number"),
    ("rules.gates[0].min_value", DELETE, "rules.gates[0].min_value", "missing"),
    ("bonus[0].points", 0, "bonus[0].points", "positive"),
    ("rules.bonus_cap", -1, "rules.bonus_cap", "not_negative"),
    ("vetoes[0].effect", "kill", "vetoes[0].effect", "choice"),
    ("vetoes[1].cap", DELETE, "vetoes[1].cap", "cap_required"),
    ("vetoes[0].cap", 2, "vetoes[0].cap", "cap_not_allowed"),
    ("vetoes[1].cap", 5, "vetoes[1].cap", "range"),
    ("vetoes[1].cap", -1, "vetoes[1].cap", "range"),
    ("vetoes[1].cap", "3.0", "vetoes[1].cap", "not_integer"),
    ("grades", [], "grades", "grades_count"),
    ("grades", [f"{k}星" for k in range(10)], "grades", "grades_count"),
    ("grades", "五级", "grades", "wrong_type"),
    ("domains", {"huimin": 1}, "domains", "wrong_type"),
    ("indicators[0]", "H01", "indicators[0]", "wrong_type"),
    ("rules", [1], "rules", "wrong_type"),
]


def _errors(data):
    with pytest.raises(StandardInvalid) as info:
        standard_from_mapping(data)
    return info.value.errors


@pytest.mark.parametrize(("path", "value", "where", "code"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_rule_from_mapping(path, value, where, code):
    errors = _errors(mutated(BASE, path, value))
    assert (where, code) in {(e.path, e.code) for e in errors}, [e.render("en") for e in errors]
    assert all(e.line is None for e in errors)
    assert all(e.message("zh") and e.message("en") for e in errors)


@pytest.mark.parametrize(("path", "value", "where", "code"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_rule_from_text_has_lines(path, value, where, code):
    text = yaml.safe_dump(mutated(BASE, path, value), allow_unicode=True, sort_keys=False)
    with pytest.raises(StandardInvalid) as info:
        load_standard(text)
    found = [e for e in info.value.errors if (e.path, e.code) == (where, code)]
    assert found, [e.render("en") for e in info.value.errors]
    lines = text.splitlines()
    for error in found:
        assert error.line is not None
        last = where.rsplit(".", 1)[-1]
        if "[" not in last and code not in ("missing", "cap_required") and last in text:
            assert last in lines[error.line - 1]


def test_the_base_is_valid_and_keeps_its_raw_mapping():
    standard = standard_from_mapping(BASE)
    assert standard.raw == BASE
    assert standard.indicator("H02").weight == Fraction(25, 2)
    assert BASE["indicators"][1]["weight"] == "12.5"


def test_domain_without_indicators():
    data = mutated(BASE, "domains", [*BASE["domains"], {"code": "xingye", "name": "兴业", "weight": 5}])
    data = mutated(data, "domains[0].weight", 35)
    errors = {(e.path, e.code) for e in _errors(data)}
    assert ("domains[3]", "domain_empty") in errors
    assert ("domains[0]", "indicator_weight_sum") in errors


def test_codes_are_case_sensitive():
    data = mutated(BASE, "indicators[1].code", "h01")
    assert standard_from_mapping(data).indicators[1].code == "h01"


def test_every_error_is_collected():
    data = mutated(BASE, "code", "bad code")
    data = mutated(data, "indicators[0].thresholds", [1, 2])
    data = mutated(data, "vetoes[0].effect", "kill")
    data = mutated(data, "rules.score_bands", [20, 40, 60, 75, 188])
    data = mutated(data, "extra", 1)
    codes = [e.code for e in _errors(data)]
    assert sorted(codes) == sorted(["pattern", "count", "choice", "band_range", "unknown_key"])


def test_thresholds_count_message_with_line_in_both_languages():
    text = EXAMPLE_TEXT.replace("thresholds: [60, 70, 80, 85, 90]", "thresholds: [60, 70, 80, 85]")
    with pytest.raises(StandardInvalid) as info:
        load_standard(text, source="standard.yaml")
    [error] = info.value.errors
    line = text.splitlines().index("    thresholds: [60, 70, 80, 85]") + 1
    assert (error.path, error.line, error.code) == ("indicators[2].thresholds", line, "count")
    assert error.render() == f"indicators[2].thresholds (line {line}): 需要 5 个阈值，实际 4 个。"
    assert error.render("en") == f"indicators[2].thresholds (line {line}): expected 5 thresholds, got 4"
    assert info.value.render().startswith("standard.yaml: indicators[2]")


@pytest.mark.parametrize(
    ("old", "new", "path", "code", "marker"),
    [
        ("bonus_cap: 3", "bonus_cap: null", "rules.bonus_cap", "null_value", "bonus_cap: null"),
        ("bonus_cap: 3", "bonus_cap: ~", "rules.bonus_cap", "null_value", "bonus_cap: ~"),
        (
            "title_en: Example",
            "title_en:\n  # empty\ntitle_x: Example",
            "title_en",
            "null_value",
            "title_en:",
        ),
        (
            "weight: 15\n    mandatory: true",
            "weight: 1.5e1\n    mandatory: true",
            "indicators[0].weight",
            "not_a_number",
            "1.5e1",
        ),
        ("points: 2}", "points: .inf}", "bonus[0].points", "not_a_number", ".inf"),
        ("cap: 3}", "cap: 3.0}", "vetoes[1].cap", "not_integer", "cap: 3.0"),
        ("code: B01", "code: yes", "bonus[0].code", "reserved_code", "code: yes"),
        ('version: "1"', "version: 1", "version", "wrong_type", "version: 1"),
        (
            "    mandatory: true\n  - code: H02",
            "    mandatory: yes\n  - code: H02",
            "indicators[0].mandatory",
            "wrong_type",
            "mandatory: yes",
        ),
        (
            "domain_lag: 1",
            "domain_lag: 1\n  domain_lag: 2",
            "rules.domain_lag",
            "duplicate_key",
            "domain_lag: 2",
        ),
    ],
)
def test_yaml_specifics(old, new, path, code, marker):
    assert old in EXAMPLE_TEXT
    text = EXAMPLE_TEXT.replace(old, new, 1)
    with pytest.raises(StandardInvalid) as info:
        load_standard(text)
    found = [e for e in info.value.errors if (e.path, e.code) == (path, code)]
    assert found, [e.render("en") for e in info.value.errors]
    assert marker in text.splitlines()[found[0].line - 1]


def test_octal_looking_integers_are_decimal():
    text = EXAMPLE_TEXT.replace("from_grade: 4", "from_grade: 04")
    assert load_standard(text).rules.gates[0].from_grade == 4


def test_json_standard_is_accepted():
    import json

    standard = load_standard(json.dumps(BASE, ensure_ascii=False))
    assert standard == standard_from_mapping(BASE)


@pytest.mark.parametrize(
    ("value", "code"),
    [(12.5, "binary_float"), (Fraction(1, 3), "not_decimal")],
)
def test_mapping_numbers_must_be_exact_decimals(value, code):
    errors = _errors(mutated(BASE, "indicators[0].thresholds[0]", value))
    assert ("indicators[0].thresholds[0]", code) in {(e.path, e.code) for e in errors}


def test_mapping_accepts_decimal_and_fraction():
    data = mutated(BASE, "indicators[1].weight", Decimal("12.5"))
    data = mutated(data, "indicators[2].weight", Fraction(25, 2))
    standard = standard_from_mapping(data)
    assert standard.raw["indicators"][1]["weight"] == "12.5"
    assert standard.indicator("H03").weight == Fraction(25, 2)


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty_document"), ("- 1\n- 2\n", "wrong_type"), ("a: [1\n", "yaml_syntax")]
)
def test_not_a_standard_at_all(text, code):
    with pytest.raises(StandardInvalid) as info:
        load_standard(text)
    assert [e.code for e in info.value.errors] == [code]


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes("title: 标准".encode("gbk"))
    with pytest.raises(StandardInvalid) as info:
        load_standard_file(path)
    assert [e.code for e in info.value.errors] == ["not_utf8"]
