"""AWS Lambda inventory -> TechService rows (kind "Lambda") and runtime end-of-life findings.

Every function of the account and region (``ListFunctions``, all pages) becomes a service;
its owner is its ``owner`` tag (``ListTags``), else "unassigned". A function that is gone is
retired today. A runtime past or within 180 days of its end of life opens a finding (high
past it, medium before), keyed by a fingerprint so re-running never duplicates it, and
marked fixed once the function moves on. Container-image functions have no runtime.
IAM: ``lambda:ListFunctions``, ``lambda:ListTags``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from core.config import get_settings
from core.errors import Unavailable
from core.ledger.store import LedgerStore
from core.metrics.tech import eol_state
from core.sources import aws
from core.sources.runs import Progress, no_progress, sync_run
from core.tech.runtimes import eol_date, family, releases
from core.tech.upserts import sync_findings, sync_services

SOURCE = "aws-lambda"  # the run's source id and the rows' source
KIND = "Lambda"
OWNER_TAG = "owner"
UNASSIGNED = "unassigned"


def fingerprint(entity_id: str, function: str, runtime: str) -> str:
    """The stable key of a runtime finding: same entity, function and runtime, same finding."""
    return hashlib.sha256("\0".join([SOURCE, entity_id, function, runtime]).encode()).hexdigest()


def runtime_finding(
    entity_id: str, function: str, runtime: str, today: date
) -> dict[str, Any] | None:
    """The finding for a function's runtime, or None while it is supported (or unknown)."""
    eol = eol_date(runtime) if runtime else None
    state = eol_state(eol, today)
    if eol is None or state.status not in ("past", "soon"):
        return None
    newer = releases(family(runtime))[-1]
    target = newer if newer != runtime.strip().lower() else "a supported runtime"
    if state.status == "past":
        title = f"{function} runs {runtime}, past its end of life ({eol.isoformat()})"
        fix = f"Move {function} to {target} now: {runtime} lost support on {eol.isoformat()}."
    else:
        title = f"{function} runs {runtime}, end of life on {eol.isoformat()}"
        fix = f"Move {function} to {target} before {eol.isoformat()}."
    return {
        "fingerprint": fingerprint(entity_id, function, runtime),
        "service": function,
        "title": title,
        "fix": fix,
        "severity": "high" if state.status == "past" else "medium",
    }


def sync_lambda_inventory(
    store: LedgerStore,
    entity_id: str,
    *,
    client: Any = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> str:
    """Mirror the account's Lambda functions into the entity's inventory; returns a summary."""
    report = progress or no_progress
    today = today or datetime.now(get_settings().tz).date()
    with sync_run(store, entity_id, SOURCE) as run:
        report(0.05, "listing Lambda functions")
        lam = client if client is not None else aws.client("lambda")
        functions = _functions(lam)
        services = []
        for i, fn in enumerate(functions):
            report(0.1 + 0.75 * i / len(functions), f"reading tags of {fn['FunctionName']}")
            services.append(_service(fn, _tags(lam, fn["FunctionArn"]), today))
        findings = [
            f
            for s in services
            if (f := runtime_finding(entity_id, s["name"], s["runtime"], today)) is not None
        ]
        report(0.9, f"writing {len(services)} functions")
        with store.engine.begin() as conn:
            svc = sync_services(conn, entity_id, services, source=SOURCE, today=today)
            fnd = sync_findings(conn, entity_id, findings, source=SOURCE, today=today)
        run.items = svc.total + fnd.total
        run.message = (
            f"{len(services)} Lambda functions ({svc.added} new, {svc.updated} changed, "
            f"{svc.retired} retired); {len(findings)} on a runtime at or near end of life "
            f"({fnd.added} new findings, {fnd.retired} fixed)"
        )
        report(1.0, run.message)
    return run.message


def _functions(lam: Any) -> list[dict[str, Any]]:
    try:
        return [
            fn
            for page in lam.get_paginator("list_functions").paginate()
            for fn in page.get("Functions", [])
        ]
    except aws.aws_errors() as exc:
        raise aws.as_domain_error(exc, "Lambda ListFunctions") from exc


def _tags(lam: Any, arn: str) -> dict[str, str]:
    try:
        return dict(lam.list_tags(Resource=arn).get("Tags") or {})
    except aws.aws_errors() as exc:
        raise aws.as_domain_error(exc, "Lambda ListTags") from exc


def _service(fn: dict[str, Any], tags: dict[str, str], today: date) -> dict[str, Any]:
    """A TechService row from a ListFunctions item (image functions: runtime "")."""
    try:
        name = fn["FunctionName"]
    except KeyError as exc:
        raise Unavailable("Lambda listed a function without a name") from exc
    owner = next((v for k, v in tags.items() if k.lower() == OWNER_TAG and v.strip()), "")
    return {
        "name": name,
        "kind": KIND,
        "runtime": fn.get("Runtime") or "",
        "owner": owner.strip() or UNASSIGNED,
        "launched_on": _day(fn.get("LastModified")) or today,
    }


def _day(stamp: str | None) -> date | None:
    """The UTC date of a LastModified stamp ("2026-01-02T03:04:05.000+0000")."""
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None
