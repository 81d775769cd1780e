"""Packaging with Otter: the Gradescope autograder zip and the student zip (no Docker here).

Gradescope is emulated as its autograder specification describes it: the autograder zip is
unpacked into ``source/``, the submission put into ``submission/`` (an uploaded zip unpacked, as
Gradescope does), and Otter's ``run_autograder.main`` writes ``results/results.json``.

It runs in a fresh virtual environment into which the wheel carried by the zip is installed
(``pip install --no-deps``). To keep the run short, the venv's dependencies (numpy, scipy,
otter-grader, ipykernel, ...) come from this test environment, through a ``.pth`` file that
appends this environment's site-packages *after* the venv's own: the judge that runs is the
wheel's, which each run checks (the plugin reports where it imported the judge from).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import assignments, catalog, generate, packaging, public_tests
from autograder.grading import grade
from autograder.sandbox.source import read_submission

from conftest import ROOT, SUBMISSIONS, cases
from test_hostile import CASES as HOSTILE_CASES, hostile_submission

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")

NAMES = assignments.names()
QN = "quasi_newton"
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
#: Short sandbox deadlines for the hostile runs (as tests/test_hostile.py uses).
HOSTILE_DEADLINES = {"load": 15, "call": 1.5, "budget": 60}
TIMINGS: dict[str, float] = {}


# -- building --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    return packaging.build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def dist(tmp_path_factory, wheel):
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    paths = packaging.build_all(NAMES, out, wheel=wheel)
    TIMINGS["build_all"] = time.monotonic() - started
    assert len(paths) == 2 * len(NAMES)
    return out


def autograder_zip(dist: Path, name: str) -> Path:
    return dist / name / f"{name}-autograder.zip"


def student_zip(dist: Path, name: str) -> Path:
    return dist / name / f"{name}-student.zip"


# -- the emulated Gradescope environment -------------------------------------------------------

@pytest.fixture(scope="session")
def gs_python(tmp_path_factory, dist):
    """The Python of a fresh venv holding the wheel that the quasi_newton zip carries."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (site / "_test_environment.pth").write_text("\n".join(ours) + "\n")
    with zipfile.ZipFile(autograder_zip(dist, QN)) as zf:
        [member] = [n for n in zf.namelist() if n.endswith(".whl")]
        zf.extract(member, base)
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
               "--no-index", "--quiet", "--disable-pip-version-check", str(base / member)]
    if subprocess.run(install).returncode != 0:  # an older pip without --python
        subprocess.run([python, "-m", "ensurepip", "--default-pip"], check=True,
                       capture_output=True)
        subprocess.run([python, "-m", "pip", *install[5:]], check=True)
    origin = subprocess.check_output(  # (not from the repository: cwd elsewhere)
        [python, "-c", "import autograder; print(autograder.__file__)"], text=True,
        cwd=base).strip()
    assert origin.startswith(str(venv)), origin
    return python


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["MPLBACKEND"] = "Agg"
    return env


def emulate(python: Path, zip_path: Path, files: dict[str, bytes], tmp: Path,
            deadlines: dict | None = None) -> dict:
    """One Gradescope run: returns results.json, with the run's stdout and time attached."""
    ag = tmp / "autograder"
    for sub in ("source", "submission", "results"):
        (ag / sub).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(ag / "source")
    if deadlines:
        config_path = ag / "source" / "otter_config.json"
        config = json.loads(config_path.read_text())
        for plugin in config["plugins"]:
            for options in plugin.values():
                options["deadlines"] = deadlines
        config_path.write_text(json.dumps(config))
    for name, content in files.items():
        (ag / "submission" / name).write_bytes(content)
    (ag / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-01-01T00:00:00.0+00:00", "submission_method": "upload",
        "assignment": {"id": 1, "title": "test", "total_points": "22.0"},
        "users": [{"email": "student@example.org", "id": 1, "name": "A Student"}],
        "previous_submissions": []}))
    started = time.monotonic()
    done = subprocess.run(
        [python, "-c", "import sys; from otter.run.run_autograder import main; main(sys.argv[1])",
         str(ag)], cwd=ag, capture_output=True, text=True, timeout=600, env=_environment())
    elapsed = time.monotonic() - started
    results_path = ag / "results" / "results.json"
    assert results_path.is_file(), f"no results.json\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    results = json.loads(results_path.read_text())
    assert done.returncode == 0, done.stderr[-3000:]
    judge = re.search(r"^judge: (.+)$", done.stdout, re.MULTILINE)
    assert judge and judge.group(1).startswith(str(python.parent.parent)), done.stdout[-3000:]
    results["_stdout"], results["_time"], results["_dir"] = done.stdout, elapsed, ag
    return results


def public(results: dict) -> dict:
    return {k: v for k, v in results.items() if not k.startswith("_")}


def check_gradescope_schema(results: dict) -> None:
    """results.json against Gradescope's autograder specification (field names, types,
    visibility and status values)."""
    top = {"score": (int, float), "execution_time": int, "output": str, "output_format": str,
           "test_output_format": str, "test_name_format": str, "visibility": str,
           "stdout_visibility": str, "extra_data": dict, "tests": list, "leaderboard": list}
    per_test = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
                "name_format": str, "number": str, "output": str, "output_format": str,
                "tags": list, "visibility": str, "extra_data": dict}
    for key, value in results.items():
        assert key in top, f"unknown top-level field {key!r}"
        assert isinstance(value, top[key]) and not isinstance(value, bool), (key, value)
    assert "score" in results and results["tests"]
    for key in ("visibility", "stdout_visibility"):
        assert results.get(key, "visible") in VISIBILITIES
    total = 0.0
    for test in results["tests"]:
        for key, value in test.items():
            assert key in per_test, f"unknown test field {key!r}"
            assert isinstance(value, per_test[key]) and not isinstance(value, bool), (key, value)
        assert set(test) >= {"score", "max_score", "name", "number", "status", "visibility",
                             "output"}, test
        assert test["visibility"] in VISIBILITIES and test["status"] in ("passed", "failed")
        assert 0 <= test["score"] <= test["max_score"]
        if test["max_score"] > 0:
            assert (test["status"] == "passed") == (test["score"] == test["max_score"]), test
        total += test["score"]
    assert results["score"] == pytest.approx(total)


def judge_view(report) -> list[dict]:
    return report.to_gradescope()["tests"]


def scores(tests: list[dict]) -> dict[str, float]:
    return {t["number"]: t["score"] for t in tests if t["visibility"] != "hidden"}


# -- the zips ----------------------------------------------------------------------------------

def test_build_makes_both_zips_for_every_assignment(dist, wheel):
    sizes = {}
    for name in NAMES:
        ag, st = autograder_zip(dist, name), student_zip(dist, name)
        assert ag.is_file() and st.is_file()
        sizes[name] = (ag.stat().st_size, st.stat().st_size)
        with zipfile.ZipFile(ag) as zf:
            members = set(zf.namelist())
            assert {"setup.sh", "run_autograder", "run_otter.py", "environment.yml",
                    "otter_config.json", "tests/sandboxed_grading.py", wheel.name} <= members
            assert not [m for m in members if m.startswith("files/")]
            environment = zf.read("environment.yml").decode()
            config = json.loads(zf.read("otter_config.json"))
            with zf.open(wheel.name) as fh:
                carried = zipfile.ZipFile(fh).namelist()
        assert f"/autograder/source/{wheel.name}" in environment
        assert f"python={sys.version_info.major}.{sys.version_info.minor}" in environment
        assert "otter-grader[grading,plugins]==7." in environment
        assert config["plugins"] == [{"autograder.otter_plugin.SandboxedGrading":
                                      {"assignment": name}}]
        assert f"autograder/_reference/{name}/{name}.py" in carried
        assert f"autograder/suites/{name}.py" in carried
        assert "autograder/otter_plugin.py" in carried
    print("\nzip sizes (autograder, student) in bytes:", sizes)


def test_cli_build_writes_both_zips(tmp_path, wheel, monkeypatch):
    from autograder import cli

    monkeypatch.setattr(packaging, "build_wheel", lambda out: wheel)
    assert cli.main(["build", QN, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in (tmp_path / QN).iterdir()) == [
        f"{QN}-autograder.zip", f"{QN}-student.zip"]


def _significant_lines(text: str) -> set[str]:
    lines = set()
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 24 and not line.startswith(("#", '"""')):
            lines.add(line)
    return lines


def _solution_block_lines(solution: str) -> set[str]:
    found, inside = set(), False
    for line in solution.splitlines():
        if "# BEGIN SOLUTION" in line:
            inside = True
        elif "# END SOLUTION" in line:
            inside = False
        elif inside and not line.strip().startswith("# HINT"):
            found |= _significant_lines(line)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_student_zip_holds_nothing_hidden(dist, name):
    solution = assignments.solution_path(name).read_text()
    secret = _solution_block_lines(solution)
    # the suite's code (its assertions, inputs and helpers), less the generic checking code
    # that every public test file carries
    suite = (_significant_lines(assignments.suite_path(name).read_text())
             - _significant_lines(public_tests._HELPERS))
    questions = [q for q, _, _ in catalog.questions(name)]
    with zipfile.ZipFile(student_zip(dist, name)) as zf:
        members = {m: zf.read(m).decode("utf-8") for m in zf.namelist()}
    test_files = {m for m in members if m.startswith(f"{name}/tests/")}
    assert set(members) - test_files == {f"{name}/{name}.ipynb", f"{name}/{name}.py",
                                         f"{name}/README.md"}
    assert test_files and test_files <= {f"{name}/tests/q{q}.py" for q in questions}
    for member, text in members.items():
        assert "SOLUTION" not in text and "_reference" not in text, member
        assert not (_significant_lines(text) & secret), (member, _significant_lines(text) & secret)
        leaked = {line for line in _significant_lines(text) & suite
                  if not line.startswith(("import ", "from ", "def ", "return "))}
        assert not leaked, (member, leaked)
    for member in test_files:
        tree = ast.parse(members[member])
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported <= {"numpy", "otter.test_files"}, (member, imported)
    # the zip is what the repository commits under assignments/<name>/ (kept in sync by
    # tests/test_assignments.py): students get exactly the reviewed files
    for member, text in members.items():
        assert (ROOT / "assignments" / member).read_text(encoding="utf-8") == text, member


def test_student_zip_is_reproducible(tmp_path):
    first = packaging.build_student_zip(QN, tmp_path / "a.zip").read_bytes()
    second = packaging.build_student_zip(QN, tmp_path / "b.zip").read_bytes()
    assert first == second


def _run_public_tests(name: str, module_path: Path, tests_dir: Path) -> dict[str, list[str]]:
    """Otter's public tests run (in this process) against a module: failures by question."""
    import importlib.util

    from otter.test_files.exception_test import ExceptionTestFile

    spec = importlib.util.spec_from_file_location(f"_public_{module_path.stem}", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    failures = {}
    for path in sorted(tests_dir.glob("q*.py")):
        test_file = ExceptionTestFile.from_file(str(path))
        test_file.run(vars(module))
        failures[path.stem] = [r.message for r in test_file.test_case_results if not r.passed]
    return failures


@pytest.mark.parametrize("name", NAMES)
def test_public_tests_pass_correct_work_and_fail_the_skeleton(name, tmp_path):
    tests_dir = ROOT / "assignments" / name / "tests"
    correct = [assignments.solution_path(name)] + [SUBMISSIONS / name / c["file"]
                                                   for c in cases(name)["correct"]]
    for path in correct:
        failures = _run_public_tests(name, path, tests_dir)
        assert not any(failures.values()), (path.name, failures)
    skeleton = ROOT / "assignments" / name / f"{name}.py"
    failures = _run_public_tests(name, skeleton, tests_dir)
    assert all(failures.values()), failures
    assert all("write this function first" in m for ms in failures.values() for m in ms)


# -- the judge ignores Otter's cells -----------------------------------------------------------

def _notebook(*sources: str) -> bytes:
    return nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources])).encode()


def _code_cells(raw: bytes, filename: str) -> list[str]:
    kind, chunks, problems = read_submission(raw, filename)
    assert kind == "notebook" and problems == []
    return [source for _, source in chunks]


def test_otter_cells_are_dropped_and_nothing_else():
    raw = _notebook("import otter\ngrader = otter.Notebook('a.ipynb')",
                    "def f(x):\n    return x",
                    'grader.check("q1")',
                    "# run the checks\ngrader.check_all()",
                    "grader.export(pdf=False, files=['a.py'])",
                    'grader.check("q1")\nprint(f(2))',  # the student's code: kept
                    "grader.check(open('x').read())",  # not constant: kept
                    "other.check('q1')")  # not the grader: kept
    assert _code_cells(raw, "a.ipynb") == [
        "def f(x):\n    return x", 'grader.check("q1")\nprint(f(2))',
        "grader.check(open('x').read())", "other.check('q1')"]
    assert _code_cells(_notebook("grader.check('q1')"), "b.ipynb") == ["grader.check('q1')"]


def test_otter_cells_are_dropped_from_an_export_zip():
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hw.ipynb", _notebook("import otter\ngrader = otter.Notebook()",
                                          "def f(x):\n    return x", 'grader.check("q1")'))
        zf.writestr(".OTTER_LOG", b"\x80\x04anything")
        zf.writestr("__zip_filename__", "hw.zip")
    assert _code_cells(buffer.getvalue(), "hw.zip") == ["def f(x):\n    return x"]


def test_generated_notebook_has_otter_cells_after_each_question():
    solution = assignments.solution_path(QN).read_text()
    nb = generate.skeleton_notebook(solution, QN)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert f'grader = otter.Notebook("{QN}.ipynb")' in sources[0]
    checks = [s for s in sources if s.startswith("grader.check(")]
    assert checks == [f'grader.check("q{q}")' for q, _, _ in catalog.questions(QN)]
    assert sources[-2:] == ["grader.check_all()", "grader.export(pdf=False)"]
    # each check comes after the code of its question's functions
    for number, _, functions in catalog.questions(QN):
        position = sources.index(f'grader.check("q{number}")')
        for function in functions:
            defined = next(i for i, s in enumerate(sources) if s.startswith(f"def {function}("))
            assert defined < position
    plain = generate.skeleton_notebook(solution, QN, otter=False)
    assert not any("grader" in c.source for c in plain.cells)


# -- Gradescope, emulated ----------------------------------------------------------------------

def test_reference_scores_full_marks_on_gradescope(gs_python, dist, tmp_path, server):
    path = assignments.solution_path(QN)
    results = emulate(gs_python, autograder_zip(dist, QN), {path.name: path.read_bytes()},
                      tmp_path)
    TIMINGS["gradescope reference .py"] = results["_time"]
    print(f"\nemulated Gradescope run (reference, .py): {results['_time']:.1f} s")
    check_gradescope_schema(public(results))
    report = grade(QN, path, server=server)
    assert results["score"] == report.max_score > 0
    assert results["output"] == report.output == "Graded a Python file."
    tests = [dict(t) for t in results["tests"]]
    assert tests == judge_view(report)
    visibilities = {t["visibility"] for t in tests}
    assert visibilities == {"visible", "after_published"}
    for test in tests:
        public_test = any(t.public and t.name == test["name"] for t in catalog.tests(QN))
        assert test["visibility"] == ("visible" if public_test else "after_published")
    # Otter's own files are back in place, and the kernel ran the placeholder
    assert "kernel check: the placeholder ran" in results["_stdout"]
    assert (results["_dir"] / "submission" / path.name).read_bytes() == path.read_bytes()


def test_skeleton_scores_zero_on_gradescope(gs_python, dist, tmp_path):
    path = ROOT / "assignments" / QN / f"{QN}.py"
    results = emulate(gs_python, autograder_zip(dist, QN), {path.name: path.read_bytes()},
                      tmp_path)
    check_gradescope_schema(public(results))
    assert results["score"] == 0
    assert all(t["status"] == "failed" and "not implemented yet" in t["output"]
               for t in results["tests"])


def test_wrong_solution_scores_as_autograder_grade(gs_python, dist, tmp_path, server):
    path = SUBMISSIONS / QN / "wrong" / "grad_sign.py"
    results = emulate(gs_python, autograder_zip(dist, QN), {"submission.py": path.read_bytes()},
                      tmp_path)
    check_gradescope_schema(public(results))
    report = grade(QN, path, server=server)
    assert scores(results["tests"]) == scores(judge_view(report))
    assert 0 < results["score"] == report.score < report.max_score
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["output"] for t in failed)


@pytest.mark.parametrize("attack", ["patch_everything", "fake_results", "infinite_loop"])
def test_hostile_submission_earns_nothing_on_gradescope(gs_python, dist, tmp_path, attack):
    path = hostile_submission(attack, tmp_path)
    results = emulate(gs_python, autograder_zip(dist, QN), {path.name: path.read_bytes()},
                      tmp_path / "gs", deadlines=HOSTILE_DEADLINES)
    TIMINGS[f"gradescope hostile {attack}"] = results["_time"]
    check_gradescope_schema(public(results))
    tests = results["tests"]
    if attack == "fake_results":
        assert results["score"] == 0 and all("crashed" in t["output"] for t in tests)
        written = [p for p in results["_dir"].rglob("results.json")]
        assert written == [results["_dir"] / "results" / "results.json"]
    else:
        broken, phrase = HOSTILE_CASES[attack]
        for test in tests:
            function = test["name"].split(":", 1)[0]
            if function in broken:
                assert test["status"] == "failed" and phrase in test["output"], test
            else:
                assert test["status"] == "passed", test
        assert 0 < results["score"] < sum(t["max_score"] for t in tests)


def test_otter_never_loads_the_students_log_or_modules(gs_python, dist, tmp_path):
    """Plain Otter unpickles an uploaded .OTTER_LOG (with dill) in the process that writes the
    results, and its kernel imports modules from the submission folder: both would run the
    student's code there. With the plugin neither happens, and the grade is unchanged."""
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    import pickle

    solution = assignments.solution_path(QN).read_text()
    notebook = nbformat.writes(generate.skeleton_notebook(solution, QN, keep_solutions=True))
    hijack = f"open({str(marker)!r} + '-numpy', 'w').close()\nraise ImportError('hijacked')\n"
    results = emulate(gs_python, autograder_zip(dist, QN), {
        f"{QN}.ipynb": notebook.encode(), ".OTTER_LOG": pickle.dumps(Evil()),
        "numpy.py": hijack.encode(), "pandas.py": hijack.encode()}, tmp_path / "gs")
    check_gradescope_schema(public(results))
    assert not list(tmp_path.glob("pwned*"))
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0


def test_otter_run_scores_as_autograder_grade(gs_python, dist, tmp_path, server):
    path = SUBMISSIONS / QN / "wrong" / "grad_sign.py"
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run([gs_python, "-m", "otter", "run", "-a", str(autograder_zip(dist, QN)),
                           "-o", str(out), "--no-logo", str(path)],
                          capture_output=True, text=True, timeout=600, env=_environment(),
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    judge = re.search(r"^judge: (.+)$", done.stdout, re.MULTILINE)
    assert judge and judge.group(1).startswith(str(gs_python.parent.parent)), done.stdout
    results = json.loads((out / "results.json").read_text())
    check_gradescope_schema(results)
    report = grade(QN, path, server=server)
    assert scores(results["tests"]) == scores(judge_view(report))
    assert results["score"] == report.score


def test_student_notebook_passes_its_checks_and_its_export_grades_the_same(
        gs_python, dist, tmp_path, server):
    from nbclient import NotebookClient

    work = tmp_path / "student"
    with zipfile.ZipFile(student_zip(dist, QN)) as zf:
        zf.extractall(tmp_path)
    shutil.move(str(tmp_path / QN), work)
    solution = assignments.solution_path(QN).read_text()
    completed = generate.skeleton_notebook(solution, QN, keep_solutions=True)
    nbformat.write(completed, work / f"{QN}.ipynb")
    nb = nbformat.read(work / f"{QN}.ipynb", as_version=4)
    started = time.monotonic()
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(work)}}).execute()
    TIMINGS["notebook execution"] = time.monotonic() - started
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
    assert len(checks) == len(catalog.questions(QN))
    for cell in checks:
        text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert "All test cases passed!" in text, (cell.source, cell.outputs)
    [export] = list(work.glob(f"{QN}_*.zip"))
    with zipfile.ZipFile(export) as zf:
        assert f"{QN}.ipynb" in zf.namelist()
        extracted = {m: zf.read(m) for m in zf.namelist()}
    by_notebook = grade(QN, work / f"{QN}.ipynb", server=server)
    by_export = grade(QN, export, server=server)
    assert by_notebook.score == by_notebook.max_score
    assert judge_view(by_export) == judge_view(by_notebook)
    assert by_export.output == by_notebook.output
    assert "otter" not in by_export.output and "grader" not in by_export.output
    # Gradescope unpacks an uploaded zip into the submission folder
    results = emulate(gs_python, autograder_zip(dist, QN), extracted, tmp_path / "gs")
    TIMINGS["gradescope export zip"] = results["_time"]
    check_gradescope_schema(public(results))
    assert scores(results["tests"]) == scores(judge_view(by_notebook))


@pytest.mark.parametrize("name", [n for n in NAMES if n != QN])
def test_every_assignment_grades_its_reference_on_gradescope(gs_python, dist, tmp_path, name):
    path = assignments.solution_path(name)
    results = emulate(gs_python, autograder_zip(dist, name), {path.name: path.read_bytes()},
                      tmp_path)
    TIMINGS[f"gradescope reference {name}"] = results["_time"]
    check_gradescope_schema(public(results))
    failed = [t for t in results["tests"] if t["status"] != "passed"]
    assert not failed, failed
    assert results["score"] == sum(t["max_score"] for t in catalog_tests(name)) > 0


def catalog_tests(name: str) -> list[dict]:
    return [{"max_score": t.points} for t in catalog.tests(name)]


def test_report_timings():
    """Not a check: prints the build and emulated run times measured above (pytest -s)."""
    for what, seconds in TIMINGS.items():
        print(f"{what:<45} {seconds:6.1f} s")


def test_plugin_grades_nothing_through_a_symbolic_link(tmp_path):
    """The plugin reads the submission as root: a link to the reference solution must not be
    graded as the student's work. Whatever it cannot grade, results.json says so."""
    from otter.run.run_autograder.autograder_config import AutograderConfig
    from otter.test_files import GradingResults

    from autograder.otter_plugin import SandboxedGrading

    ag = tmp_path / "autograder"
    (ag / "submission").mkdir(parents=True)
    (ag / "source").mkdir()
    elsewhere = tmp_path / "elsewhere"  # stands for the installed reference solution
    elsewhere.mkdir()
    secret = elsewhere / f"{QN}.py"
    shutil.copy(assignments.solution_path(QN), secret)
    link = ag / "submission" / f"{QN}.py"
    link.symlink_to(secret)
    config = AutograderConfig({"autograder_dir": str(ag)})
    plugin = SandboxedGrading(str(link), {}, {"assignment": QN})
    plugin.before_grading(config)
    assert plugin.report is None and not link.is_symlink()  # kept away from Otter's kernel
    assert os.listdir(elsewhere) == [secret.name]  # the link's target is left alone
    assert secret.read_bytes() == assignments.solution_path(QN).read_bytes()
    results = GradingResults([])
    plugin.after_grading(results)
    assert link.is_symlink() and os.listdir(ag / "submission") == [link.name]  # put back
    assert secret.read_bytes() == assignments.solution_path(QN).read_bytes()
    output = results.to_gradescope_dict(config)
    check_gradescope_schema(output)
    visible = [t for t in output["tests"] if t["visibility"] != "hidden"]
    hidden = [t for t in output["tests"] if t["visibility"] == "hidden"]
    assert output["score"] == 0 and len(visible) == 1 and "symbolic link" in visible[0]["output"]
    assert visible[0]["max_score"] == sum(t.points for t in catalog.tests(QN))
    assert hidden and hidden[0]["max_score"] == 0 and "could not be read" in hidden[0]["output"]
