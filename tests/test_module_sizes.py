"""No module over ~400 lines unless it is one cohesive thing (listed below, with the reason):
a long file doing several jobs is split by concern into small modules with telling names."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "dashboard", "views", "lambda_app", "devtools", "bench")
MAX_LINES = 400
# module -> why it stays one file
LONG_ON_PURPOSE: dict[str, str] = {}


def long_modules(root: Path = ROOT, max_lines: int = MAX_LINES) -> dict[str, int]:
    """Every Python module of the product's packages over ``max_lines`` lines, by path."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > max_lines:
                found[str(path.relative_to(root))] = lines
    return found


def test_no_module_does_several_jobs_past_400_lines() -> None:
    too_long = {m: n for m, n in long_modules().items() if m not in LONG_ON_PURPOSE}
    assert too_long == {}


def test_the_size_guard_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "core" / "ops").mkdir(parents=True)
    (tmp_path / "core" / "ops" / "long.py").write_text("x = 1\n" * 401)
    (tmp_path / "core" / "ops" / "short.py").write_text("x = 1\n" * 400)
    assert long_modules(tmp_path) == {"core/ops/long.py": 401}
