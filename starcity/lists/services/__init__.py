"""The services of selection lists: forming and overriding, on-site review, notice, objections
and the final list. Each is one transaction that checks the workflow, locks the list and writes
an audit row."""

from starcity.lists.services.forming import (
    RESTORE,
    form_blockers,
    list_entry_override,
    onsite_blockers,
    selection_blockers,
    selection_list_form,
    selection_list_set_document,
)
from starcity.lists.services.notice import (
    final_blockers,
    notice_blockers,
    objection_lodge,
    objection_reject,
    objection_uphold,
    renotice_if_changed,
    selection_list_publish_final,
    selection_list_publish_notice,
)
from starcity.lists.services.onsite import (
    onsite_item_save,
    onsite_items_confirm_rest,
    onsite_photo_add,
    onsite_photo_remove,
    onsite_review_complete,
    onsite_review_save,
    selection_list_start_onsite,
)
from starcity.lists.services.steps import blockers, call_blockers

__all__ = [
    "RESTORE",
    "blockers",
    "call_blockers",
    "final_blockers",
    "form_blockers",
    "list_entry_override",
    "notice_blockers",
    "objection_lodge",
    "objection_reject",
    "objection_uphold",
    "onsite_blockers",
    "onsite_item_save",
    "onsite_items_confirm_rest",
    "onsite_photo_add",
    "onsite_photo_remove",
    "onsite_review_complete",
    "onsite_review_save",
    "renotice_if_changed",
    "selection_blockers",
    "selection_list_form",
    "selection_list_publish_final",
    "selection_list_publish_notice",
    "selection_list_set_document",
    "selection_list_start_onsite",
]
