"""Wording of the self-assessment pages: no full-width punctuation outside translated text (an
English page would show it), one name for core indicators, grade 0 named, not "0 星"."""

import re

from django.conf import settings

from starcity.assessments.presentation import no_grade, rule_label

TEMPLATES = settings.BASE_DIR / "templates" / "assessments"
FULL_WIDTH = set("：（），、；")
TRANSLATED = [
    re.compile(r"\{%\s*blocktranslate.*?%\}.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}"),
    re.compile(r"\{#.*?#\}", re.S),
]


def untranslated_text(path) -> str:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    for pattern in TRANSLATED:
        text = pattern.sub("", text)
    return text


def test_full_width_punctuation_only_inside_translated_text():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(untranslated_text(path).splitlines(), start=1):
            if FULL_WIDTH & set(line):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_core_indicators_have_one_name():
    for path in sorted(TEMPLATES.rglob("*.html")):
        assert "必达" not in path.read_text(encoding="utf-8"), path
    assert rule_label("mandatory") == "核心指标"


def test_grade_zero_is_named(draft):
    assert draft.grade == 0
    assert draft.grade_label == no_grade() == "未达星级"
