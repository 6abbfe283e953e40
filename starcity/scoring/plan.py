"""The plan: a short, gentle path from grade G to grade G+1 (section 4 of the format).

Raising an indicator never breaks a rule, and the rules at grade L imply those at every lower
grade, so the target is reached exactly when the rules hold at L = G+1. The planner works on
integer units (see compiled.py) in four stages:

1. forced steps: mandatory indicators below the minimum at L, and failing gates (a gate step
   gives the gate's value, so it may keep the grade: from = to);
2. shortfalls, in order domain floors, coverage, total score: raise first the indicators that
   already have a step (no new step), then those that gain the most; an indicator is raised to
   the top grade N while the score is short (bands may need raises beyond L), else to L;
3. drop every step that is not needed, the least useful first (one pass suffices: dropping
   only lowers the state, and the rules are monotone, so a step needed once stays needed);
4. lower each remaining step as far as the rules allow, the largest raise first.

The plan is then minimal: dropping any one step misses the target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compiled import BOOLEAN, THRESHOLD, Compiled
from .result import Plan, PlanStep

if TYPE_CHECKING:
    from .engine import Tally
    from .values import EngineInput

__all__ = ["make_plan"]


def make_plan(
    c: Compiled, vec: tuple[EngineInput, ...], grades: list[int], tally: Tally, target: int
) -> Plan:
    """A minimal plan that brings the rules to hold at grade `target` (vetoes not blocking)."""
    planner = _Planner(c, grades, tally, target)
    planner.force(vec)
    planner.fill_domains()
    planner.fill_coverage()
    planner.fill_total()
    planner.drop_unneeded()
    planner.lower()
    return Plan(target, True, planner.steps())


class _Planner:
    """Mutable working state: grades h, units totals, and the needs at the target."""

    __slots__ = (
        "c",
        "cov",
        "dom",
        "fixed",
        "floor",
        "g",
        "h",
        "level",
        "lo",
        "need_cov",
        "need_dom",
        "need_tot",
        "tot",
    )

    def __init__(self, c: Compiled, grades: list[int], tally: Tally, level: int) -> None:
        self.c = c
        self.level = level
        self.g = grades
        self.h = list(grades)
        self.lo = list(grades)  # the lowest grade each indicator may end at
        self.fixed: set[int] = set()  # indicators with a gate step (a step even when from = to)
        self.tot = tally.tot
        self.dom = list(tally.dom)
        self.need_tot = c.band_units[level] - tally.bonus
        self.need_dom = c.floor_units[level]
        self.cov = tally.cov_at[level] if tally.cov_at is not None else 0
        self.need_cov = c.coverage_units[level] if c.coverage_units is not None else None
        self.floor = c.mandatory_min[level]

    def raise_to(self, i: int, grade: int) -> None:
        """Set indicator i to `grade` (up or down), keeping the totals in step."""
        old = self.h[i]
        if grade == old:
            return
        delta = self.c.weights[i] * (grade - old)
        self.tot += delta
        self.dom[self.c.domain_of[i]] += delta
        level = self.level
        if old < level <= grade:
            self.cov += self.c.weights[i]
        elif grade < level <= old:
            self.cov -= self.c.weights[i]
        self.h[i] = grade

    def force(self, vec: tuple[EngineInput, ...]) -> None:
        """Mandatory minimums at the target, then gates that fail (their value must move)."""
        c, h, lo = self.c, self.h, self.lo
        for i in c.mandatory:
            if h[i] < self.floor:
                lo[i] = c.n if c.kinds[i] == BOOLEAN else self.floor
                self.raise_to(i, lo[i])
        for i, signed_scale, key, grade in c.targets[self.level].gates:  # type: ignore[union-attr]
            x = vec[i]
            if x is None or (x[0] * signed_scale) // x[1] < key:  # type: ignore[index]
                self.fixed.add(i)
                lo[i] = max(lo[i], grade)
                self.raise_to(i, max(h[i], grade))

    def _stepped(self, i: int) -> bool:
        return self.h[i] > self.g[i] or i in self.fixed

    def fill_domains(self) -> None:
        """Close each domain floor with the domain's own indicators, biggest gain first."""
        need = self.need_dom
        if need is None:
            return
        c, h, n = self.c, self.h, self.c.n
        for d, units in enumerate(self.dom):
            if units >= need[d]:
                continue
            members = [i for i in range(len(h)) if c.domain_of[i] == d and h[i] < n]
            members.sort(key=lambda i: (not self._stepped(i), -c.weights[i] * (n - h[i]), i))
            for i in members:
                if self.dom[d] >= need[d]:
                    break
                self.raise_to(i, n)

    def fill_coverage(self) -> None:
        """Bring indicators to grade L until their weights reach the coverage, heaviest first."""
        if self.need_cov is None or self.cov >= self.need_cov:
            return
        c, h, level = self.c, self.h, self.level
        below = [i for i in range(len(h)) if h[i] < level]
        below.sort(key=lambda i: (not self._stepped(i), -c.weights[i], i))
        for i in below:
            if self.cov >= self.need_cov:
                break
            short = self.tot < self.need_tot or c.kinds[i] == BOOLEAN
            self.raise_to(i, c.n if short else level)

    def fill_total(self) -> None:
        """Raise indicators to grade N until the score band holds, biggest gain first."""
        if self.tot >= self.need_tot:
            return
        c, h, n = self.c, self.h, self.c.n
        open_ = [i for i in range(len(h)) if h[i] < n]
        open_.sort(key=lambda i: (not self._stepped(i), -c.weights[i] * (n - h[i]), i))
        for i in open_:
            if self.tot >= self.need_tot:
                break
            self.raise_to(i, n)

    def _fits(self, i: int, grade: int) -> bool:
        """Whether the rules still hold at the target with indicator i lowered to `grade`."""
        c, old = self.c, self.h[i]
        delta = c.weights[i] * (old - grade)
        if self.tot - delta < self.need_tot:
            return False
        if self.need_dom is not None:
            d = c.domain_of[i]
            if self.dom[d] - delta < self.need_dom[d]:
                return False
        if self.need_cov is not None and grade < self.level <= old:
            return self.cov - c.weights[i] >= self.need_cov
        return True

    def drop_unneeded(self) -> None:
        """Undo every step that the target does not need, the one that adds least first."""
        c, g, h = self.c, self.g, self.h
        droppable = [i for i in range(len(h)) if h[i] > g[i] and self.lo[i] == g[i] and i not in self.fixed]
        droppable.sort(key=lambda i: (c.weights[i] * (h[i] - g[i]), -i))
        for i in droppable:
            if self._fits(i, g[i]):
                self.raise_to(i, g[i])

    def lower(self) -> None:
        """Lower each step as far as the rules allow, the largest raise first."""
        c, h, lo = self.c, self.h, self.lo
        raised = [i for i in range(len(h)) if h[i] > lo[i] and c.kinds[i] != BOOLEAN]
        raised.sort(key=lambda i: (-c.weights[i] * (h[i] - lo[i]), i))
        for i in raised:
            grade = lo[i]
            while grade < h[i] and not self._fits(i, grade):
                grade += 1
            self.raise_to(i, grade)

    def steps(self) -> tuple[PlanStep, ...]:
        """The steps in the standard's order; measured ones carry their (gate-tightened) value."""
        c, g, h = self.c, self.g, self.h
        values = c.targets[self.level].step_values  # type: ignore[union-attr]
        out = []
        for i in range(len(h)):
            if h[i] > g[i] or i in self.fixed:
                table = values[i]
                value = table[h[i]] if c.kinds[i] == THRESHOLD and table is not None else None
                out.append(PlanStep(c.codes[i], g[i], h[i], value))
        return tuple(out)
