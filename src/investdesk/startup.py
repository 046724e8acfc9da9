"""What a process makes once and keeps: modules, classes, SQLAlchemy mappers, WeasyPrint's tables and fonts.

Python's cyclic garbage collector runs every few hundred new objects and, now and then, walks every object the
process holds. Loading a command's modules makes several hundred thousand objects that live as long as the process,
so while they pile up each full walk is longer than the last: a quarter of the CPU time of a brief made at the
command line went to collections that found nothing to free. ``long_lived()`` pauses the collector while such
objects are made, then moves everything made so far out of its sight (``gc.freeze()``), so later collections walk
only what the work itself makes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Make objects that stay for the life of the process with the collector paused, then freeze them."""
    if not gc.isenabled():  # paused by a caller: theirs to resume
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@contextmanager
def set_aside(*, collect: bool = False) -> Iterator[None]:
    """Freeze every object alive now for the duration (after a collection, with ``collect``), so the collector's
    passes meanwhile walk only what is made since; frozen objects are still freed by their reference counts. At
    the end they are given back, unless some were frozen before: those are another's to keep (the command line's
    modules, a server's start-up, an import running alongside), and everything stays frozen."""
    thaw = gc.get_freeze_count() == 0
    if collect:
        gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if thaw:
            gc.unfreeze()
