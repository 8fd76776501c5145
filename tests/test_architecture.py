"""The package keeps its shape: docs/architecture.md lists every module, imports run down the layers."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from helpers.paths import REPO as ROOT

PACKAGE = ROOT / "src" / "netinnov"
DOC = ROOT / "docs" / "architecture.md"

#: Level of each layer (docs/architecture.md, "Layers"): a module imports its own layer or lower ones.
LEVELS = {
    "contract": 0, "config": 0, "options": 0,
    "codebook.columns": 0, "codebook.figures": 0,  # the column dictionary
    "io": 1,
    "networks": 2,
    "metrics": 3,
    "models": 4,
    "simulate": 5, "validity": 5,
    "steps": 6, "reports": 6, "config_init": 6,
    "codebook": 6,  # the data package and methods paragraph of a results folder
    "cli": 7, "__main__": 8,
    "__init__": 0,  # the package itself: its version
}  # fmt: skip

#: Calls that write files; none of them belongs in the pure layers.
WRITES = {"to_csv", "to_parquet", "write_text", "write_bytes", "savefig", "to_excel", "write_table"}


@functools.cache
def _modules() -> dict[str, Path]:
    """Dotted name of every module of the package -> its file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts)] = path
    return out


def _layer(module: str) -> str:
    """The entry of :data:`LEVELS` a module belongs to (the longest that names it)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[1:end])
        if name in LEVELS:
            return name
    return parts[1]


@functools.cache
def _imports(path: Path, module: str) -> frozenset[str]:
    """The netinnov modules ``path`` imports (absolute and relative)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("netinnov"):
                found.add(name)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("netinnov"))
    return frozenset(found)


def _documented_tree() -> set[str]:
    """Module paths (``io/read.py``) in the ``text`` block of "## The package"."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## The package\n+```text\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```text block under '## The package'"
    stack: list[str] = []
    paths = set()
    for line in block.group(1).splitlines()[1:]:  # first line: netinnov/
        if not line.strip():
            continue
        indent = (len(line) - len(line.lstrip(" "))) // 2 - 1
        name = line.split()[0]
        stack = stack[:indent]
        if name.endswith("/"):
            stack.append(name.rstrip("/"))
        else:
            paths.add("/".join([*stack, name]))
    return paths


def test_the_architecture_doc_lists_every_module_and_no_other():
    actual = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}
    documented = _documented_tree()
    assert sorted(actual - documented) == [], "modules missing from docs/architecture.md"
    assert sorted(documented - actual) == [], "docs/architecture.md lists modules that do not exist"


def test_every_layer_of_the_package_has_a_level():
    layers = {m.split(".")[1] if "." in m else "__init__" for m in _modules()}
    assert layers <= set(LEVELS), sorted(layers - set(LEVELS))


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_run_down_the_layers(module):
    path = _modules()[module]
    here = _layer(module)
    upward = sorted(
        target
        for target in _imports(path, module)
        if _layer(target) != here and LEVELS[_layer(target)] > LEVELS[here]
    )
    assert upward == [], f"{module} imports a higher layer"


def test_nothing_but_the_entry_points_imports_the_cli():
    importers = sorted(
        m for m, p in _modules().items()
        if any(t == "netinnov.cli" or t.startswith("netinnov.cli.") for t in _imports(p, m))
    )  # fmt: skip
    assert importers == ["netinnov.__main__"]


@pytest.mark.parametrize("layer", ["metrics", "models", "networks"])
def test_the_pure_layers_write_no_files(layer):
    writers = []
    for module, path in _modules().items():
        if _layer(module) != layer or module == "netinnov.networks.graphml":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                opens_for_writing = name == "open" and any(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) and set(a.value) & set("wax")
                    for a in [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "mode")]
                )
                if name in WRITES or opens_for_writing:
                    writers.append(f"{module}:{node.lineno} {name}")
        for target in _imports(path, module):
            if target.startswith(("netinnov.steps", "netinnov.io.result_tables")):
                writers.append(f"{module} imports {target}")
    assert writers == []


def test_the_checks_can_fail(tmp_path):
    """The import and write checks see an upward import and a write (they are not vacuous)."""
    bad = tmp_path / "bad.py"
    bad.write_text("from netinnov.steps import panel\nimport pandas as pd\npd.DataFrame().to_csv('x')\n")
    assert _imports(bad, "netinnov.metrics.bad") == {"netinnov.steps"}
    assert LEVELS[_layer("netinnov.steps")] > LEVELS[_layer("netinnov.metrics.bad")]
    relative = tmp_path / "rel.py"
    relative.write_text("from ..steps.panel import run_panel\n")
    assert _imports(relative, "netinnov.metrics.rel") == {"netinnov.steps.panel"}
