"""Synthetic standards and random values, for benchmarks and property tests.

`synthetic_standard()` builds a 49-indicator city-like standard that uses every rule of the
format (all four methods, both directions, mandatory minimums, domain floor, coverage, two gates
on one indicator, capped bonus, zero and cap vetoes). `random_values()` draws varied inputs:
some missing, some vetoed, good and poor regions alike.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from typing import Any

from .load import standard_from_mapping
from .model import Indicator, Standard
from .values import Values, values_from_mapping

__all__ = [
    "Sampler",
    "random_batch",
    "random_values",
    "random_values_mapping",
    "synthetic_standard",
    "synthetic_standard_mapping",
]

_DOMAINS = (
    ("huimin", "惠民", 35, 14),
    ("youzheng", "优政", 25, 12),
    ("xingye", "兴业", 15, 9),
    ("qiangji", "强基", 25, 14),
)


def _split(total: int, parts: int, rng: random.Random) -> list[Decimal]:
    """`parts` positive weights with one decimal that add up to exactly `total`."""
    tenths = total * 10
    cuts = sorted(rng.sample(range(1, tenths), parts - 1))
    bounds = [0, *cuts, tenths]
    return [Decimal(b - a) / 10 for a, b in itertools.pairwise(bounds)]


def _indicator(code: str, domain: str, weight: Decimal, rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    entry: dict[str, Any] = {"code": code, "domain": domain, "name": f"指标 {code}", "weight": str(weight)}
    if roll < 0.5:
        entry.update(method="threshold", thresholds=[50, 65, 80, 90, 98])
    elif roll < 0.6:
        entry.update(method="threshold", direction="lower", thresholds=["15", "10", "7.5", "5", "3"])
    elif roll < 0.75:
        entry.update(method="ratio", thresholds=[20, 40, 60, 80, 95])
    elif roll < 0.9:
        entry.update(method="tiered", tiers=["规划", "建成", "接入", "场景", "联动"])
    else:
        entry.update(method="boolean")
    return entry


def synthetic_standard_mapping(indicators: int = 49, seed: int = 0) -> dict[str, Any]:
    """The raw mapping of a synthetic city standard with `indicators` indicators (≥ 8)."""
    rng = random.Random(seed)
    share = [count * indicators // 49 for *_, count in _DOMAINS]
    share[0] += indicators - sum(share)
    items: list[dict[str, Any]] = []
    for (code, _name, weight, _count), count in zip(_DOMAINS, share, strict=True):
        for k, w in enumerate(_split(weight, count, rng)):
            items.append(_indicator(f"{code[0].upper()}{k + 1:02d}", code, w, rng))
    measured = [item for item in items if item["method"] == "threshold" and "direction" not in item]
    for item in items[::8]:
        item["mandatory"] = True
    return {
        "schema": "starcity/standard@1",
        "code": "SYN-CITY",
        "version": f"{indicators}-{seed}",
        "level": "city",
        "title": f"合成市级标准 ({indicators} 个指标)",
        "provenance": "Synthetic standard for benchmarks and property tests.",
        "grades": ["一星级", "二星级", "三星级", "四星级", "五星级"],
        "domains": [{"code": c, "name": n, "weight": w} for c, n, w, _ in _DOMAINS],
        "indicators": items,
        "bonus": [
            {"code": f"B0{k}", "name": f"加分 {k}", "points": p} for k, p in ((1, 2), (2, "1.5"), (3, 3))
        ],
        "vetoes": [
            {"code": "V01", "name": "重大网络安全事件", "effect": "zero"},
            {"code": "V02", "name": "弄虚作假", "effect": "zero"},
            {"code": "V03", "name": "较大数据安全问题", "effect": "cap", "cap": 3},
        ],
        "rules": _rules(measured[0]["code"] if measured else None),
    }


def _rules(gated: str | None) -> dict[str, Any]:
    gates = [
        {"indicator": gated, "min_value": 82, "from_grade": 4},
        {"indicator": gated, "min_value": "87.5", "from_grade": 5},
    ]
    return {
        "score_bands": [20, 40, 60, 75, 88],
        "bonus_cap": 5,
        "domain_lag": 1,
        "mandatory_min": [1, 2, 3, 3, 4],
        "coverage": [0, 0, "0.5", "0.6", "0.75"],
        "gates": gates if gated else [],
    }


def synthetic_standard(indicators: int = 49, seed: int = 0) -> Standard:
    """A validated synthetic standard (see `synthetic_standard_mapping`)."""
    return standard_from_mapping(synthetic_standard_mapping(indicators, seed))


_SCALE = 1000  # random measured values have up to three decimals


def _text(thousandths: int) -> str:
    whole, frac = divmod(max(0, thousandths), _SCALE)
    return f"{whole}.{frac:03d}".rstrip("0").rstrip(".")


class Sampler:
    """Draws random values mappings for one standard (prepared once, then cheap per draw)."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.keys = {ind.code: [int(t * _SCALE) for t in ind.thresholds] for ind in standard.indicators}

    def mapping(self, rng: random.Random) -> dict[str, Any]:
        """A random values mapping: quality varies per region; ~4% missing, some vetoes and bonus."""
        quality = 0.35 + 0.7 * rng.random()
        std = self.standard
        values = {ind.code: self._value(ind, quality, rng) for ind in std.indicators if rng.random() > 0.04}
        return {
            "schema": "starcity/values@1",
            "values": values,
            "bonus": {b.code: rng.random() < 0.3 for b in std.bonus},
            "vetoes": {v.code: rng.random() < 0.03 for v in std.vetoes},
        }

    def _value(self, ind: Indicator, quality: float, rng: random.Random) -> Any:
        n = self.standard.n_grades
        aim = min(n, max(0, round(rng.gauss(quality * n, 1.0))))
        if ind.method == "boolean":
            return rng.random() < 0.4 + 0.6 * quality
        if ind.method == "tiered":
            return aim
        keys = self.keys[ind.code]
        step = max(2, abs(keys[-1] - keys[0]) // len(keys))
        sign = -1 if ind.direction == "lower" else 1
        if aim == 0:
            number = keys[0] - sign * rng.randint(1, step)
        else:
            number = keys[aim - 1] + sign * rng.randint(0, step - 1)
        if ind.method == "ratio":
            return {"numerator": _text(number * 3), "denominator": 300}
        return _text(number)


def random_values_mapping(standard: Standard, rng: random.Random) -> dict[str, Any]:
    """One random values mapping for `standard` (see `Sampler.mapping`)."""
    return Sampler(standard).mapping(rng)


def random_batch(standard: Standard, n: int, rng: random.Random) -> list[Values]:
    """`n` random validated values for `standard`."""
    sampler = Sampler(standard)
    return [values_from_mapping(sampler.mapping(rng), standard) for _ in range(n)]


def random_values(standard: Standard, rng: random.Random) -> Values:
    """Random validated values for `standard` (see `random_values_mapping`)."""
    return values_from_mapping(random_values_mapping(standard, rng), standard)
