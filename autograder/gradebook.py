"""The outputs of bulk grading that name students: the CSV gradebook and the feedback files.

CSV columns (one row per submission, sorted by student; no timestamps, so that grading the same
download twice gives the same file byte for byte):

``student``   who: the file's stem, the folder's name, Gradescope's submitter name or the
              LMS's name for the student (Canvas: "lastfirst")
``id``        the LMS's identifier when the download carries one: Canvas user id (Canvas's
              "ID" column), Gradescope SID, Moodle participant id; empty otherwise
``email``     the submitter's email (Gradescope exports carry it); empty otherwise
``total``     points earned (empty when grading failed: an import then leaves the grade alone)
``max``       points available
``q1``...     points earned per question
``status``    graded | unreadable | duplicate | error
``file``      the submission's path inside the download
``note``      why a row is not simply "graded", duplicates and identical submissions
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.results import Report

STATUSES = ("graded", "unreadable", "duplicate", "error")
FEEDBACK_MARK = "<!-- optim-autograder feedback -->"


@dataclass
class Row:
    student: str
    file: str
    status: str = "graded"
    sid: str = ""
    email: str = ""
    report: Report | None = None
    max_score: float = 0.0
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # why the file cannot be graded (status unreadable)
    failure: str = ""  # why grading failed (status error)
    chosen: bool = True  # False for a student's other submissions (status duplicate)
    cached: bool = False
    feedback: str = ""  # the feedback file's name, once written

    @property
    def total(self) -> float | None:
        """Points earned; None when grading failed (an LMS import then keeps its grade)."""
        if self.failure or self.status == "error":
            return None
        return self.report.score if self.report is not None else 0.0

    def points(self, question: int) -> float | None:
        if self.total is None:
            return None
        if self.report is None:
            return 0.0
        return self.report.by_question().get(str(question), (0.0, 0.0))[0]

    def sort_key(self):
        return (self.student.casefold(), self.student, not self.chosen, self.file)


def number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 6):g}"


def _cell(text: str) -> str:
    """A text cell that spreadsheets will not run as a formula (student-chosen file names
    end up in these cells): OWASP's advice, a leading apostrophe."""
    text = " ".join(str(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def columns(questions: list[int]) -> list[str]:
    return (["student", "id", "email", "total", "max"] + [f"q{q}" for q in questions]
            + ["status", "file", "note"])


def gradebook_csv(rows: list[Row], questions: list[int]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns(questions))
    for row in sorted(rows, key=Row.sort_key):
        writer.writerow([_cell(row.student), _cell(row.sid), _cell(row.email), number(row.total),
                         number(row.max_score)]
                        + [number(row.points(q)) for q in questions]
                        + [row.status, _cell(row.file), _cell("; ".join(row.notes))])
    return buffer.getvalue()


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Readers see the old file or the new one, never a half-written one."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(path)[-40:])
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -- feedback ------------------------------------------------------------------------------------

def safe_name(student: str) -> str:
    name = re.sub(r"[^\w.@-]+", "_", student, flags=re.UNICODE).strip("._-")
    return name[:100] or "student"


def feedback_names(rows: list[Row]) -> None:
    """Give every row a distinct feedback file name (a student's duplicates get a suffix)."""
    used: set[str] = set()
    for row in sorted(rows, key=Row.sort_key):
        base = safe_name(row.student)
        name, k = f"{base}.md", 2
        while name.casefold() in used:
            name, k = f"{base}--{k}.md", k + 1
        used.add(name.casefold())
        row.feedback = name


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


#: Notes for the instructor only: other students' names, the grader's own failures.
_INSTRUCTOR_ONLY = ("identical to", "another submission of", "grading failed", "the grader could",
                    "the unmodified skeleton")


def feedback_markdown(row: Row, assignment: str, questions: list[tuple[int, float, list[str]]],
                      chosen_file: str | None = None) -> str:
    lines = [FEEDBACK_MARK, f"# {assignment}: feedback for {row.student}", ""]
    total = row.total
    score = "not available" if total is None else f"{number(total)} / {number(row.max_score)}"
    lines += [f"**Score: {score}**", "", f"Submission: `{row.file}`", ""]
    if row.status == "duplicate":
        lines += ["This is not the submission that counts: you handed in more than one, and "
                  f"`{chosen_file}` is the one graded for you. Ask your instructor if that is "
                  "the wrong one.", ""]
    if row.status == "unreadable" and row.problem:
        lines += [f"Your submission could not be graded: {row.problem}. Submit a .py file, "
                  "the .ipynb notebook, or the zip that the notebook's export cell makes.", ""]
    if row.status == "error":
        lines += ["Your submission could not be graded automatically (the grader itself "
                  "failed, not your code); your instructor will look at it.", ""]
    extra = [n for n in row.notes if n != row.problem and not n.startswith(_INSTRUCTOR_ONLY)]
    if extra:
        lines += ["Notes: " + "; ".join(extra) + ".", ""]
    report = row.report
    if report is None:
        return "\n".join(lines).rstrip() + "\n"
    if report.output:
        lines += ["## Loading your submission", "", _fence(report.output), ""]
    by_question: dict[str, list] = {}
    for test in report.tests:
        by_question.setdefault(test.question, []).append(test)
    for q, points, functions in questions:
        tests = by_question.get(str(q), [])
        got = sum(t.score for t in tests)
        lines += [f"## Question {q}: {number(got)} / {number(points)} points "
                  f"({', '.join(functions)})", ""]
        passed = [t for t in tests if t.status == "passed"]
        failed = [t for t in tests if t.status != "passed"]
        for t in passed:
            lines.append(f"- passed {t.number} {t.name} ({number(t.score)} / {number(t.max_score)})")
        for t in failed:
            lines.append(f"- **failed** {t.number} {t.name} (0 / {number(t.max_score)})")
            if t.output:
                lines += ["", "  " + _fence(t.output).replace("\n", "\n  "), ""]
        if not tests:
            lines.append("- not graded")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(folder: Path, rows: list[Row], assignment: str,
                   questions: list[tuple[int, float, list[str]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    feedback_names(rows)
    chosen = {r.student: r.file for r in rows if r.chosen}
    written = set()
    for row in rows:
        text = feedback_markdown(row, assignment, questions, chosen.get(row.student))
        write_text_atomic(folder / row.feedback, text)
        written.add(row.feedback)
    # Files this program wrote for students no longer in the download (and only those).
    for path in folder.glob("*.md"):
        if path.name not in written:
            try:
                with path.open(encoding="utf-8") as fh:
                    ours = fh.readline().strip() == FEEDBACK_MARK
            except (OSError, UnicodeDecodeError):
                ours = False
            if ours:
                path.unlink()
