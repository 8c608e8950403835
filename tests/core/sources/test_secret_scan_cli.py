"""`python -m core scan-secrets`: 0 clean, 1 findings (like a linter), 2 bad input, nothing written.

Secrets are assembled at run time so this file stays clean under the project's own scan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cli import main
from core.ledger.models_sources import SourceSync
from core.ledger.models_tech import SecurityFinding
from core.ledger.store import open_ledger
from core.sources.runs import latest_runs

BODY = "4eC39HqLyjWDarjtT1zdp7dc"
LIVE = "sk_" + "live_" + BODY


def run(*args: str) -> int:
    return main(list(args))


def _counts(data_dir: Path) -> tuple[int, int]:
    store = open_ledger(f"sqlite:///{data_dir}/ledger.db")
    with store.engine.connect() as conn:
        findings = conn.scalar(select(func.count()).select_from(SecurityFinding))
        runs = conn.scalar(select(func.count()).select_from(SourceSync))
    return int(findings or 0), int(runs or 0)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "lambda_app").mkdir(parents=True)
    (root / "lambda_app" / "pay.py").write_text(f'import stripe\n\nstripe.api_key = "{LIVE}"\n')
    (root / "README.md").write_text("nothing to see\n")
    return root


def test_findings_exit_1_with_masked_lines(
    data_dir: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("scan-secrets", str(repo)) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"{repo.as_posix()}/lambda_app/pay.py:3  critical  stripe-live-key  " + (
        "sk_live_…" + BODY[-4:]
    )
    assert lines[-1] == "scanned 2 files: 1 finding (1 critical)"
    assert BODY not in out


def test_clean_tree_exits_0(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.py").write_text('API_KEY = os.environ["API_KEY"]\n')
    assert run("scan-secrets", str(tmp_path / "clean")) == 0
    assert capsys.readouterr().out.strip() == "scanned 1 files: no secrets found"


def test_json_format_parses(data_dir: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("scan-secrets", str(repo), "--format", "json") == 1
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["files_scanned"] == 2 and data["recorded"] is None
    (f,) = data["findings"]
    assert (f["relative_path"], f["line"], f["kind"], f["severity"]) == (
        "lambda_app/pay.py",
        3,
        "stripe-live-key",
        "critical",
    )
    assert len(f["fingerprint"]) == 64 and BODY not in out


def test_missing_path_exits_2_and_writes_nothing(
    data_dir: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("entity", "add", "Shop", "--name", "Shop") == 0
    capsys.readouterr()
    missing = str(repo / "nope")
    assert run("scan-secrets", str(repo), missing, "--entity", "Shop") == 2
    captured = capsys.readouterr()
    assert "no such file or directory" in captured.err and missing in captured.err
    assert captured.out == ""  # nothing partial either
    assert _counts(data_dir) == (0, 0)


def test_unknown_entity_exits_2_and_writes_nothing(
    data_dir: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("entity", "add", "Shop", "--name", "Shop") == 0
    capsys.readouterr()
    assert run("scan-secrets", str(repo), "--entity", "Ghost") == 2
    captured = capsys.readouterr()
    assert "unknown entity 'Ghost'" in captured.err and captured.out == ""
    assert _counts(data_dir) == (0, 0)


def test_entity_records_findings_once_under_the_directory_name(
    data_dir: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("entity", "add", "Shop", "--name", "Shop") == 0
    assert run("scan-secrets", str(repo), "--entity", "Shop") == 1
    assert "recorded for Shop: 2 files, 1 findings: 1 new" in capsys.readouterr().out
    assert run("scan-secrets", str(repo), "--entity", "Shop") == 1  # re-scan adds nothing
    assert _counts(data_dir) == (1, 2)
    store = open_ledger(f"sqlite:///{data_dir}/ledger.db")
    with store.session() as s:
        (row,) = s.execute(select(SecurityFinding)).scalars()
        assert (row.service, row.title, row.status) == (
            "shop",
            "Stripe live key in lambda_app/pay.py:3",
            "open",
        )
    (repo / "lambda_app" / "pay.py").write_text("import os\n")
    assert run("scan-secrets", str(repo), "--entity", "Shop", "--service", "shop") == 0
    with store.session() as s:
        assert s.execute(select(SecurityFinding.status)).scalar_one() == "fixed"
    (status,) = latest_runs(store, ["Shop"])
    assert (status.source, status.status) == ("secret-scan", "ok")
