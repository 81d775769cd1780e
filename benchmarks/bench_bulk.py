"""Bulk grading against `otter run`, on the same submissions, in one run.

    python benchmarks/bench_bulk.py [--n 200] [--jobs 2] [--timeout 2] [--otter-sample 8]

1. Builds a class of N quasi_newton submissions in a temporary folder: correct ones (the
   reference and the alternatives in tests/submissions, some as notebooks), wrong ones (the
   realistic mistakes in tests/submissions), broken ones (syntax errors, the untouched skeleton,
   missing functions, a failing import) and a few hostile ones (infinite loop, memory bomb,
   fork bomb, sleeper). Every file is distinct, so that nothing is served from a cache.
2. Grades the honest part, then the whole class, with
   ``autograder grade quasi_newton FOLDER --out grades.csv --jobs J --timeout T`` (each run in
   a fresh output folder: no cache), measuring wall time and the peak memory of the whole
   process tree (benchmarks/measure.py: a memory cgroup's high-water mark where the machine
   allows it, else sampled PSS; either way pages shared by forked processes count once).
3. Builds a minimal plain Otter autograder (`otter generate` on OK-format tests that call the
   student's functions in the student's own process, as Otter does) and grades a sample of the
   same submissions with ``otter run`` one after another, measuring the same figures: half of
   the sample before the honest part's run, half between it and the whole class's, so that a
   shared machine's changing speed weighs on both sides alike. Hostile submissions are left
   out of Otter's sample: without a deadline, an infinite loop would stop it for good.
4. Prints submissions per second, wall time per submission and peak memory for both, their
   ratio, and what each hostile submission cost against its deadlines.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from autograder import assignments, generate  # noqa: E402
from measure import run_measured  # noqa: E402

NAME = "quasi_newton"
CASES = ROOT / "tests" / "submissions" / NAME
HOSTILE = ROOT / "tests" / "hostile"
HOSTILE_KINDS = ("infinite_loop", "memory_bomb", "fork_bomb", "sleeper")


# -- the class -----------------------------------------------------------------------------------

def _notebook(source: str, tag: str) -> str:
    nb = generate.skeleton_notebook(source, NAME, keep_solutions=True)
    nb.cells.append(nbformat.v4.new_code_cell(f"# {tag}"))
    return nbformat.writes(nb)


def build_class(folder: Path, n: int) -> dict[str, list[str]]:
    """Writes n submissions; returns category -> file names."""
    reference = assignments.solution_path(NAME).read_text()
    skeleton = (ROOT / "assignments" / NAME / f"{NAME}.py").read_text()
    correct = [reference] + [p.read_text() for p in sorted((CASES / "correct").glob("*.py"))]
    wrong = [p.read_text() for p in sorted((CASES / "wrong").glob("*.py"))]
    broken = [
        reference.replace("def hess(x):", "def hess(x:", 1),  # a syntax error: nothing loads
        skeleton,  # nothing implemented
        reference.split("def bfgs(")[0],  # bfgs missing
        "import numpy_financial_helpers\n" + reference,  # a failing import, the rest loads
        reference.replace("import numpy as np", "import numpy as npy", 1),  # NameError inside
    ]
    hostile = {k: reference + "\n\n# --- hostile part ---\n" + (HOSTILE / f"{k}.py").read_text()
               for k in HOSTILE_KINDS}
    n_hostile = min(len(hostile), max(0, n - 3))
    n_broken = max(1, n // 10)
    n_correct = (n - n_hostile - n_broken) // 2
    n_wrong = n - n_hostile - n_broken - n_correct
    plan = ([("correct", correct[k % len(correct)]) for k in range(n_correct)]
            + [("wrong", wrong[k % len(wrong)]) for k in range(n_wrong)]
            + [("broken", broken[k % len(broken)]) for k in range(n_broken)]
            + [("hostile", hostile[k]) for k in HOSTILE_KINDS[:n_hostile]])
    # Students in a seeded random order, so that the hostile ones fall anywhere in the class
    # (as in a real download sorted by name), not all at its end.
    numbers = list(range(len(plan)))
    random.Random(20261203).shuffle(numbers)
    folder.mkdir(parents=True)
    made: dict[str, list[str]] = {}
    for k, (kind, source) in zip(numbers, plan):
        tag = f"submission {k:04d} ({kind})"
        if kind == "correct" and k % 4 == 3:
            name, text = f"student{k:04d}.ipynb", _notebook(source, tag)
        else:
            name, text = f"student{k:04d}.py", f"{source}\n# {tag}\n"
        (folder / name).write_text(text)
        made.setdefault(kind, []).append(name)
    return made


# -- ours ----------------------------------------------------------------------------------------

def grade_bulk(folder: Path, out: Path, jobs: int, timeout: float) -> dict:
    command = [sys.executable, "-m", "autograder", "grade", NAME, str(folder), "--out",
               str(out / "grades.csv"), "--jobs", str(jobs), "--timeout", str(timeout)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    wall, peak, how, done = run_measured(command, env=env)
    if done.returncode != 0:
        raise SystemExit(f"autograder failed:\n{done.stderr}")
    times, outputs = {}, {}
    for entry in (out / ".autograder-cache").glob("*/*.json"):
        data = json.loads(entry.read_text())
        name = Path(data["file"]).name
        times[name] = data["report"]["execution_time"]
        outputs[name] = [t["output"] for t in data["report"]["tests"] if t["status"] == "failed"]
    n = len(list(folder.iterdir()))
    return {"n": n, "wall": wall, "peak_mb": peak, "times": times, "outputs": outputs,
            "memory": how}


def what_it_met(outputs: list[str]) -> str:
    """How a hostile submission's failed checks ended, from their messages."""
    counts = {"ran out of a deadline": 0, "ran out of memory": 0, "not run again": 0}
    for text in outputs:
        first = text.splitlines()[0] if text else ""
        if "was not run again" in first:
            counts["not run again"] += 1
        elif "did not finish within" in first:
            counts["ran out of a deadline"] += 1
        elif "MemoryError" in first:
            counts["ran out of memory"] += 1
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no resource failure"


# -- otter ---------------------------------------------------------------------------------------

OTTER_TESTS = {
    "q1": (4, [">>> import numpy as np",
               ">>> bool(abs(f(np.array([1.0, 2.0])) - 22.0) < 1e-9)", "True",
               ">>> bool(np.allclose(grad(np.array([1.0, 2.0])), [-2.0, 9.0]))", "True",
               ">>> bool(np.allclose(hess(np.zeros(2)), [[2.0, 1.0], [1.0, 2.0]]))", "True"]),
    "q2": (3, [">>> import numpy as np",
               ">>> r = solve_with_scipy(np.zeros(2))",
               ">>> bool(r.success and np.allclose(r.x, [16 / 3, -14 / 3], atol=1e-4))", "True"]),
    "q3": (3, [">>> import numpy as np",
               ">>> H, s, y = np.eye(2), np.array([1.0, 0.5]), np.array([2.0, 1.5])",
               ">>> Hp = bfgs_update(H, s, y)",
               ">>> bool(np.allclose(Hp @ y, s) and np.allclose(Hp, Hp.T))", "True"]),
    "q4": (4, [">>> import numpy as np",
               ">>> x = np.array([0.0, 0.0])",
               ">>> a = backtracking_line_search(f, grad, x, -grad(x))",
               ">>> bool(f(x - a * grad(x)) <= f(x) + 1e-4 * a * grad(x) @ -grad(x))", "True"]),
    "q5": (8, [">>> import numpy as np",
               ">>> x, n_iter = bfgs(f, grad, np.zeros(2))",
               ">>> bool(np.allclose(x, [16 / 3, -14 / 3], atol=1e-6))", "True"]),
}


def build_otter_autograder(folder: Path) -> Path:
    tests = folder / "tests"
    tests.mkdir(parents=True)
    for name, (points, lines) in OTTER_TESTS.items():
        case = {"code": "\n".join(lines), "hidden": False, "locked": False}
        spec = {"name": name, "points": points,
                "suites": [{"cases": [case], "scored": True, "setup": "", "teardown": "",
                            "type": "doctest"}]}
        (tests / f"{name}.py").write_text(f"OK_FORMAT = True\n\ntest = {spec!r}\n")
    otter = [sys.executable, "-m", "otter"]
    done = subprocess.run(otter + ["generate", "-t", str(tests), "-o",
                                   str(folder / "autograder.zip"), "--no-requirements",
                                   "--no-environment", "--no-config"],
                          cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"otter generate failed:\n{done.stderr}")
    return folder / "autograder.zip"


def grade_otter(zip_path: Path, submissions: list[Path], work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    walls, peaks, scores = [], [], {}
    for k, path in enumerate(submissions):
        out = work / f"out{k}"
        out.mkdir()
        copy = work / f"s{k}" / path.name
        copy.parent.mkdir()
        shutil.copy(path, copy)
        wall, peak, _, done = run_measured([sys.executable, "-m", "otter", "run", "-a",
                                         str(zip_path), "-o", str(out), "--no-logo", str(copy)],
                                        cwd=copy.parent)
        walls.append(wall)
        peaks.append(peak)
        try:
            results = json.loads((out / "results.json").read_text())
            scores[path.name] = sum(t.get("score") or 0 for t in results.get("tests", []))
        except (OSError, ValueError):
            scores[path.name] = None
    return {"n": len(submissions), "wall": sum(walls), "walls": walls, "peak_mb": max(peaks),
            "scores": scores}


# -- report --------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="submissions in the class (>= 200)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=2.0,
                        help="autograder grade --timeout: the per-call deadline")
    parser.add_argument("--otter-sample", type=int, default=8)
    parser.add_argument("--keep", metavar="DIR", help="build everything here and keep it")
    args = parser.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    try:
        made = build_class(work / "class", args.n)
        honest = work / "honest"
        honest.mkdir()
        for kind, names in made.items():
            if kind != "hostile":
                for name in names:
                    os.link(work / "class" / name, honest / name)
        counts = ", ".join(f"{len(v)} {k}" for k, v in made.items())
        print(f"class: {args.n} submissions of {NAME} ({counts}); hostile: "
              f"{', '.join(HOSTILE_KINDS[:len(made.get('hostile', []))])}")
        print(f"machine: {os.cpu_count()} cores, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} before the runs")

        sample_names = sorted(made["correct"])[:3] + sorted(made["wrong"])[:3] + sorted(
            made["broken"])[:2]
        sample_names = sample_names[:args.otter_sample]
        otter_zip = build_otter_autograder(work / "otter")
        # Otter's sample in two halves, before and after our first run, so that both are
        # measured over the same stretch of a shared machine's changing speed.
        half = len(sample_names) // 2
        sample = [work / "class" / n for n in sample_names]
        otter_first = grade_otter(otter_zip, sample[:half], work / "otter" / "first")
        honest_run = grade_bulk(honest, work / "out-honest", args.jobs, args.timeout)
        otter_second = grade_otter(otter_zip, sample[half:], work / "otter" / "second")
        full = grade_bulk(work / "class", work / "out-all", args.jobs, args.timeout)
        otter = {"n": otter_first["n"] + otter_second["n"],
                 "wall": otter_first["wall"] + otter_second["wall"],
                 "walls": otter_first["walls"] + otter_second["walls"],
                 "peak_mb": max(otter_first["peak_mb"], otter_second["peak_mb"]),
                 "scores": {**otter_first["scores"], **otter_second["scores"]}}

        def line(label, n, wall, peak):
            return (f"{label:<44} {n:>4} submissions in {wall:7.1f} s: {n / wall:6.2f} per s, "
                    f"{wall / n:6.3f} s each; peak memory {peak:6.0f} MB")

        print()
        print(line(f"autograder --jobs {args.jobs}, honest part", honest_run["n"],
                   honest_run["wall"], honest_run["peak_mb"]))
        print(line(f"autograder --jobs {args.jobs}, whole class", full["n"], full["wall"],
                   full["peak_mb"]))
        print(line("otter run, one after another (sample)", otter["n"], otter["wall"],
                   otter["peak_mb"]))
        ours = full["n"] / full["wall"]
        ours_honest = honest_run["n"] / honest_run["wall"]
        theirs = otter["n"] / otter["wall"]
        print(f"\nthroughput ratio, honest part:  {ours_honest / theirs:5.1f}x otter run "
              f"(target: 50x)")
        print(f"throughput ratio, whole class:  {ours / theirs:5.1f}x otter run (the honest part "
              f"plus the hostile submissions' deadlines, {args.timeout:g} s per call)")
        print(f"peak memory measured by: {honest_run['memory']}")

        inside = [t for name, t in full["times"].items()
                  if name not in made.get("hostile", [])]
        print(f"\ngrading time of one submission inside a worker: median "
              f"{statistics.median(inside):.3f} s, max {max(inside):.3f} s "
              f"(otter run: median {statistics.median(otter['walls']):.2f} s)")
        extra = full["wall"] - honest_run["wall"] * full["n"] / honest_run["n"]
        spent = 0.0
        for name, kind in zip(made.get("hostile", []), HOSTILE_KINDS):
            t = full["times"].get(name)
            spent += t or 0.0
            if t is None:
                print(f"  hostile {name} ({kind}): no result")
            else:
                print(f"  hostile {name} ({kind}): {t:.1f} s in its worker; failed checks: "
                      f"{what_it_met(full['outputs'].get(name, []))}")
        print(f"hostile submissions: {spent:.1f} s of worker time in all, i.e. about "
              f"{spent / args.jobs:.1f} s of wall time on {args.jobs} workers; the whole class "
              f"took {extra:+.1f} s more than the honest part scaled to its size")
        agree = [n for n in sample_names if otter["scores"].get(n) is not None]
        shown = ", ".join(f"{n}={otter['scores'][n]:g}" for n in agree)
        print(f"\notter's own scores for its sample (its tests are simpler than the hidden "
              f"suite): {shown}")
        if args.keep:
            print(f"\nkept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
