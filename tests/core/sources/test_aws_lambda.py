"""Lambda inventory sync against moto: services, owners, retirement, EOL findings, errors."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.config import get_settings
from core.errors import Unavailable
from core.ledger.models_tech import SecurityFinding, TechService
from core.ledger.store import LedgerStore
from core.sources.aws_lambda import runtime_finding, sync_lambda_inventory
from core.sources.runs import latest_runs, run_history
from core.tech import store as tech_store
from core.tech.store import insert_rows
from tests.core.sources.moto_helpers import (
    access_denied_keys,
    client,
    dead_endpoint,
)

TODAY = date(2026, 6, 1)  # python3.9 is past end of life, python3.10 within 180 days of it
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:latest"


@pytest.fixture
def lam(moto: str) -> Any:
    """A Lambda client on moto with api (python3.9, owner tag), jobs (python3.10), report
    (python3.12, Owner tag) and worker (a container image)."""
    iam = client("iam", moto)
    role = iam.create_role(
        RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"})
    )["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 1\n")
    c = client("lambda", moto)
    zip_fn = {"Role": role, "Handler": "app.handler", "Code": {"ZipFile": buf.getvalue()}}
    c.create_function(FunctionName="api", Runtime="python3.9", Tags={"owner": "Ann Lee"}, **zip_fn)
    c.create_function(FunctionName="jobs", Runtime="python3.10", **zip_fn)
    c.create_function(FunctionName="report", Runtime="python3.12", Tags={"Owner": "Bo"}, **zip_fn)
    c.create_function(
        FunctionName="worker", PackageType="Image", Role=role, Code={"ImageUri": IMAGE}
    )
    return c


def services(store: LedgerStore) -> dict[str, tuple[Any, ...]]:
    t = TechService
    q = select(t.name, t.kind, t.runtime, t.owner, t.retired_on, t.source, t.launched_on)
    with store.engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(q.where(t.entity_id == "A"))}


def findings(store: LedgerStore) -> dict[str, tuple[Any, ...]]:
    f = SecurityFinding
    q = select(f.service, f.severity, f.status, f.opened_on, f.fixed_on, f.fix, f.fingerprint)
    with store.engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(q.where(f.entity_id == "A"))}


def test_functions_become_services_with_owner_runtime_and_launch(
    acme: LedgerStore, lam: Any
) -> None:
    summary = sync_lambda_inventory(acme, "A", client=lam, today=TODAY)
    rows = services(acme)
    modified = {
        fn["FunctionName"]: date.fromisoformat(fn["LastModified"][:10])
        for fn in lam.list_functions()["Functions"]
    }
    assert {name: row[:5] for name, row in rows.items()} == {
        "api": ("Lambda", "python3.9", "Ann Lee", None, "aws-lambda"),
        "jobs": ("Lambda", "python3.10", "unassigned", None, "aws-lambda"),
        "report": ("Lambda", "python3.12", "Bo", None, "aws-lambda"),
        "worker": ("Lambda", "", "unassigned", None, "aws-lambda"),  # image: no runtime
    }
    assert {name: row[5] for name, row in rows.items()} == modified
    assert summary == (
        "4 Lambda functions (4 new, 0 changed, 0 retired); 2 on a runtime at or near end of "
        "life (2 new findings, 0 fixed)"
    )
    (run,) = latest_runs(acme, ["A"])
    assert (run.source, run.status, run.items) == ("aws-lambda", "ok", 6)


def test_runtime_findings_are_stable_and_idempotent(acme: LedgerStore, lam: Any) -> None:
    sync_lambda_inventory(acme, "A", client=lam, today=TODAY)
    first = findings(acme)
    api_key = hashlib.sha256(b"aws-lambda\0A\0api\0python3.9").hexdigest()
    assert first == {
        "api": (
            "high",
            "open",
            TODAY,
            None,
            "Move api to python3.14 now: python3.9 lost support on 2025-10-31.",
            api_key,
        ),
        "jobs": (
            "medium",
            "open",
            TODAY,
            None,
            "Move jobs to python3.14 before 2026-10-31.",
            hashlib.sha256(b"aws-lambda\0A\0jobs\0python3.10").hexdigest(),
        ),
    }
    later = TODAY + timedelta(days=30)
    summary = sync_lambda_inventory(acme, "A", client=lam, today=later)
    assert findings(acme) == first  # same findings, still opened on the first day
    assert "(0 new, 0 changed, 0 retired)" in summary and "(0 new findings, 0 fixed)" in summary
    assert latest_runs(acme, ["A"])[0].items == 0
    # once jobs is past its end of life, its finding turns high (the same row)
    sync_lambda_inventory(acme, "A", client=lam, today=date(2026, 11, 2))
    assert findings(acme)["jobs"][:3] == ("high", "open", TODAY)


def test_gone_functions_retire_and_upgrades_fix_their_findings(acme: LedgerStore, lam: Any) -> None:
    sync_lambda_inventory(acme, "A", client=lam, today=TODAY)
    launched = services(acme)["api"][5]
    lam.delete_function(FunctionName="jobs")
    lam.update_function_configuration(FunctionName="api", Runtime="python3.13")
    later = TODAY + timedelta(days=7)
    summary = sync_lambda_inventory(acme, "A", client=lam, today=later)
    rows = services(acme)
    assert rows["jobs"][3] == later and rows["api"][1] == "python3.13"
    assert rows["api"][5] == launched  # LastModified moved; the launch did not
    assert {n: f[1:4] for n, f in findings(acme).items()} == {
        "api": ("fixed", TODAY, later),
        "jobs": ("fixed", TODAY, later),
    }
    assert summary == (
        "3 Lambda functions (0 new, 1 changed, 1 retired); 0 on a runtime at or near end of "
        "life (0 new findings, 2 fixed)"
    )
    active = [s.name for s in tech_store.services(acme, ["A"]) if s.retired_on is None]
    assert active == ["api", "report", "worker"]


def test_real_inventory_replaces_the_demo_services(acme: LedgerStore, lam: Any) -> None:
    demo = {
        "kind": "web app",
        "runtime": "php8.2",
        "owner": "Demo",
        "launched_on": date(2024, 1, 1),
    }
    insert_rows(
        acme,
        TechService,
        [
            {**demo, "entity_id": "A", "name": "api"},  # same name: taken over
            {**demo, "entity_id": "A", "name": "website"},  # demo only: hidden
            {**demo, "entity_id": "B", "name": "b-site"},  # another entity: untouched
        ],
    )
    insert_rows(
        acme,
        SecurityFinding,
        [
            {
                "entity_id": "A",
                "service": "website",
                "title": "Demo hole",
                "fix": "Fix it.",
                "severity": "critical",
                "status": "open",
                "opened_on": date(2026, 1, 1),
            }
        ],
    )
    sync_lambda_inventory(acme, "A", client=lam, today=TODAY)
    assert services(acme)["api"][:2] == ("Lambda", "python3.9")
    stamp = lam.get_function(FunctionName="api")["Configuration"]["LastModified"]
    assert services(acme)["api"][5] == date.fromisoformat(stamp[:10])  # not the demo's 2024
    names = [(s.entity_id, s.name) for s in tech_store.services(acme, ["A", "B"])]
    assert names == [("A", "api"), ("A", "jobs"), ("A", "report"), ("A", "worker"), ("B", "b-site")]
    assert {f.service for f in tech_store.findings(acme, ["A"])} == {"api", "jobs"}


def test_runtime_finding_rules() -> None:
    assert runtime_finding("A", "f", "python3.12", TODAY) is None  # supported
    assert runtime_finding("A", "f", "", TODAY) is None  # container image
    assert runtime_finding("A", "f", "java21", TODAY) is None  # no known end of life
    newest = runtime_finding("A", "f", "python3.14", date(2030, 10, 1))
    assert (
        newest is not None and newest["fix"] == "Move f to a supported runtime before 2030-10-31."
    )
    node = runtime_finding("A", "f", "nodejs20.x", TODAY)
    assert node is not None and node["severity"] == "high" and "nodejs24.x" in node["fix"]


def test_unreachable_endpoint_is_unavailable_and_writes_nothing(acme: LedgerStore) -> None:
    with pytest.raises(Unavailable, match="Lambda ListFunctions could not be reached"):
        sync_lambda_inventory(acme, "A", client=client("lambda", dead_endpoint()), today=TODAY)
    assert services(acme) == {} and findings(acme) == {}
    assert latest_runs(acme, ["A"])[0].status == "error"


def test_refused_credentials_are_unavailable_and_keep_the_inventory(
    acme: LedgerStore, lam: Any, moto: str
) -> None:
    sync_lambda_inventory(acme, "A", client=lam, today=TODAY)
    before = (services(acme), findings(acme))
    with access_denied_keys(moto) as keys, pytest.raises(Unavailable, match="refused"):
        sync_lambda_inventory(acme, "A", client=client("lambda", moto, **keys), today=TODAY)
    assert (services(acme), findings(acme)) == before
    assert run_history(acme, ["A"])[0].status == "error"


def test_default_today_is_the_portfolio_day(acme: LedgerStore, lam: Any) -> None:
    sync_lambda_inventory(acme, "A", client=lam)
    assert findings(acme)["api"][2] == datetime.now(get_settings().tz).date()
