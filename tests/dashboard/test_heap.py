"""The import-time heap is frozen once, after the first page run, out of the full GC's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import heap
from tests.dashboard.conftest import sign_in


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process with nothing frozen yet; unfrozen again afterwards (pytest's heap is no app)."""
    gc.unfreeze()
    monkeypatch.setattr(heap, "_frozen", False)
    yield
    gc.unfreeze()


def test_freeze_once_freezes_what_is_alive_and_only_once(unfrozen: None) -> None:
    alive = len(gc.get_objects())
    heap.freeze_once()
    frozen = gc.get_freeze_count()
    assert frozen >= alive * 0.9  # everything tracked then, bar what the call itself dropped
    assert len(gc.get_objects()) < alive / 10  # what a full pass still visits
    keep = [[i] for i in range(1000)]  # made later: not frozen by a second call
    heap.freeze_once()
    # nothing new frozen (a frozen object freed since may lower the count by a few)
    assert frozen - 100 <= gc.get_freeze_count() <= frozen
    assert keep


def test_the_app_freezes_after_the_first_page_run(ledger_dir: Path, unfrozen: None) -> None:
    at = sign_in("owner@example.com")
    assert [t.value for t in at.title] == ["CEO report"]
    assert gc.get_freeze_count() > 100_000  # streamlit, pandas, plotly and the core are in


def test_streamlit_runs_no_full_collection_after_every_script_run() -> None:
    import tomllib

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    # each pass visits every session's objects holding the GIL: ~27% of the server's wall time
    # under 20 sessions (bench/README.md); Python's own full passes still run
    assert config["runner"]["postScriptGC"] is False
