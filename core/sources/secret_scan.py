"""Secret scan: find committed secrets in files and feed them to the CTO security roadmap.

:func:`scan_paths` walks files and directories and returns findings with a path relative to
the scan root, a line, a kind, a severity and a masked value; the secret itself is kept only
as a hash inside the fingerprint. :func:`record_scan` writes the findings as
``SecurityFinding`` rows (source ``secret-scan``) of one entity and service, so the CTO report
lists them; a re-scan adds nothing twice and marks what is gone as fixed. What counts as a
secret lives in ``core.sources.secret_detectors``.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from core.errors import Invalid
from core.ledger.models_tech import SecurityFinding
from core.ledger.store import LedgerStore
from core.sources.runs import sync_run
from core.sources.secret_detectors import SEVERITY, detect

SOURCE = "secret-scan"
MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are data or build output, not configuration
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", ".cache", "__pycache__", "dist",
     "build", "data", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis", ".tox"}
)  # fmt: skip

LABELS = {
    "stripe-live-key": "Stripe live key",
    "stripe-test-key": "Stripe test key",
    "stripe-webhook-secret": "Stripe webhook secret",
    "aws-access-key-id": "AWS access key id",
    "aws-secret-access-key": "AWS secret access key",
    "private-key": "Private key",
    "env-secret": "Secret in a .env file",
    "high-entropy-assignment": "Likely secret (high-entropy value)",
}
FIXES = {
    "stripe-live-key": "Roll the key in Stripe, then load it from Secrets Manager "
    "(STRIPE_SECRET_ARN), never from the code.",
    "stripe-test-key": "Roll the test key in Stripe and read it from STRIPE_API_KEY "
    "(environment or .env), not from the code.",
    "stripe-webhook-secret": "Roll the webhook signing secret in Stripe and read it from "
    "STRIPE_WEBHOOK_SECRET.",
    "aws-access-key-id": "Deactivate and delete the access key in IAM; use the Lambda's role "
    "or an SSO profile instead of long-lived keys.",
    "aws-secret-access-key": "Deactivate and delete the access key in IAM; use the Lambda's "
    "role or an SSO profile instead of long-lived keys.",
    "private-key": "Revoke and replace the key pair, purge it from the repository history and "
    "keep the new one in Secrets Manager.",
    "env-secret": "Rotate the secret and keep .env files out of git; in production load it "
    "from Secrets Manager.",
    "high-entropy-assignment": "If it is a real secret, rotate it and read it from the "
    "environment or Secrets Manager; if not, mark the line 'secret-scan: allow'.",
}


@dataclass(frozen=True)
class Finding:
    """One secret found: where it is, what it is, masked; never the secret itself."""

    path: str  # relative to the scan root, with forward slashes
    line: int
    kind: str
    severity: str
    masked: str
    fingerprint: str  # sha256 of (path, kind, sha256 of the secret)
    root: str = "."  # the scanned path the finding's path is relative to (as given)

    @property
    def shown_path(self) -> str:
        """The path as a user can open it from where the scan was run."""
        return Path(os.path.normpath(Path(self.root) / self.path)).as_posix()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, with ``path`` as shown to the user."""
        return {**asdict(self), "path": self.shown_path, "relative_path": self.path}


@dataclass
class ScanResult:
    """What a scan found and how many files it read."""

    findings: list[Finding] = field(default_factory=list)
    files_scanned: int = 0
    files_skipped: int = 0  # binary or too large

    def counts(self) -> Counter[str]:
        """Findings per severity."""
        return Counter(f.severity for f in self.findings)

    def summary(self) -> str:
        """One line: files scanned and findings by severity."""
        if not self.findings:
            return f"scanned {self.files_scanned} files: no secrets found"
        counts = self.counts()
        parts = ", ".join(
            f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low") if counts[s]
        )
        word = "finding" if len(self.findings) == 1 else "findings"
        return f"scanned {self.files_scanned} files: {len(self.findings)} {word} ({parts})"


def fingerprint(path: str, kind: str, secret: str) -> str:
    """sha256 of (path, kind, sha256 of the secret): stable across re-scans, reveals nothing."""
    inner = hashlib.sha256(secret.encode()).hexdigest()
    return hashlib.sha256(f"{path}\0{kind}\0{inner}".encode()).hexdigest()


def scan_paths(paths: Sequence[Path]) -> ScanResult:
    """Scan files and directories; Invalid (listing each one) if any path does not exist."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if not paths:
        raise Invalid("scan-secrets needs at least one path")
    if missing:
        raise Invalid("cannot scan: no such file or directory", problems=missing)
    result = ScanResult()
    for given in paths:
        root = Path(given)
        base = root if root.is_dir() else root.parent
        shown_root = str(given) if root.is_dir() else str(root.parent)
        for file in _files(root):
            _scan_file(file, file.relative_to(base).as_posix(), shown_root, result)
    result.findings.sort(key=lambda f: (f.root, f.path, f.line, f.kind))
    return result


def _files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        # prune in place so os.walk never descends into caches, virtualenvs or data
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not path.is_symlink():  # a link points at content scanned elsewhere, or outside
                yield path


def _scan_file(file: Path, rel: str, shown_root: str, result: ScanResult) -> None:
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            result.files_skipped += 1
            return
        raw = file.read_bytes()
    except OSError:
        result.files_skipped += 1  # unreadable (permissions, vanished): nothing to report
        return
    if b"\0" in raw:
        result.files_skipped += 1  # binary
        return
    result.files_scanned += 1
    lines = raw.decode("utf-8", errors="replace").splitlines()
    for hit in detect(file.name, lines):
        result.findings.append(
            Finding(
                path=rel,
                line=hit.line,
                kind=hit.kind,
                severity=SEVERITY[hit.kind],
                masked=hit.masked,
                fingerprint=fingerprint(rel, hit.kind, hit.secret),
                root=shown_root,
            )
        )


def stored_fingerprint(entity_id: str, service: str, finding: Finding) -> str:
    """The row's fingerprint: the finding's, scoped to entity and service.

    ``security_findings.fingerprint`` is unique across the table, so two entities (or two
    services) scanning the same repository must not collide on one row.
    """
    key = f"{SOURCE}\0{entity_id}\0{service}\0{finding.fingerprint}"
    return hashlib.sha256(key.encode()).hexdigest()


def record_scan(
    store: LedgerStore, entity_id: str, result: ScanResult, *, service: str, today: date
) -> str:
    """Write findings to the security roadmap in one transaction; returns a one-line summary.

    New fingerprints become ``open`` rows; known ones are updated (line, severity) and
    re-opened if they had been fixed; open rows of this entity and service that the scan no
    longer finds are marked ``fixed`` today. The run is recorded as a ``secret-scan`` sync.
    """
    if not service.strip():
        raise Invalid("--service must not be empty")
    wanted: dict[str, Finding] = {}
    for f in result.findings:  # the same secret twice in one file is one roadmap item
        wanted.setdefault(stored_fingerprint(entity_id, service, f), f)
    t = SecurityFinding
    with sync_run(store, entity_id, SOURCE) as run, store.engine.begin() as conn:
        known = {
            row.fingerprint: row
            for row in conn.execute(
                select(t.id, t.fingerprint, t.status).where(
                    t.entity_id == entity_id, t.service == service, t.source == SOURCE
                )
            )
        }
        added = reopened = fixed = 0
        for fp, f in wanted.items():
            values = {
                "title": f"{LABELS[f.kind]} in {f.path}:{f.line}",
                "fix": FIXES[f.kind],
                "severity": f.severity,
            }
            row = known.get(fp)
            if row is None:
                conn.execute(
                    insert(t).values(
                        entity_id=entity_id,
                        service=service,
                        status="open",
                        opened_on=today,
                        source=SOURCE,
                        fingerprint=fp,
                        **values,
                    )
                )
                added += 1
            elif row.status == "fixed":  # the secret is back: the roadmap must show it again
                conn.execute(
                    update(t).where(t.id == row.id).values(status="open", fixed_on=None, **values)
                )
                reopened += 1
            else:  # still there; keep its status (in progress stays in progress)
                conn.execute(update(t).where(t.id == row.id).values(**values))
        gone = [r.id for fp, r in known.items() if fp not in wanted and r.status != "fixed"]
        if gone:
            conn.execute(update(t).where(t.id.in_(gone)).values(status="fixed", fixed_on=today))
            fixed = len(gone)
        run.items = added + reopened + fixed
        run.message = (
            f"{result.files_scanned} files, {len(wanted)} findings: {added} new, "
            f"{reopened} reopened, {fixed} fixed"
        )
    return run.message
