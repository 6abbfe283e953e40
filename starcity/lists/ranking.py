"""Ranking a level's applications and proposing their outcomes: pure, no database.

Order: verified grade, then verified score (both highest first), then region code (a stable
order for ties). Eligibility: the verified grade must meet the call's offer for the target grade
(`grade_offers` [[met, target], ...]: a place meeting 3 stars may pilot 4); an application whose
target grade the call does not offer is not eligible.

Proposals: the best eligible entries become pilots up to the pilot quota, the next eligible ones
pre-pilots up to the pre-pilot quota, every other entry is not selected. Entries the office
decided itself (overrides) keep their outcome and take their place in the quotas: an override to
pilot uses a pilot place, an override away from pilot frees one for the next eligible entry.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

PILOT = "pilot"
PRE_PILOT = "pre_pilot"
NOT_SELECTED = "not_selected"


@dataclass(frozen=True)
class Candidate:
    """One application of a level, as ranked."""

    key: int
    region_code: str
    grade: int
    score: Decimal
    target_grade: int | None


@dataclass(frozen=True)
class Placement:
    """A candidate's rank (1 = best), eligibility, the rule's proposal ignoring every override,
    and the outcome given the overrides (equal to the proposal for entries without one)."""

    key: int
    rank: int
    eligible: bool
    proposed: str
    outcome: str


def required_grade(offers: Iterable[Sequence[int]], target: int | None) -> int | None:
    """The grade a place must already meet to pilot `target` (None when the call does not offer
    `target`; with several offers for one target the lowest requirement counts)."""
    needed = [int(met) for met, offered in offers if target is not None and int(offered) == target]
    return min(needed) if needed else None


def is_eligible(grade: int, target: int | None, offers: Iterable[Sequence[int]]) -> bool:
    """True when the verified `grade` meets the call's offer for the `target` grade."""
    needed = required_grade(offers, target)
    return needed is not None and grade >= needed


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates best first: grade, then score (both descending), then region code."""
    return sorted(candidates, key=lambda c: (-c.grade, -c.score, c.region_code, c.key))


def _place(
    order: Sequence[Candidate],
    eligible: Mapping[int, bool],
    *,
    pilot_quota: int,
    pre_pilot_quota: int,
    fixed: Mapping[int, str],
) -> dict[int, str]:
    pilots = pilot_quota - sum(1 for outcome in fixed.values() if outcome == PILOT)
    pre = pre_pilot_quota - sum(1 for outcome in fixed.values() if outcome == PRE_PILOT)
    outcomes: dict[int, str] = {}
    for candidate in order:
        if candidate.key in fixed:
            outcomes[candidate.key] = fixed[candidate.key]
        elif eligible[candidate.key] and pilots > 0:
            outcomes[candidate.key] = PILOT
            pilots -= 1
        elif eligible[candidate.key] and pre > 0:
            outcomes[candidate.key] = PRE_PILOT
            pre -= 1
        else:
            outcomes[candidate.key] = NOT_SELECTED
    return outcomes


def propose(
    candidates: Iterable[Candidate],
    *,
    pilot_quota: int,
    pre_pilot_quota: int,
    offers: Iterable[Sequence[int]],
    overrides: Mapping[int, str] | None = None,
) -> list[Placement]:
    """Rank the candidates of one level and propose each one's outcome (see the module's
    docstring); `overrides` maps a candidate's key to the outcome the office decided."""
    offers = [tuple(offer) for offer in offers]
    overrides = dict(overrides or {})
    order = ranked(candidates)
    eligible = {c.key: is_eligible(c.grade, c.target_grade, offers) for c in order}
    quotas = {"pilot_quota": pilot_quota, "pre_pilot_quota": pre_pilot_quota}
    by_rule = _place(order, eligible, fixed={}, **quotas)
    decided = _place(order, eligible, fixed={k: v for k, v in overrides.items() if k in eligible}, **quotas)
    return [
        Placement(
            key=c.key,
            rank=rank,
            eligible=eligible[c.key],
            proposed=by_rule[c.key] if c.key in overrides else decided[c.key],
            outcome=decided[c.key],
        )
        for rank, c in enumerate(order, start=1)
    ]
