"""Writes of calls and applications: every service locks its row, checks the workflow edge for
the acting user, changes everything or nothing in one transaction, writes an audit row and
notifies whoever must act next."""

from starcity.calls.services.applications import (
    ApplicationExists,
    application_create,
    application_save_tasks,
    application_update,
    material_attach,
    material_remove,
)
from starcity.calls.services.calls import (
    call_check,
    call_close,
    call_create,
    call_publish,
    call_update,
    call_update_calendar,
    extension_grant,
)
from starcity.calls.services.chain import (
    BundleResult,
    application_accept,
    application_city_approve,
    application_city_return,
    application_province_return,
    application_send_to_city,
    application_withdraw,
    bundle_submit,
)
from starcity.calls.services.guards import DeadlinePassed
from starcity.calls.services.reminders import deadline_reminders_send

__all__ = [
    "ApplicationExists",
    "BundleResult",
    "DeadlinePassed",
    "application_accept",
    "application_city_approve",
    "application_city_return",
    "application_create",
    "application_province_return",
    "application_save_tasks",
    "application_send_to_city",
    "application_update",
    "application_withdraw",
    "bundle_submit",
    "call_check",
    "call_close",
    "call_create",
    "call_publish",
    "call_update",
    "call_update_calendar",
    "deadline_reminders_send",
    "extension_grant",
    "material_attach",
    "material_remove",
]
