"""Grading many submissions: finding them, grading them, writing a gradebook."""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.catalog import questions
from autograder.grading import grade
from autograder.results import Report
from autograder.sandbox.judge import ForkServer

GRADABLE = (".py", ".ipynb", ".zip")


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def find_submissions(paths: list[str]) -> list[Submission]:
    """Each PATH is a submission file, or a folder holding submission files (one per student,
    named after the student) or one folder per student."""
    found: list[Submission] = []
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {text}")
        if path.is_file():
            found.append(Submission(path.stem, path))
            continue
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_file() and entry.suffix in GRADABLE:
                found.append(Submission(entry.stem, entry))
            elif entry.is_dir():
                files = sorted(p for p in entry.rglob("*") if p.is_file() and p.suffix in GRADABLE)
                if files:
                    found.append(Submission(entry.name, files[0]))
    return found


def grade_many(assignment: str, submissions: list[Submission], *, jobs: int = 1,
               out: str | None = None, seed: int | None = None) -> list[Report]:
    reports = []
    with ForkServer(plots=True) as server:
        for sub in submissions:
            kwargs = {"seed": seed} if seed is not None else {}
            report = grade(assignment, sub.path, server=server, **kwargs)
            report.submission = sub.student
            reports.append(report)
            print(f"{sub.student:<30} {report.score:>6g} / {report.max_score:g}", file=sys.stderr)
    if out:
        write_gradebook(out, assignment, reports)
    return reports


def write_gradebook(path: str, assignment: str, reports: list[Report]) -> None:
    numbers = [q for q, _, _ in questions(assignment)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "total", "max"] + [f"q{q}" for q in numbers] + ["status"])
    for r in reports:
        per = r.by_question()
        writer.writerow([r.submission, f"{r.score:g}", f"{r.max_score:g}"]
                        + [f"{per.get(str(q), (0, 0))[0]:g}" for q in numbers]
                        + ["error" if r.error else "graded"])
    tmp = f"{path}.tmp-{os.getpid()}"
    Path(tmp).write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)
