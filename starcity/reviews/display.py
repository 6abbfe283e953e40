"""How the panel's tables name indicators and show values compactly, the full text one hover away.

A panel page shows every indicator once per table and every expert's value beside it; with tier
texts repeated in each cell and long indicator names wrapping, the chair's page ran to many screens.
The tables therefore show a tiered value as its grade ("3") with the tier's text as the cell's
title, an indicator as its code and a short name (the full name as the title), and the
aggregation rule by a short name. Pure: no database.
"""

import re
from typing import Any

from django.utils.translation import gettext_lazy

__all__ = ["SHORT_NAME_MAX", "compact_value", "rule_short_label", "short_name"]

SHORT_NAME_MAX = 12  # characters of a Chinese name (an English name gets three times as many)
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")

NO_TIER = gettext_lazy("未达到第 1 档")
RULE_SHORT_LABELS = {
    "trimmed_mean": gettext_lazy("去高低取平均"),
    "median": gettext_lazy("中位数"),
    "mean": gettext_lazy("平均数"),
    "majority": gettext_lazy("多数决"),
}


def short_name(name: str, limit: int = SHORT_NAME_MAX) -> str:
    """An indicator's name short enough for a table column: without a trailing note in brackets
    ("政务服务事项全程网办率（“一网通办”）" → "政务服务事项全程网办率") and cut to `limit` characters
    with "…" (three times as many for a name without Chinese characters)."""
    name = " ".join((name or "").split())
    stripped = _TRAILING_NOTE.sub("", name)
    if len(stripped) >= 4:
        name = stripped
    if not any("\u4e00" <= char <= "\u9fff" for char in name):
        limit *= 3
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def compact_value(indicator: Any, value: Any, full: str) -> tuple[str, str]:
    """(cell text, title) of a normalised value whose full text is `full`: a tiered value as its
    grade with the tier's text as the title; any other value as its full text, without title."""
    if indicator.method != "tiered" or isinstance(value, bool) or not isinstance(value, int):
        return full, ""
    tiers = indicator.tiers
    if value == 0:
        return "0", str(NO_TIER)
    return str(value), (tiers[value - 1] if 1 <= value <= len(tiers) else "")


def rule_short_label(rule: str) -> str:
    """The aggregation rule applied to an indicator, by a short name (the full one as title)."""
    return str(RULE_SHORT_LABELS.get(rule, rule))
