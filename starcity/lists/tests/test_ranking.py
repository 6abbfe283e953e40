"""The ranking rule, without a database: order, ties, eligibility, quotas and overrides."""

from decimal import Decimal

import pytest

from starcity.lists.ranking import (
    NOT_SELECTED,
    PILOT,
    PRE_PILOT,
    Candidate,
    is_eligible,
    propose,
    ranked,
    required_grade,
)

OFFERS = [[3, 4], [4, 5]]


def cand(key: int, code: str, grade: int, score: str, target: int | None = 4) -> Candidate:
    return Candidate(key=key, region_code=code, grade=grade, score=Decimal(score), target_grade=target)


def outcomes(placements) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {p.key: p.outcome for p in placements}


class TestOrder:
    def test_grade_first_then_score_then_region_code(self):
        items = [
            cand(1, "370322", 3, "70.00"),
            cand(2, "370321", 4, "60.00"),
            cand(3, "370303", 3, "75.50"),
            cand(4, "370302", 3, "70.00"),
        ]
        assert [c.key for c in ranked(items)] == [2, 3, 4, 1]

    def test_ties_get_distinct_ranks_in_region_code_order(self):
        placements = propose(
            [cand(1, "370323", 3, "61.20"), cand(2, "370302", 3, "61.20"), cand(3, "370305", 3, "61.20")],
            pilot_quota=1,
            pre_pilot_quota=1,
            offers=OFFERS,
        )
        assert [(p.key, p.rank) for p in placements] == [(2, 1), (3, 2), (1, 3)]
        assert outcomes(placements) == {2: PILOT, 3: PRE_PILOT, 1: NOT_SELECTED}


class TestEligibility:
    @pytest.mark.parametrize(("target", "needed"), [(4, 3), (5, 4), (3, None), (None, None)])
    def test_required_grade_follows_the_offers(self, target, needed):
        assert required_grade(OFFERS, target) == needed

    def test_lowest_requirement_counts_when_one_target_is_offered_twice(self):
        assert required_grade([[4, 5], [3, 5]], 5) == 3

    @pytest.mark.parametrize(
        ("grade", "target", "eligible"),
        [(3, 4, True), (2, 4, False), (4, 5, True), (3, 5, False), (5, 3, False)],
    )
    def test_verified_grade_must_meet_the_offer(self, grade, target, eligible):
        assert is_eligible(grade, target, OFFERS) is eligible

    def test_an_ineligible_place_is_ranked_but_never_selected(self):
        placements = propose(
            [cand(1, "370321", 4, "90.00", target=5), cand(2, "370303", 3, "95.00", target=5)],
            pilot_quota=2,
            pre_pilot_quota=2,
            offers=OFFERS,
        )
        by_key = {p.key: p for p in placements}
        assert by_key[1].rank == 1 and by_key[1].eligible and by_key[1].outcome == PILOT
        assert by_key[2].rank == 2 and not by_key[2].eligible and by_key[2].outcome == NOT_SELECTED


class TestQuotas:
    def test_pilots_then_pre_pilots_then_not_selected(self):
        items = [cand(k, f"3703{k:02d}", 3, f"{90 - k}.00") for k in range(1, 7)]
        placements = propose(items, pilot_quota=2, pre_pilot_quota=3, offers=OFFERS)
        assert [p.outcome for p in placements] == [
            PILOT,
            PILOT,
            PRE_PILOT,
            PRE_PILOT,
            PRE_PILOT,
            NOT_SELECTED,
        ]
        assert all(p.proposed == p.outcome for p in placements)

    def test_ineligible_places_do_not_use_up_places(self):
        items = [
            cand(1, "370301", 5, "99.00", target=4),
            cand(2, "370302", 2, "98.00"),
            cand(3, "370303", 3, "50.00"),
        ]
        # 370302 meets only 2 stars: it is skipped, 370303 takes the pilot place
        placements = propose(items, pilot_quota=2, pre_pilot_quota=0, offers=OFFERS)
        assert outcomes(placements) == {1: PILOT, 2: NOT_SELECTED, 3: PILOT}

    def test_zero_quotas_select_nobody(self):
        placements = propose([cand(1, "370301", 5, "99.00")], pilot_quota=0, pre_pilot_quota=0, offers=OFFERS)
        assert outcomes(placements) == {1: NOT_SELECTED}


class TestOverrides:
    items = [cand(1, "370301", 4, "90.00"), cand(2, "370302", 4, "80.00"), cand(3, "370303", 3, "70.00")]

    def test_an_override_away_from_pilot_frees_the_place_for_the_next(self):
        placements = propose(
            self.items, pilot_quota=1, pre_pilot_quota=1, offers=OFFERS, overrides={1: NOT_SELECTED}
        )
        by_key = {p.key: p for p in placements}
        assert by_key[1].outcome == NOT_SELECTED and by_key[1].proposed == PILOT
        assert by_key[2].outcome == PILOT and by_key[2].proposed == PILOT
        assert by_key[3].outcome == PRE_PILOT

    def test_an_override_to_pilot_takes_a_pilot_place(self):
        placements = propose(
            self.items, pilot_quota=1, pre_pilot_quota=1, offers=OFFERS, overrides={3: PILOT}
        )
        assert outcomes(placements) == {1: PRE_PILOT, 2: NOT_SELECTED, 3: PILOT}

    def test_ranks_do_not_change_with_overrides(self):
        plain = propose(self.items, pilot_quota=1, pre_pilot_quota=1, offers=OFFERS)
        decided = propose(self.items, pilot_quota=1, pre_pilot_quota=1, offers=OFFERS, overrides={3: PILOT})
        assert [(p.key, p.rank) for p in plain] == [(p.key, p.rank) for p in decided]

    def test_overrides_beyond_the_quota_are_kept(self):
        placements = propose(
            self.items, pilot_quota=1, pre_pilot_quota=0, offers=OFFERS, overrides={2: PILOT, 3: PILOT}
        )
        assert outcomes(placements) == {1: NOT_SELECTED, 2: PILOT, 3: PILOT}
