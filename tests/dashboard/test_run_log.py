"""The per-run timing log: off by default, a JSON line per script run when BENCH_RUN_LOG is set."""

from __future__ import annotations

import gc
import json
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from dashboard import run_log
from tests.dashboard.conftest import sign_in


def test_off_by_default_is_a_null_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_log.ENV, raising=False)
    assert isinstance(run_log.script_run(), nullcontext)


def test_a_run_ended_by_an_exception_is_logged_and_the_exception_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    with run_log.script_run():
        time.sleep(0.02)
    with pytest.raises(KeyError), run_log.script_run():
        raise KeyError("x")
    first, second = (json.loads(line) for line in log.read_text().splitlines())
    assert first["ended"] == "done" and first["ms"] >= 20 and first["cpu_ms"] < first["ms"]
    assert second["ended"] == "KeyError"
    assert first["page"] is None  # outside a Streamlit run: no page, no session
    assert first["rss_mb"] > 10 and abs(first["t"] - time.time()) < 60


def test_app_times_nothing_without_the_variable(
    ledger_dir: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    timed: list[Path] = []
    monkeypatch.delenv(run_log.ENV, raising=False)
    monkeypatch.setattr(run_log, "_timed", timed.append)  # would break the run if called
    empty = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(empty)
    at = sign_in("owner@example.com")
    assert [t.value for t in at.title] == ["CEO report"]
    assert timed == [] and list(empty.iterdir()) == []


def test_app_logs_every_run_with_its_page_when_set(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    at = sign_in("owner@example.com")  # sign-in form, then the CEO page
    at.switch_page("views/cfo.py").run()
    assert [t.value for t in at.title] == ["CFO report"]
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    runs = [r for r in lines if "ms" in r]  # the others are full garbage collections
    assert runs[0]["ended"] == "StopException"  # the signed-out run stops after the form
    assert runs[-1]["page"] == "cfo" and runs[-1]["ended"] == "done"
    assert "ceo" in {r["page"] for r in runs}
    assert len({r["session"] for r in runs}) == 1
    assert all(r["ms"] > 0 and r["rss_mb"] > 10 for r in runs)


def test_full_collections_are_logged_apart_from_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    with run_log.script_run():
        pass
    gc.collect(1)  # a young collection: not logged
    before = time.time()
    gc.collect(2)  # what Streamlit's postScriptGC runs after every script run
    records = [json.loads(line) for line in log.read_text().splitlines()]
    passes = [r for r in records if "gc_ms" in r]
    assert next(r for r in records if "ms" in r)["ended"] == "done"
    assert len(passes) == 1 and "ms" not in passes[0]
    assert passes[0]["gc_ms"] > 0 and passes[0]["t"] >= round(before, 3) - 0.001
    monkeypatch.setenv(run_log.ENV, str(tmp_path / "other.jsonl"))
    gc.collect(2)  # the variable now names another file: this log is left alone
    assert len([r for r in map(json.loads, log.read_text().splitlines()) if "gc_ms" in r]) == 1


def test_each_run_is_profiled_into_the_folder_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pstats

    def busy() -> int:
        return sum(i * i for i in range(20_000))

    monkeypatch.setenv(run_log.ENV, str(tmp_path / "runs.jsonl"))
    with run_log.script_run():
        busy()  # not profiled: no folder named
    assert list(tmp_path.glob("*.prof")) == []
    monkeypatch.setenv(run_log.PROFILE_ENV, str(tmp_path))
    with run_log.script_run():
        busy()
    (prof,) = tmp_path.glob("*.prof")
    assert prof.name.endswith("-none-done.prof")  # outside Streamlit: no page
    functions = {name for _, _, name in pstats.Stats(str(prof)).stats}  # type: ignore[attr-defined]
    assert "busy" in functions
