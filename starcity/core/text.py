"""Small pieces of read text shared by every app: lists written the way the language writes them."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import pgettext


def enumeration(items: Iterable[Any]) -> str:
    """Items as one enumeration: "甲、乙、丙" in Chinese, "a, b, c" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def clauses(items: Iterable[Any]) -> str:
    """Clauses as one sentence: "甲；乙" in Chinese, "a; b" in English."""
    return pgettext("clause separator", "；").join(str(item) for item in items)
