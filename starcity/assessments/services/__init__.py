"""Writes of self-assessments: create, rename, save answers, import Excel, evidence, submit, copy.

Every service locks the assessment row, checks the workflow edge for the acting user, changes
everything or nothing in one transaction, and writes an audit row on the assessment (so its
timeline shows evidence and imports too).
"""

from starcity.assessments.services.assessments import (
    assessment_copy,
    assessment_create,
    assessment_import_excel,
    assessment_preview,
    assessment_rename,
    assessment_save_answers,
    assessment_submit,
)
from starcity.assessments.services.evidence import evidence_attach, evidence_remove
from starcity.assessments.services.values import AnswersInvalid, answers_invalid, indicator_label

__all__ = [
    "AnswersInvalid",
    "answers_invalid",
    "assessment_copy",
    "assessment_create",
    "assessment_import_excel",
    "assessment_preview",
    "assessment_rename",
    "assessment_save_answers",
    "assessment_submit",
    "evidence_attach",
    "evidence_remove",
    "indicator_label",
]
