"""Mail senders: the outbox (default, .eml files plus an index) and AWS SES v2.

A sender returns one message id per message it sent, or raises ``Unavailable``; callers log
the outcome. Only this module imports boto3 for mail.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from core.config import Settings
from core.delivery.message import Outgoing, batches, to_mime
from core.errors import Invalid, Unavailable
from core.private_files import append_private, private_dir, write_private

THROTTLING = {"TooManyRequestsException", "Throttling", "ThrottlingException"}


class Sender(Protocol):
    """Anything that can send an Outgoing message."""

    name: str

    def send(self, msg: Outgoing) -> list[str]:
        """Send; one message id per message actually sent."""
        ...


class OutboxSender:
    """Writes each message as an .eml file and appends a line to ``index.jsonl``."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def send(self, msg: Outgoing) -> list[str]:
        """Write the message (BCC kept as a header, since nothing is really sent)."""
        private_dir(self.folder)  # the mails carry live login links
        ids = []
        for part in batches(msg):
            mime = to_mime(part)
            if part.bcc:
                mime["Bcc"] = ", ".join(part.bcc)
            message_id = mime["Message-ID"].strip("<>")
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.folder / f"{stamp}-{message_id.split('@')[0]}.eml"
            write_private(path, mime.as_bytes())
            line = {
                "message_id": message_id,
                "file": path.name,
                "to": part.to,
                "bcc": part.bcc,
                "subject": part.subject,
                "at": stamp,
            }
            with self._lock:
                append_private(self.folder / "index.jsonl", json.dumps(line) + "\n")
            ids.append(message_id)
        return ids


class RateLimiter:
    """At most ``rate`` calls per second across threads (spacing, not bursts)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, sleep: Callable[[float], None]) -> None:
        """Block until the next call is allowed."""
        with self._lock:
            now = self.clock()
            at = max(now, self._next)
            self._next = at + self.interval
        if at > now:
            sleep(at - now)


class SesSender:
    """SES v2 ``SendEmail`` with raw MIME, a client-side rate limit and throttling retries."""

    name = "ses"

    def __init__(
        self,
        *,
        client: Any | None = None,
        configuration_set: str | None = None,
        max_send_rate: float = 1.0,
        retries: int = 5,
        base_delay: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.configuration_set = configuration_set
        self.limiter = RateLimiter(max_send_rate, clock)
        self.retries = retries
        self.base_delay = base_delay
        self.sleep = sleep

    @property
    def client(self) -> Any:
        """The sesv2 client (built lazily from the environment)."""
        if self._client is None:
            import boto3

            self._client = boto3.client("sesv2")
        return self._client

    def send(self, msg: Outgoing) -> list[str]:
        """Send each batch; retry throttling with exponential backoff, then give up."""
        from botocore.exceptions import ClientError

        ids = []
        for part in batches(msg):
            kwargs: dict[str, Any] = {
                "FromEmailAddress": part.sender,
                "Destination": {"ToAddresses": part.to, "BccAddresses": part.bcc},
                "Content": {"Raw": {"Data": to_mime(part).as_bytes()}},
            }
            if self.configuration_set:
                kwargs["ConfigurationSetName"] = self.configuration_set
            for attempt in range(self.retries + 1):
                self.limiter.wait(self.sleep)
                try:
                    ids.append(self.client.send_email(**kwargs)["MessageId"])
                    break
                except ClientError as exc:
                    code = exc.response["Error"]["Code"]
                    if code in THROTTLING and attempt < self.retries:
                        self.sleep(self.base_delay * 2**attempt)
                        continue
                    raise Unavailable(f"SES refused the message: {code}: {exc}") from exc
        return ids


def make_sender(settings: Settings, *, client: Any | None = None) -> Sender:
    """The sender chosen by ``MAIL_BACKEND``."""
    if settings.mail_backend == "ses":
        if not settings.ses_from_address:
            raise Invalid("MAIL_BACKEND=ses needs SES_FROM_ADDRESS")
        return SesSender(
            client=client,
            configuration_set=settings.ses_configuration_set,
            max_send_rate=settings.ses_max_send_rate,
        )
    return OutboxSender(settings.outbox_dir)


def sender_address(settings: Settings) -> str:
    """The From address: SES_FROM_ADDRESS, or a local one for the outbox."""
    return settings.ses_from_address or "reports@localhost.localdomain"
