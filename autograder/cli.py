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

    grade = sub.add_parser(
        "grade", help="grade one submission or many",
        description="Grade one submission, or a whole download: a folder of files or of "
                    "student folders, Gradescope's export (folder or zip) or an LMS download "
                    "(Canvas, Moodle, Blackboard file names). With --out grades.csv, also "
                    "writes grades-feedback/ (one Markdown file per student) and "
                    "grades-report.html (the class report) beside it, and caches results in "
                    ".autograder-cache/ there, so that a rerun grades only what is missing.")
    grade.add_argument("assignment")
    grade.add_argument("paths", nargs="+", metavar="PATH",
                       help="a submission (.py, .ipynb or Otter export .zip) or a folder of them")
    grade.add_argument("--json", action="store_true",
                       help="print one submission's results as Gradescope's results.json")
    grade.add_argument("--out", metavar="FILE", help="write a CSV gradebook (and its companions)")
    grade.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help="submissions graded in parallel (default: the number of cores "
                            "this process may use)")
    grade.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                       help="wall-clock limit on one call into a submission (default 10); "
                            "loading it gets twice as long, all of it twelve times as long")
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
    from autograder.batch import Outputs, find_submissions, format_table, grade_many
    from autograder.grading import grade
    from autograder.sandbox.cgroups import usable_cores
    from autograder.sandbox.judge import Deadlines, SandboxOptions
    from autograder.suite import DEFAULT_SEED

    assignments.check_name(args.assignment)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    deadlines = Deadlines()
    if args.timeout is not None and not args.timeout > 0:
        print("autograder: error: --timeout must be positive", file=sys.stderr)
        return 2
    if args.timeout is not None:
        deadlines = Deadlines(call=args.timeout, load=2 * args.timeout, budget=12 * args.timeout)
    outputs = Outputs.beside(args.out) if args.out else None
    submissions = find_submissions(args.paths, exclude=outputs.all() if outputs else (),
                                   assignment=args.assignment)
    if not submissions:
        print("autograder: error: no submission found in " + ", ".join(args.paths),
              file=sys.stderr)
        return 2
    if args.json or (len(submissions) == 1 and not args.out):
        if args.json and len(submissions) != 1:
            print("autograder: error: --json needs exactly one submission", file=sys.stderr)
            return 2
        (only,) = submissions
        if not only.present:
            print(f"autograder: error: {only.label}: {only.problem}", file=sys.stderr)
            return 2
        options = SandboxOptions(deadlines=deadlines)
        source = only.path if only.member is None else only.read_bytes()
        report = grade(args.assignment, source, filename=only.filename, seed=seed,
                       options=options)
        if args.json:
            json.dump(report.to_gradescope(), sys.stdout, indent=2)
            print()
        else:
            print(report.summary())
        return 0
    roots = [p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in args.paths]
    jobs = args.jobs or usable_cores()
    result = grade_many(args.assignment, submissions, jobs=jobs, out=args.out, seed=seed,
                        deadlines=deadlines, roots=roots)
    print(format_table(result))
    if outputs is not None:
        print(f"wrote {outputs.gradebook}, {outputs.feedback}{os.sep}, {outputs.report}",
              file=sys.stderr)
    duplicates = sorted({r.student for r in result.rows if r.status == "duplicate"})
    if duplicates:
        print(f"autograder: {len(duplicates)} student(s) handed in more than one submission "
              f"({', '.join(duplicates[:10])}{', ...' if len(duplicates) > 10 else ''}): their "
              "extra rows have status 'duplicate'; remove them before importing the gradebook",
              file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    from autograder.grading import grade

    report = grade(args.assignment, args.path, public_only=True)
    print(report.summary())
    print("\nThese are the public tests only; the hidden tests check more inputs and cases.")
    return 0


def cmd_build(args) -> int:
    from autograder.packaging import BuildError, build_all

    names = [assignments.check_name(n) for n in args.assignments] or assignments.names()
    try:
        paths = build_all(names, args.out)
    except BuildError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path}  ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


COMMANDS = {"list": cmd_list, "grade": cmd_grade, "check": cmd_check, "build": cmd_build}
