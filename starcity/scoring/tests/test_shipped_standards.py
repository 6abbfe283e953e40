"""The standards shipped in `standards/` load, and every plan on random values is valid."""

import random
from pathlib import Path

import pytest

from starcity.scoring import load_standard_file, score
from starcity.scoring.synthetic import random_batch
from starcity.scoring.verify import plan_problems

SHIPPED = sorted((Path(__file__).resolve().parents[3] / "standards").glob("*.yaml"))


@pytest.mark.skipif(not SHIPPED, reason="no shipped standards")
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_standard_scores_with_valid_plans(path):
    standard = load_standard_file(path)
    for values in random_batch(standard, 25, random.Random(path.name)):
        result = score(standard, values)
        assert plan_problems(standard, values, result) == []
