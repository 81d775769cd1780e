"""What each hidden suite grades, read from its markers without running it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class GradedTest:
    name: str  # the docstring's first line: "function: what it checks"
    function: str
    question: int
    points: float
    public: bool


def tests(assignment: str) -> list[GradedTest]:
    module = importlib.import_module(f"autograder.suites.{assignment}")
    found = []
    for attr, obj in vars(module).items():
        if not (attr.startswith("test") and callable(obj)):
            continue
        marks = [m for m in getattr(obj, "pytestmark", []) if m.name == "graded"]
        if not marks:
            continue
        kwargs = marks[0].kwargs
        name = (obj.__doc__ or attr).strip().splitlines()[0].strip()
        found.append(GradedTest(name=name, function=name.split(":", 1)[0].strip(),
                                question=int(kwargs["question"]), points=float(kwargs["points"]),
                                public=bool(kwargs.get("public"))))
    return found


def questions(assignment: str) -> list[tuple[int, float, list[str]]]:
    """(question number, points, functions checked) for each question, in order."""
    table: dict[int, tuple[float, list[str]]] = {}
    for test in tests(assignment):
        points, functions = table.get(test.question, (0.0, []))
        if test.function not in functions:
            functions = functions + [test.function]
        table[test.question] = (points + test.points, functions)
    return [(q, p, f) for q, (p, f) in sorted(table.items())]
