"""Why a step of the list's action bar must wait: the reasons each service would refuse with,
read before the office presses the button."""

from starcity.calls.models import Call
from starcity.lists import workflow
from starcity.lists.models import SelectionList
from starcity.lists.services.forming import form_blockers, onsite_blockers
from starcity.lists.services.notice import final_blockers, notice_blockers

Action = workflow.Action


def blockers(selection_list: SelectionList, actions: list[str]) -> dict[str, str]:
    """For the action bar: why an available step must wait, by action."""
    checks = {
        Action.REFORM: lambda: form_blockers(selection_list.call),
        Action.START_ONSITE: lambda: onsite_blockers(selection_list),
        Action.PUBLISH_NOTICE: lambda: notice_blockers(selection_list),
        Action.PUBLISH_FINAL: lambda: final_blockers(selection_list),
    }
    found: dict[str, str] = {}
    for action, check in checks.items():
        if action in actions and (problems := check()):
            found[action] = " ".join(problems)
    return found


def call_blockers(call: Call) -> str:
    """For the list index: why the call's list cannot be formed now ("" when it can)."""
    return " ".join(form_blockers(call))
