"""Is a source set up, and does its connection work? Answered in words, without syncing.

``aws_credentials_source`` looks only at this process's configuration (environment variables,
the shared credentials and config files); it never asks the instance metadata service, so the
Data page stays fast off AWS. ``test_connection`` makes the cheapest read call each source
offers (Stripe: one balance transaction; AWS: STS ``GetCallerIdentity`` then one Cost Explorer
or Lambda read; git: ``rev-parse``) and turns every failure into a sentence saying what to fix.
Keys are read from the environment or Secrets Manager, never from the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import DomainError, Invalid
from core.sources.runs import SOURCES

GIT_SOURCES = ("git", "secret-scan")
AWS_SOURCES = ("aws-costs", "aws-lambda")


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of a Test: ok or not, and one sentence for the user."""

    source: str
    ok: bool
    message: str


def aws_credentials_source(environ: dict[str, str] | None = None) -> str | None:
    """Where boto3 would find AWS credentials here, in words; None when nowhere."""
    env = os.environ if environ is None else environ
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return "AWS_ACCESS_KEY_ID in the environment"
    if env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or env.get(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    ):
        return "the container's task role"
    if env.get("AWS_WEB_IDENTITY_TOKEN_FILE") and env.get("AWS_ROLE_ARN"):
        return f"the web identity role {env['AWS_ROLE_ARN']}"
    home = Path("~").expanduser()
    files = [
        Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials"),
        Path(env.get("AWS_CONFIG_FILE") or home / ".aws" / "config"),
    ]
    profile = env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE") or "default"
    for path in files:
        if _has_profile(path, profile):
            return f"the profile {profile!r} in {path}"
    return None


def _has_profile(path: Path, profile: str) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    names = {f"[{profile}]", f"[profile {profile}]"}
    return any(line.strip() in names for line in text.splitlines())


AWS_STEPS = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE for a profile in "
    "~/.aws/credentials) and AWS_REGION in the environment of the dashboard (.env or the "
    "service's settings), then restart it; the IAM user or role needs {rights}"
)
AWS_RIGHTS = {"aws-costs": "ce:GetCostAndUsage", "aws-lambda": "lambda:ListFunctions"}
STRIPE_STEPS = (
    "set STRIPE_API_KEY (a restricted key that may read balance transactions) or "
    "STRIPE_SECRET_ARN (a Secrets Manager secret holding that key) in the environment of the "
    "dashboard (.env or the service's settings), then restart it"
)
GIT_STEPS = (
    "set GIT_REPOS=ENTITY_ID=/path/to/repo (comma-separated for several) in the environment of "
    "the dashboard (.env or the service's settings), then restart it"
)


def setup_steps(source: str) -> str:
    """What to set, and where, for ``source`` to be set up."""
    if source == "stripe":
        return STRIPE_STEPS
    if source in AWS_SOURCES:
        return AWS_STEPS.format(rights=AWS_RIGHTS[source])
    return GIT_STEPS


def is_set_up(settings: Settings, source: str, entity_id: str) -> bool:
    """Whether the configuration ``source`` needs is present (nothing is called)."""
    if source == "stripe":
        return bool(settings.stripe_api_key or settings.stripe_secret_arn)
    if source in AWS_SOURCES:
        return aws_credentials_source() is not None
    return bool(repos_of(settings, entity_id))


def repos_of(settings: Settings, entity_id: str) -> list[Path]:
    """The local git repositories GIT_REPOS assigns to an entity."""
    return [path for entity, path in settings.git_repos if entity == entity_id]


def test_connection(
    settings: Settings,
    source: str,
    entity_id: str,
    *,
    stripe: Any | None = None,
    sts: Any | None = None,
    aws_reader: Any | None = None,
    today: date | None = None,
) -> ConnectionCheck:
    """Check ``source`` for ``entity_id`` without syncing: ok, or the problem in words.

    Clients are passed in by tests (``stripe`` a StripeClient; ``sts`` and ``aws_reader`` boto3
    clients, the reader being Cost Explorer or Lambda by source); None builds them lazily.
    """
    if source not in SOURCES:
        raise Invalid(f"unknown source {source!r}")
    label = SOURCES[source]
    if not is_set_up(settings, source, entity_id):
        return ConnectionCheck(source, False, f"{label} is not set up: {setup_steps(source)}.")
    try:
        if source == "stripe":
            said = _stripe(settings, stripe)
        elif source in AWS_SOURCES:
            said = _aws(source, sts, aws_reader, today or date.today())
        else:
            said = _git(settings, entity_id)
    except DomainError as exc:  # AWS errors already start with the source's name
        said = exc.message if exc.message.startswith(label) else f"{label}: {exc.message}"
        return ConnectionCheck(source, False, said)
    return ConnectionCheck(source, True, f"{label}: {said}")


test_connection.__test__ = False  # type: ignore[attr-defined]  # a core function, not a test


def _stripe(settings: Settings, client: Any | None) -> str:
    import stripe

    from core.sources.stripe_sync import stripe_client, translate_error

    client = client or stripe_client(settings)
    try:
        client.v1.balance_transactions.list(params={"limit": 1})
    except stripe.StripeError as exc:
        raise translate_error(exc, 0, None) from exc
    return "connected; the key may read balance transactions."


def _aws(source: str, sts: Any | None, reader: Any | None, today: date) -> str:
    from core.sources import aws

    what = SOURCES[source]
    try:
        sts = sts or aws.client("sts", default_region="us-east-1")
        account = sts.get_caller_identity()["Account"]
        if source == "aws-costs":
            reader = reader or aws.client("ce", default_region="us-east-1")
            reader.get_cost_and_usage(
                TimePeriod={
                    "Start": (today - timedelta(days=1)).isoformat(),
                    "End": today.isoformat(),
                },
                Granularity="DAILY",
                Metrics=["UnblendedCost"],
            )
        else:
            reader = reader or aws.client("lambda")
            reader.list_functions(MaxItems=1)
    except aws.aws_errors() as exc:
        raise aws.as_domain_error(exc, what) from exc
    return f"connected to AWS account {account}; {AWS_RIGHTS[source]} is allowed."


def _git(settings: Settings, entity_id: str) -> str:
    from core.sources.git_history import repo_root

    repos = repos_of(settings, entity_id)
    for path in repos:
        if not path.exists():
            raise Invalid(f"{path} does not exist (GIT_REPOS)")
        repo_root(path)
    names = ", ".join(p.name for p in repos)
    return f"{len(repos)} repositor{'y' if len(repos) == 1 else 'ies'} found ({names})."
