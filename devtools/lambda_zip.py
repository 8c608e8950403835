"""Build the Lambda API artifact: the handler's packages + lambda_app + core, reproducibly.

`python -m devtools.lambda_zip [--arch arm64|x86_64] [--python 3.12] [--out dist/api.zip]`.
Reproducible: wheels pinned in requirements-lambda.txt, files in sorted order, fixed
timestamps and permissions, no __pycache__. The Dockerfile-free dashboard never uses it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    "core/errors.py",
    "core/instants.py",
    "core/periods.py",
    "core/auth",
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


def build(out: Path, *, arch: str, python: str) -> Path:
    """Write the zip and return its path."""
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
        if python == f"{sys.version_info.major}.{sys.version_info.minor}":
            # The Lambda package is read-only: ship bytecode, or every cold start compiles.
            # unchecked-hash pycs do not depend on file times, so the zip stays reproducible.
            subprocess.run(
                [
                    sys.executable,
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
        default="3.11",
        help="the runtime's version; bytecode is included only "
        "when it matches the Python running this build",
    )
    p.add_argument("--out", default=str(ROOT / "dist" / "api.zip"))
    args = p.parse_args(argv)
    out = build(Path(args.out), arch=args.arch, python=args.python)
    print(f"{out} {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
