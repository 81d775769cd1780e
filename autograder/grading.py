"""Grade one submission: the sandboxed child runs it, the hidden suite checks it here."""

from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path

import pytest

from autograder import assignments
from autograder.results import Report
from autograder.sandbox.judge import ForkServer, Sandbox, SandboxOptions
from autograder.suite import DEFAULT_SEED, GradingPlugin, collect_plain

#: Directories a child must never see; hidden behind an empty tmpfs when the platform allows
#: it, and unreadable to the sandbox uid in any case where they are private.
GRADESCOPE_DIR = "/autograder"


def default_cloak(submission_path: str | None) -> list[str]:
    paths = [str(assignments.PACKAGE_DIR), str(assignments.solutions_dir())]
    if (assignments.REPO_DIR / "pyproject.toml").is_file():
        paths.append(str(assignments.REPO_DIR))
    if submission_path:
        paths.append(str(Path(submission_path).resolve().parent))
    if os.path.isdir(GRADESCOPE_DIR):
        paths.append(GRADESCOPE_DIR)
    return list(dict.fromkeys(paths))


def grade(assignment: str, submission: str | os.PathLike | bytes, *, filename: str | None = None,
          public_only: bool = False, seed: int = DEFAULT_SEED, server: ForkServer | None = None,
          options: SandboxOptions | None = None) -> Report:
    """Grade one submission (a path, or its bytes with a ``filename``) and return its report.

    Whatever the submission does, this returns a report; it raises only for the caller's
    mistakes (an unknown assignment, a path that does not exist)."""
    assignments.check_name(assignment)
    started = time.monotonic()
    if isinstance(submission, bytes):
        raw, path = submission, None
        filename = filename or "submission.py"
    else:
        path = os.fspath(submission)
        raw = Path(path).read_bytes()
        filename = filename or os.path.basename(path)
    report = Report(assignment=assignment, submission=filename)
    options = options or SandboxOptions()
    if not options.cloak:
        options.cloak = default_cloak(path)

    own_server = server is None
    if own_server:
        server = ForkServer()  # matplotlib is preloaded if the submission imports it
    try:
        with Sandbox(server, raw, filename, options) as sandbox:
            plugin = GradingPlugin(assignment, sandbox, seed=seed, public_only=public_only)
            exit_code = run_suite(assignments.suite_path(assignment), plugin)
            report.tests = plugin.results
            report.output = load_summary(sandbox.report() if plugin.results else None)
            if plugin.internal_errors or exit_code not in (0, 1):
                report.error = "; ".join(plugin.internal_errors) or f"pytest exit code {exit_code}"
    finally:
        if own_server:
            server.close()
    report.execution_time = time.monotonic() - started
    return report


def run_suite(suite: Path, plugin: GradingPlugin) -> int:
    """Run a suite and return pytest's exit code.

    A suite of plain graded test functions (all of ours) is collected once per process and run
    directly (suite.collect_plain, GradingPlugin.run_direct): same fixtures, numbering, outcomes
    and messages as pytest.main, without its per-run cost. Anything else, or
    AUTOGRADER_RUNNER=pytest in the environment, runs pytest.main as before."""
    tests = None if os.environ.get("AUTOGRADER_RUNNER") == "pytest" else collect_plain(suite)
    if tests is not None:
        sink = io.StringIO()  # pytest would capture what the suite prints: drop it too
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return plugin.run_direct(tests)
    return run_pytest(suite, plugin)


def run_pytest(suite: Path, plugin: GradingPlugin) -> int:
    """Run a suite with pytest, isolated from whatever project or environment surrounds it."""
    args = [str(suite), "-c", os.devnull, "--rootdir", str(suite.parent), "--noconftest",
            "--assert=plain", "-p", "no:cacheprovider", "-p", "no:stepwise", "-q",
            "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    saved = {k: os.environ.pop(k, None) for k in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return int(pytest.main(args, plugins=[plugin]))
    finally:
        os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value


def load_summary(load_report: dict | None) -> str:
    """The top-level feedback: what kind of file was graded and what went wrong loading it."""
    if not load_report:
        return ""
    kind = {"python": "a Python file", "notebook": "a notebook",
            "unreadable": "an unreadable file", "unloaded": "a submission that did not load"}
    lines = [f"Graded {kind.get(load_report.get('kind'), 'a submission')}."]
    problems = load_report.get("problems") or []
    if problems:
        lines.append("Running your code's top level met these errors. Whatever they prevented "
                     "from being defined cannot be graded; errors in cells that only plot or "
                     "print cost nothing:")
        lines.extend(f"  - {p['where']}: {p['error']}" for p in problems[:20])
        if len(problems) > 20:
            lines.append(f"  - ... and {len(problems) - 20} more")
    return "\n".join(lines)
