"""Senders: the outbox default, SES v2 on moto (BCC, batching), throttling, failures logged."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from core.auth.dashboard_users import OPERATOR
from core.config import Settings
from core.delivery.message import Outgoing, batches, clean_addresses
from core.delivery.reports import delivery_log, send_report
from core.delivery.senders import OutboxSender, SesSender, make_sender
from core.errors import Invalid, Unavailable
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest
from tests.core.delivery.conftest import SENDER, sent_raw


def msg(to: list[str], bcc: list[str] | None = None) -> Outgoing:
    return Outgoing(SENDER, to, "Subject", "text", "<p>html</p>", bcc or [])


def test_outbox_is_the_default_and_writes_eml_and_index(tmp_path: Path) -> None:
    sender = make_sender(Settings.from_env({"EXEC_DATA_DIR": str(tmp_path)}))
    assert isinstance(sender, OutboxSender)
    [message_id] = sender.send(msg(["a@example.com"], ["audit@example.com"]))
    index = [json.loads(x) for x in (tmp_path / "outbox/index.jsonl").read_text().splitlines()]
    assert index[0]["message_id"] == message_id and index[0]["bcc"] == ["audit@example.com"]
    parsed = message_from_bytes(
        (tmp_path / "outbox" / index[0]["file"]).read_bytes(), policy=policy.default
    )
    assert parsed["To"] == "a@example.com" and parsed["Subject"] == "Subject"


def test_batches_keep_to_plus_bcc_within_fifty() -> None:
    to = [f"p{i}@example.com" for i in range(120)]
    parts = batches(msg(to, ["audit@example.com"]))
    assert [len(p.to) for p in parts] == [49, 49, 22]
    assert all(p.bcc == ["audit@example.com"] for p in parts)
    assert [a for p in parts for a in p.to] == to


def test_addresses_are_checked() -> None:
    assert clean_addresses(["A@Example.com, b@example.com;a@example.com"]) == [
        "a@example.com",
        "b@example.com",
    ]
    with pytest.raises(Invalid) as err:
        clean_addresses(["ok@example.com, nope, also@bad"])
    assert len(err.value.problems) == 2
    with pytest.raises(Invalid):
        clean_addresses([" "])


def test_ses_sends_raw_mail_with_bcc_through_moto(ses: Any, moto_endpoint: str) -> None:
    # (moto counts header To and envelope To twice against SES's 50, so stay small here;
    # splitting at 50 is covered by test_batches_keep_to_plus_bcc_within_fifty)
    sender = SesSender(client=ses, max_send_rate=1000)
    to = [f"p{i}@example.com" for i in range(20)]
    ids = sender.send(msg(to, ["audit@example.com"]))
    raw = sent_raw(moto_endpoint)
    assert [m["id"] for m in raw] == ids and len(ids) == 1
    assert "audit@example.com" in raw[0]["destinations"]
    assert set(raw[0]["destinations"]) >= set(to)
    assert "Bcc:" not in raw[0]["raw_data"]  # BCC travels in the envelope only
    assert "From: reports@example.com" in raw[0]["raw_data"]


def test_ses_refuses_an_unverified_sender(ses: Any) -> None:
    sender = SesSender(client=ses, max_send_rate=1000)
    with pytest.raises(Unavailable):
        sender.send(Outgoing("nobody@unverified.example", ["a@example.com"], "S", "t"))


class Throttled:
    """A real client that answers 'TooManyRequests' the first ``n`` times."""

    def __init__(self, client: Any, n: int) -> None:
        self.client, self.left = client, n

    def send_email(self, **kwargs: Any) -> Any:
        if self.left:
            self.left -= 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail"
            )
        return self.client.send_email(**kwargs)


def test_throttling_then_success_backs_off_exponentially(ses: Any, moto_endpoint: str) -> None:
    sleeps: list[float] = []
    sender = SesSender(
        client=Throttled(ses, 3), max_send_rate=1000, base_delay=0.1, sleep=sleeps.append
    )
    [message_id] = sender.send(msg(["a@example.com"]))
    backoffs = [s for s in sleeps if s >= 0.1]
    assert backoffs == [0.1, 0.2, 0.4]
    assert [m["id"] for m in sent_raw(moto_endpoint)] == [message_id]


def test_throttling_forever_gives_up(ses: Any) -> None:
    sender = SesSender(
        client=Throttled(ses, 99), max_send_rate=1000, retries=2, sleep=lambda _: None
    )
    with pytest.raises(Unavailable, match="TooManyRequests"):
        sender.send(msg(["a@example.com"]))


def test_rate_limit_spaces_sends(ses: Any) -> None:
    sleeps: list[float] = []
    # a stopped clock and a sleep that lets no time pass: the waits add up, 0.5 s then 1.0 s,
    # however long the (moto) sends take on a loaded machine
    sender = SesSender(client=ses, max_send_rate=2, sleep=sleeps.append, clock=lambda: 100.0)
    for _ in range(3):
        sender.send(msg(["a@example.com"]))
    assert sleeps == [0.5, 1.0]


def test_a_failed_send_is_logged_as_failed(
    ledger: LedgerStore, settings: Settings, ses: Any
) -> None:
    sender = SesSender(
        client=Throttled(ses, 99), max_send_rate=1000, retries=1, sleep=lambda _: None
    )
    log = send_report(
        ledger,
        sender,
        settings,
        ReportRequest(reader=OPERATOR, report="cfo", entity="JADA", period=202610),
        to=["a@example.com"],
    )
    assert (log.status, log.message_id) == ("failed", None)
    assert "TooManyRequests" in (log.error or "")
    assert [d.status for d in delivery_log(ledger, actor=OPERATOR)] == ["failed"]


def test_report_send_logs_recipients_and_bcc(ledger: LedgerStore, settings: Settings) -> None:
    log = send_report(
        ledger,
        make_sender(settings),
        settings,
        ReportRequest(reader=OPERATOR, report="cfo", entity="all", period=202610),
        to=["Owner@example.com"],
        requested_by="tester",
    )
    assert (log.status, log.recipients, log.bcc, log.backend) == (
        "sent",
        "owner@example.com",
        "audit@example.com",
        "outbox",
    )
    index = (settings.outbox_dir / "index.jsonl").read_text()
    assert "CFO report: All entities (consolidated), Oct 2026" in index
