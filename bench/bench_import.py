"""Cold import of the Lambda API from built zips: `import lambda_app.handler`, fresh processes.

`python -m bench.bench_import [BEFORE.zip ...] [--runs 7]`: builds the current artifact for
this machine (as `make lambda-zip` does, for this architecture), then for it and every zip
given, unpacks it and times the handler's import in ``--runs`` fresh `-S` processes of the
runtime's Python with only the artifact and the runtime's boto3 on the path (as on Lambda).
Prints the median (and min/max) per zip, in milliseconds. Used for the Logger/Metrics figure
in bench/README.md: a zip built before a change against the one after it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import zipfile
from pathlib import Path

from bench.bench_api import _boto_env

PROBE = r"""
import json, time
t0, c0 = time.perf_counter(), time.process_time()
import lambda_app.handler
t1, c1 = time.perf_counter(), time.process_time()
import aws_lambda_powertools.logging, aws_lambda_powertools.metrics  # already in, after the change
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({
    "import_ms": (t1 - t0) * 1000,
    "import_cpu_ms": (c1 - c0) * 1000,
    "logger_metrics_left_ms": (t2 - t1) * 1000,
    "logger_metrics_left_cpu_ms": (c2 - c1) * 1000,
}))
"""


def cold_imports(
    artifacts: list[Path], python: Path, runtime: Path, runs: int
) -> list[list[dict[str, float]]]:
    """Timings (ms, wall and CPU) of the handler's import, and of importing Powertools' Logger
    and Metrics after it, in ``runs`` fresh processes per artifact, taken
    in turns (one of each, then again) so a busy spell of the machine hits all alike."""
    with tempfile.TemporaryDirectory() as tmp:
        tasks = []
        for i, artifact in enumerate(artifacts):
            tasks.append(Path(tmp) / f"task{i}")
            zipfile.ZipFile(artifact).extractall(tasks[-1])
        out: list[list[dict[str, float]]] = [[] for _ in artifacts]
        for _ in range(runs):
            for i, task in enumerate(tasks):
                env = {
                    "PATH": os.environ["PATH"],
                    "PYTHONPATH": f"{task}:{runtime}",
                    "EXEC_DATA_DIR": str(Path(tmp) / "data"),
                    "AWS_DEFAULT_REGION": "us-east-1",
                }
                command = [str(python), "-S", "-c", PROBE]
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                out[i].append(json.loads(done.stdout.strip().splitlines()[-1]))
        return out


def main(argv: list[str] | None = None) -> int:
    """Build the current zip, time it and the given ones; print one line per zip."""
    from devtools.lambda_zip import RUNTIME_PYTHON, build, find_interpreter

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("zips", nargs="*", type=Path, help="artifacts built before a change")
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args(argv)
    arch = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    python = find_interpreter(RUNTIME_PYTHON)
    if python is None:
        print(f"bench_import: Python {RUNTIME_PYTHON} not found (see docs/deploy.md)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        current = build(Path(tmp) / "current.zip", arch=arch)
        runtime = Path(tmp) / "runtime"
        _boto_env(runtime)
        artifacts = [*args.zips, current]
        timings = cold_imports(artifacts, python, runtime, args.runs)
        for artifact, runs in zip(artifacts, timings, strict=True):
            name = "current" if artifact == current else str(artifact)
            medians = {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0]}
            print(f"{name}: median of {args.runs} fresh processes (ms): {json.dumps(medians)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
