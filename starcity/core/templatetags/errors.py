"""`{{ exception|human_error:request.path }}`: the message of a 403 or 404, when it is one a
person should read."""

import re

from django import template

register = template.Library()

# What Django's error views pass when an exception carries no sentence: its class name
# ("Resolver404" for an unknown URL, "Http404"), or get_object_or_404's English model message.
_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_MODEL_MESSAGE = re.compile(r"No .+ matches the given query\.")


@register.filter
def human_error(exception: object, path: str = "") -> str:
    """The exception's message, or "" when it is a class name, Django's internal "No … matches
    the given query." or the requested path itself."""
    text = str(exception or "").strip()
    if not text or text == path or _CLASS_NAME.fullmatch(text) or _MODEL_MESSAGE.fullmatch(text):
        return ""
    return text
