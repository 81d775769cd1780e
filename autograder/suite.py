"""The hidden-suite framework: what a suite module uses, and the pytest plugin that runs it.

A suite is a plain pytest module in ``autograder/suites/``. Each test

* is decorated with :func:`graded` (points, question number, public or hidden);
* has a docstring whose first line is its name, beginning with the contract function it checks
  (``"grad: matches finite differences at random points"``);
* takes fixtures: ``submission`` (the proxy to the sandboxed child: ``submission.grad(x)``),
  ``reference`` (the trusted reference solution), ``rng`` (a generator seeded at grade time from
  the assignment, the test's name and the grading seed).

A test passes or fails as a whole (partial credit comes from many small tests); its failure
message is the text of the assertion, never pytest's traceback, so the suite's code and its
expected values stay in the parent.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from autograder import assignments
from autograder.checks import Mismatch
from autograder.results import TestResult
from autograder.sandbox.judge import Sandbox, SubmissionError

__all__ = ["graded", "GradingPlugin", "SubmissionProxy"]

#: Base of every grade-time seed. Changing it changes every hidden input, so a published
#: example's outputs are worth nothing; the many-seeds validation varies it.
DEFAULT_SEED = 20261203


def graded(points: float, *, question: int, public: bool = False, timeout: float | None = None):
    """Mark a test as graded: ``points`` for passing, in question ``question``; ``public``
    tests are shipped to students and visible on Gradescope at once, the others after grades
    are published. ``timeout`` overrides the per-call deadline for this test's calls."""
    return pytest.mark.graded(points=points, question=question, public=public, timeout=timeout)


class SubmissionProxy:
    """``submission.name(*args)`` calls ``name`` in the sandboxed child and returns its value."""

    def __init__(self, sandbox: Sandbox):
        self._sandbox = sandbox
        self.timeout: float | None = None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args, **kwargs):
            return self._sandbox.call(name, *args, timeout=self.timeout, **kwargs)
        call.__name__ = name
        return call


class GradingPlugin:
    """Runs one assignment's suite against one sandboxed submission and records results."""

    def __init__(self, assignment: str, sandbox: Sandbox, *, seed: int = DEFAULT_SEED,
                 public_only: bool = False):
        self.assignment = assignment
        self.sandbox = sandbox
        self.proxy = SubmissionProxy(sandbox)
        self.seed = seed
        self.public_only = public_only
        self.results: list[TestResult] = []
        self.internal_errors: list[str] = []
        self._numbers: dict[str, str] = {}

    # -- fixtures --

    @pytest.fixture
    def submission(self, request):
        marker = request.node.get_closest_marker("graded")
        self.proxy.timeout = marker.kwargs.get("timeout") if marker else None
        return self.proxy

    @pytest.fixture
    def reference(self):
        return assignments.reference(self.assignment)

    @pytest.fixture
    def rng(self, request):
        key = zlib.crc32(f"{self.assignment}::{request.node.name}".encode())
        return np.random.default_rng([self.seed, key])

    # -- collection --

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "graded(points, question, public, timeout): a graded test")

    def pytest_collection_modifyitems(self, session, config, items):
        kept = []
        counters: dict[int, int] = {}
        for item in items:
            marker = item.get_closest_marker("graded")
            name = _test_name(item)
            if marker is None or ":" not in name:
                raise pytest.UsageError(f"{item.nodeid}: a graded test needs @graded(...) and a "
                                        "docstring 'function: what it checks'")
            question = int(marker.kwargs["question"])
            counters[question] = counters.get(question, 0) + 1
            self._numbers[item.nodeid] = f"{question}.{counters[question]}"
            if marker.kwargs.get("public") or not self.public_only:
                kept.append(item)
        deselected = [i for i in items if i not in kept]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = kept

    # -- results --

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.results.append(self._result(item, report, call))

    def _result(self, item, report, call) -> TestResult:
        marker = item.get_closest_marker("graded")
        points = float(marker.kwargs["points"])
        public = bool(marker.kwargs.get("public"))
        name = _test_name(item)
        passed = report.passed
        output = ""
        if not passed:
            output = self._failure_text(item, call)
        return TestResult(
            name=name, number=self._numbers[item.nodeid], max_score=points,
            score=points if passed else 0.0, status="passed" if passed else "failed",
            visibility="visible" if public else "after_published", output=output,
            question=str(marker.kwargs["question"]), function=name.split(":", 1)[0].strip())

    def _failure_text(self, item, call) -> str:
        excinfo = call.excinfo
        if excinfo is None:
            return "This check did not pass."
        exc = excinfo.value
        if isinstance(exc, (Mismatch, SubmissionError)):
            return str(exc)
        if isinstance(exc, pytest.skip.Exception):
            return f"This check was skipped ({exc}), so it earns no points."
        # Anything else is a defect of the grader, not of the submission: say so, and keep the
        # details for the instructor instead of showing the suite's code to the student.
        self.internal_errors.append(f"{item.nodeid}: {type(exc).__name__}: {exc}")
        return ("The grader could not complete this check because of an internal error "
                f"({type(exc).__name__}); please report it to your instructor.")


def _test_name(item) -> str:
    doc = (getattr(item, "obj", None).__doc__ or "").strip()
    return doc.splitlines()[0].strip() if doc else item.name
