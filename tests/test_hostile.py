"""Hostile and broken submissions: they never earn unearned points and never stop grading.

Each hostile snippet in tests/hostile/ is appended to the honest reference solution (so it
overrides one function, or attacks at import time); the honest parts must keep their points and
the attacked functions must lose theirs, with a message that says why.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from autograder import assignments
from autograder.grading import grade
from autograder.sandbox.judge import (CallTimeout, Deadlines, NotRunAgain, Sandbox,
                                     SandboxOptions, StudentRaised)

HOSTILE = Path(__file__).resolve().parent / "hostile"
ROOT = os.geteuid() == 0

#: snippet -> (functions whose tests must fail, a phrase every failure message contains)
CASES = {
    "infinite_loop": ({"bfgs"}, "did not finish within"),
    "sleeper": ({"hess"}, "did not finish within"),
    "memory_bomb": ({"bfgs_update", "bfgs"}, ""),
    "fork_bomb": ({"grad", "solve_with_scipy"}, ""),
    "output_spam": ({"f", "solve_with_scipy"}, ""),
    "sys_exit": ({"hess"}, "SystemExit"),
    "keyboard_interrupt": ({"grad", "solve_with_scipy"}, "KeyboardInterrupt"),
    "segfault": ({"hess"}, "SIGSEGV"),
    "patch_everything": ({"bfgs", "solve_with_scipy"}, ""),  # patched numpy breaks its scipy
    "lying_values": ({"f", "grad", "hess", "solve_with_scipy"}, ""),
    "mutates_inputs": ({"bfgs_update"}, "read-only"),  # its own bfgs passes writable arrays
    "drop_files": ({"bfgs"}, ""),
    "ignore_signals": ({"bfgs"}, "did not finish within"),
    "frame_peek": ({"f", "solve_with_scipy"}, ""),
    "leave_processes": (set(), ""),
}
def hostile_submission(name: str, tmp_path: Path, **placeholders: str) -> Path:
    honest = assignments.solution_path("quasi_newton").read_text()
    attack = (HOSTILE / f"{name}.py").read_text()
    for key, value in placeholders.items():
        attack = attack.replace(f"__{key}__", value)
    path = tmp_path / f"{name}.py"
    path.write_text(honest + "\n\n# --- hostile part ---\n" + attack)
    return path


def _options() -> SandboxOptions:
    return SandboxOptions(deadlines=Deadlines(load=15, call=1.5, budget=60))


def _processes_of(uid: int) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        uids = next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1:]
        if str(uid) in uids:
            found.append(int(pid))
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_submission_earns_only_its_honest_points(name, server, tmp_path):
    broken, phrase = CASES[name]
    report = grade("quasi_newton", hostile_submission(name, tmp_path), server=server,
                   options=_options())
    assert report.error == ""
    for test in report.tests:
        if test.function not in broken:
            assert test.status == "passed", (test.name, test.output)
        elif test.status == "failed":
            assert test.score == 0 and phrase in test.output, test.output
    for function in broken:
        assert any(t.function == function and t.status == "failed" for t in report.tests)
    if ROOT:
        assert _processes_of(server.uid) == [], "a process of the sandbox user survived grading"


def test_a_function_out_of_time_is_not_run_again_within_the_same_deadline(server):
    source = b"import time\n\ndef spin(x):\n    while True:\n        pass\n\ndef ok(x):\n    return x\n"
    options = SandboxOptions(deadlines=Deadlines(load=15, call=0.5, budget=60))
    with Sandbox(server, source, "spin.py", options) as sandbox:
        with pytest.raises(CallTimeout, match="did not finish within 0.5 s"):
            sandbox.call("spin", 1)
        restarts = sandbox.restarts
        with pytest.raises(NotRunAgain) as again:
            sandbox.call("spin", 2)
        assert "spin was not run again" in str(again.value)
        assert "spin(1) did not finish within 0.5 s" in str(again.value)
        assert sandbox.restarts == restarts, "the function ran again in a new child"
        # Other functions still run, and a check that allows more time gets it.
        assert sandbox.call("ok", 3) == 3
        with pytest.raises(CallTimeout, match="did not finish within 0.8 s"):
            sandbox.call("spin", 4, timeout=0.8)


def test_a_function_out_of_memory_is_not_run_again(server):
    # bytes(n) comes from calloc: address space runs out before any page is touched.
    source = b"def hoard(x):\n    return [bytes(2**26) for _ in range(10**6)]\n"
    with Sandbox(server, source, "hoard.py", _options()) as sandbox:
        with pytest.raises(StudentRaised, match="MemoryError"):
            sandbox.call("hoard", 1, timeout=30)
        with pytest.raises(NotRunAgain, match="ran it out of memory: hoard raised MemoryError"):
            sandbox.call("hoard", 2, timeout=30)


def test_fake_results_then_os_exit_scores_zero(server, tmp_path):
    report = grade("quasi_newton", hostile_submission("fake_results", tmp_path), server=server,
                   options=_options())
    assert report.score == 0 and report.tests
    assert all("crashed" in t.output for t in report.tests), report.tests[0].output
    assert not (tmp_path / "results.json").exists()


def test_cannot_read_the_suite_or_the_solution(server, tmp_path):
    path = hostile_submission("steal_answers", tmp_path,
                              SUITE=str(assignments.suite_path("quasi_newton")),
                              SOLUTION=str(assignments.solution_path("quasi_newton")))
    report = grade("quasi_newton", path, server=server, options=_options())
    failed = [t for t in report.tests if t.function == "f"]
    assert failed and all(t.status == "failed" for t in failed)
    assert all(("No such file" in t.output or "Permission denied" in t.output) for t in failed)


@pytest.mark.skipif(not ROOT, reason="the privilege drop happens only when grading as root")
def test_child_cannot_write_where_the_grader_keeps_results(server, tmp_path, request):
    # A root-owned folder that every user may read but only root may write, as Gradescope's
    # results folder is, outside everything the child's mount namespace replaces (/tmp, the
    # repository), so that only the privilege drop stands in the way.
    results = Path(tempfile.mkdtemp(dir="/var/lib", prefix="optim-autograder-results-"))
    results.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(results, ignore_errors=True))
    target = results / "results.json"
    path = hostile_submission("write_results", tmp_path, RESULTS=str(target))
    # Hide nothing: this checks the privilege drop alone, not the mount namespace.
    options = _options()
    options.cloak = ["/nonexistent"]
    report = grade("quasi_newton", path, server=server, options=options)
    outputs = [t.output for t in report.tests if t.function == "f"]
    assert outputs and all("Permission denied" in o for o in outputs), outputs
    assert not target.exists()


SPINNERS = """
import os, time

def spin(n_processes, cpu_seconds):
    def burn():
        started = time.process_time()
        while time.process_time() - started < cpu_seconds:
            pass
    children = []
    for _ in range(n_processes - 1):
        pid = os.fork()
        if pid == 0:
            burn()
            os._exit(0)
        children.append(pid)
    burn()
    for pid in children:
        os.waitpid(pid, 0)
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
"""


@pytest.mark.skipif(not ROOT, reason="the CPU cap needs root (a cgroup per fork server)")
def test_a_submission_gets_at_most_one_core(server):
    # Four busy processes of one submission share one core, however many the machine has,
    # so that a fork bomb cannot slow the submissions graded beside it.
    if not server.cpu_capped:
        pytest.skip("this machine offers no writable cpu cgroup")
    options = SandboxOptions(deadlines=Deadlines(load=15, call=30, budget=60))
    with Sandbox(server, SPINNERS.encode(), "spin.py", options) as sandbox:
        sandbox.call("spin", 1, 0.05)  # loaded and warm
        started = time.monotonic()
        cpu = sandbox.call("spin", 4, 0.4)
        wall = time.monotonic() - started
    assert cpu >= 1.6
    assert cpu <= 1.15 * wall, f"{cpu:.2f} s of CPU in {wall:.2f} s"


def test_syntax_error_scores_zero_with_a_clear_message(server, tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import numpy as np\n\ndef f(x):\n    return (x[0] - 3 ** 2\n")
    report = grade("quasi_newton", path, server=server)
    assert report.score == 0
    assert "SyntaxError" in report.output and "line" in report.output
    assert all("not defined" in t.output for t in report.tests)
