"""Builders for small standards and values used across the scoring tests."""

from __future__ import annotations

import copy
import itertools
import random
from pathlib import Path
from typing import Any

from starcity.scoring import Result, Standard, Values, score, standard_from_mapping, values_from_mapping

EXAMPLES = Path(__file__).resolve().parent / "examples"
GRADE_NAMES = ["一星级", "二星级", "三星级", "四星级", "五星级", "六星级", "七星级", "八星级", "九星级"]


def standard_mapping(
    n: int = 5,
    indicators: list[dict[str, Any]] | None = None,
    domains: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A valid standard mapping; indicators default to domain d1 and a name; `rules` merge in."""
    rules = {"score_bands": [str(20 * (k + 1) * 5 // n) for k in range(n)]}
    rules.update(extra.pop("rules", {}))
    domains = domains or [{"code": "d1", "name": "领域一", "weight": 100}]
    items = []
    for k, item in enumerate(indicators or [{"code": "A1", "method": "boolean", "weight": 100}]):
        full = {"domain": domains[0]["code"], "name": f"指标{k}"}
        full.update(item)
        items.append(full)
    data = {
        "schema": "starcity/standard@1",
        "code": "T-STD",
        "version": "1",
        "level": "county",
        "title": "测试标准",
        "provenance": "tests",
        "grades": GRADE_NAMES[:n],
        "domains": domains,
        "indicators": items,
        "rules": rules,
    }
    data.update(extra)
    return data


def make_standard(n: int = 5, indicators: list[dict[str, Any]] | None = None, **extra: Any) -> Standard:
    """`standard_from_mapping(standard_mapping(...))`."""
    return standard_from_mapping(standard_mapping(n, indicators, **extra))


def make_values(standard: Standard, values: dict[str, Any] | None = None, **extra: Any) -> Values:
    """Values for `standard` from a dict of indicator inputs (plus `bonus`, `vetoes`, …)."""
    data: dict[str, Any] = {"schema": "starcity/values@1", "values": values or {}}
    data.update(extra)
    return values_from_mapping(data, standard)


def run(standard: Standard, values: dict[str, Any] | None = None, **extra: Any) -> Result:
    """Score the given inputs."""
    return score(standard, make_values(standard, values, **extra))


def mutated(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `data` with `path` (dots and [i]) set to `value`, or deleted for DELETE."""
    out = copy.deepcopy(data)
    keys: list[Any] = []
    for part in path.replace("[", ".[").split("."):
        keys.append(int(part[1:-1]) if part.startswith("[") else part)
    target = out
    for key in keys[:-1]:
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return out


DELETE = object()


def random_standard(rng: random.Random, n: int | None = None, count: int | None = None) -> Standard:
    """A random valid standard: 1..9 grades, up to three domains, every method and rule."""
    n = n or rng.randint(1, 9)
    count = count or rng.randint(2, 9)
    domain_count = rng.randint(1, min(3, count))
    domain_weights = _split(100, domain_count, rng)
    domains = [{"code": f"d{k}", "name": f"领域{k}", "weight": str(w)} for k, w in enumerate(domain_weights)]
    members: list[list[int]] = [[k] for k in range(domain_count)]
    for k in range(domain_count, count):
        members[rng.randrange(domain_count)].append(k)
    items: list[dict[str, Any]] = [{} for _ in range(count)]
    for d, idx in enumerate(members):
        for k, w in zip(idx, _split(int(domain_weights[d] * 10), len(idx), rng), strict=True):
            items[k] = _random_indicator(rng, k, f"d{d}", w / 10, n)
    return standard_from_mapping(
        standard_mapping(n, items, domains=domains, rules=_random_rules(rng, n, items), **_extras(rng, n))
    )


def _split(total: int, parts: int, rng: random.Random) -> list[Any]:
    from decimal import Decimal

    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [Decimal(b - a) for a, b in itertools.pairwise(bounds)]


def _random_indicator(rng: random.Random, k: int, domain: str, weight: Any, n: int) -> dict[str, Any]:
    method = rng.choice(["threshold", "threshold", "ratio", "tiered", "boolean"])
    item: dict[str, Any] = {"code": f"I{k}", "domain": domain, "method": method, "weight": str(weight)}
    if rng.random() < 0.3:
        item["mandatory"] = True
    if method in ("threshold", "ratio"):
        points = sorted(rng.sample(range(1, 200), n))
        thresholds = [f"{p / 2:g}" for p in points]
        if rng.random() < 0.3:
            item["direction"] = "lower"
            thresholds.reverse()
        item["thresholds"] = thresholds
    elif method == "tiered":
        item["tiers"] = [f"档{t}" for t in range(n)]
    return item


def _random_rules(rng: random.Random, n: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    bands = sorted(rng.sample(range(1, 101), n))
    rules: dict[str, Any] = {"score_bands": bands}
    if rng.random() < 0.6:
        rules["domain_lag"] = rng.randint(0, 2)
    if rng.random() < 0.6:
        rules["mandatory_min"] = sorted(rng.randint(0, n) for _ in range(n))
    if rng.random() < 0.6:
        rules["coverage"] = [str(c / 10) for c in sorted(rng.randint(0, 10) for _ in range(n))]
    measured = [item for item in items if "thresholds" in item]
    if measured and rng.random() < 0.7:
        gates = []
        for _ in range(rng.randint(1, 2)):
            item = rng.choice(measured)
            gates.append(
                {
                    "indicator": item["code"],
                    "min_value": str(rng.randint(1, 100)),
                    "from_grade": rng.randint(1, n),
                }
            )
        rules["gates"] = gates
    if rng.random() < 0.5:
        rules["bonus_cap"] = rng.randint(0, 5)
    return rules


def _extras(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "bonus": [{"code": "B1", "name": "加分", "points": "2.5"}],
        "vetoes": [
            {"code": "V1", "name": "否决", "effect": "zero"},
            {"code": "V2", "name": "封顶", "effect": "cap", "cap": rng.randint(0, n - 1)},
        ],
    }


def random_inputs(standard: Standard, rng: random.Random) -> dict[str, Any]:
    """Random indicator inputs for `standard` (some missing), as a values mapping's `values`."""
    out: dict[str, Any] = {}
    n = standard.n_grades
    for ind in standard.indicators:
        if rng.random() < 0.1:
            continue
        if ind.method == "boolean":
            out[ind.code] = rng.random() < 0.7
        elif ind.method == "tiered":
            out[ind.code] = rng.randint(0, n)
        else:
            number = f"{rng.randint(0, 220) / 2:g}"
            out[ind.code] = {"numerator": number, "denominator": 100} if ind.method == "ratio" else number
    return out
