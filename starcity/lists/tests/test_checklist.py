"""The on-site checklist: the heaviest indicators of the pinned standard and every flagged one."""

import itertools
from fractions import Fraction

import pytest

from starcity.calls.testing import values_at_grade
from starcity.lists.checklist import checklist_items, effective_weights, heaviest


@pytest.fixture
def standard(county_standard):
    from starcity.standards.selectors import scoring_standard_for

    return scoring_standard_for(county_standard)


def test_effective_weight_is_domain_weight_times_share(standard):
    weights = effective_weights(standard)
    for indicator in standard.indicators:
        domain = standard.domain_map[indicator.domain]
        total = sum((i.weight for i in standard.indicators if i.domain == indicator.domain), Fraction(0))
        assert weights[indicator.code] == domain.weight * indicator.weight / total
    assert sum(weights.values()) == 100


def test_heaviest_are_sorted_by_weight_then_standard_order(standard):
    weights = effective_weights(standard)
    order = [i.code for i in standard.indicators]
    top = heaviest(standard, 6)
    assert len(top) == 6
    assert [weights[c] for c in top] == sorted((weights[c] for c in top), reverse=True)
    lightest_kept = min(weights[c] for c in top)
    assert all(weights[c] <= lightest_kept for c in order if c not in top)
    for a, b in itertools.pairwise(top):
        if weights[a] == weights[b]:
            assert order.index(a) < order.index(b)


def test_flagged_indicators_join_with_the_panel_value(standard):
    document = values_at_grade(standard, 3)
    light = min(standard.indicators, key=lambda i: effective_weights(standard)[i.code])
    heavy = heaviest(standard, 1)[0]
    aggregate = {
        "indicators": [{"code": light.code, "flagged": True}, {"code": heavy, "flagged": True}],
        "values": document,
    }
    items = {item.code: item for item in checklist_items(standard, aggregate, 4)}
    assert len(items) == 5
    assert items[light.code].why == "flagged"
    assert items[heavy].why == "both"
    assert items[light.code].panel_value == document["values"][light.code]
    codes = [i.code for i in standard.indicators if i.code in items]
    assert list(items) == codes  # the standard's order


def test_without_aggregate_the_checklist_has_no_values(standard):
    items = checklist_items(standard, None, 3)
    assert [item.why for item in items] == ["weight"] * 3
    assert all(item.panel_value is None for item in items)
