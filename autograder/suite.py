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

import contextlib
import inspect
import sys
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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

    # -- fixtures (shared by pytest and by the direct runner, see run_direct) --

    @pytest.fixture
    def submission(self, request):
        marker = request.node.get_closest_marker("graded")
        return self._submission_fixture(marker.kwargs if marker else None)

    @pytest.fixture
    def reference(self):
        return self._reference_fixture()

    @pytest.fixture
    def rng(self, request):
        return self._rng_fixture(request.node.name)

    def _submission_fixture(self, marker_kwargs: dict | None) -> SubmissionProxy:
        self.proxy.timeout = marker_kwargs.get("timeout") if marker_kwargs is not None else None
        return self.proxy

    def _reference_fixture(self):
        return assignments.reference(self.assignment)

    def _rng_fixture(self, test_name: str) -> np.random.Generator:
        key = zlib.crc32(f"{self.assignment}::{test_name}".encode())
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
            if self._number(item.nodeid, marker.kwargs, counters):
                kept.append(item)
        deselected = [i for i in items if i not in kept]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = kept

    # -- results --

    def _number(self, nodeid: str, marker_kwargs: dict, counters: dict[int, int]) -> bool:
        """Number a collected test ("question.k", in collection order, deselected tests
        included); whether it is run."""
        question = int(marker_kwargs["question"])
        counters[question] = counters.get(question, 0) + 1
        self._numbers[nodeid] = f"{question}.{counters[question]}"
        return bool(marker_kwargs.get("public") or not self.public_only)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            marker = item.get_closest_marker("graded")
            exc = call.excinfo.value if call.excinfo is not None else None
            self.results.append(self._result(item.nodeid, _test_name(item), marker.kwargs,
                                             report.passed, exc))

    def _result(self, nodeid: str, name: str, marker_kwargs: dict, passed: bool,
                exc: BaseException | None) -> TestResult:
        points = float(marker_kwargs["points"])
        public = bool(marker_kwargs.get("public"))
        output = ""
        if not passed:
            output = self._failure_text(nodeid, exc)
        return TestResult(
            name=name, number=self._numbers[nodeid], max_score=points,
            score=points if passed else 0.0, status="passed" if passed else "failed",
            visibility="visible" if public else "after_published", output=output,
            question=str(marker_kwargs["question"]), function=name.split(":", 1)[0].strip())

    def _failure_text(self, nodeid: str, exc: BaseException | None) -> str:
        if exc is None:
            return "This check did not pass."
        if isinstance(exc, (Mismatch, SubmissionError)):
            return str(exc)
        if isinstance(exc, pytest.skip.Exception):
            return f"This check was skipped ({exc}), so it earns no points."
        # Anything else is a defect of the grader, not of the submission: say so, and keep the
        # details for the instructor instead of showing the suite's code to the student.
        self.internal_errors.append(f"{nodeid}: {type(exc).__name__}: {exc}")
        return ("The grader could not complete this check because of an internal error "
                f"({type(exc).__name__}); please report it to your instructor.")

    # -- the direct runner --

    def run_direct(self, tests: list["PlainTest"]) -> int:
        """Run a suite collected by :func:`collect_plain` without pytest's session machinery,
        with the results pytest would give (same fixtures, numbering, outcomes and failure
        texts); returns the exit code pytest would return (0, 1, 2 when interrupted, 5 when
        nothing was selected)."""
        counters: dict[int, int] = {}
        kept = [t for t in tests if self._number(t.nodeid, t.marker_kwargs, counters)]
        if not kept:
            return int(pytest.ExitCode.NO_TESTS_COLLECTED)
        failed = False
        for test in kept:
            with _like_pytest_warnings():
                try:
                    kwargs = {arg: self._direct_fixture(arg, test) for arg in test.argnames}
                except (KeyboardInterrupt, pytest.exit.Exception):
                    return int(pytest.ExitCode.INTERRUPTED)
                except BaseException as exc:  # noqa: BLE001 - a setup error, as pytest reports it
                    outcome: tuple[bool, BaseException | None] = (False, exc)
                else:
                    try:
                        test.function(**kwargs)
                    except (KeyboardInterrupt, pytest.exit.Exception):
                        return int(pytest.ExitCode.INTERRUPTED)
                    except BaseException as exc:  # noqa: BLE001 - any other outcome is a failure
                        outcome = (False, exc)
                    else:
                        outcome = (True, None)
            passed, exc = outcome
            if not passed and not isinstance(exc, pytest.skip.Exception):
                failed = True
            self.results.append(self._result(test.nodeid, test.title, test.marker_kwargs,
                                             passed, exc))
        return int(pytest.ExitCode.TESTS_FAILED if failed else pytest.ExitCode.OK)

    def _direct_fixture(self, name: str, test: "PlainTest"):
        if name == "submission":
            return self._submission_fixture(test.marker_kwargs)
        if name == "reference":
            return self._reference_fixture()
        if name == "rng":
            return self._rng_fixture(test.name)
        raise LookupError(f"fixture {name!r} not found")  # collect_plain admits no other


def _test_name(item) -> str:
    return _doc_name(getattr(item, "obj", None), item.name)


def _doc_name(function, default: str) -> str:
    doc = (function.__doc__ or "").strip()
    return doc.splitlines()[0].strip() if doc else default


# -- collecting a suite once per process --------------------------------------------------------
#
# pytest.main() costs about 0.35 s per run here (configuration, plugin registration, collection,
# two full garbage collections), several times the cost of the checks themselves in bulk
# grading. Hidden suites are plain modules of plain test functions, so they can be collected
# once per process and run directly with the same fixtures and outcomes. A suite that uses
# anything more (its own fixtures, parametrize or other marks, classes, xunit setup functions)
# is left to pytest: collect_plain returns None and grading runs pytest.main as before.

FIXTURES = ("submission", "reference", "rng")
_XUNIT = ("setup_module", "teardown_module", "setUpModule", "tearDownModule", "setup_function",
          "teardown_function", "setup", "teardown")


@dataclass(frozen=True)
class PlainTest:
    nodeid: str  # as pytest names it: "<file>::<function>"
    name: str  # the function's name (what pytest calls item.name; it seeds rng)
    title: str  # the docstring's first line
    function: Callable
    marker_kwargs: dict
    argnames: tuple[str, ...]


_collected: dict[tuple[str, int, int], list[PlainTest] | None] = {}


def collect_plain(suite: Path) -> list[PlainTest] | None:
    """The suite's tests in pytest's collection order, or None when the suite needs pytest.
    Imported once per process (as pytest.main would: it reuses the imported module too)."""
    suite = Path(suite).resolve()
    stat = suite.stat()
    key = (str(suite), stat.st_mtime_ns, stat.st_size)
    if key not in _collected:
        _collected[key] = _collect(suite)
    return _collected[key]


def _collect(suite: Path) -> list[PlainTest] | None:
    import importlib.util

    name = f"_autograder_suite_{suite.stem}"
    spec = importlib.util.spec_from_file_location(name, suite)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # noqa: BLE001 - let pytest report the broken suite its own way
        return None
    if hasattr(module, "pytestmark") or any(hasattr(module, n) for n in _XUNIT):
        return None
    tests: list[PlainTest] = []
    last_line = -1
    for attr, obj in vars(module).items():
        if _is_fixture(obj):
            return None
        if inspect.isclass(obj) and attr.startswith("Test"):
            return None
        if not attr.startswith("test") or not callable(obj):
            continue
        if not inspect.isfunction(obj) or hasattr(obj, "__wrapped__"):
            return None
        if inspect.isgeneratorfunction(obj) or inspect.iscoroutinefunction(obj):
            return None
        if getattr(obj, "__test__", True) is not True:
            return None
        marks = list(getattr(obj, "pytestmark", []))
        if len(marks) != 1 or marks[0].name != "graded" or marks[0].args:
            return None
        title = _doc_name(obj, attr)
        if ":" not in title:
            return None  # pytest reports the usage error
        argnames = []
        for parameter in inspect.signature(obj).parameters.values():
            if (parameter.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD
                    or parameter.default is not inspect.Parameter.empty
                    or parameter.name not in FIXTURES):
                return None
            argnames.append(parameter.name)
        line = obj.__code__.co_firstlineno
        if obj.__module__ != name or line <= last_line:
            return None  # imported or reassigned: keep pytest's own ordering rules
        last_line = line
        tests.append(PlainTest(nodeid=f"{suite.name}::{attr}", name=attr, title=title,
                               function=obj, marker_kwargs=dict(marks[0].kwargs),
                               argnames=tuple(argnames)))
    return tests


def _is_fixture(obj) -> bool:
    try:
        from _pytest.fixtures import getfixturemarker
    except ImportError:  # pragma: no cover - a pytest without it: be safe
        return True
    try:
        return getfixturemarker(obj) is not None
    except Exception:  # noqa: BLE001 - an object whose attribute access raises
        return True


@contextlib.contextmanager
def _like_pytest_warnings():
    """Warnings raised while a test runs are recorded and dropped, as pytest does."""
    with warnings.catch_warnings(record=True):
        if not sys.warnoptions:
            warnings.filterwarnings("always", category=DeprecationWarning)
            warnings.filterwarnings("always", category=PendingDeprecationWarning)
        yield
