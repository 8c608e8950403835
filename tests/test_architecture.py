"""Guards on the layout: the core stays free of UI and Lambda code and of import cycles, and no
``pages/`` folder sits beside app.py (Streamlit would run its scripts before the sign-in gate).

Imports are read from the source with ``ast``, not by importing: an import inside a function
counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
FORBIDDEN = ("streamlit", "dashboard", "views", "lambda_app")


def module_name(path: Path, root: Path = ROOT) -> str:
    """``core/reports/ceo.py`` -> ``core.reports.ceo``; a package's ``__init__`` is the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_modules(core: Path = CORE) -> dict[str, Path]:
    """Every module of the core package by its dotted name."""
    return {module_name(p, core.parent): p for p in sorted(core.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module an ``import from`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def imported(
    tree: ast.AST, module: str, is_package: bool = False, known: Collection[str] = ()
) -> Iterator[str]:
    """Every module an import anywhere in ``tree`` names. ``from a import b`` names a.b, and
    a itself unless a.b is one of the ``known`` modules (then a is only a.b's package, which
    Python imports first for any of its modules, as for ``from a.b import c``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            names = [f"{base}.{a.name}" for a in node.names]
            yield from names
            if not all(n in known for n in names):
                yield base


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def load_time_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """The statements that run when the module is imported: not function bodies, not
    ``if TYPE_CHECKING:`` blocks (class bodies and other blocks do run)."""
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(stmt, ast.If) and _is_type_checking(stmt):
            todo.extend(stmt.orelse)
            continue
        yield stmt
        for field in ("body", "orelse", "finalbody", "handlers"):
            for child in getattr(stmt, field, []):
                if isinstance(child, ast.ExceptHandler):
                    todo.extend(child.body)
                elif isinstance(child, ast.stmt):
                    todo.append(child)


def import_graph(modules: dict[str, Path], *, load_time_only: bool = True) -> dict[str, set[str]]:
    """Module -> the core modules it imports: at load time only, or anywhere in it but in
    ``if TYPE_CHECKING:`` blocks (names for annotations, never run)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        package = path.name == "__init__.py"
        if load_time_only:
            stmts = [
                s for s in load_time_statements(tree) if isinstance(s, ast.Import | ast.ImportFrom)
            ]
            deps = {m for stmt in stmts for m in imported(stmt, name, package, modules)}
        else:
            for block in ast.walk(tree):
                if isinstance(block, ast.If) and _is_type_checking(block):
                    block.body = []
            deps = set(imported(tree, name, package, modules))
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (strongly connected
    components of more than one module), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan: a depth-first search keeping the lowest index reached
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for start in sorted(graph):
        if start not in index:
            visit(start)
    return sorted(found)


def forbidden_imports(modules: dict[str, Path]) -> list[str]:
    """``module: imported`` for every core import of a UI or Lambda package, anywhere."""
    out = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for target in imported(tree, name, path.name == "__init__.py"):
            if target.split(".")[0] in FORBIDDEN:
                out.append(f"{name}: {target}")
    return sorted(set(out))


def test_core_imports_no_streamlit_dashboard_views_or_lambda_app() -> None:
    modules = core_modules()
    assert len(modules) > 50  # the walk found the core
    assert forbidden_imports(modules) == []


def test_no_pages_folder_beside_app_py() -> None:
    assert (ROOT / "app.py").is_file()
    assert not (ROOT / "pages").exists()


def test_core_has_no_import_cycle() -> None:
    assert cycles(import_graph(core_modules())) == []


# A lazy import that closes a circle only hides it (core.demo <-> core.marketing.demo and
# core.reports.ceo <-> core.reports.registry were such).
def test_no_cycle_hides_behind_a_lazy_import() -> None:
    assert cycles(import_graph(core_modules(), load_time_only=False)) == []


def package_graph(graph: dict[str, set[str]], depth: int = 2) -> dict[str, set[str]]:
    """The module graph seen from the packages: ``core.ops.store`` counts as ``core.ops``
    (``depth`` 2), and a package's imports of itself are dropped."""

    def package(module: str) -> str:
        return ".".join(module.split(".")[:depth])

    out: dict[str, set[str]] = {}
    for module, deps in graph.items():
        mine = out.setdefault(package(module), set())
        mine |= {package(d) for d in deps} - {package(module)}
    return out


def test_core_packages_import_each_other_in_one_direction() -> None:
    """No two core packages lean on each other (core.auth once held two login systems and
    went round in circles with core.ops and core.delivery): lazy imports count too."""
    graph = package_graph(import_graph(core_modules(), load_time_only=False))
    assert {"core.auth", "core.ops", "core.ops_access", "core.reports"} <= graph.keys()
    assert cycles(graph) == []


# -- the guards catch what they guard against ---------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        path = tmp_path / "core" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return core_modules(tmp_path / "core")


def test_a_function_level_streamlit_import_is_caught(tmp_path: Path) -> None:
    modules = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "def show():\n    import streamlit as st\n    st.write(1)\n",
            "b.py": "from dashboard.flash import flash\n",
            "c.py": "from lambda_app import handler\n",
            "d.py": "import json\n",
        },
    )
    assert forbidden_imports(modules) == [
        "core.a: streamlit",
        "core.b: dashboard.flash",
        "core.b: dashboard.flash.flash",
        "core.c: lambda_app",
        "core.c: lambda_app.handler",
    ]


def test_a_cycle_is_found_and_a_lazy_or_type_checking_import_is_not_one(tmp_path: Path) -> None:
    modules = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "x/__init__.py": "",
            "x/a.py": "from core.x.b import B\n",
            "x/b.py": "from core.x import c\nB = 1\n",
            "x/d.py": "from core.x import a, b\n",
            "x/__main__.py": "from core.x import d\n",
            "x/c.py": "from .a import *\n",
            "y.py": "def f():\n    from core import z\n",
            "z.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core import y\n"
                "import core.y\n"
            ),
            "t.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.u import U\n"
            ),
            "u.py": "from core.t import T\n",
        },
    )
    graph = import_graph(modules)
    assert graph["core.x.c"] == {"core.x.a"}
    assert graph["core.x.b"] == {"core.x.c"}  # not the package core.x: nothing to run there
    assert graph["core.x.__main__"] == {"core.x.d"}
    assert graph["core.y"] == set()
    assert graph["core.z"] == {"core.y"}
    assert cycles(graph) == [["core.x.a", "core.x.b", "core.x.c"]]
    assert cycles(import_graph(modules, load_time_only=False)) == [
        ["core.x.a", "core.x.b", "core.x.c"],
        ["core.y", "core.z"],
    ]
    del modules["core.x.c"]
    assert cycles(import_graph(modules)) == []


def test_a_package_cycle_is_found_where_modules_have_none(tmp_path: Path) -> None:
    modules = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "p/__init__.py": "",
            "p/a.py": "from core.q.b import B\n",
            "p/c.py": "C = 1\n",
            "q/__init__.py": "",
            "q/b.py": "from core.p.c import C\nB = C\n",
            "q/d.py": "from core.q.b import B\n",
        },
    )
    graph = import_graph(modules)
    assert cycles(graph) == []
    assert package_graph(graph) == {
        "core": set(),
        "core.p": {"core.q"},
        "core.q": {"core.p"},
    }
    assert cycles(package_graph(graph)) == [["core.p", "core.q"]]
    del modules["core.p.a"]
    assert cycles(package_graph(import_graph(modules))) == []
