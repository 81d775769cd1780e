"""Grading through Otter-Grader without running student code where Otter would.

Otter's autograder (``otter.run.run_autograder``, which Gradescope runs) executes the submitted
notebook in a Jupyter kernel, runs the tests there, pickles the results in the kernel and
unpickles them in the process that writes ``results.json``. Student code and the verdicts
share a process, and anything the student controls that gets unpickled (the kernel's results,
the ``.OTTER_LOG`` an export zip carries, which Otter reads with dill) runs code in the process
that writes the results.

This plugin keeps Otter's machinery (its zip, its runner, its results object and its
``results.json``) but takes the student's code out of it:

* ``before_grading`` (in Otter's process, before anything of the student's is read) grades the
  submission with :func:`autograder.grading.grade`: the hidden suite runs here, the student's
  code only in the judge's sandboxed children. Then it moves every file of the submission out
  of the submission folder into a private one (the kernel's working directory and
  ``sys.path``), leaving an empty placeholder where Otter expects the submission, so that
  neither the kernel nor Otter's log reader can import or unpickle anything of the student's.
* ``before_execution`` hands Otter's kernel a one-line placeholder notebook instead of the
  submission; the only test in the autograder zip (``tests/sandboxed_grading.py``) checks, in
  the kernel, that the placeholder is what ran.
* ``after_grading`` puts the submission's files back and replaces the kernel's results with the
  judge's: one Otter test file per hidden test, and a ``results.json`` in which every test
  keeps its own score, number, status, visibility (public tests ``visible``, hidden ones
  ``after_published``) and failure message. Otter's own ``to_gradescope_dict`` gives every test
  one visibility, so the results object's class is switched to :class:`SandboxedResults`,
  which returns the judge's dict.

Configuration (``otter_config.json``)::

    {"plugins": [{"autograder.otter_plugin.SandboxedGrading": {"assignment": "quasi_newton"}}]}

with optional ``"deadlines": {"load": s, "call": s, "budget": s}`` overriding the sandbox's
wall-clock limits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import traceback
from pathlib import Path

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCase, TestCaseResult
from otter.test_files.exception_test import ExceptionTestFile

from autograder.sandbox.judge import MAX_SUBMISSION_BYTES

PLUGIN_NAME = "autograder.otter_plugin.SandboxedGrading"
#: The variable the placeholder notebook sets, and the kernel-side test checks.
MARKER = "AUTOGRADER_SANDBOXED_GRADING"
#: The name of the kernel-side test file in the autograder zip (tests/<name>.py).
KERNEL_TEST = "sandboxed_grading"

KERNEL_TEST_SOURCE = f'''"""Otter's kernel-side test for the sandboxed grader (otter_plugin).

Otter runs the tests of this folder in its Jupyter kernel. With the sandboxed grading plugin the
kernel executes a one-line placeholder instead of the submission (the submission is graded in
the judge's sandbox), so the only test here checks that the placeholder is what ran.
It is worth no points; the plugin replaces these results with the judge's.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = "{KERNEL_TEST}"
points = 0


@test_case(name="the kernel ran the placeholder, not the submission", points=0, hidden=True)
def placeholder_ran(env):
    assert env.get("{MARKER}") is True, "Otter's kernel did not run the placeholder"
'''


class SandboxedResults(GradingResults):
    """Otter's results whose Gradescope dict is the judge's, with per-test visibility."""

    def to_gradescope_dict(self, ag_config) -> dict:
        output = dict(self.get_plugin_data(PLUGIN_NAME, {}).get("gradescope", {}))
        output["tests"] = [dict(t) for t in output.get("tests", [])]
        if getattr(ag_config, "show_stdout", False):
            output["stdout_visibility"] = "after_published"
        if self.all_hidden:  # another plugin asked Otter to hide everything
            for test in output["tests"]:
                test["visibility"] = "hidden"
            output["stdout_visibility"] = "hidden"
        return output


class SandboxedGrading(AbstractOtterPlugin):
    """See the module's docstring."""

    def __init__(self, submission_path, submission_metadata, plugin_config):
        super().__init__(submission_path, submission_metadata, plugin_config)
        config = plugin_config or {}
        self.assignment = config.get("assignment")
        self.deadlines = dict(config.get("deadlines") or {})
        self.report = None
        self.failure: str | None = None
        self.moved: list[tuple[Path, Path]] = []
        self.quarantine: Path | None = None
        self.placeholder = False  # whether the empty placeholder stands in for the submission
        self.kernel_check: str | None = None
        self.notice: str | None = None  # what a student reads when nothing could be graded
        self.started = time.monotonic()

    # -- Otter Generate --

    def during_generate(self, otter_config, assignment):
        from autograder import assignments

        if not self.assignment:
            raise ValueError(f"{PLUGIN_NAME} needs the 'assignment' in its configuration")
        assignments.check_name(self.assignment)

    # -- grading --

    def before_grading(self, config):
        config.grade_from_log = False  # never deserialise the student's environment
        config.pdf = False
        self.started = time.monotonic()
        autograder_dir = os.path.abspath(config.autograder_dir)
        raw = self._read_submission()
        if raw is not None and len(raw) > MAX_SUBMISSION_BYTES:
            self.failure = f"the submission has {len(raw)} bytes"
            self.notice = (f"Your submission is larger than {MAX_SUBMISSION_BYTES // 2**20} MB, "
                           "so it was not graded. Clear the notebook's outputs "
                           "(Kernel > Restart & Clear Output), save it and submit again.")
            raw = None
        self._protect(autograder_dir)
        try:
            self._quarantine_submission(autograder_dir)
        except (OSError, RuntimeError) as exc:
            # Fail closed: Otter writes an error into results.json and never starts its kernel.
            from otter.run.run_autograder.utils import OtterRuntimeError

            self._restore_submission()
            raise OtterRuntimeError(f"the submission could not be set aside: {exc}") from exc
        if raw is not None:
            self._grade(raw, autograder_dir)

    def before_execution(self, submission):
        nb = nbformat.v4.new_notebook()
        nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}}
        nb.cells = [nbformat.v4.new_code_cell(
            "# The submission is graded by autograder.otter_plugin in a sandbox; Otter's kernel\n"
            f"# runs only this placeholder.\n{MARKER} = True")]
        return nb

    def after_grading(self, results):
        self._restore_submission()
        self.kernel_check = self._kernel_check(results)
        results.clear_results()
        report = self.report
        if report is not None:
            for test in report.tests:
                test_file = _test_file(test)
                results.results[test_file.name] = test_file
            results.set_output(report.output)
        gradescope = self._gradescope_dict()
        results.set_plugin_data(PLUGIN_NAME, {"gradescope": gradescope})
        results.__class__ = SandboxedResults

    def generate_report(self):
        import autograder

        lines = [f"assignment: {self.assignment}",
                 f"submission: {os.path.basename(self.submission_path or '')}",
                 f"judge: {os.path.dirname(os.path.abspath(autograder.__file__))}"]
        if self.report is not None:
            lines.append(f"score: {self.report.score:g} / {self.report.max_score:g} "
                         f"({len(self.report.tests)} tests, graded in "
                         f"{self.report.execution_time:.1f} s in the judge's sandbox)")
            if self.report.error:
                lines.append(f"grader errors: {self.report.error}")
        if self.failure:
            lines.append(f"grading failed: {self.failure}")
        lines.append(f"files kept out of Otter's kernel: {len(self.moved)}")
        lines.append(f"kernel check: {self.kernel_check or 'the placeholder ran'}")
        return "\n".join(lines)

    # -- the pieces --

    def _read_submission(self) -> bytes | None:
        """The submitted file's bytes, never through a symbolic link: this process is root, and
        a link to the reference solution must not become the submission."""
        try:
            fd = os.open(self.submission_path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            self.failure = f"the submission could not be read: {exc}"
            if os.path.islink(self.submission_path):
                self.notice = ("The submitted file is a symbolic link, which the autograder "
                               "does not follow: upload the file itself.")
            return None
        with os.fdopen(fd, "rb") as fh:
            return fh.read(64 * 1024 * 1024)

    def _grade(self, raw: bytes, autograder_dir: str) -> None:
        from autograder.grading import default_cloak, grade
        from autograder.sandbox.judge import Deadlines, SandboxOptions

        options = SandboxOptions()
        if self.deadlines:
            options.deadlines = Deadlines(**self.deadlines)
        # Hide from the child everything the default hides, and the whole autograder folder
        # (Otter's source, the wheel with the reference solutions, the quarantined files).
        options.cloak = list(dict.fromkeys(
            default_cloak(self.submission_path) + [autograder_dir]
            + ([str(self.quarantine)] if self.quarantine else [])))
        try:
            self.report = grade(self.assignment, raw,
                                filename=os.path.basename(self.submission_path),
                                options=options)
        except Exception:  # noqa: BLE001 - reported in results.json, never a crash
            self.failure = traceback.format_exc()

    def _protect(self, autograder_dir: str) -> None:
        """Where the sandbox cannot hide the autograder folder behind a private mount (a
        container that refuses unshare), make Otter's source (which holds the wheel with the
        reference solutions) unreadable to the sandbox user at least."""
        if os.geteuid() != 0:
            return
        with contextlib.suppress(OSError):
            os.chmod(os.path.join(autograder_dir, "source"), 0o700)

    def _quarantine_submission(self, autograder_dir: str) -> None:
        """Move the submission's files out of the folder that becomes the kernel's working
        directory (and the first entry of its sys.path), keeping only Otter's copy of the tests,
        and leave an empty placeholder where Otter reads the submission."""
        # Never resolve links here: the submitted file itself may be one.
        submission_dir = Path(os.path.dirname(os.path.abspath(self.submission_path)))
        if (submission_dir.is_symlink()
                or os.path.realpath(submission_dir.parent) != os.path.realpath(autograder_dir)):
            raise RuntimeError(f"unexpected submission folder {submission_dir} (Otter grades "
                               f"{autograder_dir}/submission)")
        self.quarantine = Path(tempfile.mkdtemp(prefix=".submission-", dir=autograder_dir))
        for entry in sorted(submission_dir.iterdir()):
            if entry.name == "tests":  # Otter's copy of source/tests, made before grading
                continue
            target = self.quarantine / entry.name
            shutil.move(str(entry), str(target))
            self.moved.append((entry, target))
        content = (nbformat.writes(nbformat.v4.new_notebook())
                   if self.submission_path.endswith(".ipynb") else "")
        # O_EXCL: the name was just moved away, so this creates a new file, never follows a link
        fd = os.open(self.submission_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        self.placeholder = True
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)

    def _restore_submission(self) -> None:
        if self.quarantine is None:
            return
        if self.placeholder:
            with contextlib.suppress(OSError):
                os.unlink(self.submission_path)  # (unlink never follows a link)
            self.placeholder = False
        for original, target in reversed(self.moved):
            with contextlib.suppress(OSError):
                shutil.move(str(target), str(original))
        shutil.rmtree(self.quarantine, ignore_errors=True)
        self.quarantine = None

    @staticmethod
    def _kernel_check(results) -> str | None:
        """None when Otter's kernel ran the placeholder (and its test passed), else why not."""
        if results.has_catastrophic_failure():
            return f"Otter could not read the kernel's results: {results.catastrophic_error}"
        try:
            kernel_test = results.get_result(KERNEL_TEST)
        except KeyError:
            return f"the kernel ran no {KERNEL_TEST} test"
        return None if kernel_test.passed_all else kernel_test.summary()

    def _gradescope_dict(self) -> dict:
        from autograder import catalog

        report = self.report
        notes = []
        if self.kernel_check:
            notes.append(f"Otter's kernel check failed: {self.kernel_check}")
        if report is None:
            possible = sum(t.points for t in catalog.tests(self.assignment))
            tests = [{
                "name": "The autograder could not grade this submission", "number": "0",
                "score": 0.0, "max_score": float(possible), "status": "failed",
                "visibility": "visible",
                "output": self.notice or (
                    "The autograder met an internal error, not a problem of your code. Please "
                    "tell your instructor, who can regrade the submission.")}]
            notes.append(self.failure or "no report")
            output = ""
            execution_time = time.monotonic() - self.started
        else:
            result = report.to_gradescope()
            tests, output = result["tests"], result["output"]
            execution_time = report.execution_time
            if report.error:
                notes.append(f"Grader errors (the submission is not at fault): {report.error}")
        if notes:  # for the instructor only: hidden tests are never shown to students
            tests.append({"name": "Autograder diagnostics (instructors only)", "number": "99",
                          "score": 0.0, "max_score": 0.0, "status": "failed",
                          "visibility": "hidden", "output": "\n\n".join(notes)})
        return {"score": round(sum(t["score"] for t in tests), 6),
                "execution_time": int(round(execution_time)),
                "output": output, "visibility": "visible", "stdout_visibility": "hidden",
                "tests": tests}


def _test_file(test) -> ExceptionTestFile:
    """One of the judge's results as an Otter test file (one case), for Otter's own views of
    the results (its score table, ``otter run``'s return value, results.pkl)."""
    case = TestCase(name=test.name, body=None, hidden=test.visibility != "visible",
                    points=test.max_score, success_message=None, failure_message=None)
    test_file = ExceptionTestFile(f"{test.number} {test.name}", "", [case],
                                  all_or_nothing=False)
    test_file.test_case_results = [TestCaseResult(test_case=case, message=test.output or None,
                                                  passed=test.status == "passed")]
    return test_file
