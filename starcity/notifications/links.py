"""Which addresses a notification may send a user to: only paths on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_local_path(url: str | None) -> str | None:
    """The address itself when it is a path on this site ("/calls/3/"), else None.

    Refused: absolute addresses ("https://…"), scheme-relative ones ("//host/…", "/\\host/…"),
    relative paths without a leading slash, and anything carrying control characters or spaces,
    so a stored link can never redirect a user to another site."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return None
    return url
