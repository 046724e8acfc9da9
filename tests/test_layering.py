"""The shape of the package, read from its source: pages and commands build no query, services import neither the
web nor the command line, extraction imports nothing else of the package, and no two modules import each other."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "investdesk"

# Routes and commands may name these of SQLAlchemy (types for annotations, and the errors it raises); anything
# else (select, func, or_, selectinload, load_only, cast ...) is a query being built.
ALLOWED_SQLALCHEMY = {"Session", "Engine", "Select"}
ALLOWED_SQLALCHEMY_MODULES = ("sqlalchemy.exc",)
# Calls that run or write a query: on a session, or on a statement.
SESSION_CALLS = {"execute", "scalars", "scalar", "scalar_one", "scalar_one_or_none", "get", "query", "add",
                 "add_all", "delete", "merge", "flush", "refresh"}
STATEMENT_CALLS = {"where", "filter", "filter_by", "group_by", "having", "with_only_columns", "outerjoin",
                   "select_from", "order_by", "limit", "offset", "options", "execution_options"}
# The search page is being rewritten on top of the areas' services; it leaves this list when it lands.
NOT_YET: set[str] = set()


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package by dotted name: (file, is a package)."""
    out: dict[str, tuple[Path, bool]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


def query_findings(path: Path) -> list[Finding]:
    """Where a module builds, runs or writes a query itself."""
    rel = path.relative_to(PACKAGE).as_posix()
    found: list[Finding] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            if (node.module or "").startswith(ALLOWED_SQLALCHEMY_MODULES):
                continue
            bad = [a.name for a in node.names if a.name not in ALLOWED_SQLALCHEMY]
            if bad:
                found.append(Finding(rel, node.lineno, f"imports {', '.join(bad)} from {node.module}"))
        elif isinstance(node, ast.Import) and any(a.name.startswith("sqlalchemy") for a in node.names):
            found.append(Finding(rel, node.lineno, "imports sqlalchemy"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            attr = node.func.attr
            if attr in SESSION_CALLS and owner.split(".")[-1] in {"session", "db", "s"}:
                found.append(Finding(rel, node.lineno, f"{owner}.{attr}()"))
            elif attr in STATEMENT_CALLS and owner.split(".")[-1] in {"stmt", "base", "query", "selection"}:
                found.append(Finding(rel, node.lineno, f"{owner}.{attr}()"))
    return found


def _thin_modules() -> Iterator[Path]:
    for folder in (PACKAGE / "web" / "routes", PACKAGE / "cli"):
        yield from sorted(folder.rglob("*.py"))


def test_routes_and_commands_build_no_query() -> None:
    findings = [f for path in _thin_modules() for f in query_findings(path) if f.path not in NOT_YET]
    assert not findings, "queries belong in the areas' services:\n" + "\n".join(map(str, findings))


def test_the_exemptions_are_still_needed() -> None:
    """A module that no longer queries leaves NOT_YET, so the list only shrinks."""
    for rel in NOT_YET:
        assert query_findings(PACKAGE / rel), f"{rel} builds no query any more: remove it from NOT_YET"


@pytest.mark.parametrize("source, expected", [
    ("from sqlalchemy import select\n", "imports select from sqlalchemy"),
    ("from sqlalchemy.orm import Session, selectinload\n", "imports selectinload from sqlalchemy.orm"),
    ("def f(session):\n    return session.execute(x)\n", "session.execute()"),
    ("def f(request):\n    return request.app.state.session.get(1)\n", "request.app.state.session.get()"),
    ("def f(session, o):\n    session.add(o)\n", "session.add()"),
    ("def f(stmt):\n    return stmt.where(x)\n", "stmt.where()"),
])
def test_the_query_check_sees_a_query(tmp_path: Path, source: str, expected: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is not blind: each of these written in a route is reported."""
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    path = tmp_path / "web" / "routes" / "page.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert [f.what for f in query_findings(path)] == [expected]


@pytest.mark.parametrize("source", [
    "from sqlalchemy.orm import Session\nfrom sqlalchemy.exc import OperationalError\n",
    "def f(parts):\n    return '; '.join(parts)\n",
    "def f(progress, task):\n    progress.update(task, advance=1)\n",
    "def f(request):\n    return request.query_params.get('q')\n",
])
def test_the_query_check_leaves_plain_code_alone(tmp_path: Path, source: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    path = tmp_path / "cli" / "command.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert query_findings(path) == []


# --- the import graph ---------------------------------------------------------------------------------------------

def _top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module is loaded (not those inside functions or under TYPE_CHECKING)."""
    def visit(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from visit(node.body)
                yield from visit(node.orelse)
            elif isinstance(node, ast.Try):
                yield from visit(node.body)
                for handler in node.handlers:
                    yield from visit(handler.body)
                yield from visit(node.orelse)
                yield from visit(node.finalbody)
    return visit(tree.body)


def import_graph(*, top_level_only: bool) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (``from a import b`` counts as importing ``a.b`` when that is a
    module)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_pkg) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if is_pkg else name.rpartition(".")[0]
        nodes = _top_level_imports(tree) if top_level_only else (
            n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
        deps: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target.startswith("investdesk") and target != name:
                    deps.add(target)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_two_modules_import_each_other() -> None:
    found = cycles(import_graph(top_level_only=True))
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def _is_web_or_cli(name: str) -> bool:
    """The outer layer: pages, commands, and each area's REST router (``<area>.api``)."""
    return name.startswith(("investdesk.web", "investdesk.cli")) or name == "investdesk.__main__" \
        or name.endswith(".api")


def test_services_import_neither_web_nor_cli() -> None:
    graph = import_graph(top_level_only=False)
    bad = sorted(f"{name} imports {dep}" for name, deps in graph.items() if not _is_web_or_cli(name)
                 for dep in deps if dep.startswith(("investdesk.web", "investdesk.cli")))
    assert not bad, "\n".join(bad)


def test_routes_and_commands_do_not_import_each_other() -> None:
    graph = import_graph(top_level_only=False)
    bad = sorted(f"{name} imports {dep}" for name, deps in graph.items() for dep in deps
                 if (name.startswith("investdesk.web") and dep.startswith("investdesk.cli"))
                 or (name.startswith("investdesk.cli") and dep.startswith("investdesk.web.routes")))
    assert not bad, "\n".join(bad)


def test_extraction_imports_nothing_else_of_the_package() -> None:
    graph = import_graph(top_level_only=False)
    bad = sorted(f"{name} imports {dep}" for name, deps in graph.items() if name.startswith("investdesk.extraction")
                 for dep in deps if not dep.startswith("investdesk.extraction"))
    assert not bad, "\n".join(bad)


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Every module of the package loads in a new process (none is left unimported by the tests, none fails)."""
    names = sorted(n for n in _modules() if n != "investdesk.__main__")
    script = ("import importlib, sys\n"
              "for name in sys.argv[1:]:\n"
              "    importlib.import_module(name)\n"
              "print(len(sys.argv) - 1)\n")
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "HOME": str(SRC.parent)}
    result = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(len(names))
