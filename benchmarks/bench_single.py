"""Cold single-submission grading: `autograder grade ... --json` against `otter run`.

Both grade the quasi_newton reference solution, each as a fresh process (what Gradescope pays
per submission). The Otter side is a plain Otter autograder built here with `otter generate`:
OK-format doctests that execute the submission in Otter's own process and check the same
functions on fixed inputs (values computed from the reference when the script starts).

    python benchmarks/bench_single.py [--runs 7]

Prints the median wall time and peak memory (max RSS of the largest process) of each, and the
ratios. Needs otter-grader (a dependency of this package) on PATH next to this Python.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder import assignments

ASSIGNMENT = "quasi_newton"
#: (question, expression evaluated in the submission's namespace) for the Otter baseline.
CHECKS = [
    ("q1", "f(np.array([1.5, -0.5]))"),
    ("q1", "grad(np.array([1.5, -0.5]))"),
    ("q1", "hess(np.array([1.5, -0.5]))"),
    ("q2", "solve_with_scipy(np.zeros(2)).x"),
    ("q3", "bfgs_update(np.eye(2), np.array([1.0, 0.5]), np.array([2.0, 1.5]))"),
    ("q4", "backtracking_line_search(f, grad, np.zeros(2), -grad(np.zeros(2)))"),
    ("q5", "bfgs(f, grad, np.zeros(2))[0]"),
]


def build_otter_autograder(folder: Path) -> Path:
    """A plain Otter autograder for quasi_newton: Otter runs the submission and the checks."""
    reference = assignments.reference(ASSIGNMENT)
    namespace = {"np": np, **vars(reference)}
    tests = folder / "tests"
    tests.mkdir(parents=True)
    by_question: dict[str, list[str]] = {}
    for question, expression in CHECKS:
        expected = np.asarray(eval(expression, namespace), dtype=float).tolist()  # noqa: S307
        code = (f">>> import numpy as np\n>>> bool(np.allclose({expression}, "
                f"np.array({expected!r}), rtol=1e-6, atol=1e-8))\nTrue")
        by_question.setdefault(question, []).append(code)
    for question, codes in by_question.items():
        cases = [{"code": c, "hidden": False, "locked": False} for c in codes]
        test = {"name": question, "points": len(codes), "suites": [
            {"cases": cases, "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
        (tests / f"{question}.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")
    (folder / "requirements.txt").write_text("numpy\nscipy\n")
    otter = Path(sys.executable).with_name("otter")
    subprocess.run([str(otter), "generate", "-t", "tests", "-o", "autograder.zip",
                    "--no-environment"], cwd=folder, check=True, capture_output=True)
    return folder / "autograder.zip"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of the command: the largest of its process and the
    descendants it waited for (wait4's accounting, per command)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        submission = tmp / "submission.py"
        submission.write_text(assignments.solution_path(ASSIGNMENT).read_text())
        zip_path = build_otter_autograder(tmp / "otter")
        otter = str(Path(sys.executable).with_name("otter"))
        ours = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(submission), "--json"]
        theirs = [otter, "run", "-a", str(zip_path), "-o", str(tmp / "otter-out"), str(submission)]
        (tmp / "otter-out").mkdir()
        # Check both really grade before timing them.
        our_score = json.loads(subprocess.run(ours, capture_output=True, text=True).stdout)["score"]
        results = {"autograder grade": [], "otter run": []}
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            results["autograder grade"].append(timed(ours, tmp))
            results["otter run"].append(timed(theirs, tmp))
        otter_tests = json.loads((tmp / "otter-out" / "results.json").read_text())["tests"]
        otter_score = sum(t.get("score") or 0 for t in otter_tests)
    print(f"cold single-submission grade of the {ASSIGNMENT} reference, {args.runs} runs each "
          f"(our score {our_score:g}, Otter's {otter_score:g} of {len(CHECKS)})")
    medians = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        memory = statistics.median(r[1] for r in runs)
        medians[name] = (wall, memory)
        print(f"  {name:<17} median wall {wall:6.2f} s   peak RSS {memory:6.0f} MB")
    (ours_wall, ours_mem), (otter_wall, otter_mem) = medians["autograder grade"], medians["otter run"]
    print(f"  ratio (ours / otter): wall {ours_wall / otter_wall:.2f}, peak RSS "
          f"{ours_mem / otter_mem:.2f}; target: wall <= 0.33")
    return 0


if __name__ == "__main__":
    sys.exit(main())
