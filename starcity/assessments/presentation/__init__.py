"""What the pages show, built from the standard and a result dict (no rules, no database).

The result panel (`panel`), the indicator sections, bonus items, vetoes and the pre-submission
summary (`indicators`), the timeline lines (`timeline`), and the shared bits of read text
(`text`). Every sentence with punctuation is built through gettext (or in a `blocktranslate`),
so an English page shows no full-width "：（，".
"""

from starcity.assessments.presentation.indicators import (
    IndicatorView,
    bonus_rule,
    flag_rows,
    indicator_checks,
    indicator_rules,
    indicator_sections,
    shown_value,
    submission_summary,
)
from starcity.assessments.presentation.panel import (
    RADAR_LINE_CJK,
    RADAR_LINE_LATIN,
    grade_pill,
    limit_detail,
    plan_step_text,
    radar_options,
    result_panel,
    rule_label,
    warning_lines,
    wrap_axis_name,
)
from starcity.assessments.presentation.text import (
    clauses,
    enumeration,
    labelled,
    no_grade,
    stars,
    yes_no,
)
from starcity.assessments.presentation.timeline import audit_label, timeline_entries

__all__ = [
    "RADAR_LINE_CJK",
    "RADAR_LINE_LATIN",
    "IndicatorView",
    "audit_label",
    "bonus_rule",
    "clauses",
    "enumeration",
    "flag_rows",
    "grade_pill",
    "indicator_checks",
    "indicator_rules",
    "indicator_sections",
    "labelled",
    "limit_detail",
    "no_grade",
    "plan_step_text",
    "radar_options",
    "result_panel",
    "rule_label",
    "shown_value",
    "stars",
    "submission_summary",
    "timeline_entries",
    "warning_lines",
    "wrap_axis_name",
    "yes_no",
]
