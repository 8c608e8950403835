"""Build the Lambda API artifact: the handler's packages + lambda_app + core, reproducibly.

`python -m devtools.lambda_zip [--arch arm64|x86_64] [--python 3.13] [--out dist/api.zip]`.
Reproducible: wheels pinned in requirements-lambda.txt, files in sorted order, fixed
timestamps and permissions, no __pycache__. The Dockerfile-free dashboard never uses it.

The runtime's Python may differ from the one running the build (the machine's 3.11 builds for
Lambda's python3.13): wheels are chosen for the runtime's version, and its bytecode is compiled
by an interpreter of that version, found on PATH or under pyenv (`find_interpreter`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The Lambda runtime's Python (template.yaml `Runtime: python3.13`, via the Makefile's --python).
RUNTIME_PYTHON = "3.13"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SKIP_PARTS = {"__pycache__", "tests", "frontend"}
# lambda_app files that belong to the deployment or the reports image, not to the API
SKIP_FILES = {
    "lambda_app/template.yaml",
    "lambda_app/reports.Dockerfile",
    "lambda_app/reports_job.py",
}
# Parts of the bundled packages the API never imports (checked by tests/lambda_app run against
# the unpacked artifact in `make bench`): left out to keep the zip small.
PRUNE = ["pydantic/v1", "pydantic/experimental"]
POWERTOOLS_UTILITIES_KEPT = {"__init__.py", "data_classes", "jmespath_utils", "typing"}
CORE_ONLY = [  # the core the API needs: no ledger, reports or dashboard code
    "core/__init__.py",
    "core/config.py",
    "core/emails.py",
    "core/errors.py",
    "core/instants.py",
    "core/periods.py",
    "core/private_files.py",  # the SQLite ops store and the outbox keep their files private
    "core/local_secrets.py",  # the development JWT key
    "core/logs.py",  # redaction of every log line (lambda_app/telemetry.py)
    "core/secret_value.py",  # secrets read from Secrets Manager
    "core/auth/__init__.py",
    "core/auth/roles.py",  # ops admins' dashboard roles; not the dashboard's sign-in
    "core/ops_access",
    "core/ops",
    "core/delivery/__init__.py",
    "core/delivery/message.py",
    "core/delivery/senders.py",
    "core/sources/__init__.py",
    "core/sources/stripe_webhook.py",  # the webhook route; not the sync (it needs stripe)
]


def _files(root: Path, rel: str) -> list[tuple[Path, str]]:
    path = root / rel
    if path.is_file():
        return [(path, rel)]
    out = []
    for f in sorted(path.rglob("*")):
        parts = set(f.relative_to(root).parts)
        rel_name = str(f.relative_to(root))
        if (
            f.is_file()
            and not parts & SKIP_PARTS
            and f.suffix != ".pyc"
            and rel_name not in SKIP_FILES
        ):
            out.append((f, str(f.relative_to(root))))
    return out


class InterpreterMissing(RuntimeError):
    """No interpreter of the runtime's Python version to compile its bytecode with."""


def _version_of(executable: str) -> str | None:
    """``major.minor`` of a Python executable; None when it does not run (e.g. a pyenv shim
    of a version that is installed but not selected)."""
    try:
        done = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _release(executable: Path) -> list[int]:
    """The pyenv version folder's release as numbers (3.13.10 after 3.13.9; a variant such
    as 3.13.0t sorts below the plain release)."""
    return [int(x) if x.isdigit() else -1 for x in executable.parents[1].name.split(".")]


def find_interpreter(python: str) -> Path | None:
    """An interpreter of version ``python`` (e.g. "3.13"): this one if it matches, else
    ``python3.13`` on PATH, else the newest pyenv install of it ($PYENV_ROOT or ~/.pyenv)."""
    if python == f"{sys.version_info.major}.{sys.version_info.minor}":
        return Path(sys.executable)
    candidates = [shutil.which(f"python{python}")]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    installs = sorted(pyenv.glob(f"{python}.*/bin/python{python}"), key=_release, reverse=True)
    candidates += [str(p) for p in installs]
    for candidate in candidates:
        if candidate and _version_of(candidate) == python:
            return Path(candidate)
    return None


def build(out: Path, *, arch: str, python: str = RUNTIME_PYTHON) -> Path:
    """Write the zip for the ``python`` runtime on ``arch`` and return its path.

    Raises InterpreterMissing when no Python ``python`` is found to compile the bytecode."""
    interpreter = find_interpreter(python)
    if interpreter is None:
        # Never ship sources instead: a read-only package without bytecode compiles on every
        # cold start.
        raise InterpreterMissing(
            f"Python {python} not found (python{python} on PATH, or under $PYENV_ROOT or "
            f"~/.pyenv): the artifact's bytecode must be compiled by the runtime's version. "
            f"Install it (e.g. `pyenv install {python}`) and build again."
        )
    platform = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}[arch]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-compile",
                "--target",
                str(site),
                "--platform",
                platform,
                "--implementation",
                "cp",
                "--python-version",
                python,
                "--only-binary=:all:",
                "--no-deps",
                "-r",
                str(ROOT / "requirements-lambda.txt"),
            ],
            check=True,
        )
        for rel in PRUNE:
            shutil.rmtree(site / rel, ignore_errors=True)
        for child in (site / "aws_lambda_powertools" / "utilities").iterdir():
            if child.name not in POWERTOOLS_UTILITIES_KEPT:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        for rel in ["lambda_app", *CORE_ONLY]:
            for path, name in _files(ROOT, rel):
                (site / name).parent.mkdir(parents=True, exist_ok=True)
                (site / name).write_bytes(path.read_bytes())
        # The Lambda package is read-only: ship bytecode, or every cold start compiles.
        # unchecked-hash pycs do not depend on file times, so the zip stays reproducible.
        # -I: the interpreter's own environment (PYTHON* variables, user site) stays out.
        subprocess.run(
            [
                str(interpreter),
                "-I",
                "-m",
                "compileall",
                "-q",
                "-b",
                "--invalidation-mode",
                "unchecked-hash",
                "-s",
                str(site),
                "-p",
                "/var/task",
                str(site),
            ],
            check=True,
        )
        for source in site.rglob("*.py"):  # sourceless: .pyc beside where .py was
            if source.with_suffix(".pyc").exists():
                source.unlink()
        entries = [
            (f, str(f.relative_to(site)))
            for f in sorted(site.rglob("*"))
            if f.is_file() and not f.relative_to(site).parts[0].endswith(".dist-info")
        ]
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for path, name in sorted(entries, key=lambda e: e[1]):
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, path.read_bytes())
    return out


def main(argv: list[str] | None = None) -> int:
    """Build and print the artifact's path and size."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", choices=["arm64", "x86_64"], default="arm64")
    p.add_argument(
        "--python",
        default=RUNTIME_PYTHON,
        help="the runtime's version: wheels for it, bytecode compiled by an interpreter of it",
    )
    p.add_argument("--out", default=str(ROOT / "dist" / "api.zip"))
    args = p.parse_args(argv)
    try:
        out = build(Path(args.out), arch=args.arch, python=args.python)
    except InterpreterMissing as exc:
        print(f"lambda_zip: {exc}", file=sys.stderr)
        return 2
    print(f"{out} {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
