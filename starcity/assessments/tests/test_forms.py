"""The answers form built from the standard: inputs per method, errors naming the indicator."""

import pytest

from starcity.assessments.forms import AnswersForm, field_names
from starcity.assessments.tests.conftest import first_of


@pytest.fixture
def std(county_std):  # type: ignore[no-untyped-def]
    return county_std


def test_fields_match_each_method(std):
    form = AnswersForm(standard=std)
    for indicator in std.indicators:
        names = field_names(indicator.code)
        if indicator.method == "ratio":
            assert names["numerator"] in form.fields and names["denominator"] in form.fields
        else:
            assert names["value"] in form.fields
        assert names["note"] in form.fields
    tiered = first_of(std, "tiered")
    labels = [label for _value, label in form.fields[field_names(tiered.code)["value"]].choices]
    assert all(any(tier in label for label in labels) for tier in tiered.tiers)
    assert {f"bonus__{b.code}" for b in std.bonus} <= set(form.fields)
    assert {f"veto__{v.code}" for v in std.vetoes} <= set(form.fields)


def test_numbers_stay_text(std):
    threshold = first_of(std, "threshold")
    form = AnswersForm({field_names(threshold.code)["value"]: " 83.50 "}, standard=std)
    assert form.is_valid(), form.errors
    assert form.input()["values"][threshold.code] == "83.50"


def test_full_width_digits_are_folded(std):
    threshold = first_of(std, "threshold")
    form = AnswersForm({field_names(threshold.code)["value"]: "８５．５"}, standard=std)
    assert form.is_valid(), form.errors
    assert form.input()["values"][threshold.code] == "85.5"


@pytest.mark.parametrize("raw", ["85%", "1,000", "1e3", "NaN", "-", "abc"])
def test_bad_numbers_name_the_indicator(std, raw):
    threshold = first_of(std, "threshold")
    form = AnswersForm({field_names(threshold.code)["value"]: raw}, standard=std)
    assert not form.is_valid()
    message = form.all_errors()[0]
    assert threshold.code in message and threshold.name in message


def test_ratio_needs_both_parts_and_a_non_zero_denominator(std):
    ratio = first_of(std, "ratio")
    names = field_names(ratio.code)
    half = AnswersForm({names["numerator"]: "3"}, standard=std)
    assert not half.is_valid()
    assert ratio.code in half.all_errors()[0]
    zero = AnswersForm({names["numerator"]: "3", names["denominator"]: "0.00"}, standard=std)
    assert not zero.is_valid()
    assert "0" in zero.all_errors()[0]


def test_boolean_and_tiered_values(std):
    tiered, boolean = first_of(std, "tiered"), first_of(std, "boolean")
    form = AnswersForm(
        {
            field_names(tiered.code)["value"]: "2",
            field_names(boolean.code)["value"]: "no",
            "bonus__B01": "on",
        },
        standard=std,
    )
    assert form.is_valid(), form.errors
    data = form.input()
    assert data["values"] == {tiered.code: 2, boolean.code: False}
    assert data["bonus"]["B01"] is True


def test_engine_errors_land_on_the_indicator(std):
    threshold = first_of(std, "threshold")
    form = AnswersForm({}, standard=std)
    assert form.is_valid()
    form.add_engine_errors({threshold.code: ["太大"]})
    assert form.errors[field_names(threshold.code)["value"]] == [f"{threshold.code} {threshold.name}：太大"]


def test_english_labels(std):
    threshold = first_of(std, "threshold")
    form = AnswersForm(standard=std, lang="en")
    assert form.label_of(threshold.code) == f"{threshold.code} {threshold.name_en or threshold.name}"
