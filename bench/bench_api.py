"""API cold start from the `make lambda-zip` artifact, and warm claim/release latency.

Cold: a fresh `-S` process of the runtime's Python (3.13, as on Lambda) whose path is only the
unpacked artifact plus boto3 and its dependencies (as the Lambda runtime provides them)
imports the handler with `OPS_BACKEND=dynamodb`, then serves its first `GET /api/events` from
DynamoDB Local (started by the bench on loopback). Warm: claim and release through the handler
in one process.
Targets: import <= 150 ms, import + first request <= 300 ms, artifact <= 5 MB.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-that-is-long-enough-for-hs256!!"
BOTO = ["boto3", "botocore", "jmespath", "s3transfer", "dateutil", "six.py", "urllib3"]
COLD = r"""
import json, sys, time
t0 = time.perf_counter()
from lambda_app.handler import lambda_handler
t1 = time.perf_counter()
event = json.loads(sys.argv[1])
out = lambda_handler(event, None)
t2 = time.perf_counter()
names = ("pandas", "plotly", "streamlit", "sqlmodel", "sqlalchemy", "stripe")
heavy = [m for m in names if m in sys.modules]
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_ms": (t2 - t0) * 1000,
                  "status": out["statusCode"], "heavy": heavy}))
"""


def _event(method: str, path: str, token: str, body: object = None) -> dict[str, object]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"authorization": f"Bearer {token}", "content-type": "application/json"},
        "requestContext": {
            "http": {
                "method": method,
                "path": path,
                "sourceIp": "127.0.0.1",
                "protocol": "HTTP/1.1",
                "userAgent": "bench",
            },
            "requestId": "r",
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": 0,
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def _boto_env(target: Path) -> None:
    import boto3

    site = Path(boto3.__file__).parents[1]
    target.mkdir()
    for name in BOTO:
        if (site / name).exists():
            (target / name).symlink_to(site / name)


def main() -> int:
    """Build, unpack, measure; print and write bench/api_results.json."""
    from devtools.dynamodb_local import dynamodb_local
    from devtools.lambda_zip import RUNTIME_PYTHON, build, find_interpreter

    host_arch = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    # the artifact `make lambda-zip` deploys, and the same build runnable on this machine
    deploy = build(ROOT / "dist" / "api.zip", arch="arm64")
    runtime_python = find_interpreter(RUNTIME_PYTHON)  # build() has stopped if it is missing
    assert runtime_python is not None
    with tempfile.TemporaryDirectory() as tmp, dynamodb_local() as endpoint:
        tmpdir = Path(tmp)
        local_zip = build(tmpdir / "api-host.zip", arch=host_arch)
        unpacked = tmpdir / "task"
        zipfile.ZipFile(local_zip).extractall(unpacked)
        _boto_env(tmpdir / "runtime")
        env = {
            "PATH": os.environ["PATH"],
            "OPS_BACKEND": "dynamodb",
            "OPS_TABLE": "bench-api",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "JWT_SECRET": SECRET,
            "EXEC_DATA_DIR": str(tmpdir / "data"),
        }
        os.environ.update(env)
        from core.config import get_settings
        from lambda_app.deps import deps
        from lambda_app.handler import lambda_handler

        get_settings.cache_clear()
        deps.cache_clear()
        d = deps()
        admin_code = d.access.admin_link("bench@example.com").code
        claimed = lambda_handler(_event("POST", "/api/auth/claim", "", {"code": admin_code}), None)
        token = json.loads(claimed["body"])["token"]
        cold = []
        first_request = _event("GET", "/api/events", token)
        for _ in range(11):
            run_env = {**env, "PYTHONPATH": f"{unpacked}:{tmpdir / 'runtime'}"}
            out = subprocess.run(
                [str(runtime_python), "-S", "-c", COLD, json.dumps(first_request)],
                env=run_env,
                capture_output=True,
                text=True,
                check=True,
            )
            cold.append(json.loads(out.stdout.strip().splitlines()[-1]))
        # warm: claim and release through the handler
        crew_code = d.access.invite(
            d.ops.find_user("bench@example.com"),
            email="crew@example.com",
            name="C",
            role="crew",
            send=False,
        ).code
        crew = json.loads(
            lambda_handler(_event("POST", "/api/auth/claim", "", {"code": crew_code}), None)["body"]
        )["token"]
        created = lambda_handler(
            _event(
                "POST",
                "/api/events",
                token,
                {
                    "entity": "Bench",
                    "title": "T",
                    "starts_at": "2099-06-01T10:00:00+00:00",
                    "duration_minutes": 60,
                    "slots": {"captain": 0, "crew": 1},
                    "guests_max": 0,
                },
            ),
            None,
        )
        eid = json.loads(created["body"])["id"]
        claim_ms, release_ms = [], []
        for _ in range(60):
            t = time.perf_counter()
            assert (
                lambda_handler(
                    _event("POST", f"/api/events/{eid}/claims", crew, {"role": "crew"}), None
                )["statusCode"]
                == 201
            )
            claim_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assert (
                lambda_handler(_event("DELETE", f"/api/events/{eid}/claims/me", crew), None)[
                    "statusCode"
                ]
                == 204
            )
            release_ms.append((time.perf_counter() - t) * 1000)

    def pct(xs: list[float], q: float) -> float:
        s = sorted(xs)
        return round(s[min(len(s) - 1, int(len(s) * q))], 1)

    result = {
        "artifact_mb_arm64": round(deploy.stat().st_size / 1e6, 2),
        "cold_import_ms_median": round(statistics.median(c["import_ms"] for c in cold), 1),
        "cold_first_request_ms_median": round(statistics.median(c["first_ms"] for c in cold), 1),
        "cold_runs": cold,
        "warm_claim_p50_ms": pct(claim_ms, 0.5),
        "warm_claim_p99_ms": pct(claim_ms, 0.99),
        "warm_release_p50_ms": pct(release_ms, 0.5),
        "warm_release_p99_ms": pct(release_ms, 0.99),
    }
    result["targets"] = {
        "import<=150ms": result["cold_import_ms_median"] <= 150,
        "first<=300ms": result["cold_first_request_ms_median"] <= 300,
        "artifact<=5MB": result["artifact_mb_arm64"] <= 5,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "cold_runs"}, indent=2))
    (ROOT / "bench" / "api_results.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
