"""The layers of the package, read from its own imports (including imports inside functions).

* A leading underscore means "this folder only": no module imports a ``_private`` name from
  a module in another folder. What two wings share lives in a private *module* of the base
  (``surveykit/_checks.py``, ``_design.py`` ...) under names without an underscore, and
  importing a private module is fine.
* The numeric and questionnaire layers never import upward into the report, the command
  line or the figures; only the ``SurveyData`` convenience facade (``data.py``) and the
  package face (``__init__.py``) reach every wing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "surveykit"
MODULES = sorted(PACKAGE.rglob("*.py"))

# the top layers, and the modules allowed to import them
UPPER = ("report", "cli", "plotting")


def _name(path: Path) -> tuple[str, ...]:
    """('surveykit', 'text', 'counts') for surveykit/text/counts.py; a package is its folder."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _imports(path: Path):
    """Every import of a surveykit module in ``path``: (line, target module parts, imported names)."""
    here = _name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = base + tuple(node.module.split(".")) if node.module else base
            else:
                target = tuple((node.module or "").split("."))
            if target[0] == "surveykit":
                yield node.lineno, target, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "surveykit":
                    yield node.lineno, tuple(a.name.split(".")), []


def _folder(module: tuple[str, ...]) -> tuple[str, ...]:
    """The folder a module lives in (a package counts as its own folder)."""
    path = PACKAGE.parent.joinpath(*module)
    return module if path.is_dir() else module[:-1]


def _is_module(module: tuple[str, ...], name: str) -> bool:
    path = PACKAGE.parent.joinpath(*module, name)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_the_walk_sees_the_package():
    assert len(MODULES) > 50
    imports = [t for p in MODULES for _, t, _ in _imports(p)]
    assert ("surveykit", "_checks") in imports and ("surveykit", "indices", "weighted") in imports


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_folder(path):
    here = _folder(_name(path)) if path.name != "__init__.py" else _name(path)
    crossing = []
    for line, target, names in _imports(path):
        if _folder(target) == here:
            continue
        private = [n for n in names if _is_private(n) and not _is_module(target, n)]
        if private:
            crossing.append(f"line {line}: from {'.'.join(target)} import {', '.join(private)}")
    assert not crossing, (f"{path.relative_to(PACKAGE)} imports private names of another folder: {crossing}; "
                          "move what both need into a private base module (surveykit/_checks.py ...) under a "
                          "public name")


def _layer_allowed(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).parts
    return (rel[0] in UPPER or rel[0] in ("cli.py", "__main__.py", "data.py", "__init__.py")
            or path.name == "cli.py")  # the sub-commands of the command line


@pytest.mark.parametrize("path", [p for p in MODULES if not _layer_allowed(p)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_lower_layers_never_import_the_report_the_cli_or_the_figures(path):
    upward = [f"line {line}: {'.'.join(target)}" for line, target, _ in _imports(path)
              if len(target) > 1 and target[1] in UPPER]
    assert not upward, f"{path.relative_to(PACKAGE)} imports a higher layer: {upward}"
