"""Benchmark of the engine: scorings per second, plan included, on one core.

    python -m starcity.scoring.bench [STANDARD.yaml] [-n 20000] [--seed 1]

Without a standard file it uses the 49-indicator synthetic standard (see synthetic.py).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from .engine import score
from .load import load_standard_file
from .model import Standard
from .synthetic import random_batch, synthetic_standard

__all__ = ["bench_engine", "main"]


def bench_engine(standard: Standard, n: int, seed: int) -> dict[str, float | int]:
    """Score `n` random values (drawn with `seed`; parsing not timed) and time it, plan included.

    Returns {"n", "seconds", "per_second"}.
    """
    rng = random.Random(seed)
    batch = random_batch(standard, n, rng)
    score(standard, batch[0])  # compile the standard outside the timing
    start = time.perf_counter()
    for values in batch:
        score(standard, values)
    seconds = time.perf_counter() - start
    return {"n": n, "seconds": seconds, "per_second": n / seconds if seconds > 0 else float("inf")}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the benchmark of a standard file, or of the synthetic 49-indicator standard."""
    parser = argparse.ArgumentParser(prog="python -m starcity.scoring.bench")
    parser.add_argument("standard", nargs="?")
    parser.add_argument("-n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    standard = load_standard_file(args.standard) if args.standard else synthetic_standard(49)
    figures = bench_engine(standard, args.n, args.seed)
    print(
        f"{standard.key}: {len(standard.indicators)} indicators, {figures['n']} scorings "
        f"in {figures['seconds']:.3f} s = {figures['per_second']:.0f}/s (plan included)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
