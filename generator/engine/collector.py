"""Pausing Python's garbage collector while a build makes many objects it keeps.

The collector runs after every few hundred new objects and, every so often, walks every
object the process holds: while a build loads its catalog from the cache (millions of
objects) or plans 10,000 pages, it walks them again and again and finds nothing to free.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the block (on again after, if it was on before): for work
    that makes many objects and keeps them, not for work that makes garbage cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
