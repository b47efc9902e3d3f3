"""The shape of the package, as docs/ARCHITECTURE.md draws it: stages that import only the stages below them, no
import cycle between modules, no module over about 500 lines, and a module table that names the modules there
are."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "mooc_builder"

# What each stage may import (besides itself). The one-way flow: load -> model -> render -> write, exports over
# those, the build over all of them, serve and the command over the build. exports never imports the build.
ALLOWED: dict[str, set[str]] = {
    "lang": set(),
    "text": set(),
    "diagnostics": {"lang"},
    "shortcuts": set(),
    "processes": set(),
    "model": {"lang", "text"},
    "markdown": {"diagnostics", "lang", "model", "shortcuts"},
    "media": {"diagnostics", "lang", "model", "processes", "shortcuts"},
    "load": {"diagnostics", "lang", "markdown", "media", "model", "processes", "shortcuts"},
    "render": {"lang", "model", "shortcuts", "text"},
    "write": {"lang", "model", "render", "shortcuts"},
    "exports": {"diagnostics", "lang", "model", "render", "text", "write"},  # text: a cartridge's description
    "build": {"diagnostics", "exports", "lang", "load", "markdown", "media", "model", "processes", "render",
              "shortcuts", "write"},
    "serve": {"build", "diagnostics", "lang", "model", "render", "write"},
    "new": {"lang", "load", "markdown", "model"},  # `mooc new`: templates, id rules, slug of a title, schemas
    "cli": {"build", "diagnostics", "exports", "lang", "load", "model", "new", "render", "serve", "shortcuts",
            "write"},
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "themes" in path.relative_to(PACKAGE).parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports, wherever in the file (a lazy import is one too)."""
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                named.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
    return {name for name in named if name in modules and name != "mooc_builder"}


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_each_stage_imports_only_the_stages_below_it() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        if name == "mooc_builder":
            continue
        stage = _stage(name)
        assert stage in ALLOWED, f"{name}: a stage docs/ARCHITECTURE.md does not place"
        for target in _imports(path, modules):
            if _stage(target) != stage and _stage(target) not in ALLOWED[stage]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # A package's __init__ that re-exports its modules is not an edge back into them.
    graph = {name: {t for t in targets if not name.startswith(f"{t}.")} for name, targets in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target):], target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_module_is_over_about_500_lines() -> None:
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 520}
    assert long == {}


def _module_table() -> dict[str, set[str]]:
    """docs/ARCHITECTURE.md's module table: the folder (or '' for the package's top) of each row, and the
    modules it names."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text[text.index("| stage | folder | modules |"):]
    table = table[:table.index("\n\n")]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        folder = cells[1].strip("`").removeprefix("mooc_builder/").rstrip("/")
        rows.setdefault(folder, set()).update(re.findall(r"`([\w]+\.py)`", cells[2]))
    return rows


def test_the_architecture_names_every_module_where_it_is() -> None:
    listed = _module_table()
    there: dict[str, set[str]] = {}
    for path in _modules().values():
        if path.name in ("__init__.py", "__main__.py"):
            continue
        folder = path.parent.relative_to(PACKAGE).as_posix()
        there.setdefault("" if folder == "." else folder, set()).add(path.name)
    assert listed == there


@pytest.mark.parametrize("document", ["docs/ARCHITECTURE.md", "CONTRIBUTING.md", "docs/PERFORMANCE.md"])
def test_the_paths_a_contributor_document_names_exist(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:mooc_builder|tests|bench|themes|docs)/[\w./-]+)`", text))
    assert named, document
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert missing == []
