"""`anomalies` and `close status` on the planted ledger: JSON, text, marks and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.config import get_settings
from core.ledger.store import open_ledger
from tests.core.close.planted import ENTITY, seed


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_anomalies_json_mark_and_close_status(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(open_ledger(get_settings().ledger_url))
    window = ("--since", "2026-11-01", "--until", "2026-11-30")
    code, out, _ = _run(capsys, "anomalies", "--entity", ENTITY, *window, "--format", "json")
    assert code == 0
    found = json.loads(out)["anomalies"]
    assert sorted(a["kind"] for a in found) == [
        "cloud_spike",
        "duplicate",
        "large_charge",
        "new_counterparty",
    ]
    dup = next(a for a in found if a["kind"] == "duplicate")
    code, out, _ = _run(capsys, "anomalies", "--entity", ENTITY, "--mark-expected", dup["id"])
    assert code == 0 and "expected" in out
    code, out, _ = _run(capsys, "anomalies", "--entity", ENTITY, *window)
    assert "3 open anomalies" in out and dup["id"] not in out
    code, out, _ = _run(
        capsys, "close", "status", "--entity", "all", "--period", "2026-11", "--format", "json"
    )
    assert code == 0
    listed = json.loads(out)["anomalies"]
    assert len(listed) == 3 and dup["id"] not in {a["id"] for a in listed}
    code, out, _ = _run(capsys, "close", "status", "--entity", ENTITY, "--period", "2026-11")
    assert "3 open anomalies in 2026-11" in out


def test_bad_input_exits_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(open_ledger(get_settings().ledger_url))
    assert _run(capsys, "anomalies", "--entity", "Nope")[0] == 2
    assert _run(capsys, "anomalies", "--entity", ENTITY, "--mark-expected", "bogus")[0] == 2
    assert (
        _run(capsys, "anomalies", "--entity", "all", "--mark-expected", "dup-000000000000")[0] == 2
    )
