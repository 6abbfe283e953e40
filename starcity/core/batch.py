"""Helpers for bulk work done in one request or command."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk computation.

    Drawing or aggregating a province's worth of panels allocates hundreds of thousands of small
    acyclic objects (rows, dicts, fractions); each one triggers the collector's generational
    passes, which walk every live object, so the passes grow with the heap and dominate the time
    (measured in `make bench`). Reference counting still frees everything at once; the collector
    runs again when the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
