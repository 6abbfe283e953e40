"""Rating standards as data, and the exact scoring engine (pure Python: stdlib and PyYAML only).

Formats and arithmetic follow `starcity/standard@1` and `starcity/values@1`:

    standard = load_standard_file("standards/sd-city.yaml")      # or standard_from_mapping(raw)
    values = values_from_mapping({"schema": "starcity/values@1", "values": {...}}, standard)
    result = score(standard, values)
    result_to_dict(result, lang="zh")                            # the JSON of section 4

Refused inputs raise `StandardInvalid` / `ValuesInvalid`, whose `.errors` are `Problem`s.
"""

from .engine import score
from .load import load_standard, load_standard_file, standard_from_mapping
from .model import BonusItem, Domain, Gate, Indicator, Rules, Standard, Veto
from .numeric import exact_text, half_up
from .problems import Problem, ScoringInputError, StandardInvalid, ValuesInvalid
from .result import (
    DomainScore,
    IndicatorScore,
    Limit,
    Plan,
    PlanStep,
    Result,
    result_to_dict,
    result_to_json,
)
from .values import Ratio, Values, load_values, load_values_file, values_from_mapping
from .verify import apply_steps, plan_problems

__all__ = [
    "BonusItem",
    "Domain",
    "DomainScore",
    "Gate",
    "Indicator",
    "IndicatorScore",
    "Limit",
    "Plan",
    "PlanStep",
    "Problem",
    "Ratio",
    "Result",
    "Rules",
    "ScoringInputError",
    "Standard",
    "StandardInvalid",
    "Values",
    "ValuesInvalid",
    "Veto",
    "apply_steps",
    "exact_text",
    "half_up",
    "load_standard",
    "load_standard_file",
    "load_values",
    "load_values_file",
    "plan_problems",
    "result_to_dict",
    "result_to_json",
    "score",
    "standard_from_mapping",
    "values_from_mapping",
]
