"""A login link answers the same, in the same time, whatever the mail service does."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from core.delivery.message import Outgoing
from core.errors import Unavailable
from core.ops_access.access import LOGIN_LINK_MIN_SECONDS
from lambda_app.deps import deps
from tests.lambda_app.conftest import Reply, sign_in_as

SLACK = 0.4  # scheduling noise allowed above the floor on a busy machine


class FailingSender:
    """SES refusing every message."""

    name = "failing"

    def send(self, msg: Outgoing) -> list[str]:
        raise Unavailable("SES refused the message: MessageRejected")


class SlowSender:
    """SES taking far longer than the answer's time floor."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sent: list[str] = []

    def send(self, msg: Outgoing) -> list[str]:
        time.sleep(self.seconds)
        self.sent += msg.to
        return ["slow-id"]


def timed(api: Callable[..., Reply], email: str, ip: str) -> tuple[Reply, float]:
    started = time.monotonic()
    reply = api("POST", "/api/auth/login-link", body={"email": email}, ip=ip)
    return reply, time.monotonic() - started


@pytest.mark.parametrize("sender", ["failing", "slow"])
def test_known_and_unknown_emails_look_alike_whatever_mail_does(
    api: Callable[..., Reply], sender: str
) -> None:
    sign_in_as("crew", email="known@example.com")
    mail = FailingSender() if sender == "failing" else SlowSender(3 * LOGIN_LINK_MIN_SECONDS)
    deps().access.sender = mail
    known, known_time = timed(api, "known@example.com", "192.0.2.1")
    unknown, unknown_time = timed(api, "nobody@example.com", "192.0.2.2")
    assert known == unknown and known.status == 202
    for took in (known_time, unknown_time):
        assert LOGIN_LINK_MIN_SECONDS <= took < LOGIN_LINK_MIN_SECONDS + SLACK
    if isinstance(mail, SlowSender):  # the slow send still finishes, after the answer
        deadline = time.monotonic() + 5
        while not mail.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mail.sent == ["known@example.com"]


def test_a_failed_send_is_logged(
    api: Callable[..., Reply], caplog: pytest.LogCaptureFixture
) -> None:
    sign_in_as("crew", email="known@example.com")
    deps().access.sender = FailingSender()
    api("POST", "/api/auth/login-link", body={"email": "known@example.com"})
    failures = [r for r in caplog.records if r.name == "core.ops_access.access" and r.exc_info]
    assert failures and "MessageRejected" in str(failures[-1].exc_info[1])
