"""One switch for the cyclic garbage collector, for everyone who needs it off for a while.

The loader turns it off while it reads (millions of short-lived containers and no cycles), and the app
while keys come (a full collection in the middle of a key press is a visible pause). Both may do so at the
same time, in different threads: a load in a worker while the user types. Each holds the collector and
releases it; it is on again only when the last holder has let go, and only if it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_holders = 0
_was_enabled = True


def hold() -> None:
    """The collector stays off until every `hold` has been released."""
    global _holders, _was_enabled
    with _LOCK:
        if _holders == 0:
            _was_enabled = gc.isenabled()
        _holders += 1
        gc.disable()


def release() -> None:
    """One hold let go; the last one turns the collector back on if it was on before the first."""
    global _holders
    with _LOCK:
        if _holders == 0:
            return
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()


@contextmanager
def held() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        release()
