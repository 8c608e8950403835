"""The command line's attachments, skip-if-empty subscriptions, list and send-now."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from tests.core.test_cli import run

REPORT = ("report", "cfo", "--entity", "JADA", "--period", "2026-10")


def _attachments(outbox: Path) -> list[str]:
    names = []
    for path in sorted(outbox.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        names += [p.get_filename() for p in msg.iter_attachments() if p.get_filename()]  # type: ignore[attr-defined]
    return names


def test_report_send_attach(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("seed-demo", "--months", "13") == 0
    assert run(*REPORT, "--send", "--to", "a@example.com", "--attach", "pdf,xlsx") == 0
    assert _attachments(data_dir / "outbox") == ["cfo-JADA-2026-10.pdf", "cfo-JADA-2026-10.xlsx"]
    capsys.readouterr()
    assert run(*REPORT, "--send", "--to", "a@example.com", "--attach", "pdf,doc") == 2
    assert "'doc' is not one of: pdf, xlsx" in capsys.readouterr().err
    assert run(*REPORT, "--attach", "pdf") == 2  # files go with an email
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 1  # nothing more was sent


def test_subscription_options_list_and_send_now(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("seed-demo", "--months", "13") == 0
    sub = ("subscription", "add", "cfo", "--entity", "all", "--to", "a@example.com")
    assert run(*sub, "--cron", "0 7 * * MON", "--attach", "xls") == 2
    assert run(*sub, "--cron", "0 7 * * MON", "--attach", "pdf", "--skip-if-empty") == 0
    capsys.readouterr()
    assert run("subscription", "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("1\tcfo\tall\t0 7 * * MON") and "pdf (skip if empty)" in out[1]
    assert out[1].endswith("never run\t0")
    assert run("subscription", "send-now", "1") == 0
    assert "subscription 1: sent" in capsys.readouterr().out
    assert _attachments(data_dir / "outbox") == [_attachments(data_dir / "outbox")[0]]
    assert run("subscription", "list") == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("sent\t0")
    assert run("subscription", "send-now", "9") == 2
