"""Gradescope, emulated: our autograder zip against Otter's own grading of the same submission.

Both are graded exactly as Gradescope runs an Otter autograder (the zip unpacked into
``source/``, the submission in ``submission/``, ``otter.run.run_autograder.main``), each run in a
fresh folder and a fresh process:

* ours: the zip ``autograder build`` makes (Otter's runner, the sandboxed-grading plugin, the
  hidden suite in the judge's sandbox, Otter's kernel running only a placeholder);
* plain Otter: a minimal Otter autograder this script builds with ``otter.generate`` from the
  assignment's public tests (``assignments/<name>/tests``), where Otter executes the student's
  notebook itself in its kernel and runs the tests there.

The submission is the assignment's notebook completed with the reference solution (the student
notebook with its Otter cells). For context, the judge alone (``autograder grade``, one process,
no Otter) is timed too. Peak memory is the largest sum of the resident set sizes of the run's
whole process tree (Otter's process, its kernel, the judge's fork server and children), sampled
every 20 ms with psutil (pages shared between processes are counted once per process);
without psutil, the largest single process's peak.

    python benchmarks/bench_gradescope.py [--assignment quasi_newton] [--runs 5]

The machine's own numbers vary with its load: the script alternates the variants so that both
see the same conditions, and prints medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import nbformat

from autograder import assignments, generate, packaging

try:
    import psutil
except ImportError:  # pragma: no cover - optional
    psutil = None


def build_plain_otter_zip(name: str, out: Path) -> Path:
    """A minimal plain Otter autograder: the public tests, no plugin, no extra requirements."""
    from otter.generate import main as otter_generate

    work = out / "plain-otter"
    tests = work / "tests"
    tests.mkdir(parents=True)
    for path in sorted((assignments.REPO_DIR / "assignments" / name / "tests").glob("q*.py")):
        (tests / path.name).write_text(path.read_text())
    (work / "otter_config.json").write_text(json.dumps({"lang": "python"}))
    zip_path = out / f"{name}-plain-otter.zip"
    cwd = os.getcwd()
    os.chdir(work)
    try:
        otter_generate(tests_dir=str(tests), output_path=str(zip_path),
                       config=str(work / "otter_config.json"), no_requirements=True,
                       no_environment=True, lang="python")
    finally:
        os.chdir(cwd)
    return zip_path


class PeakMemory:
    """The largest total RSS of a process and its descendants while it runs."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root] + root.children(recursive=True):
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self):
        if psutil is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if psutil is not None:
            self._thread.join()


def run(command: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate(timeout=900)
    elapsed = time.perf_counter() - started
    peak = memory.peak or 1024 * max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                                     before)
    return elapsed, peak, subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def gradescope_run(python: str, zip_path: Path, submission: Path) -> tuple[float, int, dict]:
    with tempfile.TemporaryDirectory(prefix="bench-gradescope-") as tmp:
        ag = Path(tmp) / "autograder"
        for sub in ("source", "submission", "results"):
            (ag / sub).mkdir(parents=True)
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(ag / "source")
        (ag / "submission" / submission.name).write_bytes(submission.read_bytes())
        (ag / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": []}))
        elapsed, peak, done = run(
            [python, "-c", "import sys; from otter.run.run_autograder import main; "
                           "main(sys.argv[1])", str(ag)], ag)
        if done.returncode != 0 or not (ag / "results" / "results.json").is_file():
            raise RuntimeError(f"the run failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        results = json.loads((ag / "results" / "results.json").read_text())
    return elapsed, peak, results


def judge_run(python: str, name: str, submission: Path) -> tuple[float, int, dict]:
    with tempfile.TemporaryDirectory(prefix="bench-judge-") as tmp:
        elapsed, peak, done = run([python, "-m", "autograder", "grade", name, str(submission),
                                   "--json"], Path(tmp))
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
    return elapsed, peak, json.loads(done.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="quasi_newton")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wheel", help="a prebuilt wheel of this package (default: build one)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that grades (with otter-grader and this package)")
    args = parser.parse_args(argv)
    name = assignments.check_name(args.assignment)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        out = Path(tmp)
        ours = packaging.build_all([name], out / "dist", wheel=args.wheel)[0]
        plain = build_plain_otter_zip(name, out)
        submission = out / f"{name}.ipynb"
        solution = assignments.solution_path(name).read_text()
        nbformat.write(generate.skeleton_notebook(solution, name, keep_solutions=True),
                       submission)
        print(f"assignment {name}, submission: the notebook completed with the reference "
              f"solution ({submission.stat().st_size / 1024:.0f} KiB); {args.runs} runs each, "
              f"alternating; python {args.python}")
        print(f"our autograder zip: {ours.stat().st_size / 1024:.0f} KiB; plain Otter zip: "
              f"{plain.stat().st_size / 1024:.0f} KiB")
        variants = {
            "our zip (Otter + sandboxed judge)": lambda: gradescope_run(args.python, ours,
                                                                       submission),
            "plain Otter (notebook in its kernel)": lambda: gradescope_run(args.python, plain,
                                                                          submission),
            "judge alone (autograder grade)": lambda: judge_run(args.python, name, submission),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        peaks: dict[str, list[int]] = {k: [] for k in variants}
        scores: dict[str, str] = {}
        for _ in range(args.runs):
            for label, variant in variants.items():
                elapsed, peak, results = variant()
                times[label].append(elapsed)
                peaks[label].append(peak)
                tests = [t for t in results["tests"] if "max_score" in t]
                got = results.get("score", sum(t.get("score", 0) for t in tests))
                possible = sum(t["max_score"] for t in tests)
                scores[label] = f"{got:g}/{possible:g} ({len(tests)} tests)"

    print(f"\n{'variant':<40} {'median wall':>12} {'min':>7} {'max':>7} {'peak memory':>12}  score")
    for label in variants:
        print(f"{label:<40} {statistics.median(times[label]):>10.2f} s "
              f"{min(times[label]):>6.2f} {max(times[label]):>6.2f} "
              f"{statistics.median(peaks[label]) / 2**20:>9.0f} MB  {scores[label]}")
    ours_label, plain_label = list(variants)[:2]
    ratio_t = statistics.median(times[ours_label]) / statistics.median(times[plain_label])
    ratio_m = statistics.median(peaks[ours_label]) / statistics.median(peaks[plain_label])
    print(f"\nour zip / plain Otter: wall time x{ratio_t:.2f}, peak memory x{ratio_m:.2f}")
    print("(plain Otter runs only the public tests, in the student's process; ours runs the "
          "whole hidden suite, with student code confined to the sandbox)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
