"""The rating standard as immutable data (`starcity/standard@1`).

Numbers are exact `Fraction`s; `Standard.raw` keeps the file's content as plain JSON-able data
(numbers as ints or decimal strings) so that it can be stored and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compiled import Compiled

__all__ = [
    "MEASURED",
    "METHODS",
    "BonusItem",
    "Domain",
    "Gate",
    "Indicator",
    "Rules",
    "Standard",
    "Veto",
]

METHODS = ("threshold", "ratio", "tiered", "boolean")
MEASURED = ("threshold", "ratio")  # methods whose input is a number compared with thresholds


@dataclass(frozen=True)
class Domain:
    """A domain (惠民, 优政, …) with its weight; its indicators' weights add up to it."""

    code: str
    name: str
    weight: Fraction
    name_en: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One indicator: how its input becomes a grade 0..N, and its weight within its domain."""

    code: str
    domain: str
    name: str
    method: str
    weight: Fraction
    direction: str = "higher"
    thresholds: tuple[Fraction, ...] = ()
    tiers: tuple[str, ...] = ()
    mandatory: bool = False
    name_en: str | None = None
    definition: str | None = None
    unit: str | None = None
    evidence: tuple[str, ...] = ()

    @property
    def measured(self) -> bool:
        """True for threshold and ratio indicators, whose input is compared with thresholds."""
        return self.method in MEASURED


@dataclass(frozen=True)
class BonusItem:
    """A bonus item: its points count when it is given as true."""

    code: str
    name: str
    points: Fraction
    name_en: str | None = None


@dataclass(frozen=True)
class Veto:
    """A veto: `zero` sets the grade to 0, `cap` limits it to `cap`."""

    code: str
    name: str
    effect: str
    cap: int | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class Gate:
    """From grade `from_grade` on, `indicator` must be given and meet `min_value`."""

    indicator: str
    min_value: Fraction
    from_grade: int


@dataclass(frozen=True)
class Rules:
    """The rules that turn a total score and indicator grades into an overall grade."""

    score_bands: tuple[Fraction, ...]
    mandatory_min: tuple[int, ...]
    bonus_cap: Fraction | None = None
    domain_lag: int | None = None
    coverage: tuple[Fraction, ...] | None = None
    gates: tuple[Gate, ...] = ()


@dataclass(frozen=True)
class Standard:
    """A validated rating standard. Build it with `load_standard` or `standard_from_mapping`."""

    code: str
    version: str
    level: str
    title: str
    provenance: str
    grades: tuple[str, ...]
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]
    rules: Rules
    title_en: str | None = None
    bonus: tuple[BonusItem, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def key(self) -> str:
        """`CODE@VERSION`, as a values file names its standard."""
        return f"{self.code}@{self.version}"

    @property
    def n_grades(self) -> int:
        """N, the number of grades."""
        return len(self.grades)

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (KeyError when there is none)."""
        return self.indicator_map[code]

    @cached_property
    def indicator_map(self) -> dict[str, Indicator]:
        """Indicators by code, in the standard's order."""
        return {ind.code: ind for ind in self.indicators}

    @cached_property
    def domain_map(self) -> dict[str, Domain]:
        """Domains by code, in the standard's order."""
        return {dom.code: dom for dom in self.domains}

    @cached_property
    def compiled(self) -> Compiled:
        """The integer form the engine scores with, built once per standard."""
        from .compiled import compile_standard

        return compile_standard(self)
