"""Small pieces of read text shared by the pages: list separators, "label：text", yes/no, the
name of grade 0, an item's name in the page's language and its "code name" label."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from starcity.scoring import Standard

STAR, EMPTY_STAR = "★", "☆"


def item_name(item: Any, lang: str) -> str:
    """A standard item's name in the page's language (its English name when it has one)."""
    return (getattr(item, "name_en", None) or item.name) if lang == "en" else item.name


def enumeration(items: Iterable[Any]) -> str:
    """Items as one enumeration: "甲、乙、丙" in Chinese, "a, b, c" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def clauses(items: Iterable[Any]) -> str:
    """Clauses as one sentence: "甲；乙" in Chinese, "a; b" in English."""
    return pgettext("clause separator", "；").join(str(item) for item in items)


def labelled(label: str, text: str) -> str:
    """The label and the text as one: "label：text" ("label: text" in English)."""
    return _("%(indicator)s：%(message)s") % {"indicator": label, "message": text}


def stars(grade: int, n_grades: int) -> str:
    """The grade as stars: "★★★☆☆" for grade 3 of 5."""
    return STAR * grade + EMPTY_STAR * max(0, n_grades - grade)


def no_grade() -> str:
    """How grade 0 reads everywhere (lists, panel, messages)."""
    return _("未达星级")


def item_label(standard: Standard, code: str | None, lang: str) -> str:
    """How a line names an indicator, domain, bonus item or veto: "H01 政务服务…" (the code alone
    when the standard has no such item)."""
    if not code:
        return ""
    items: dict[str, Any] = {**standard.indicator_map, **standard.domain_map}
    extras: tuple[Any, ...] = (*standard.bonus, *standard.vetoes)
    items.update({item.code: item for item in extras})
    return f"{code} {item_name(items[code], lang)}" if code in items else code


def yes_no(value: Any) -> str:
    """A flag as read: 是 for True, 否 otherwise."""
    return _("是") if value is True else _("否")
