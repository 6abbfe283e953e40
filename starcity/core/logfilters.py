"""Logging filters: a refused or missing page is the client's doing, not a fault of the server."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep the one-line record of a 4xx answer (403, 404, bad request) but drop its traceback.

    Django logs every PermissionDenied and Http404 with the exception attached, so each refused
    page would write a full traceback at WARNING. 5xx answers keep theirs: they are faults.
    Records of `django.security.*` (suspicious requests, answered with 400) are treated alike,
    except a suspicious file operation, which can reveal a fault of the code. Attached to the
    console handler only, so another handler (mail to administrators) still gets the traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = isinstance(status, int) and 400 <= status < 500
        security = record.name.startswith("django.security.") and not record.name.endswith(
            "SuspiciousFileOperation"
        )
        if client_error or security:
            record.exc_info = None
            record.exc_text = None
        return True
