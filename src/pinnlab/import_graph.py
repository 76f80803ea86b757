"""The package's import graph, read from the source without importing anything (JAX-free).

A rule's job runs one function of one module (``pinnlab.report.fig1a.fig1a_figure``); the rule's code inputs are
the files of that module and of every ``pinnlab`` module it imports, directly or through others — counting the
imports inside functions too, and the packages whose ``__init__`` an import runs. Snakemake re-runs a job whose
inputs are newer than its outputs, so editing any of these files re-runs exactly the rules whose jobs can execute
it. ``tests/test_import_graph.py`` checks the graph against the modules each job really loads.
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path

PACKAGE = "pinnlab"
ROOT = Path(__file__).resolve().parent

DATA_FILES = {"pinnlab.config": ("config.schema.yaml",)}
"""Files of the package that a module reads when it runs (the schema's defaults decide runs too)."""


def module_path(name: str) -> Path | None:
    """The source file of module ``name`` (``pinnlab.a.b``), or None when it is not a module of the package."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _packages_of(name: str) -> list[str]:
    """``pinnlab.a.b`` -> [``pinnlab``, ``pinnlab.a``]: importing a module runs its packages' ``__init__``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@cache
def direct_imports(name: str) -> frozenset[str]:
    """The package modules that module ``name`` imports anywhere in its source (at the top or in a function)."""
    path = module_path(name)
    if path is None:
        raise ValueError(f"{name} is not a module of {PACKAGE} (looked under {ROOT})")
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set(_packages_of(name))
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: from .x import y
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pinnlab.x import y`: y is a submodule or a name defined in pinnlab.x
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if module_path(target) is not None:
                found.update([target, *_packages_of(target)])
    found.discard(name)
    return frozenset(m for m in found if module_path(m) is not None)


@cache
def closure(name: str) -> frozenset[str]:
    """``name`` and every package module it imports, directly or not."""
    seen, todo = set(), [name, *_packages_of(name)]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(direct_imports(module))
    return frozenset(seen)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it lies under it (the rules' paths), else absolute."""
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def module_files(modules) -> list[str]:
    """The source and data files of ``modules``, sorted."""
    files = set()
    for module in modules:
        path = module_path(module)
        files.add(_shown(path))
        files.update(_shown(path.parent / data) for data in DATA_FILES.get(module, ()))
    return sorted(files)


def code_inputs(*modules: str) -> list[str]:
    """The files whose edit must re-run a job that runs ``modules``: their import closure."""
    return module_files(set().union(*(closure(m) for m in modules)))
