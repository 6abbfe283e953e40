"""Section 2: values files, every value error, strict mode, accepted Python types."""

from decimal import Decimal
from fractions import Fraction

import pytest

from starcity.scoring import (
    Ratio,
    ValuesInvalid,
    load_standard_file,
    load_values,
    load_values_file,
    values_from_mapping,
)

from .helpers import EXAMPLES

STANDARD = load_standard_file(EXAMPLES / "standard.yaml")


def _errors(data, strict=False):
    with pytest.raises(ValuesInvalid) as info:
        values_from_mapping({"schema": "starcity/values@1", **data}, STANDARD, strict=strict)
    return [(e.path, e.code, e.subject) for e in info.value.errors]


def test_values_bad_gives_exactly_five_errors_one_per_line():
    with pytest.raises(ValuesInvalid) as info:
        load_values_file(EXAMPLES / "values-bad.yaml", STANDARD)
    errors = info.value.errors
    assert [(e.path, e.line, e.code, e.subject) for e in errors] == [
        ("values.H01", 3, "not_a_number", "H01"),
        ("values.H02", 4, "ratio_zero", "H02"),
        ("values.Z01", 5, "tier_range", "Z01"),
        ("values.Q02", 6, "not_boolean", "Q02"),
        ("values.X99", 7, "unknown_indicator", "X99"),
    ]
    assert errors[3].render("en") == "values.Q02 (line 6): Q02: 'yes' is not true or false"
    assert errors[1].message() == "H02: 比率的分母不能为 0。"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"values": {"H01": "abc"}}, ("values.H01", "not_a_number", "H01")),
        ({"values": {"H01": "8e1"}}, ("values.H01", "not_a_number", "H01")),
        ({"values": {"H01": "85 "}}, ("values.H01", "not_a_number", "H01")),
        ({"values": {"H01": True}}, ("values.H01", "not_a_number", "H01")),
        ({"values": {"H01": 85.0}}, ("values.H01", "binary_float", "H01")),
        ({"values": {"H01": Decimal("NaN")}}, ("values.H01", "not_a_number", "H01")),
        ({"values": {"H02": 70}}, ("values.H02", "ratio_shape", "H02")),
        ({"values": {"H02": {"numerator": 1}}}, ("values.H02", "ratio_shape", "H02")),
        (
            {"values": {"H02": {"numerator": 1, "denominator": 2, "x": 3}}},
            ("values.H02", "ratio_shape", "H02"),
        ),
        ({"values": {"H02": {"numerator": -1, "denominator": 2}}}, ("values.H02", "ratio_negative", "H02")),
        ({"values": {"H02": {"numerator": 1, "denominator": -2}}}, ("values.H02", "ratio_negative", "H02")),
        ({"values": {"H02": {"numerator": 1, "denominator": 0}}}, ("values.H02", "ratio_zero", "H02")),
        (
            {"values": {"H02": {"numerator": "x", "denominator": 2}}},
            ("values.H02.numerator", "not_a_number", "H02"),
        ),
        ({"values": {"Z01": 6}}, ("values.Z01", "tier_range", "Z01")),
        ({"values": {"Z01": -1}}, ("values.Z01", "tier_range", "Z01")),
        ({"values": {"Z01": "2.5"}}, ("values.Z01", "not_integer", "Z01")),
        ({"values": {"Z01": True}}, ("values.Z01", "not_integer", "Z01")),
        ({"values": {"Q02": "yes"}}, ("values.Q02", "not_boolean", "Q02")),
        ({"values": {"Q02": 1}}, ("values.Q02", "not_boolean", "Q02")),
        ({"values": {"X99": 1}}, ("values.X99", "unknown_indicator", "X99")),
        ({"bonus": {"B09": True}}, ("bonus.B09", "unknown_bonus", "B09")),
        ({"bonus": {"B01": "yes"}}, ("bonus.B01", "not_boolean", "B01")),
        ({"bonus": {"B01": None}}, ("bonus.B01", "not_boolean", "B01")),
        ({"vetoes": {"V09": True}}, ("vetoes.V09", "unknown_veto", "V09")),
        ({"vetoes": {"V01": 1}}, ("vetoes.V01", "not_boolean", "V01")),
        ({"vetoes": {"H01": True}}, ("vetoes.H01", "unknown_veto", "H01")),
        ({"values": None}, ("values", "null_value", None)),
        ({"values": [1]}, ("values", "wrong_type", None)),
        ({"bonus": None}, ("bonus", "null_value", None)),
        ({"region": None}, ("region", "null_value", None)),
        ({"region": 370200}, ("region", "wrong_type", None)),
        ({"standard": "EX-DEMO@2"}, ("standard", "standard_mismatch", None)),
        ({"standard": "OTHER@1"}, ("standard", "standard_mismatch", None)),
        ({"extra": 1}, ("extra", "unknown_key", None)),
        ({"schema": "starcity/values@2"}, ("schema", "schema", None)),
        ({"schema": None}, ("schema", "null_value", None)),
    ],
)
def test_value_errors(data, expected):
    assert expected in _errors(data)


def test_schema_is_required():
    with pytest.raises(ValuesInvalid) as info:
        values_from_mapping({"values": {}}, STANDARD)
    assert [(e.path, e.code) for e in info.value.errors] == [("schema", "missing")]


def test_all_errors_reported_at_once():
    errors = _errors({"values": {"H01": "x", "Z01": 9}, "bonus": {"B9": True}, "vetoes": {"V01": "no"}})
    assert len(errors) == 4


def test_missing_and_null_are_missing_not_errors():
    values = values_from_mapping(
        {"schema": "starcity/values@1", "values": {"H01": 80, "H02": None}}, STANDARD
    )
    assert values.missing == ("H02", "H03", "Z01", "Z02", "Q01", "Q02")
    assert list(values.entries) == ["H01"]


def test_strict_mode_makes_missing_values_errors():
    errors = _errors({"values": {"H01": 80, "H02": None}}, strict=True)
    assert [e[0] for e in errors] == [f"values.{c}" for c in ("H02", "H03", "Z01", "Z02", "Q01", "Q02")]
    assert {e[1] for e in errors} == {"missing_value"}


def test_bonus_and_vetoes_not_given_count_as_false():
    values = values_from_mapping(
        {"schema": "starcity/values@1", "bonus": {"B02": True, "B01": False}, "vetoes": {"V02": True}},
        STANDARD,
    )
    assert values.bonus == ("B02",)
    assert values.vetoes == ("V02",)


def test_accepted_python_types():
    data = {
        "schema": "starcity/values@1",
        "standard": "EX-DEMO@1",
        "region": "370200",
        "values": {
            "H01": Decimal("83.5"),
            "H02": {"numerator": Fraction(91), "denominator": "130"},
            "H03": "81",
            "Z01": 3,
            "Z02": Fraction(31, 5),
            "Q01": 77,
            "Q02": True,
        },
    }
    values = values_from_mapping(data, STANDARD)
    assert values.entries["H01"] == Fraction(167, 2)
    assert values.entries["H02"] == Ratio(Fraction(91), Fraction(130))
    assert values.value_of("H02") == Fraction(70)
    assert values.region == "370200"
    assert values.raw["values"]["H01"] == "83.5"


def test_yaml_values_follow_the_core_schema():
    text = "schema: starcity/values@1\nvalues:\n  H01: 085\n  Z01: 03\n  Q02: TRUE\n"
    values = load_values(text, STANDARD)
    assert values.entries == {"H01": 85, "Z01": 3, "Q02": True}


def test_percentages_are_not_limited():
    values = values_from_mapping(
        {"schema": "starcity/values@1", "values": {"H01": 250, "H02": {"numerator": 3, "denominator": 1}}},
        STANDARD,
    )
    assert values.value_of("H02") == 300
