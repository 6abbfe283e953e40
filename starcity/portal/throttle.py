"""How often one network address may lodge objections on the public pages: at most
`OBJECTION_LIMIT` in `OBJECTION_WINDOW` seconds (counted in the cache), so the office's queue
cannot be flooded from one place. The address is the request's REMOTE_ADDR, or the header named
by the setting `STARCITY_CLIENT_IP_HEADER` (e.g. "HTTP_X_REAL_IP") when a trusted proxy sets it."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

OBJECTION_LIMIT = 5
OBJECTION_WINDOW = 10 * 60


def client_address(request: HttpRequest) -> str:
    """The address the request came from (the proxy's header when one is configured)."""
    header = getattr(settings, "STARCITY_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() if value else "") or request.META.get("REMOTE_ADDR", "") or "?"


def _key(request: HttpRequest) -> str:
    return f"portal:objections:{client_address(request)}"


def objection_refusal(request: HttpRequest) -> str:
    """Why this address may not lodge another objection now ("" while it may)."""
    if (cache.get(_key(request)) or 0) < OBJECTION_LIMIT:
        return ""
    return _("提交过于频繁：同一网络地址 %(minutes)d 分钟内最多提交 %(limit)d 条异议，请稍后再试。") % {
        "minutes": OBJECTION_WINDOW // 60,
        "limit": OBJECTION_LIMIT,
    }


def objection_counted(request: HttpRequest) -> None:
    """Count one objection from this address (the window starts with its first one)."""
    key = _key(request)
    if not cache.add(key, 1, OBJECTION_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, OBJECTION_WINDOW)
