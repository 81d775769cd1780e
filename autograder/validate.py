"""Grade the reference solution under many grade-time seeds: no flaky hidden test ships.

    python -m autograder.validate [ASSIGNMENT...] [--seeds 50]

Exits 1 if any run of the reference loses a point, naming the seed and the test.
"""

from __future__ import annotations

import argparse
import sys

from autograder import assignments
from autograder.grading import grade
from autograder.sandbox.judge import ForkServer
from autograder.suite import DEFAULT_SEED


def lost_points(name: str, seeds, server: ForkServer) -> list[tuple[int, str, str]]:
    """(seed, test name, message) for every test the reference fails under these seeds."""
    failures = []
    path = assignments.solution_path(name)
    for seed in seeds:
        report = grade(name, path, seed=seed, server=server)
        failures.extend((seed, t.name, t.output) for t in report.tests if t.status != "passed")
        if report.error:
            failures.append((seed, "(grading error)", report.error))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.validate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="default: all")
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args(argv)
    seeds = range(DEFAULT_SEED, DEFAULT_SEED + args.seeds)
    status = 0
    with ForkServer() as server:
        for name in args.assignments or assignments.names():
            failures = lost_points(assignments.check_name(name), seeds, server)
            print(f"{name}: {args.seeds} seeds, {len(failures)} lost tests")
            for seed, test, message in failures:
                print(f"  seed {seed}: {test}\n    {message.splitlines()[0] if message else ''}")
            status = status or int(bool(failures))
    return status


if __name__ == "__main__":
    sys.exit(main())
