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


def test_the_handler_imports_from_the_artifact_alone(tmp_path: Path) -> None:
    """Every module the API imports is in the zip (a new core module must be listed)."""
    import subprocess
    import sys

    artifact = build(tmp_path / "x86.zip", arch="x86_64", python="3.11")
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(artifact).extractall(unpacked)
    code = (
        "import sys; sys.path[:0] = [sys.argv[1]];"
        "import lambda_app.handler, lambda_app.nudges, lambda_app.routes.events;"
        "import core.ops.dynamodb, core.ops.sqlite, core.auth.wiring"
    )
    # -I: no site-packages and no working directory, so only the zip's files can be found
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(unpacked)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
