"""The instructor's and student's command line: ``autograder list|grade|check|build``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from autograder import __version__, assignments


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder",
        description="Sandboxed autograder for 'Advanced Optimization Algorithms and Learning "
                    "Rate Schedules'. Student code runs in a confined child process; the checks "
                    "run here.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("list", help="the assignments, their questions and points")

    grade = sub.add_parser("grade", help="grade one submission or many")
    grade.add_argument("assignment")
    grade.add_argument("paths", nargs="+", metavar="PATH",
                       help="a submission (.py, .ipynb or Otter export .zip) or a folder of them")
    grade.add_argument("--json", action="store_true",
                       help="print one submission's results as Gradescope's results.json")
    grade.add_argument("--out", metavar="FILE", help="write a CSV gradebook")
    grade.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                       help="submissions graded in parallel (default: the number of cores)")
    grade.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help="run the public tests on your submission")
    check.add_argument("assignment")
    check.add_argument("path", metavar="PATH")

    build = sub.add_parser("build", help="build the Gradescope autograder zip and the student zip")
    build.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: all")
    build.add_argument("--out", default="dist", metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (assignments.UnknownAssignment, FileNotFoundError, NotADirectoryError) as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autograder: interrupted", file=sys.stderr)
        return 130


def cmd_list(args) -> int:
    from autograder.catalog import questions

    for name in assignments.names():
        table = questions(name)
        total = sum(points for _, points, _ in table)
        print(f"{name}  ({total:g} points)")
        for number, points, functions in table:
            print(f"  q{number}  {points:>4g} pts  {', '.join(functions)}")
    return 0


def cmd_grade(args) -> int:
    from autograder.batch import find_submissions, grade_many
    from autograder.grading import grade
    from autograder.suite import DEFAULT_SEED

    assignments.check_name(args.assignment)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    submissions = find_submissions(args.paths)
    if args.json:
        if len(submissions) != 1:
            print("autograder: error: --json needs exactly one submission", file=sys.stderr)
            return 2
        report = grade(args.assignment, submissions[0].path, seed=seed)
        json.dump(report.to_gradescope(), sys.stdout, indent=2)
        print()
        return 0
    if len(submissions) == 1 and not args.out:
        report = grade(args.assignment, submissions[0].path, seed=seed)
        print(report.summary())
        return 0
    grade_many(args.assignment, submissions, jobs=args.jobs, out=args.out, seed=seed)
    return 0


def cmd_check(args) -> int:
    from autograder.grading import grade

    report = grade(args.assignment, args.path, public_only=True)
    print(report.summary())
    print("\nThese are the public tests only; the hidden tests check more inputs and cases.")
    return 0


def cmd_build(args) -> int:
    from autograder.packaging import build_all

    names = [assignments.check_name(n) for n in args.assignments] or assignments.names()
    for path in build_all(names, args.out):
        print(path)
    return 0


COMMANDS = {"list": cmd_list, "grade": cmd_grade, "check": cmd_check, "build": cmd_build}
