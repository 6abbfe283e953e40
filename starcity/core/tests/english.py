"""English for msgids added to the source but not yet in `locale/en` (the catalogue is updated
with `make messages` by whoever owns it). Tests that read English pages wrap themselves in
`pending_english()`; an entry the real catalogue already has is left alone, so once the
catalogue is updated this changes nothing."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real

CONTEXT_SEPARATOR = "\x04"

# msgid (or "context\x04msgid") → English
PENDING: dict[str, str] = {
    "越高越好": "Higher is better",
    "一票否决": "Veto (grade 0)",
    "限定最高等级": "Caps the grade",
    "页面已过期": "Page expired",
}


@contextmanager
def pending_english() -> Iterator[None]:
    """Add the English of the pending msgids to the loaded English catalogue, for the block."""
    catalogue = trans_real.translation("en")._catalog
    added = [key for key in PENDING if key not in catalogue]
    for key in added:
        catalogue[key] = PENDING[key]
    try:
        yield
    finally:
        for key in added:
            catalogue._catalogs[0].pop(key, None)
