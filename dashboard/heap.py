"""Keeps the server's import-time objects out of the garbage collector's full passes.

Streamlit runs a full collection, ``gc.collect(2)``, after every script run unless
``runner.postScriptGC`` is off (it is, in .streamlit/config.toml); Python's own collector
still runs full passes as the heap grows. A full pass visits every tracked object, and once
the app's imports are in (Streamlit, pandas, plotly, SQLAlchemy, the core) that is ~185k
objects and took ~465 ms on this 2-core machine under load, holding the GIL, so every other
session's script run waits behind it. Under 20 concurrent sessions these passes, not the
pages, made most of a run's duration. ``gc.freeze()`` once, after the imports, moves what
exists then into a permanent generation that no pass visits (reference counting still frees
those objects); everything made later (sessions, caches, each run's garbage) is collected as
before. app.py calls it after a page has run, when the modules the pages import (pandas,
plotly) are in too; the first run's few live objects and caches frozen with them are
long-lived anyway.
"""

from __future__ import annotations

import gc
import threading

_once = threading.Lock()
_frozen = False


def freeze_once() -> None:
    """Freeze the objects alive now (the imports), the first time it is called in a process."""
    global _frozen
    with _once:
        if not _frozen:
            gc.freeze()
            _frozen = True
