"""Grading many submissions: find them, grade them in parallel, write what the instructor needs.

``autograder grade ASSIGNMENT FOLDER --out grades.csv [--jobs N]`` lands here:

1. :func:`autograder.layouts.find_submissions` finds every submission and whose it is.
2. Each student's submissions are ranked; the first counts, the others are kept as duplicates.
3. Results are looked up in the cache beside the output (``.autograder-cache/`` in the
   gradebook's folder), keyed by the submission's bytes and file name, the assignment, a
   fingerprint of the grader (version, hidden suite, reference solution, judge code), the seed
   and the deadlines. Only what is missing is graded, by :class:`autograder.workers.WorkerPool`
   (one warm fork server per worker), and every result is cached as soon as it arrives, with an
   atomic write: a run stopped by Ctrl-C, a crash or SIGKILL loses at most the submissions
   being graded at that moment.
4. The outputs are written atomically, the gradebook last: ``grades.csv``,
   ``grades-feedback/<student>.md`` and ``grades-report.html`` (names follow the gradebook's).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import __version__, assignments
from autograder.catalog import questions
from autograder.gradebook import (Row, gradebook_csv, number, write_feedback,
                                  write_text_atomic)
from autograder.layouts import Submission, find_submissions
from autograder.results import Report, write_json_atomic
from autograder.sandbox.judge import Deadlines

__all__ = ["Submission", "find_submissions", "grade_many", "write_gradebook", "Outputs",
           "BatchResult", "CACHE_DIR"]

CACHE_DIR = ".autograder-cache"
CACHE_FORMAT = 1
#: Kinds of file preferred when a student handed in several (the notebook is the assignment's
#: main form; its export zip next; a plain module last).
_KIND_RANK = {".ipynb": 3, ".zip": 2, ".py": 1}


@dataclass
class Outputs:
    gradebook: Path
    feedback: Path
    report: Path
    cache: Path

    @classmethod
    def beside(cls, out: str | os.PathLike) -> "Outputs":
        path = Path(out)
        folder = path.parent
        return cls(gradebook=path, feedback=folder / f"{path.stem}-feedback",
                   report=folder / f"{path.stem}-report.html", cache=folder / CACHE_DIR)

    def all(self) -> list[Path]:
        return [self.gradebook, self.feedback, self.report, self.cache]


@dataclass
class BatchResult:
    rows: list[Row]
    graded: int = 0  # graded in this run
    cached: int = 0  # taken from the cache
    outputs: Outputs | None = None
    max_score: float = 0.0
    question_table: list = field(default_factory=list)

    @property
    def reports(self) -> list[Report]:
        return [r.report for r in self.rows if r.report is not None]


# -- the grader's fingerprint and the cache ------------------------------------------------------

#: Modules of the package that only find submissions or write outputs: a change to them does
#: not change any grade. Every other module (the judge, the suite framework, the checks, the
#: problem library, ... and any module added later) is part of the grader's fingerprint.
_NOT_GRADING = {"batch.py", "gradebook.py", "report_html.py", "layouts.py", "workers.py",
                "cli.py", "__main__.py", "packaging.py", "generate.py"}


def grader_fingerprint(assignment: str) -> str:
    """Changes whenever anything that decides a grade changes: the version, this assignment's
    hidden suite and reference solution, and the grading code (judge, suite framework,
    checks, problem library...)."""
    package = assignments.PACKAGE_DIR
    files = [assignments.suite_path(assignment), assignments.solution_path(assignment)]
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in ("suites", "_reference") or (
                len(relative.parts) == 1 and path.name in _NOT_GRADING):
            continue
        files.append(path)
    digest = hashlib.sha256(f"optim-autograder {__version__}\n".encode())
    for path in files:
        name = path.relative_to(package) if path.is_relative_to(package) else path.name
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def cache_key(*, assignment: str, fingerprint: str, seed: int, deadlines: Deadlines,
              content_sha256: str, filename: str) -> str:
    ingredients = {"format": CACHE_FORMAT, "assignment": assignment, "grader": fingerprint,
                   "seed": seed, "deadlines": asdict(deadlines), "sha256": content_sha256,
                   "filename": filename}
    return hashlib.sha256(json.dumps(ingredients, sort_keys=True).encode()).hexdigest()


class Cache:
    """One JSON file per result, ``<folder>/<key[:2]>/<key>.json``, each written atomically
    (a temporary file renamed into place): a reader finds a whole entry or none."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        if folder is not None and folder.is_dir():
            # Temporary files of writers killed mid-write (a live writer's are seconds old).
            stale = time.time() - 600
            for path in folder.glob("*/.tmp-*"):
                try:
                    if path.stat().st_mtime < stale:
                        path.unlink()
                except OSError:
                    pass

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Report | None:
        if self.folder is None:
            return None
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            if data.get("format") != CACHE_FORMAT or data.get("key") != key:
                return None
            return Report.from_dict(data["report"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, or unreadable: graded again and overwritten

    def put(self, key: str, report: Report, about: dict) -> None:
        if self.folder is None:
            return
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, {"format": CACHE_FORMAT, "key": key, **about,
                                 "report": report.to_dict()})


# -- choosing among a student's submissions ------------------------------------------------------

def _preference(sub: Submission, assignment: str, skeleton: bool) -> tuple:
    """Higher is preferred: gradable, not the untouched skeleton, the later upload (when the
    LMS says), named after the assignment, notebook > zip > module."""
    name = Path(sub.filename)
    return (sub.gradable, not skeleton, sub.order, name.stem.lower() == assignment.lower(),
            _KIND_RANK.get(name.suffix.lower(), 0))


def choose(submissions: list[Submission], assignment: str, skeletons: set[int] = frozenset()
           ) -> dict[int, bool]:
    """For each submission (by id()), whether it is the one that counts for its student;
    ``skeletons``: indices of submissions that are the untouched skeleton."""
    by_student: dict[str, list[int]] = {}
    for index, sub in enumerate(submissions):
        by_student.setdefault(sub.student, []).append(index)
    chosen = {}
    for indices in by_student.values():
        ranked = sorted(indices, key=lambda i: (submissions[i].label, i))
        ranked.sort(key=lambda i: _preference(submissions[i], assignment, i in skeletons),
                    reverse=True)
        for i in indices:
            chosen[id(submissions[i])] = i == ranked[0]
    return chosen


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _skeleton_hashes(assignment: str) -> set[str]:
    folder = assignments.assignments_dir()
    found = set()
    if folder is not None:
        for suffix in (".py", ".ipynb"):
            path = folder / assignment / f"{assignment}{suffix}"
            if path.is_file():
                found.add(_sha256(path.read_bytes()))
    return found


# -- progress ------------------------------------------------------------------------------------

class _Progress:
    """A live bar on a terminal (rich): done, failed, cached, time left; nothing otherwise."""

    def __init__(self, total: int, cached: int, enabled: bool | None):
        self.failed = 0
        self._bar = None
        if total == 0:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        console = Console(stderr=True)
        if enabled is False or (enabled is None and not console.is_terminal):
            return
        self._bar = Progress(
            TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[red]failed {task.fields[failed]}"),
            TextColumn("[dim]cached {task.fields[cached]}"),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=console)
        self._task = self._bar.add_task("grading", total=total, failed=0, cached=cached)
        self._bar.start()

    def advance(self, failed: bool) -> None:
        self.failed += int(failed)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, failed=self.failed)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


# -- grading -------------------------------------------------------------------------------------

def grade_many(assignment: str, submissions: list[Submission], *, jobs: int = 1,
               out: str | os.PathLike | None = None, seed: int | None = None,
               deadlines: Deadlines | None = None, roots: list[str | os.PathLike] | None = None,
               progress: bool | None = None, limit: float | None = None,
               log=sys.stderr) -> BatchResult:
    """Grade every submission (in ``jobs`` worker processes) and, with ``out``, write the
    gradebook, the feedback files and the class report beside it, using and filling the cache
    there. ``roots``: the folders of the download, hidden from the sandboxed children (default:
    the submissions' folders). ``progress``: None shows a bar only on a terminal."""
    from autograder.grading import default_cloak
    from autograder.suite import DEFAULT_SEED
    from autograder.workers import PoolConfig, Task, WorkerPool

    assignments.check_name(assignment)
    seed = DEFAULT_SEED if seed is None else seed
    deadlines = deadlines or Deadlines()
    outputs = Outputs.beside(out) if out else None
    if outputs is not None:
        outputs.gradebook.parent.mkdir(parents=True, exist_ok=True)
    cache = Cache(outputs.cache if outputs else None)
    table = questions(assignment)
    max_score = sum(points for _, points, _ in table)
    fingerprint = grader_fingerprint(assignment)

    hashes: dict[int, str] = {}
    for index, sub in enumerate(submissions):
        if sub.gradable:
            hashes[index] = _sha256(sub.read_bytes())
    skeletons = _skeleton_hashes(assignment)

    # Who counts for each student, and what is identical to what.
    rows: list[Row] = []
    by_student: dict[str, list[tuple[Submission, Row]]] = {}
    for sub in submissions:
        row = Row(student=sub.student, file=sub.label or sub.filename, sid=sub.sid,
                  email=sub.email, max_score=max_score, notes=list(sub.notes), problem=sub.problem)
        if not sub.gradable:
            row.status = "unreadable"
            if sub.problem:
                row.notes.insert(0, sub.problem)
        rows.append(row)
        by_student.setdefault(sub.student, []).append((sub, row))
    chosen = choose(submissions, assignment, {i for i, d in hashes.items() if d in skeletons})
    for student, entries in by_student.items():
        if len(entries) < 2:
            continue
        first = next(row for sub, row in entries if chosen[id(sub)])
        first.notes.append(f"{len(entries) - 1} other submission(s) of {student} listed as "
                           "duplicate")
        for sub, row in entries:
            if row is not first:
                row.chosen = False
                row.status = "duplicate"
                row.notes.insert(0, f"another submission of {student} ({first.file}) counts "
                                    "instead")

    owners: dict[str, set[str]] = {}
    for index, digest in hashes.items():
        owners.setdefault(digest, set()).add(submissions[index].student)
    for index, digest in hashes.items():
        row = rows[index]
        if digest in skeletons:
            row.notes.append("the unmodified skeleton")
        elif len(owners[digest]) > 1:
            others = sorted(owners[digest] - {row.student})
            row.notes.append("identical to the submission of " + ", ".join(others))

    # Cached results, and the work left.
    todo: dict[str, list[int]] = {}
    cached = 0
    for index, digest in hashes.items():
        sub = submissions[index]
        key = cache_key(assignment=assignment, fingerprint=fingerprint, seed=seed,
                        deadlines=deadlines, content_sha256=digest, filename=sub.filename)
        report = cache.get(key)
        if report is not None:
            rows[index].report, rows[index].cached = report, True
            cached += 1
        else:
            todo.setdefault(key, []).append(index)

    cloak = default_cloak(None)
    if roots is None:
        roots = sorted({str(s.source.resolve().parent) for s in submissions if s.present})
    cloak += [str(Path(r).resolve()) for r in roots]
    if outputs is not None:
        cloak.append(str(outputs.gradebook.parent.resolve()))
    config = PoolConfig(assignment=assignment, seed=seed, deadlines=deadlines,
                        cloak=list(dict.fromkeys(cloak)))
    tasks = []
    for key, indices in todo.items():
        sub = submissions[indices[0]]
        tasks.append(Task(id=key, source=str(sub.source), member=sub.member,
                          filename=sub.filename, sha256=hashes[indices[0]]))
    graded = 0
    preparing: list[threading.Thread] = []  # the report's imports, started with the first result

    def done(task, report_dict, error):
        nonlocal graded
        report = None
        if report_dict is not None:
            try:
                report = Report.from_dict(report_dict)
            except (TypeError, KeyError):
                error = "the grading worker sent a malformed report"
        failed = report is None or bool(report.error)
        if report is not None and not report.error:
            first = submissions[todo[task.id][0]]
            cache.put(task.id, report, {"assignment": assignment, "seed": seed,
                                        "file": first.label, "sha256": hashes[todo[task.id][0]]})
        for index in todo[task.id]:
            rows[index].report = report
            if report is None:
                rows[index].failure = error or "grading failed"
        if graded == 0 and outputs is not None:
            preparing.append(_prepare_report_in_background())  # not earlier: workers start
        graded += len(todo[task.id])
        bar.advance(failed)

    bar = _Progress(len(tasks), cached, progress)
    previous = _sigterm_as_interrupt()
    pool = WorkerPool(config, jobs=min(jobs, len(tasks)), limit=limit) if tasks else None
    try:
        if pool is not None:
            pool.run(tasks, done)
            pool.release()  # the workers exit while the outputs are written
    except BaseException as exc:
        bar.close()
        if pool is not None:
            pool.close()
        if isinstance(exc, KeyboardInterrupt) and outputs is not None:
            print(f"autograder: interrupted; {cached + graded} of {len(hashes)} results are "
                  f"cached in {outputs.cache}, run the same command again to grade the rest",
                  file=log)
        raise
    finally:
        bar.close()
        _restore_sigterm(previous)

    try:
        for row in rows:
            _settle_status(row)
        result = BatchResult(rows=sorted(rows, key=Row.sort_key), graded=graded, cached=cached,
                             outputs=outputs, max_score=max_score, question_table=table)
        if outputs is not None:
            for thread in preparing:
                thread.join()  # importing matplotlib from two threads at once can fail
            write_outputs(result, assignment)
    finally:
        if pool is not None:
            pool.close()
    return result


def _prepare_report_in_background() -> threading.Thread:
    """Import what the class report draws with (matplotlib: about 0.5 s) while the workers
    grade, instead of after them, when the run's last seconds use a single core. The caller
    joins the thread before drawing: a package imported by two threads at once may be seen
    half-initialised by one of them."""
    def prepare():
        try:
            import autograder.report_html as report

            report.prepare()
        except Exception:  # noqa: BLE001 - write_outputs imports it again and reports errors
            pass

    thread = threading.Thread(target=prepare, name="report-imports", daemon=True)
    thread.start()
    return thread


def _settle_status(row: Row) -> None:
    """The final status of a row from what grading gave (a duplicate stays a duplicate, with
    the reason in its note)."""
    report = row.report
    duplicate = row.status == "duplicate"
    if report is None:
        if row.failure:  # the worker failed
            if not duplicate:
                row.status = "error"
            row.notes.insert(int(duplicate), f"grading failed: {row.failure}")
        return  # not gradable: unreadable (or a duplicate), with its problem noted already
    if report.error:
        row.failure = report.error
        if not duplicate:
            row.status = "error"
        row.notes.insert(int(duplicate), f"grading failed: {report.error[:300]}")
    elif report.output.startswith("Graded an unreadable file"):
        found = [line.strip()[2:] for line in report.output.splitlines()
                 if line.strip().startswith("- ")]
        row.problem = found[0] if found else "the grader could not read the file"
        if not duplicate:
            row.status = "unreadable"
        row.notes.insert(int(duplicate), row.problem)


def _sigterm_as_interrupt():
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


def _restore_sigterm(previous) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous)


# -- outputs -------------------------------------------------------------------------------------

def write_outputs(result: BatchResult, assignment: str) -> None:
    """Feedback files and the class report first, the gradebook last: a gradebook on disk
    means the run finished."""
    from autograder.report_html import class_report

    outputs = result.outputs
    write_feedback(outputs.feedback, result.rows, assignment, result.question_table)
    write_text_atomic(outputs.report, class_report(assignment, result.rows, result.question_table))
    numbers = [q for q, _, _ in result.question_table]
    write_text_atomic(outputs.gradebook, gradebook_csv(result.rows, numbers))


def write_gradebook(path: str | os.PathLike, assignment: str, rows: list[Row]) -> None:
    """The CSV gradebook alone (atomically)."""
    numbers = [q for q, _, _ in questions(assignment)]
    write_text_atomic(path, gradebook_csv(rows, numbers))


def format_table(result: BatchResult) -> str:
    """The table printed after a batch: one line per submission, then a summary."""
    width = max([len(r.student) for r in result.rows] + [7])
    lines = [f"{'student':<{width}}  {'score':>13}  status"]
    for row in result.rows:
        score = f"{number(row.total) if row.total is not None else '-'} / {number(row.max_score)}"
        extra = f"  ({row.notes[0]})" if row.status != "graded" and row.notes else ""
        lines.append(f"{row.student:<{width}}  {score:>13}  {row.status}{extra}")
    counted = [r.total for r in result.rows if r.chosen and r.total is not None]
    summary = f"{len(result.rows)} submissions"
    statuses = {}
    for row in result.rows:
        statuses[row.status] = statuses.get(row.status, 0) + 1
    summary += " (" + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) + ")"
    if counted:
        summary += (f"; mean {statistics.fmean(counted):.2f}, median "
                    f"{number(statistics.median(counted))} of {number(result.max_score)}")
    lines += ["", summary, f"graded now: {result.graded}, from the cache: {result.cached}"]
    return "\n".join(lines)
