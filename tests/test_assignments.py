"""Every assignment, end to end: the reference earns full marks (as a module and as a
notebook), the generated skeleton earns nothing, correct alternatives earn full marks, and each
realistic wrong solution loses the points of the functions it breaks and keeps the others."""

from __future__ import annotations

import nbformat
import pytest

from autograder import assignments, catalog, generate
from autograder.grading import grade

from conftest import SUBMISSIONS, cases

NAMES = assignments.names()


def _case_params(kind: str):
    return [pytest.param(name, case, id=f"{name}:{case['file']}")
            for name in NAMES for case in cases(name)[kind]]


def _failures(report) -> dict[str, str]:
    return {t.name: t.output for t in report.tests if t.status != "passed"}


def test_every_assignment_is_present():
    assert NAMES == list(assignments.ORDER)


@pytest.mark.parametrize("name", NAMES)
def test_reference_module_full_marks(name, server):
    report = grade(name, assignments.solution_path(name), server=server)
    assert _failures(report) == {}
    assert report.score == report.max_score > 0
    assert report.error == ""


@pytest.mark.parametrize("name", NAMES)
def test_reference_notebook_full_marks(name, server, tmp_path):
    source = assignments.solution_path(name).read_text()
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(generate.skeleton_notebook(source, name, keep_solutions=True), path)
    report = grade(name, path, server=server)
    assert _failures(report) == {}
    assert report.score == report.max_score
    assert "notebook" in report.output


@pytest.mark.parametrize("kind", ["py", "ipynb"])
@pytest.mark.parametrize("name", NAMES)
def test_skeleton_scores_zero(name, kind, server):
    path = assignments.REPO_DIR / "assignments" / name / f"{name}.{kind}"
    report = grade(name, path, server=server)
    assert report.score == 0
    for test in report.tests:
        assert "not implemented yet" in test.output, (test.name, test.output)


@pytest.mark.parametrize("name", NAMES)
def test_committed_skeletons_match_the_generator(name):
    for path, content in generate.outputs(name).items():
        assert path.read_text(encoding="utf-8") == content, (
            f"{path} is out of date: run python -m autograder.generate")


@pytest.mark.parametrize("name", NAMES)
def test_suite_names_start_with_contract_functions(name):
    functions = set(assignments.contract_functions(name))
    tests = catalog.tests(name)
    assert tests and any(t.public for t in tests) and not all(t.public for t in tests)
    for test in tests:
        assert test.function in functions, test.name
    # every contract function is graded somewhere
    assert {t.function for t in tests} == functions


@pytest.mark.parametrize("name, case", _case_params("correct"))
def test_correct_alternative_full_marks(name, case, server):
    report = grade(name, SUBMISSIONS / name / case["file"], server=server)
    assert _failures(report) == {}, case["about"]
    assert report.score == report.max_score


@pytest.mark.parametrize("name, case", _case_params("wrong"))
def test_wrong_solution_loses_exactly_its_points(name, case, server):
    report = grade(name, SUBMISSIONS / name / case["file"], server=server)
    broken = set(case["fails"])
    for test in report.tests:
        if test.function not in broken:
            assert test.status == "passed", (test.name, test.output)
    for function in broken:
        lost = [t for t in report.tests if t.function == function and t.status == "failed"]
        assert lost, f"no test of {function} caught: {case['about']}"
        assert all(t.output for t in lost)
    assert report.score < report.max_score


@pytest.mark.parametrize("name", NAMES)
def test_every_wrong_case_names_real_functions(name):
    functions = set(assignments.contract_functions(name))
    manifest = cases(name)
    assert len(manifest["wrong"]) >= 6 and len(manifest["correct"]) >= 2
    for case in manifest["wrong"]:
        assert case["fails"] and set(case["fails"]) <= functions, case
