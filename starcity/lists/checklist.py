"""The on-site checklist of a proposed pilot (现场复核清单).

It holds the `limit` indicators that carry the most weight in the pinned standard (effective
weight: the domain's weight times the indicator's share of its domain; ties in the standard's
order) and every indicator the panel flagged for disagreement, in the standard's order, each
with the panel's value.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from starcity.lists.choices import ItemReason
from starcity.scoring import Standard


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    why: str
    panel_value: Any


def effective_weights(standard: Standard) -> dict[str, Fraction]:
    """Each indicator's weight in the whole standard: domain weight × its share of the domain."""
    totals: dict[str, Fraction] = {}
    for indicator in standard.indicators:
        totals[indicator.domain] = totals.get(indicator.domain, Fraction(0)) + indicator.weight
    weights = {}
    for indicator in standard.indicators:
        total = totals[indicator.domain]
        share = indicator.weight / total if total else Fraction(0)
        weights[indicator.code] = standard.domain_map[indicator.domain].weight * share
    return weights


def heaviest(standard: Standard, limit: int) -> list[str]:
    """The codes of the `limit` indicators with the largest effective weight (ties: the
    standard's order)."""
    weights = effective_weights(standard)
    order = {ind.code: position for position, ind in enumerate(standard.indicators)}
    ranked = sorted(weights, key=lambda code: (-weights[code], order[code]))
    return ranked[: max(limit, 0)]


def flagged_codes(aggregate: Mapping[str, Any] | None) -> set[str]:
    """The indicators the panel flagged for disagreement (resolved or not)."""
    if not aggregate:
        return set()
    return {str(item.get("code")) for item in aggregate.get("indicators") or [] if item.get("flagged")}


def panel_values(aggregate: Mapping[str, Any] | None) -> dict[str, Any]:
    """The panel's values@1 entries by indicator code."""
    if not aggregate:
        return {}
    return dict((aggregate.get("values") or {}).get("values") or {})


def checklist_items(
    standard: Standard, aggregate: Mapping[str, Any] | None, limit: int
) -> list[ChecklistItem]:
    """The checklist of one pilot, in the standard's order."""
    weighty = set(heaviest(standard, limit))
    flagged = flagged_codes(aggregate) & set(standard.indicator_map)
    values = panel_values(aggregate)
    items = []
    for indicator in standard.indicators:
        code = indicator.code
        if code not in weighty and code not in flagged:
            continue
        why = (
            ItemReason.BOTH
            if code in weighty and code in flagged
            else (ItemReason.WEIGHT if code in weighty else ItemReason.FLAGGED)
        )
        items.append(ChecklistItem(code=code, why=str(why), panel_value=values.get(code)))
    return items


def checklist_for(version: Any, *, aggregate: Mapping[str, Any] | None, limit: int) -> list[ChecklistItem]:
    """The checklist against a stored standard version."""
    from starcity.standards.selectors import scoring_standard_for

    return checklist_items(scoring_standard_for(version), aggregate, limit)
