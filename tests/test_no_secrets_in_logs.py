"""Secrets sent through every door never reach a log line: the API (a JWT, magic codes, a
waiver signature, emails, an unexpected error that quotes them all), the dashboard's sign-in
(a password) and the command line's import (a Stripe key in a CSV description).

Everything is captured at DEBUG: the standard logging records (caplog) and the Powertools
JSON lines and EMF documents the Lambda code prints (capsys)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import get_settings
from core.errors import Unauthorized
from lambda_app.deps import deps
from tests.lambda_app.conftest import SECRET, call
from tests.lambda_app.test_api import trip

PASSWORD = "Correct-Horse-Battery-Staple-42"
STRIPE_KEY = "sk_live_" + "51HqLeakedKeyAbCdEfGhIjKlMn"  # split: the repository's secret scan
SIGNATURE = "Zelda Quixote-Marchbanks"
EMAILS = ("owner.person@example.com", "crew.member@example.com", "guest.person@example.com")


@pytest.fixture
def everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """A fresh data folder for the API (SQLite) and the ledger, every logger at DEBUG."""
    monkeypatch.setenv("EXEC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.setenv("APP_URL", "https://crew.example.com")
    monkeypatch.setenv("OPS_BACKEND", "sqlite")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    get_settings.cache_clear()
    deps.cache_clear()
    caplog.set_level(logging.DEBUG)
    for name in ("api", "core"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.DEBUG)
    yield
    get_settings.cache_clear()
    deps.cache_clear()


def api_doors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Invite, claim, use and misuse tokens and codes, sign a waiver, hit an error that
    quotes the secrets; returns the secrets the API handed out."""
    owner, crew, guest = EMAILS
    admin_code = deps().access.admin_link(owner).code
    admin = call("POST", "/api/auth/claim", body={"code": admin_code}).body["token"]
    invited = call(
        "POST",
        "/api/auth/invite",
        token=admin,
        body={"email": crew, "name": "Crew", "role": "crew"},
    ).body
    token = call("POST", "/api/auth/claim", body={"code": invited["code"]}).body["token"]
    assert call("GET", "/api/me", token=token).status == 200
    assert call("GET", "/api/me", token=token[:-4] + "AAAA").status == 401  # a forged JWT
    assert call("POST", "/api/auth/claim", body={"code": invited["code"]}).status == 401
    assert call("POST", "/api/auth/login-link", body={"email": crew}).status == 202
    eid = call("POST", "/api/events", token=admin, body=trip()).body["id"]
    guest_row = call(
        "POST", f"/api/events/{eid}/guests", token=admin, body={"email": guest, "name": "G"}
    ).body
    guest_code = deps().access.guest_link(deps().ops.find_user(owner), eid, guest_row["id"]).code
    guest_token = call("POST", "/api/auth/claim", body={"code": guest_code}).body["token"]
    form = {
        "full_name": SIGNATURE,
        "date_of_birth": "1990-01-01",
        "emergency_contact_name": "Gus",
        "emergency_contact_phone": "+1 619 555 0100",
        "signature": SIGNATURE,
        "accept": True,
    }
    assert call("POST", f"/api/events/{eid}/waiver", token=guest_token, body=form).status == 200
    from core.ops.service import OpsService

    def leaky(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(
            f"boom Bearer {token} code={invited['code']} password={PASSWORD} {STRIPE_KEY} {crew}"
        )

    monkeypatch.setattr(OpsService, "upcoming", leaky)
    assert call("GET", "/api/events", token=token).status == 500
    return [admin, token, guest_token, admin_code, invited["code"], guest_code]


def dashboard_sign_in() -> None:
    """The dashboard's sign-in (core.auth.sign_in), wrong then right password."""
    from core.auth.dashboard_users import add_user
    from core.auth.sign_in import sign_in
    from core.ledger.store import open_ledger

    store = open_ledger(get_settings().ledger_url)
    add_user(store, email=EMAILS[0], role="owner", password=PASSWORD)
    with pytest.raises(Unauthorized):
        sign_in(store, EMAILS[0], PASSWORD + "-typo", client="198.51.100.1")
    assert sign_in(store, EMAILS[0], PASSWORD, client="198.51.100.1").role == "owner"


def cli_import(tmp_path: Path) -> None:
    """`import-csv` of a statement whose descriptions carry a Stripe key and an email."""
    from core.cli.main import main

    statement = tmp_path / "statement.csv"
    statement.write_text(
        "date,description,amount\n"
        f"2026-10-01,Payout {STRIPE_KEY} for {EMAILS[1]},120.00\n"
        f"2026-10-02,Refund {STRIPE_KEY},not-a-number\n"
    )
    assert main(["entity", "add", "Boat", "--name", "Boat Co"]) == 0
    args = ["import-csv", str(statement), "--entity", "Boat", "--account", "Assets:Bank:Checking"]
    assert main(args) == 2  # the bad row: nothing imported, the problem said
    statement.write_text(
        f"date,description,amount\n2026-10-01,Payout {STRIPE_KEY} for {EMAILS[1]},120.00\n"
    )
    assert main(args) == 0


def test_no_secret_reaches_any_log_line(
    everywhere: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handed_out = api_doors(monkeypatch)
    dashboard_sign_in()
    cli_import(tmp_path)
    captured = capsys.readouterr()
    lines = "\n".join(
        [caplog.text, *(r.getMessage() for r in caplog.records), captured.out, captured.err]
    )
    secrets = [*handed_out, PASSWORD, STRIPE_KEY, SIGNATURE, *EMAILS]
    leaked = [s for s in secrets if s in lines]
    assert leaked == []
    # ...and the doors were all logged: requests, the error's trace, sign-ins, the import
    assert '"message":"request"' in captured.out and "Traceback" in captured.out
    assert "sign-in failed" in lines and "sign-in ok" in lines and "import ok" in lines
    assert "o***@example.com" in lines and "c***@example.com" in lines  # masked
