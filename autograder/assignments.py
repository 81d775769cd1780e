"""Where each assignment's pieces live, and the reference solutions (trusted code only)."""

from __future__ import annotations

import functools
import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
SUITES_DIR = PACKAGE_DIR / "suites"
#: In a source checkout the repository holds solutions/ and assignments/; an installed wheel
#: carries the solutions as autograder/_reference (see pyproject.toml).
REPO_DIR = PACKAGE_DIR.parent
#: The lesson's order: its five worked examples, then the two assignments that go beyond them.
ORDER = ("quasi_newton", "portfolio", "newton_raphson", "pca", "gradient_descent",
         "lr_schedules", "optimizers")


class UnknownAssignment(LookupError):
    pass


def solutions_dir() -> Path:
    packaged = PACKAGE_DIR / "_reference"
    return packaged if packaged.is_dir() else REPO_DIR / "solutions"


def assignments_dir() -> Path | None:
    path = REPO_DIR / "assignments"
    return path if path.is_dir() else None


def names() -> list[str]:
    """Assignments that have both a hidden suite and a reference solution, in lesson order."""
    found = [n for n in ORDER if suite_path(n).is_file() and solution_path(n).is_file()]
    return found


def check_name(name: str) -> str:
    if name not in names():
        raise UnknownAssignment(f"unknown assignment {name!r}; choose one of: {', '.join(names())}")
    return name


def suite_path(name: str) -> Path:
    return SUITES_DIR / f"{name}.py"


def solution_path(name: str) -> Path:
    return solutions_dir() / name / f"{name}.py"


@functools.cache
def reference(name: str) -> ModuleType:
    """The reference solution, imported under a private name (it is trusted code)."""
    path = solution_path(name)
    spec = importlib.util.spec_from_file_location(f"_autograder_reference_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def contract_functions(name: str) -> list[str]:
    """The functions a student writes: the reference's public top-level functions."""
    module = reference(name)
    return [n for n, obj in vars(module).items()
            if inspect.isfunction(obj) and obj.__module__ == module.__name__
            and not n.startswith("_")]
