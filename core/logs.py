"""Logging for the dashboard, the CLI and the sources: one setup, secrets never written.

``configure_logging()`` sets the root logger from ``LOG_LEVEL`` (default INFO) and
``LOG_FORMAT`` (``text`` or ``json``) once per process, and installs a record factory that
redacts every record as it is made (JWTs, Bearer tokens, Stripe keys, sign-in codes, passwords
and signatures in ``key=value`` / JSON form, and email addresses masked to ``j***@example.com``),
so no handler (a file, stderr, pytest's caplog, Powertools' JSON) ever sees the secret.
``audited`` logs one line per call of a function that changes something: who, how long, outcome.

Standard library only: the Lambda API imports this module (devtools/lambda_zip.py CORE_ONLY).
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

MASK = "***"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Values that are secrets whatever they are called
_SECRET_VALUES = [
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),  # a JWT
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}"),  # Stripe API keys
    re.compile(r"\bwhsec_[A-Za-z0-9]{8,}"),  # Stripe webhook signing secrets
]
# key=value, key: value and "key": "value" where the key names a secret
# (not status_code or exit_code: a bare "code" or a login/magic/invite code only)
_SECRET_KEYS = (
    r"[\w-]*(?:password|passwd|token|signature|secret|authorization|api_key|cookie)[\w-]*"
    r"|(?:magic_|login_|invite_|claim_)?code"
)
_SECRET_KEY = re.compile(_SECRET_KEYS, re.IGNORECASE)
_SECRET_PAIRS = re.compile(
    rf"""(?ix)(["']?\b(?:{_SECRET_KEYS})["']?\s*[=:]\s*["']?)([^\s"'&,;}}]+)"""
)
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
# LogRecord's own attributes: anything else on a record came from ``extra=``
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def mask_email(address: str) -> str:
    """``jane@example.com`` -> ``j***@example.com``; anything else is returned unchanged."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}{MASK}@{m.group(2)}", address)


def redact(text: str) -> str:
    """``text`` with secrets replaced by ``***`` and email addresses masked."""
    for pattern in _SECRET_VALUES:
        text = pattern.sub(MASK, text)
    text = _SECRET_PAIRS.sub(lambda m: m.group(1) + MASK, text)
    return mask_email(text)


def redact_value(key: str, value: Any) -> Any:
    """A structured field's value, redacted: secret-named keys lose their value entirely."""
    if _SECRET_KEY.fullmatch(key):
        return MASK
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(key, v) for v in value]
    return value


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record in place: its message (arguments merged in), its extra fields and the
    text of its traceback. The exception object stays for formatters that want its type."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep what there is, redacted
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), None
    for key, value in list(vars(record).items()):
        if key not in _RECORD_FIELDS and not key.startswith("_"):
            setattr(record, key, redact_value(key, value))
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


def install_redaction() -> None:
    """Make every log record of this process redacted at birth (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_redacting", False):
        return

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(factory(*args, **kwargs))

    redacting._redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting)


class CurrentStream:
    """``sys.stderr`` (or ``sys.stdout``) as it is at each write, not when logging was set
    up: a test that captures the stream sees the lines."""

    def __init__(self, name: str = "stderr") -> None:
        self.name = name

    def write(self, text: str) -> int:
        """Write to the stream of that name now."""
        return getattr(sys, self.name).write(text)

    def flush(self) -> None:
        """Flush the stream of that name now."""
        getattr(sys, self.name).flush()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(
            (k, v)
            for k, v in vars(record).items()
            if k not in _RECORD_FIELDS and not k.startswith("_")
        )
        if record.exc_info or record.exc_text:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        # extra fields are set on a record after it is made: redact them here too
        return json.dumps(redact_value("", line), default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value ...``: the extra fields stay visible."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as one readable line (plus its traceback)."""
        extra = " ".join(
            f"{k}={v}"
            for k, v in vars(record).items()
            if k not in _RECORD_FIELDS and not k.startswith("_")
        )
        text = super().format(record)
        if extra:
            head, sep, rest = text.partition("\n")
            text = f"{head} {extra}{sep}{rest}"
        return redact(text)  # extra fields are set on a record after it is made


def log_settings(env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """(level, format) from LOG_LEVEL and LOG_FORMAT; unknown values fall back to INFO/text."""
    env = os.environ if env is None else env
    level = (env.get("LOG_LEVEL") or "INFO").strip().upper()
    fmt = (env.get("LOG_FORMAT") or "text").strip().lower()
    return (
        getattr(logging, level) if level in LEVELS else logging.INFO,
        fmt if fmt in ("text", "json") else "text",
    )


def configure_logging(env: Mapping[str, str] | None = None, *, stream: Any = None) -> None:
    """Set up the root logger once for this process: level, format, redaction, stderr."""
    install_redaction()
    level, fmt = log_settings(env)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "_exec_platform", False):
            handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
            if stream is not None:
                handler.setStream(stream)  # type: ignore[attr-defined]
            return
    handler = logging.StreamHandler(stream or CurrentStream("stderr"))
    handler._exec_platform = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)


def who(value: Any) -> str:
    """How a log line names a person: a masked email (and role) of a user, or the text."""
    if value is None:
        return "anonymous"
    value = getattr(value, "reader", value)  # a ReportRequest: its reader
    email = getattr(value, "email", None)
    if isinstance(email, str):
        role = getattr(value, "role", None)
        return f"{mask_email(email)} ({role})" if role else mask_email(email)
    return mask_email(str(value))


def audited(
    action: str,
    *,
    actor: str | None = "actor",
    fields: tuple[str, ...] = (),
    default_who: str = "system",
) -> Callable[[F], F]:
    """Log one INFO line per call (WARNING when it raises): ``action``, who (the ``actor``
    argument, else ``default_who``), the named ``fields`` arguments, outcome and duration_ms.
    Never other arguments, so a password passed to the function is never logged."""

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)
        log = logging.getLogger(fn.__module__)

        @functools.wraps(fn)
        def logged(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind_partial(*args, **kwargs).arguments
            except TypeError:  # the call itself is wrong: let the function say so
                bound = {}
            person = bound.get(actor) if actor else None
            extra: dict[str, Any] = {"action": action, "who": who(person or default_who)}
            # a field named like a LogRecord attribute ("name") gets a trailing underscore
            extra.update(
                (f"{f}_" if f in _RECORD_FIELDS else f, redact_value(f, bound[f]))
                for f in fields
                if f in bound
            )
            started = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                extra.update(outcome="failed", error=type(exc).__name__)
                extra["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
                log.warning("%s failed: %s", action, type(exc).__name__, extra=extra)
                raise
            extra.update(outcome="ok", duration_ms=round((time.perf_counter() - started) * 1000, 1))
            log.info("%s ok", action, extra=extra)
            return result

        return logged  # type: ignore[return-value]

    return decorate
