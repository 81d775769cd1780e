"""Bulk grading: every submission gets a row with the grade a single grade() gives; a killed
run resumes to the same gradebook; the outputs parse; students are identified in every layout;
a dying or hanging worker costs only its submission; the direct suite runner gives pytest's
results."""

from __future__ import annotations

import base64
import csv
import html.parser
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import assignments, batch, generate, suite
from autograder.batch import Outputs, cache_key, choose, grade_many, grader_fingerprint
from autograder.grading import grade
from autograder.layouts import find_submissions, parse_gradescope_metadata
from autograder.sandbox.judge import Deadlines, SandboxOptions

from conftest import ROOT, SUBMISSIONS

NAME = "quasi_newton"
HOSTILE = ROOT / "tests" / "hostile"
SHORT = Deadlines(load=10, call=1.5, budget=30)
REFERENCE = assignments.solution_path(NAME).read_text()
SKELETON = assignments.REPO_DIR / "assignments" / NAME / f"{NAME}.py"
SKELETON_NOTEBOOK = SKELETON.with_suffix(".ipynb")


def _hostile(name: str) -> str:
    return REFERENCE + "\n\n# --- hostile part ---\n" + (HOSTILE / f"{name}.py").read_text()


def _notebook(source: str) -> str:
    return nbformat.writes(generate.skeleton_notebook(source, NAME, keep_solutions=True))


def _mixed_corpus(folder: Path) -> dict[str, str]:
    """A class of good, wrong, broken, unreadable, hostile and duplicate submissions;
    returns file name -> what it is."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "alice.py": (REFERENCE, "good"),
        "bob.py": ((SUBMISSIONS / NAME / "wrong" / "grad_sign.py").read_text(), "wrong"),
        "carol.py": ((SUBMISSIONS / NAME / "wrong" / "no_h_update.py").read_text(), "wrong"),
        "dave.py": ("import numpy as np\n\ndef f(x):\n    return (x[0] - 3 ** 2\n", "broken"),
        "erin.py": (SKELETON.read_text(), "skeleton"),
        "frank.ipynb": (_notebook(REFERENCE), "good notebook"),
        "gina.py": (_hostile("infinite_loop"), "hostile"),
        "hank.py": (_hostile("memory_bomb"), "hostile"),
        "ivy.txt": ("def f(x): return 0\n", "unreadable"),
        "jack.py": ("", "unreadable"),
        "alice.ipynb": (SKELETON_NOTEBOOK.read_text(), "duplicate"),
    }
    for name, (text, _) in files.items():
        (folder / name).write_text(text)
    return {name: kind for name, (_, kind) in files.items()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    kinds = _mixed_corpus(root / "download")
    out = root / "out" / "grades.csv"
    subs = find_submissions([root / "download"], assignment=NAME)
    started = time.monotonic()
    result = grade_many(NAME, subs, jobs=2, out=out, deadlines=SHORT, progress=False)
    return {"root": root, "kinds": kinds, "subs": subs, "result": result, "out": out,
            "seconds": time.monotonic() - started}


def test_batch_grades_like_single_grade(mixed, server):
    rows = {Path(r.file).name: r for r in mixed["result"].rows}
    assert set(rows) == set(mixed["kinds"])
    for sub in mixed["subs"]:
        row = rows[sub.filename]
        if not sub.gradable:
            assert row.status == "unreadable" and row.total == 0 and row.report is None
            continue
        single = grade(NAME, sub.path, server=server, options=SandboxOptions(deadlines=SHORT))
        assert row.report is not None, (sub.filename, row.notes)
        assert row.total == single.score, sub.filename
        assert [(t.number, t.status, t.score) for t in row.report.tests] == [
            (t.number, t.status, t.score) for t in single.tests], sub.filename
        assert row.report.error == single.error == ""
    assert rows["alice.py"].total == rows["frank.ipynb"].total == 22
    assert rows["alice.py"].status == "graded"
    assert rows["alice.ipynb"].status == "duplicate" and not rows["alice.ipynb"].chosen
    assert rows["erin.py"].total == 0 and rows["dave.py"].total == 0
    assert 0 < rows["gina.py"].total < 22 and 0 < rows["hank.py"].total < 22
    assert {rows[n].status for n in ("ivy.txt", "jack.py")} == {"unreadable"}


def test_gradebook_csv_has_a_row_per_submission(mixed):
    text = mixed["out"].read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(mixed["kinds"])
    numbers = [f"q{q}" for q, _, _ in batch.questions(NAME)]
    assert list(table[0]) == ["student", "id", "email", "total", "max"] + numbers + [
        "status", "file", "note"]
    assert [r["student"] for r in table] == sorted(r["student"] for r in table)
    by_file = {Path(r["file"]).name: r for r in table}
    for name, row in by_file.items():
        if row["total"]:
            assert float(row["total"]) == pytest.approx(sum(float(row[q]) for q in numbers))
        assert row["status"] in ("graded", "unreadable", "duplicate", "error"), name
    assert by_file["alice.py"]["total"] == "22" and by_file["alice.py"]["max"] == "22"
    assert by_file["alice.ipynb"]["status"] == "duplicate"
    assert "another submission of alice" in by_file["alice.ipynb"]["note"]
    assert by_file["ivy.txt"]["status"] == "unreadable" and by_file["ivy.txt"]["total"] == "0"
    assert "empty" in by_file["jack.py"]["note"]
    assert "unmodified skeleton" in by_file["erin.py"]["note"]
    assert "timestamp" not in text.lower() and "\r" not in text


class _StrictHTML(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def test_class_report_is_valid_html_with_its_plots(mixed):
    outputs = Outputs.beside(mixed["out"])
    text = outputs.report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert len(parser.images) >= 3
    for image in parser.images:
        prefix = "data:image/png;base64,"
        assert image["src"].startswith(prefix) and image.get("alt")
        png = base64.b64decode(image["src"][len(prefix):], validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    # The report lists each test and the most common failures; which single message tops a
    # test with tied counts is not fixed, so only the structure is checked here, and the
    # infinite loop's timeout messages in its student's feedback below.
    for phrase in ("Score distribution", "pass rate of each test", "Most common failure messages",
                   "bfgs: "):
        assert phrase in text, phrase


def test_feedback_file_per_submission(mixed):
    folder = Outputs.beside(mixed["out"]).feedback
    files = sorted(p.name for p in folder.glob("*.md"))
    assert len(files) == len(mixed["kinds"])
    bob = (folder / "bob.md").read_text()
    assert "**Score: 17 / 22**" in bob  # grad_sign loses grad's 2 points and solve_with_scipy's 3
    assert "**failed**" in bob and "grad:" in bob and "passed" in bob
    assert "identical to" not in (folder / "alice.md").read_text()
    assert "could not be graded" in (folder / "ivy.md").read_text()
    assert "did not finish within" in (folder / "gina.md").read_text()  # the infinite loop


def _cli(*args, env=None, **kwargs):
    """`python -m autograder ARGS` from this checkout; stdout and stderr piped unless given."""
    kwargs = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **kwargs}
    return subprocess.Popen([sys.executable, "-m", "autograder", *args],
                            env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), **kwargs)


# -- the progress bar ----------------------------------------------------------------------------

def test_progress_bar_on_a_terminal_shows_done_failed_and_time_left(tmp_path):
    """On a terminal, stderr carries a live bar (done of total, grader failures, cached, time
    elapsed and left); the resume test below checks that it stays away from a pipe."""
    import pty

    folder = tmp_path / "download"
    folder.mkdir()
    for k, source in enumerate([REFERENCE, REFERENCE + "\n# 2\n", "def f(x):\n    return (\n"]):
        (folder / f"student{k}.py").write_text(source)
    leader, follower = pty.openpty()
    process = _cli("grade", NAME, str(folder), "--out", str(tmp_path / "out" / "grades.csv"),
                   "--jobs", "2", env={"TERM": "xterm", "COLUMNS": "160", "NO_COLOR": ""},
                   stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    stdout, _ = process.communicate(timeout=300)
    assert process.returncode == 0
    bar = seen.decode("utf-8", "replace")
    for part in ("grading", "3/3", "failed 0", "cached 0", "left"):
        assert part in bar, (part, bar[-2000:])
    assert "\u2501" in bar  # the bar itself
    assert "\u2501" not in stdout  # the summary on stdout stays plain


# -- resuming a killed run -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def honest_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest") / "download"
    folder.mkdir()
    sources = [REFERENCE] + [p.read_text() for p in sorted((SUBMISSIONS / NAME).glob("*/*.py"))]
    for k in range(14):
        (folder / f"student{k:02d}.py").write_text(sources[k % len(sources)] + f"\n# {k}\n")
    return folder


@pytest.fixture(scope="module")
def uninterrupted_gradebook(honest_class, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "grades.csv"
    whole = _cli("grade", NAME, str(honest_class), "--out", str(out), "--jobs", "2")
    stdout, stderr = whole.communicate(timeout=600)
    assert whole.returncode == 0, stderr
    assert "\u2501" not in stderr  # no progress bar when stderr is not a terminal
    return out.read_bytes()


@pytest.mark.parametrize("how", ["SIGKILL", "Ctrl-C"])
def test_stopped_run_resumes_to_the_same_gradebook(how, honest_class, uninterrupted_gradebook,
                                                   tmp_path):
    out = tmp_path / "b" / "grades.csv"
    cache = Outputs.beside(out).cache
    before = _grading_processes()
    # its own session, so that Ctrl-C can be sent as a terminal sends it: to the whole group
    run = _cli("grade", NAME, str(honest_class), "--out", str(out), "--jobs", "2",
               start_new_session=True)
    entries = lambda: [p for p in cache.glob("*/*.json") if not p.name.startswith(".")]  # noqa: E731
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if len(entries()) >= 3:
            break
        time.sleep(0.02)
    assert run.poll() is None, "the run finished before it could be stopped"
    if how == "SIGKILL":
        run.send_signal(signal.SIGKILL)
        run.communicate()
    else:
        os.killpg(run.pid, signal.SIGINT)
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 130
        assert "interrupted" in stderr and "run the same command again" in stderr
    stopped = time.monotonic() + 30  # workers see their parent gone and exit, with their servers
    while _grading_processes() - before and time.monotonic() < stopped:
        time.sleep(0.1)
    assert _grading_processes() <= before
    assert not out.exists() and not list(out.parent.glob(".tmp-*"))
    kept = len(entries())
    assert 3 <= kept < 14
    for entry in entries():
        json.loads(entry.read_text())  # every cache entry is whole

    again = _cli("grade", NAME, str(honest_class), "--out", str(out), "--jobs", "2")
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert f"from the cache: {kept}" in stdout
    assert out.read_bytes() == uninterrupted_gradebook


# -- workers that die or hang --------------------------------------------------------------------

def _cpu_groups() -> set[Path]:
    """The fork servers' CPU groups that exist now (none where cgroups are unavailable)."""
    from autograder.sandbox.cgroups import _own_groups

    return {g for parent, _ in _own_groups("cpu") for g in parent.glob("optim-autograder-*")}


def test_dead_or_hung_worker_costs_only_its_submission(tmp_path, monkeypatch):
    folder = tmp_path / "download"
    folder.mkdir()
    for name in ("boom", "stuck", "fine", "fine2"):
        (folder / f"{name}.py").write_text(REFERENCE + f"\n# {name}\n")
    monkeypatch.setenv("AUTOGRADER_WORKER_FAULTS", "crash:boom;hang:stuck")
    groups = _cpu_groups()
    result = grade_many(NAME, find_submissions([folder]), jobs=2, progress=False, limit=15,
                        deadlines=SHORT)
    rows = {r.student: r for r in result.rows}
    assert rows["boom"].status == "error" and "stopped" in rows["boom"].notes[0]
    assert "SIGKILL" in rows["boom"].notes[0]
    assert rows["stuck"].status == "error" and "longer than 15 s" in rows["stuck"].notes[0]
    assert rows["boom"].total is None and rows["stuck"].total is None
    assert rows["fine"].total == rows["fine2"].total == 22
    assert _cpu_groups() <= groups  # the killed workers' groups are gone too


def _grading_processes() -> set[int]:
    """Worker and fork-server processes on this machine (the session's own server included)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"autograder.workers" in cmdline or b"autograder.sandbox.zygote" in cmdline:
            found.add(int(entry.name))
    return found


def test_a_batch_leaves_no_worker_or_fork_server_behind(tmp_path):
    folder = tmp_path / "download"
    folder.mkdir()
    for k in range(5):  # more submissions than workers: one worker goes idle before the end
        (folder / f"s{k}.py").write_text(REFERENCE + f"\n# {k}\n")
    (folder / "slow.py").write_text(_hostile("sleeper"))
    before, groups = _grading_processes(), _cpu_groups()
    result = grade_many(NAME, find_submissions([folder]), jobs=2, progress=False,
                        deadlines=Deadlines(load=10, call=1, budget=10))
    assert [r.total for r in result.rows if r.student != "slow"] == [22] * 5
    assert _grading_processes() <= before and _cpu_groups() <= groups


# -- identifying students ------------------------------------------------------------------------

def _write(path: Path, text: str = "def f(x):\n    return 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _who(subs) -> list[tuple]:
    return sorted((s.student, s.filename, s.sid, s.email, bool(s.problem)) for s in subs)


def test_folder_of_files(tmp_path):
    _write(tmp_path / "alice.py")
    _write(tmp_path / "bob.ipynb", _notebook(REFERENCE))
    with zipfile.ZipFile(tmp_path / "carol.zip", "w") as archive:
        archive.writestr("quasi_newton.ipynb", _notebook(REFERENCE))
    _write(tmp_path / "dave.pdf", "%PDF")
    _write(tmp_path / ".DS_Store", "x")
    (tmp_path / "eve.py").symlink_to("/etc/hostname")  # never followed
    assert _who(find_submissions([tmp_path])) == [
        ("alice", "alice.py", "", "", False), ("bob", "bob.ipynb", "", "", False),
        ("carol", "carol.zip", "", "", False), ("dave", "dave.pdf", "", "", True),
        ("eve", "eve.py", "", "", True)]


def test_folder_per_student(tmp_path):
    _write(tmp_path / "alice" / "quasi_newton.py")
    _write(tmp_path / "bob" / "work" / "quasi_newton.ipynb", _notebook(REFERENCE))
    _write(tmp_path / "bob" / "notes.txt", "notes")
    _write(tmp_path / "carol" / "README.md", "nothing here")
    _write(tmp_path / "dave" / "a.py")
    _write(tmp_path / "dave" / "quasi_newton.py")
    subs = find_submissions([tmp_path])
    assert _who(subs) == [
        ("alice", "quasi_newton.py", "", "", False), ("bob", "quasi_newton.ipynb", "", "", False),
        ("carol", "", "", "", True), ("dave", "a.py", "", "", False),
        ("dave", "quasi_newton.py", "", "", False)]
    carol = next(s for s in subs if s.student == "carol")
    assert "README.md" in carol.problem and not carol.present
    chosen = choose(subs, NAME)
    assert [s.filename for s in subs if s.student == "dave" and chosen[id(s)]] == [
        "quasi_newton.py"]


GRADESCOPE_YML = """\
submission_101:
  :submitters:
  - :name: Ann Lee
    :sid: '1001'
    :email: ann@example.edu
  :created_at: 2024-03-01 17:05:09.000000000 -08:00
  :score: 10.0
  :status: processed
submission_102:
  :submitters:
  - :name: Ben Ng
    :sid: '1002'
    :email: ben@example.edu
  - :name: Cat Ruiz
    :sid: '1003'
    :email: cat@example.edu
  :created_at: 2024-03-02 09:00:00.000000000 -08:00
submission_104:
  :submitters:
  - :name: Dan Wu
    :sid: '1004'
"""


def _gradescope_export(root: Path) -> Path:
    export = root / "assignment_9_export"
    _write(export / "submission_metadata.yml", GRADESCOPE_YML)
    _write(export / "submission_101" / "quasi_newton.py")
    _write(export / "submission_102" / "quasi_newton.ipynb", _notebook(REFERENCE))
    _write(export / "submission_103" / "quasi_newton.py")
    return export


EXPECTED_GRADESCOPE = [
    ("Ann Lee", "quasi_newton.py", "1001", "ann@example.edu", False),
    ("Ben Ng", "quasi_newton.ipynb", "1002", "ben@example.edu", False),
    ("Cat Ruiz", "quasi_newton.ipynb", "1003", "cat@example.edu", False),
    ("Dan Wu", "", "", "", True),
    ("submission_103", "quasi_newton.py", "", "", False)]


def test_gradescope_export_folder_and_zip(tmp_path):
    export = _gradescope_export(tmp_path / "unzipped")
    subs = find_submissions([tmp_path / "unzipped"])
    assert _who(subs) == EXPECTED_GRADESCOPE
    ben = next(s for s in subs if s.student == "Ben Ng")
    assert "group submission with Cat Ruiz" in ben.notes
    assert any("not listed" in n for s in subs if s.student == "submission_103" for n in s.notes)

    archive_path = tmp_path / "export.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for path in sorted(export.rglob("*")):
            if path.is_file():
                archive.write(path, f"assignment_9_export/{path.relative_to(export)}")
    zipped = find_submissions([archive_path])
    assert _who(zipped) == EXPECTED_GRADESCOPE
    assert next(s for s in zipped if s.student == "Ann Lee").read_bytes() == (
        export / "submission_101" / "quasi_newton.py").read_bytes()


def test_gradescope_metadata_with_ruby_tags():
    data = parse_gradescope_metadata(
        "submission_1:\n  :submitters:\n  - :name: A\n    :sid: '7'\n"
        "  :score: !ruby/object:BigDecimal 18:0.1e2\n")
    assert data["submission_1"]["submitters"] == [{"name": "A", "sid": "7"}]


def test_lms_file_names(tmp_path):
    canvas = tmp_path / "canvas"
    _write(canvas / "smithjohn_123_456_quasi_newton.py")
    _write(canvas / "smithjohn_123_999_quasi_newton-1.py")
    _write(canvas / "doejane_LATE_124_457_quasi_newton.ipynb", _notebook(REFERENCE))
    subs = find_submissions([canvas])
    assert _who(subs) == [
        ("doejane", "quasi_newton.ipynb", "124", "", False),
        ("smithjohn", "quasi_newton-1.py", "123", "", False),
        ("smithjohn", "quasi_newton.py", "123", "", False)]
    assert "submitted late (Canvas)" in next(s for s in subs if s.student == "doejane").notes
    chosen = choose(subs, NAME)
    assert [s.filename for s in subs if chosen[id(s)] and s.student == "smithjohn"] == [
        "quasi_newton-1.py"]  # the later upload

    moodle = tmp_path / "moodle"
    _write(moodle / "Jane Doe_4321_assignsubmission_file_quasi_newton.py")
    _write(moodle / "Li Wei_4322_assignsubmission_file_" / "quasi_newton.py")
    assert _who(find_submissions([moodle])) == [
        ("Jane Doe", "quasi_newton.py", "4321", "", False),
        ("Li Wei", "quasi_newton.py", "4322", "", False)]

    board = tmp_path / "blackboard"
    _write(board / "HW1_jdoe_attempt_2024-03-01-17-05-09_quasi_newton.py")
    _write(board / "HW1_jdoe_attempt_2024-03-01-17-05-09.txt", "Name: J Doe (jdoe)")
    _write(board / "HW1_asmith_attempt_2024-03-02-08-00-00_hw.py")
    assert _who(find_submissions([board])) == [
        ("asmith", "hw.py", "", "", False), ("jdoe", "quasi_newton.py", "", "", False)]

    # Names that merely contain numbers are not read as an LMS's.
    plain = tmp_path / "plain"
    _write(plain / "ann_2024_01_hw.py")
    _write(plain / "bob.py")
    _write(plain / "cy.py")
    assert [s.student for s in find_submissions([plain])] == ["ann_2024_01_hw", "bob", "cy"]


def test_duplicates_and_identical_submissions_are_reported(tmp_path):
    folder = tmp_path / "download"
    _write(folder / "alice.py", REFERENCE)
    _write(folder / "alice.ipynb", SKELETON_NOTEBOOK.read_text())
    _write(folder / "bob.py", REFERENCE)
    _write(folder / "carol.txt", "not code")
    out = tmp_path / "out" / "grades.csv"
    result = grade_many(NAME, find_submissions([folder]), jobs=1, out=out, progress=False)
    rows = {Path(r.file).name: r for r in result.rows}
    assert len(result.rows) == 4
    assert rows["alice.py"].status == "graded" and rows["alice.py"].chosen, rows["alice.py"].notes
    assert rows["alice.ipynb"].status == "duplicate"  # the untouched skeleton never counts
    assert "identical to the submission of bob" in rows["alice.py"].notes
    assert "identical to the submission of alice" in rows["bob.py"].notes
    assert rows["carol.txt"].status == "unreadable"


def test_outputs_inside_the_download_are_not_submissions(tmp_path):
    folder = tmp_path / "download"
    _write(folder / "alice.py")
    outputs = Outputs.beside(folder / "grades.csv")
    _write(outputs.gradebook, "student,total\n")
    _write(outputs.report, "<html></html>")
    _write(outputs.feedback / "alice.md", "# feedback")
    _write(outputs.cache / "ab" / "abc.json", "{}")
    subs = find_submissions([folder], exclude=outputs.all())
    assert [s.student for s in subs] == ["alice"]


# -- the cache key ---------------------------------------------------------------------------------

def test_cache_key_follows_the_grader_and_the_seed(tmp_path, monkeypatch):
    base = dict(assignment=NAME, fingerprint=grader_fingerprint(NAME), seed=1,
                deadlines=Deadlines(), content_sha256="0" * 64, filename="a.py")
    key = cache_key(**base)
    assert key == cache_key(**base)
    for change in ({"seed": 2}, {"content_sha256": "1" * 64}, {"fingerprint": "x"},
                   {"deadlines": Deadlines(call=1)}, {"filename": "b.py"}):
        assert cache_key(**{**base, **change}) != key
    changed = tmp_path / f"{NAME}.py"
    changed.write_text(assignments.suite_path(NAME).read_text() + "\n# changed\n")
    before = grader_fingerprint(NAME)
    monkeypatch.setattr(assignments, "suite_path", lambda name: changed)
    assert grader_fingerprint(NAME) != before


# -- the direct suite runner -----------------------------------------------------------------------

@pytest.mark.parametrize("public_only", [False, True])
def test_direct_runner_matches_pytest(server, tmp_path, monkeypatch, public_only):
    assert suite.collect_plain(assignments.suite_path(NAME)) is not None
    broken = _write(tmp_path / "broken.py", "import numpy as np\ndef f(x) return 1\n")
    paths = [assignments.solution_path(NAME), SKELETON, broken,
             SUBMISSIONS / NAME / "wrong" / "armijo_reversed.py"]
    for path in paths:
        direct = grade(NAME, path, server=server, public_only=public_only).to_dict()
        monkeypatch.setenv("AUTOGRADER_RUNNER", "pytest")
        through_pytest = grade(NAME, path, server=server, public_only=public_only).to_dict()
        monkeypatch.delenv("AUTOGRADER_RUNNER")
        direct.pop("execution_time"), through_pytest.pop("execution_time")
        assert direct == through_pytest, path.name


# -- how many workers ----------------------------------------------------------------------------

@pytest.mark.parametrize("version, files, cores", [
    (2, {"cpu.max": "max 100000\n"}, None),
    (2, {"cpu.max": "150000 100000\n"}, 1.5),
    (1, {"cpu.cfs_quota_us": "-1\n", "cpu.cfs_period_us": "100000\n"}, None),
    (1, {"cpu.cfs_quota_us": "300000\n", "cpu.cfs_period_us": "100000\n"}, 3.0),
    (2, {}, None),
])
def test_cpu_quota_of_a_group(tmp_path, version, files, cores):
    from autograder.sandbox import cgroups

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert cgroups._quota(tmp_path, version) == cores


def test_the_tightest_quota_up_the_hierarchy_counts(tmp_path):
    from autograder.sandbox import cgroups

    leaf = tmp_path / "container" / "job"
    leaf.mkdir(parents=True)
    (tmp_path / "cpu.max").write_text("800000 100000\n")  # above the mount: not ours
    (tmp_path / "container" / "cpu.max").write_text("200000 100000\n")
    (leaf / "cpu.max").write_text("max 100000\n")
    assert cgroups._quotas_up_to(leaf, tmp_path / "container", 2) == [None, 2.0]


def test_default_jobs_follow_the_cpu_quota():
    # As root, a real group with a quota of one core: a process inside it starts one worker.
    from autograder.sandbox import cgroups

    group = cgroups.cpu_cap(f"optim-autograder-test-{os.getpid()}", cores=1.0)
    if group is None:
        pytest.skip("needs root and a writable cpu cgroup hierarchy")
    try:
        script = ("import os, sys; open(sys.argv[1], 'w').write(str(os.getpid())); "
                  "from autograder.sandbox.cgroups import usable_cores, cpu_quota; "
                  "print(usable_cores(), cpu_quota())")
        done = subprocess.run([sys.executable, "-c", script, str(group.path / "cgroup.procs")],
                              capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert done.stdout.split() == ["1", "1.0"]
    finally:
        group.remove()
