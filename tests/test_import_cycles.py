"""No module of core/ or gui/ imports, directly or through others, a module that imports it.

The graph is read from the sources with ``ast``, so an import inside a function counts
as much as one at the top: a late import dodges the ImportError, not the tangle.
Run as a script with a repository path to check another checkout:
``python tests/test_import_cycles.py /path/to/repo``.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "gui")


def module_files(root: Path) -> dict[str, Path]:
    """{dotted module name: file} for every .py file under the first-party packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def imported_modules(name: str, modules: dict[str, Path]) -> set[str]:
    """The first-party modules that module ``name`` imports anywhere in its source.

    ``from core import limits`` names the module core.limits when that is one, else
    the package core; a relative import is resolved against ``name``'s package.
    """
    tree = ast.parse(modules[name].read_text(encoding="utf-8"), filename=str(modules[name]))
    package = name if _is_package(name, modules) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(_known_prefix(alias.name, modules))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in modules else _known_prefix(base, modules))
    found.discard("")
    found.discard(name)
    return found


def _known_prefix(dotted: str, modules: dict[str, Path]) -> str:
    """The longest first-party module that ``dotted`` names or lies inside ('' if none)."""
    parts = dotted.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return ""


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_files(root)
    return {name: imported_modules(name, modules) for name in modules}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path [a, b, …, a], or None when the graph has none."""
    state: dict[str, int] = {}   # 1: on the current path, 2: finished without a cycle
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_first_party_modules_form_no_import_cycle():
    cycle = find_cycle(import_graph(ROOT))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_sees_top_level_function_level_and_package_imports():
    graph = import_graph(ROOT)
    assert "core.network" in graph["core.walk"]          # top-level from-import
    assert "core.limits" in graph["gui.newton.settings_bar"]   # from core import limits
    assert "core.network" in graph["core.lessons"]       # an import inside a function


def test_a_cycle_is_reported_as_its_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_relative_late_and_dotted_imports_close_a_cycle(tmp_path):
    sources = {
        "core/__init__.py": "",
        "core/a.py": "from . import b\n",
        "core/b.py": "def f():\n    from .c import g\n    return g\n",
        "core/c.py": "import core.a.thing\nimport numpy\ng = 1\n",
        "gui/__init__.py": "",
        "gui/view.py": "from core import a, missing\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph["gui.view"] == {"core.a", "core"}      # a missing name is the package's
    assert graph["core.c"] == {"core.a"}                 # numpy is not first-party
    assert find_cycle(graph) == ["core.a", "core.b", "core.c", "core.a"]


if __name__ == "__main__":
    found = find_cycle(import_graph(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
    print("import cycle: " + " -> ".join(found) if found else "no import cycle")
    sys.exit(1 if found else 0)
