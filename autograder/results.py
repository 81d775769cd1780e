"""Grading results: Gradescope's results.json, and a plain-text summary for the terminal."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field


@dataclass
class TestResult:
    name: str
    number: str
    max_score: float
    score: float
    status: str  # "passed" or "failed"
    visibility: str  # Gradescope's: "visible", "hidden", "after_due_date", "after_published"
    output: str = ""
    question: str = ""
    function: str = ""


@dataclass
class Report:
    assignment: str
    submission: str
    tests: list[TestResult] = field(default_factory=list)
    execution_time: float = 0.0
    output: str = ""  # what loading the submission found, shown above the tests
    error: str = ""  # set when grading itself failed (never because of the submission's code)

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    def by_question(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for t in self.tests:
            got, out_of = totals.get(t.question, (0.0, 0.0))
            totals[t.question] = (got + t.score, out_of + t.max_score)
        return totals

    def to_gradescope(self) -> dict:
        """Gradescope's results.json (its autograder specification's field names and types)."""
        tests = []
        for t in self.tests:
            tests.append({"score": t.score, "max_score": t.max_score, "name": t.name,
                          "number": t.number, "status": t.status, "visibility": t.visibility,
                          "output": t.output})
        return {"score": self.score, "execution_time": int(round(self.execution_time)),
                "output": self.output, "visibility": "visible", "stdout_visibility": "hidden",
                "tests": tests}

    def to_dict(self) -> dict:
        return {"assignment": self.assignment, "submission": self.submission,
                "execution_time": self.execution_time, "output": self.output,
                "error": self.error, "tests": [asdict(t) for t in self.tests]}

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        report = cls(**{k: v for k, v in data.items() if k != "tests"})
        report.tests = [TestResult(**t) for t in data.get("tests", [])]
        return report

    def summary(self, *, verbose: bool = True) -> str:
        lines = [f"{self.assignment}: {self.submission}",
                 f"Score: {self.score:g} / {self.max_score:g}"]
        if self.error:
            lines.append(f"Grading error: {self.error}")
        if self.output:
            lines.append(self.output)
        for t in self.tests:
            mark = "PASS" if t.status == "passed" else "FAIL"
            lines.append(f"  [{mark}] {t.number:>5} {t.score:g}/{t.max_score:g}  {t.name}")
            if verbose and t.status != "passed" and t.output:
                lines.extend("         " + line for line in t.output.splitlines())
        return "\n".join(lines)


def write_json_atomic(path: str | os.PathLike, data) -> None:
    """Write JSON so that readers see the old file or the new one, never a half-written one."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
