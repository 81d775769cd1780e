"""The command line as instructors and Gradescope use it (run as a real subprocess)."""

import json
import subprocess
import sys

from autograder import assignments, catalog

from conftest import SUBMISSIONS


def run(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "autograder", *args], capture_output=True,
                            text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_list_shows_every_assignment_with_points():
    out = run("list").stdout
    for name in assignments.names():
        total = sum(t.points for t in catalog.tests(name))
        assert f"{name}  ({total:g} points)" in out


def test_grade_json_is_gradescope_results():
    path = SUBMISSIONS / "quasi_newton" / "wrong" / "hess_no_coupling.py"
    results = json.loads(run("grade", "quasi_newton", str(path), "--json").stdout)
    tests = results["tests"]
    assert results["score"] == sum(t["score"] for t in tests)
    assert results["score"] < sum(t["max_score"] for t in tests)
    failed = [t for t in tests if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("hess:") for t in failed)
    assert all("expected" in t["output"] for t in failed)
    assert {t["visibility"] for t in tests} == {"visible", "after_published"}


def test_grading_a_broken_submission_still_exits_zero(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def f(x):\n    return (\n")
    results = json.loads(run("grade", "quasi_newton", str(path), "--json").stdout)
    assert results["score"] == 0 and "SyntaxError" in results["output"]


def test_check_runs_only_the_public_tests():
    path = assignments.REPO_DIR / "assignments" / "quasi_newton" / "quasi_newton.py"
    out = run("check", "quasi_newton", str(path)).stdout
    public = [t for t in catalog.tests("quasi_newton") if t.public]
    hidden = [t for t in catalog.tests("quasi_newton") if not t.public]
    assert all(t.name in out for t in public)
    assert not any(t.name in out for t in hidden)
    assert "not implemented yet" in out


def test_unknown_assignment_and_missing_file_are_clear_errors(tmp_path):
    result = run("grade", "no_such", str(tmp_path), check=False)
    assert result.returncode == 2 and "unknown assignment 'no_such'" in result.stderr
    result = run("grade", "quasi_newton", str(tmp_path / "missing.py"), check=False)
    assert result.returncode == 2 and "missing.py" in result.stderr
