"""Pausing Python's cycle collector while many objects with no cycles among them are made.

A parse, an index build or an unpickled index makes millions of small tuples and strings and frees
almost none; the collector's full passes would walk them again and again for nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused for the block; its previous state is restored on exit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
