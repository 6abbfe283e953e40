"""The six worked examples of the format, compared field by field like compare.py does."""

import json
from collections import Counter
from pathlib import Path

import pytest

from starcity.scoring import ValuesInvalid, load_standard_file, load_values_file, result_to_dict, score
from starcity.scoring.verify import plan_problems

from .helpers import EXAMPLES

STANDARD = load_standard_file(EXAMPLES / "standard.yaml")
NAMES = ["1-typical", "2-top", "3-veto", "4-missing", "5-gate"]
SHARED = Path("/work/shared/spec/examples")


def _strip(result):
    out = dict(result)
    out["limits"] = Counter((lim["grade"], lim["rule"], lim["code"]) for lim in result["limits"])
    plan = result["plan"]
    out["plan"] = None if plan is None else (plan["target"], plan["reachable"])
    return out


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_worked_example(name, lang):
    values = load_values_file(EXAMPLES / f"values-{name}.yaml", STANDARD)
    result = score(STANDARD, values)
    expected = json.loads((EXAMPLES / f"expected-{name}.json").read_text(encoding="utf-8"))
    assert _strip(result_to_dict(result, lang)) == _strip(expected)
    assert plan_problems(STANDARD, values, result) == []


@pytest.mark.parametrize("name", ["1-typical", "5-gate"])
def test_plans_equal_the_expected_ones_where_they_are_shortest(name):
    values = load_values_file(EXAMPLES / f"values-{name}.yaml", STANDARD)
    expected = json.loads((EXAMPLES / f"expected-{name}.json").read_text(encoding="utf-8"))
    assert result_to_dict(score(STANDARD, values))["plan"] == expected["plan"]


def test_missing_example_plan_is_shorter_than_the_expected_one():
    values = load_values_file(EXAMPLES / "values-4-missing.yaml", STANDARD)
    plan = result_to_dict(score(STANDARD, values))["plan"]
    assert len(plan["steps"]) == 1 < 2


def test_bad_example_is_refused_with_five_errors():
    with pytest.raises(ValuesInvalid) as info:
        load_values_file(EXAMPLES / "values-bad.yaml", STANDARD)
    assert len(info.value.errors) == 5


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared spec is not mounted")
def test_copies_match_the_shared_spec():
    for path in EXAMPLES.iterdir():
        assert path.read_bytes() == (SHARED / path.name).read_bytes(), path.name
