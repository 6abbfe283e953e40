"""Writes of the review's panels: the draw, members' answers and the office's adjustments,
scorecards and discussion notes.

Every service locks the rows it changes, checks the workflow edge for the acting user, changes
everything or nothing in one transaction, writes an audit row on the panel and notifies whoever
must act next. The pool's services (experts, conflicts) live in `services/experts.py`; the panel's
conclusion (aggregation, resolutions) in `starcity.reviews.conclusion`.
"""

from starcity.reviews.services.draw import call_draw, panel_draw
from starcity.reviews.services.members import (
    member_accept,
    member_decline,
    member_replace,
    member_vacate_for_conflict,
    panel_set_chair,
)
from starcity.reviews.services.scorecards import (
    discussion_note_add,
    entry_from_text,
    entry_text,
    scorecard_prefill,
    scorecard_save,
    scorecard_submit,
)

__all__ = [
    "call_draw",
    "discussion_note_add",
    "entry_from_text",
    "entry_text",
    "member_accept",
    "member_decline",
    "member_replace",
    "member_vacate_for_conflict",
    "panel_draw",
    "panel_set_chair",
    "scorecard_prefill",
    "scorecard_save",
    "scorecard_submit",
]
