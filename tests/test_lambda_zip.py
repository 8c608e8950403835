"""`make lambda-zip`: reproducible, small, and holding only what the API needs."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from devtools.lambda_zip import build


def test_artifact_is_reproducible_small_and_lean(tmp_path: Path) -> None:
    a = build(tmp_path / "a.zip", arch="arm64", python="3.11")
    b = build(tmp_path / "b.zip", arch="arm64", python="3.11")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert a.stat().st_size <= 5 * 1024 * 1024
    names = zipfile.ZipFile(a).namelist()
    assert "lambda_app/handler.pyc" in names and "core/ops/service.pyc" in names
    assert "core/sources/stripe_webhook.pyc" in names
    assert "core/sources/stripe_sync.pyc" not in names
    for deploy_only in ("template.yaml", "reports.Dockerfile", "reports_job.pyc"):
        assert f"lambda_app/{deploy_only}" not in names
    for absent in ("dashboard/", "core/ledger/", "core/reports/", "views/", "boto3/", "pandas/"):
        assert not any(n.startswith(absent) for n in names), absent


def test_every_core_module_the_api_imports_is_in_the_artifact() -> None:
    """A core helper imported by a zipped module (e.g. core/private_files.py, used by the
    SQLite ops store and the outbox) must be zipped too, or the API fails on import."""
    import ast

    from devtools.lambda_zip import CORE_ONLY, ROOT, _files

    zipped = {rel for part in [*CORE_ONLY, "lambda_app"] for _, rel in _files(ROOT, part)}
    unused_by_the_api = {"core/auth/dashboard_users.py"}  # the dashboard's; never imported here
    missing = set()
    for rel in sorted(zipped - unused_by_the_api):
        if not rel.endswith(".py"):
            continue
        for node in ast.walk(ast.parse((ROOT / rel).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core."):
                path = str(node.module).replace(".", "/")
                if f"{path}.py" not in zipped and f"{path}/__init__.py" not in zipped:
                    missing.add(f"{rel} imports {node.module}")
    assert sorted(missing) == []
