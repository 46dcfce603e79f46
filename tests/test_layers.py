"""The house's rules, checked on the source itself.

- The model layer (``lampiran.model``) imports no stage and no app module.
- A stage (``lampiran.extract``, ``lampiran.normalize``, ``lampiran.diff``, ``lampiran.review``)
  imports only the model layer and its own modules.
- Only the app layer (``lampiran.cli``, ``lampiran.batch``, ...) imports stages.
- No source file over about 400 lines; no function over 60 lines unless its
  docstring says why ("Long because ...").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STAGES = ("extract", "normalize", "diff", "review")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    """Installed module name -> source file, as pyproject.toml maps them."""
    out: dict[str, Path] = {}
    roots = {"lampiran": REPO / "lampiran", **{f"lampiran.{s}": REPO / s for s in STAGES}}
    for prefix, root in roots.items():
        for f in sorted(root.rglob("*.py")):
            rel = f.relative_to(root).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([prefix, *parts])
            if prefix == "lampiran" and parts and parts[0] in STAGES:
                continue
            out[name] = f
    return out


def _eager(path: Path) -> set[str]:
    """The lampiran modules a file imports at module level (not inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in inner:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lampiran"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("lampiran")}
    return out


# The package root loads the library API on first use, inside __getattr__.
LAZY = {"lampiran.api", "lampiran"}


def test_the_package_root_imports_nothing_eagerly():
    assert _eager(MODULES["lampiran"]) == set()


def _imports(path: Path) -> set[str]:
    """Every lampiran module a file imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "lampiran"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "lampiran":
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module)
            # "from lampiran.x import y" may name a module y
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if parts[1] == "model":
        return "model"
    if parts[1] in STAGES:
        return parts[1]
    return "app"


MODULES = _modules()


def test_the_stages_and_the_model_are_found():
    layers = {_layer(m) for m in MODULES}
    assert {"model", "extract", "normalize", "diff", "review", "app"} <= layers
    assert "lampiran.extract.scan.reader" in MODULES


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    mine = _layer(module)
    for imported in _imports(MODULES[module]):
        if imported not in MODULES and imported.rsplit(".", 1)[0] in MODULES:
            imported = imported.rsplit(".", 1)[0]  # "from lampiran.model.io import atomic_write_text"
        theirs = _layer(imported)
        if imported == "lampiran.__version__":
            theirs = "root"
        if mine == "app":
            continue
        if mine == "root":
            assert theirs == "root" or imported in LAZY, f"{module}: the package root must stay light, imports {imported}"
        elif mine == "model":
            assert theirs in ("model", "root"), f"{module} (model layer) imports {imported}"
        else:
            assert theirs in ("model", "root", mine), f"{module} (stage {mine}) imports {imported}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_files_and_functions_stay_small(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_FILE_LINES, f"{path}: {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            if n > MAX_FUNCTION_LINES:
                doc = ast.get_docstring(node) or ""
                assert "Long because" in doc, f"{path}:{node.lineno} {node.name} has {n} lines"
