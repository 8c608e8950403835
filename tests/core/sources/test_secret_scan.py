"""Secret scan: every detector, masking, placeholders, walking, fingerprints, the roadmap rows.

No literal secret appears in this file: each one is assembled at run time from pieces that
match nothing on their own, so the project's own scan (`make lint`) stays clean.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.errors import Invalid, NotFound
from core.ledger.models_sources import SourceSync
from core.ledger.models_tech import SecurityFinding
from core.ledger.store import LedgerStore
from core.periods import month_of
from core.reports.model import Table
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from core.sources.runs import latest_runs
from core.sources.secret_detectors import entropy_ratio, looks_secret, shannon_entropy
from core.sources.secret_scan import Finding, ScanResult, fingerprint, record_scan, scan_paths

REPO = Path(__file__).resolve().parents[3]
LA = ZoneInfo("America/Los_Angeles")
BODY = "4eC39HqLyjWDarjtT1zdp7dc"  # random-looking, harmless alone (no prefix)
AWS_BODY = "Q7ZP3M2KX9TR4WLD"
AWS_SECRET = "wJalrXUtnFEMI/K7" + "MDENGbPxRfiCY" + "9tQz2Lk4Mx1"  # 40 base64 characters
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----"
PEM_DATA = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"


def live_key(prefix: str = "sk") -> str:
    return prefix + "_" + "live_" + BODY


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def only(result: ScanResult) -> Finding:
    assert len(result.findings) == 1, [f.to_dict() for f in result.findings]
    return result.findings[0]


# (file name, text, line, kind, severity, masked, the secret body that must not show)
CASES = [
    ("pay.py", f'import stripe\nstripe.api_key = "{live_key()}"\n', 2, "stripe-live-key",
     "critical", "sk_live_…p7dc", BODY),
    ("pay.py", f"KEY = '{live_key('rk')}'\n", 1, "stripe-live-key", "critical", "rk_live_…p7dc",
     BODY),
    ("pay.js", "const k = 'sk_" + "test_" + BODY + "';\n", 1, "stripe-test-key", "medium",
     "sk_test_…p7dc", BODY),
    ("hooks.toml", "\n\nsigning = \"whsec_" + BODY + "\"\n", 3, "stripe-webhook-secret", "high",
     "whsec_…p7dc", BODY),
    ("deploy.sh", "export AWS_ACCESS_KEY_ID=AKIA" + AWS_BODY + "\n", 1, "aws-access-key-id",
     "high", "AKIA…4WLD", AWS_BODY),
    ("creds.json", '{"id": "ASIA' + AWS_BODY + '"}\n', 1, "aws-access-key-id", "high",
     "ASIA…4WLD", AWS_BODY),
    ("credentials", "[default]\naws_secret_access_key = " + AWS_SECRET + "\n", 2,
     "aws-secret-access-key", "high", "…4Mx1", AWS_SECRET),
    ("id_rsa", f"{PEM}\n{PEM_DATA}\n{PEM_DATA}\n-----END RSA PRIVATE KEY-----\n", 1,
     "private-key", "critical", "RSA PRIVATE KEY", PEM_DATA),
    ("sa.json", '{"type": "x",\n "private_key": "' + PEM.replace("RSA ", "") + "\\n" + PEM_DATA
     + '\\n-----END PRIVATE KEY-----\\n"}\n', 2, "private-key", "critical", "PRIVATE KEY",
     PEM_DATA),
    (".env", "# local\nDEBUG=1\nJWT_SECRET=hunter2-but-longer\n", 3, "env-secret", "high",
     "JWT_SECRET=…nger", "hunter2-but-longer"),
    (".env.production", "export DB_PASSWORD='pa55word'\n", 1, "env-secret", "high",
     "DB_PASSWORD=…", "pa55word"),
    ("settings.py", 'x = 1\n\nSIGNING_SECRET = "' + BODY + 'Zq81"\n', 3,
     "high-entropy-assignment", "medium", "SIGNING_SECRET=…Zq81", BODY),
    ("app.yaml", "db:\n  password: " + BODY + "\n", 2, "high-entropy-assignment", "medium",
     "password=…p7dc", BODY),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "line", "kind", "severity", "masked", "body"), CASES)
def test_each_detector_finds_its_secret_masked(
    tmp_path: Path,
    name: str,
    text: str,
    line: int,
    kind: str,
    severity: str,
    masked: str,
    body: str,
) -> None:
    write(tmp_path / "repo" / "sub" / name, text)
    f = only(scan_paths([tmp_path / "repo"]))
    assert (f.path, f.line, f.kind, f.severity) == (f"sub/{name}", line, kind, severity)
    assert f.masked == masked
    # at most 4 characters of the secret's body show, and never the secret itself
    shown = f.masked.split("…")[-1] if "…" in f.masked else ""
    assert len(shown) <= 4
    assert body not in json.dumps(f.to_dict()) and body[:8] not in f.masked


def test_stripe_body_shows_last_four_only(tmp_path: Path) -> None:
    write(tmp_path / "a.py", f'K = "{live_key()}"\n')
    assert only(scan_paths([tmp_path])).masked == "sk_live_…" + BODY[-4:]


PLACEHOLDERS = [
    (".env", "JWT_SECRET=changeme\nSTRIPE_API_KEY=\nAPI_TOKEN=<your token>\n"
     "PASSWORD=${DB_PASSWORD}\nSECRET_KEY=xxx\nJWT_SECRET_ARN=arn:aws:secretsmanager:x\n"
     "# PASSWORD=old-one\nAPP_URL=http://localhost:8787\n"),
    ("settings.py", 'API_KEY = os.environ["API_KEY"]\ntoken = os.getenv("TOKEN")\n'
     "secret = settings.jwt_secret_value_from_somewhere\n"
     'SECRET = "test-secret-that-is-at-least-32-bytes-long!"\n'
     'PASSWORD = "bench-load-password-42"\n'
     'charge_id: str = Field(foreign_key="audit_rent_charges.id")\n'
     'if token == "' + BODY + '":\n    pass\n'),
    ("keys.py", 'K = "sk_' + 'live_' + "x" * 24 + '"\nA = "AKIA' + "IOSFODNN7" + 'EXAMPLE"\n'
     'PEM_HEADER = "' + PEM + '"\n'),
    ("package-lock.json", '"integrity": "sha512-' + BODY * 3 + '",\n"token": "' + BODY + '"\n'),
    ("notes.md", "api_key: " + BODY + "  # secret-scan: allow\n"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text"), PLACEHOLDERS)
def test_placeholders_env_reads_fixtures_and_allowed_lines_are_not_flagged(
    tmp_path: Path, name: str, text: str
) -> None:
    write(tmp_path / name, text)
    result = scan_paths([tmp_path])
    assert result.files_scanned == 1
    assert result.findings == []


def test_the_same_body_is_flagged_without_the_allow_marker(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", "api_key: " + BODY + "\n")
    assert only(scan_paths([tmp_path])).kind == "high-entropy-assignment"


def test_binary_big_and_skipped_directories_are_ignored(tmp_path: Path) -> None:
    secret = f'K = "{live_key()}"\n'
    for skipped in (".git", "node_modules", ".venv", "data", "__pycache__", "dist"):
        write(tmp_path / skipped / "leak.py", secret)
    (tmp_path / "blob.bin").write_bytes(b"\0\1" + secret.encode())
    write(tmp_path / "huge.txt", secret + "x" * (2 * 1024 * 1024))
    write(tmp_path / "src" / "ok.py", "print('hello')\n")
    result = scan_paths([tmp_path])
    assert result.findings == []
    assert (result.files_scanned, result.files_skipped) == (1, 2)
    write(tmp_path / "src" / "leak.py", secret)  # the same text outside them is found
    assert only(scan_paths([tmp_path])).path == "src/leak.py"


def test_a_file_argument_and_several_roots(tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "x.py", f'K = "{live_key()}"\n')
    write(tmp_path / "b" / "y" / "z.env", "")
    result = scan_paths([a, tmp_path / "b"])
    assert result.files_scanned == 2
    f = only(result)
    assert f.path == "x.py" and f.shown_path == (tmp_path / "a" / "x.py").as_posix()


def test_missing_paths_are_all_listed(tmp_path: Path) -> None:
    write(tmp_path / "ok.py", "")
    with pytest.raises(Invalid) as err:
        scan_paths([tmp_path / "ok.py", tmp_path / "nope", tmp_path / "gone.txt"])
    assert err.value.problems == [str(tmp_path / "nope"), str(tmp_path / "gone.txt")]


def test_fingerprint_is_stable_per_path_and_hides_the_secret(tmp_path: Path) -> None:
    write(tmp_path / "a.py", f'K = "{live_key()}"\n')
    first = only(scan_paths([tmp_path]))
    write(tmp_path / "a.py", f'# moved down\n\nK = "{live_key()}"\n')
    again = only(scan_paths([tmp_path]))
    assert again.line == 3 and again.fingerprint == first.fingerprint
    inner = hashlib.sha256(live_key().encode()).hexdigest()
    expected = hashlib.sha256(f"a.py\0stripe-live-key\0{inner}".encode()).hexdigest()
    assert first.fingerprint == expected == fingerprint("a.py", "stripe-live-key", live_key())
    assert fingerprint("b.py", "stripe-live-key", live_key()) != first.fingerprint


def test_entropy_threshold_separates_random_from_words() -> None:
    assert shannon_entropy("aaaa") == 0 and shannon_entropy("ab") == 1
    assert entropy_ratio(BODY) >= 0.8 > entropy_ratio("test-secret-that-is-at-least-32-bytes-long!")
    assert looks_secret("STRIPE_API_KEY") and looks_secret("dbPassword")
    assert not looks_secret("JWT_SECRET_ARN") and not looks_secret("foreign_key")


def test_this_repository_has_no_secret() -> None:
    """The project scans itself clean; a secret committed later fails here and in `make lint`."""
    result = scan_paths([REPO])
    assert result.files_scanned > 100
    assert [f"{f.path}:{f.line} {f.kind}" for f in result.findings] == []


# -- the CTO security roadmap -------------------------------------------------------------------
DAY1, DAY2, DAY3 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)


def _rows(store: LedgerStore) -> list[SecurityFinding]:
    with store.session() as s:
        return list(s.execute(select(SecurityFinding).order_by(SecurityFinding.id)).scalars())


def _repo(tmp_path: Path, with_aws: bool = True) -> Path:
    write(tmp_path / "api" / "lambda_app" / "x.py", f'import os\n\nK = "{live_key()}"\n')
    aws = ("AWS_ACCESS_KEY_ID=AKIA" + AWS_BODY + "\n") if with_aws else ""
    write(tmp_path / "api" / ".env", aws)
    return tmp_path / "api"


def test_record_scan_is_idempotent_and_marks_fixed(store: LedgerStore, tmp_path: Path) -> None:
    store.add_entity(id="A", name="Alpha")
    root = _repo(tmp_path)
    message = record_scan(store, "A", scan_paths([root]), service="api", today=DAY1)
    assert "2 new" in message
    rows = _rows(store)
    assert sorted((r.severity, r.status, r.source, r.opened_on) for r in rows) == [
        ("critical", "open", "secret-scan", DAY1),
        ("high", "open", "secret-scan", DAY1),
    ]
    by_title = {r.title: r for r in rows}
    live = by_title["Stripe live key in lambda_app/x.py:3"]
    assert "STRIPE_SECRET_ARN" in live.fix and "AWS access key id in .env:1" in by_title
    assert all(BODY not in r.title + r.fix and AWS_BODY not in r.title for r in rows)

    record_scan(store, "A", scan_paths([root]), service="api", today=DAY2)
    assert [(r.id, r.status, r.opened_on) for r in _rows(store)] == [
        (r.id, "open", DAY1) for r in rows
    ]

    root = _repo(tmp_path, with_aws=False)  # the AWS key was removed
    assert "1 fixed" in record_scan(store, "A", scan_paths([root]), service="api", today=DAY3)
    after = {r.title: r for r in _rows(store)}
    assert after["AWS access key id in .env:1"].status == "fixed"
    assert after["AWS access key id in .env:1"].fixed_on == DAY3
    assert after["Stripe live key in lambda_app/x.py:3"].status == "open"
    (run,) = latest_runs(store, ["A"])
    assert (run.source, run.status, run.items) == ("secret-scan", "ok", 1)


def test_a_returning_secret_is_reopened_and_scopes_do_not_collide(
    store: LedgerStore, tmp_path: Path
) -> None:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    root = _repo(tmp_path)
    record_scan(store, "A", scan_paths([root]), service="api", today=DAY1)
    record_scan(store, "A", ScanResult(), service="api", today=DAY2)
    assert {r.status for r in _rows(store)} == {"fixed"}
    record_scan(store, "A", scan_paths([root]), service="api", today=DAY3)
    assert {(r.status, r.fixed_on) for r in _rows(store)} == {("open", None)}
    # the same repository in another entity (or service) gets rows of its own
    record_scan(store, "B", scan_paths([root]), service="api", today=DAY3)
    record_scan(store, "A", scan_paths([root]), service="site", today=DAY3)
    assert len(_rows(store)) == 6
    record_scan(store, "B", ScanResult(), service="api", today=DAY3)
    statuses = sorted((r.entity_id, r.service, r.status) for r in _rows(store))
    assert statuses.count(("B", "api", "fixed")) == 2 and statuses.count(("A", "api", "open")) == 2


def test_unknown_entity_writes_nothing(store: LedgerStore, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        record_scan(store, "ghost", scan_paths([_repo(tmp_path)]), service="api", today=DAY1)
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SecurityFinding)) == 0
        assert conn.scalar(select(func.count()).select_from(SourceSync)) == 0


def test_findings_show_in_the_cto_security_roadmap(store: LedgerStore, tmp_path: Path) -> None:
    store.add_entity(id="A", name="Alpha")
    record_scan(store, "A", scan_paths([_repo(tmp_path)]), service="api", today=DAY1)
    now = datetime(2026, 11, 3, 9, 0, tzinfo=LA)
    scope = resolve_scope(store, entity="A", period=month_of(DAY1))
    report = build_scoped("cto", store, scope, tz=LA, now=now)
    security = next(s for s in report.sections if s.id == "security")
    table = next(i for i in security.items if isinstance(i, Table))
    rows = {r["finding"]: r for r in table.rows}
    row = rows["Stripe live key in lambda_app/x.py:3"]
    assert (row["severity"], row["status"], row["source"]) == ("critical", "open", "secret-scan")
    kpis = {k.id: k.value for k in report.kpis}
    assert kpis["open_findings"] == 2 and kpis["critical_findings"] == 1
