"""`make lambda-zip`: reproducible, small, holding only what the API needs, built for the Lambda
runtime's Python, and working when that Python runs it against DynamoDB."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import uuid
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest

from devtools.dynamodb_local import client
from devtools.lambda_zip import RUNTIME_PYTHON, InterpreterMissing, find_interpreter
from devtools.lambda_zip import build as build_zip

PROBE = Path(__file__).with_name("lambda_zip_probe.py")
# What Lambda's Python runtimes provide besides the standard library (the zip leaves them out)
RUNTIME_SDK = ["boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"]


@pytest.fixture(scope="module")
def runtime_python() -> Path:
    """The Lambda runtime's Python on this machine (the machine image has it under ~/.pyenv)."""
    found = find_interpreter(RUNTIME_PYTHON)
    if found is None:
        pytest.fail(
            f"Python {RUNTIME_PYTHON} (the Lambda runtime's) is not installed: expected "
            f"python{RUNTIME_PYTHON} on PATH or ~/.pyenv/versions/{RUNTIME_PYTHON}.*; "
            f"install it with `pyenv install {RUNTIME_PYTHON}`"
        )
    return found


def build(out: Path, *, arch: str) -> Path:
    """The artifact for the runtime's Python, as `make lambda-zip` builds it."""
    return build_zip(out, arch=arch, python=RUNTIME_PYTHON)


@pytest.fixture(scope="module")
def deployed_zip(runtime_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The artifact `make lambda-zip` deploys: arm64 (Graviton)."""
    return build(tmp_path_factory.mktemp("deploy") / "api.zip", arch="arm64")


def test_artifact_is_reproducible_small_and_lean(tmp_path: Path, deployed_zip: Path) -> None:
    a = deployed_zip
    b = build(tmp_path / "b.zip", arch="arm64")
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
    assert not any(n.endswith(".py") for n in names)  # bytecode only: nothing compiles on Lambda


def test_every_core_module_the_api_imports_is_in_the_artifact() -> None:
    """A core helper imported by a zipped module (e.g. core/private_files.py, used by the
    SQLite ops store and the outbox) must be zipped too, or the API fails on import."""
    import ast

    from devtools.lambda_zip import CORE_ONLY, ROOT, _files

    zipped = {rel for part in [*CORE_ONLY, "lambda_app"] for _, rel in _files(ROOT, part)}
    missing = set()
    for rel in sorted(zipped):
        if not rel.endswith(".py"):
            continue
        tree = ast.parse((ROOT / rel).read_text())
        for guard in ast.walk(tree):  # `if TYPE_CHECKING:` imports never run
            if isinstance(guard, ast.If) and ast.unparse(guard.test) == "TYPE_CHECKING":
                guard.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core."):
                path = str(node.module).replace(".", "/")
                if f"{path}.py" not in zipped and f"{path}/__init__.py" not in zipped:
                    missing.add(f"{rel} imports {node.module}")
    assert sorted(missing) == []


def test_artifact_is_built_for_the_runtime_python_on_graviton(
    runtime_python: Path, deployed_zip: Path
) -> None:
    artifact = zipfile.ZipFile(deployed_zip)
    native = [n for n in artifact.namelist() if n.endswith(".so")]
    tag = f"cpython-{RUNTIME_PYTHON.replace('.', '')}-aarch64-linux-gnu"
    assert native and all(tag in n for n in native), native
    magic = subprocess.run(
        [
            str(runtime_python),
            "-I",
            "-c",
            "import importlib.util as u; print(u.MAGIC_NUMBER.hex())",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert artifact.read("lambda_app/handler.pyc")[:4].hex() == magic


def test_a_missing_runtime_python_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    assert find_interpreter("3.99") is None
    with pytest.raises(InterpreterMissing, match=r"Python 3\.99 not found"):
        build_zip(tmp_path / "api.zip", arch="arm64", python="3.99")
    assert not (tmp_path / "api.zip").exists()  # never a zip of sources that compile per start


def _runtime_sdk(target: Path) -> Path:
    """Lambda's boto3 and its dependencies (pure Python), linked from this venv's copies."""
    target.mkdir()
    for name in RUNTIME_SDK:
        dist = distribution(name)
        tops = {f.parts[0] for f in dist.files or [] if ".dist-info" not in f.parts[0]}
        for top in tops - {"..", "__pycache__"}:  # not its scripts (../bin) or 3.11 caches
            source = Path(str(dist.locate_file(top)))
            if not (target / top).exists() and source.exists():
                (target / top).symlink_to(source)
    return target


def test_handler_from_the_zip_serves_dynamodb_under_the_runtime_python(
    tmp_path: Path, runtime_python: Path, dynamodb_endpoint: str
) -> None:
    # The same build as `make lambda-zip`, for this machine's architecture so it can run here.
    host = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    task = tmp_path / "task"
    zipfile.ZipFile(build(tmp_path / "api.zip", arch=host)).extractall(task)
    table = f"zip-{uuid.uuid4().hex[:8]}"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OPS_BACKEND": "dynamodb",
        "OPS_TABLE": table,
        "AWS_ENDPOINT_URL": dynamodb_endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "JWT_SECRET": "zip-test-secret-that-is-at-least-32-bytes-long",
        "APP_URL": "https://crew.example.com",
        "EXEC_DATA_DIR": str(tmp_path / "data"),  # Lambda's /tmp: the outbox
    }
    sdk = _runtime_sdk(tmp_path / "runtime")
    # -I -S: nothing of this machine's site-packages; -B: no bytecode written into the venv
    done = subprocess.run(
        [
            str(runtime_python),
            "-I",
            "-S",
            "-B",
            str(PROBE),
            str(task),
            str(sdk),
            "skipper@example.com",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["python"] == [int(x) for x in RUNTIME_PYTHON.split(".")]
    assert seen["handler_file"] == str(task / "lambda_app" / "handler.pyc")
    assert seen["store"] == "DynamoOpsStore"
    assert seen["health"] == [200, {"ok": True}]
    assert seen["claim"] == 200
    status, event = seen["created"]
    assert status == 201, event
    status, listed = seen["listed"]
    assert status == 200 and [e["id"] for e in listed["events"]] == [event["id"]]
    assert seen["login_link"] == 202
    # it was DynamoDB Local that held them (the table the handler created on its cold start)
    items = client(dynamodb_endpoint).scan(TableName=table)["Items"]
    assert any("skipper@example.com" in json.dumps(i) for i in items)
    assert any(event["id"] in json.dumps(i) for i in items)
