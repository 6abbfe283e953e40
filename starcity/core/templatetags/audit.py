"""`{{ entry.action|action_label }}`: the translated name of an audit action."""

from django import template

from starcity.core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)
