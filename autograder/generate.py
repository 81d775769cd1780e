"""Generate what students get from the reference solutions: one source, generated copies.

A reference solution is a Python module in percent format (``# %% [markdown]`` cells of teaching
text, ``# %%`` code cells, ``# %% [notebook]`` cells of notebook-only demos kept commented out in
the module). Code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes a stub: its
``# HINT:`` lines turn into ``# TODO:`` lines and the rest into ``raise NotImplementedError``.

    python -m autograder.generate            # rewrite assignments/<name>/ for every assignment
    python -m autograder.generate --check    # exit 1 if a committed file differs

The notebook also gets Otter-Grader's cells: ``grader = otter.Notebook(...)`` before the first
code cell, a ``grader.check("qN")`` cell after the last code cell of each question's functions
(the question of a function is read from the hidden suite's markers), and at the end a cell
that runs every check and one that exports the submission zip. The checks run the public tests
``tests/qN.py``, rendered from the published examples (see :mod:`autograder.public_tests`).
A ``README.md`` with the instructions completes the folder students get.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import assignments, public_tests

_CELL = re.compile(r"^# %%(?: \[(markdown|notebook)\])?\s*$")
_BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_HINT = re.compile(r"^\s*# HINT:\s?(.*)$")


@dataclass
class Cell:
    kind: str  # "markdown", "code" or "notebook" (code shown only in the notebook)
    source: str


def parse_cells(text: str) -> list[Cell]:
    cells: list[Cell] = []
    kind, lines = "code", []

    def flush():
        body = "\n".join(lines).strip("\n")
        if body.strip():
            if kind != "code":
                body = "\n".join(_uncomment(line) for line in body.split("\n"))
            cells.append(Cell(kind, body))

    for line in text.split("\n"):
        match = _CELL.match(line)
        if match:
            flush()
            kind, lines = match.group(1) or "code", []
        else:
            lines.append(line)
    flush()
    return cells


def _uncomment(line: str) -> str:
    if line.startswith("# "):
        return line[2:]
    return line[1:] if line.startswith("#") else line


def strip_solutions(code: str, name: str = "") -> str:
    """Replace every solution block by its hints and ``raise NotImplementedError``."""
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for number, line in enumerate(code.split("\n"), start=1):
        if block is None:
            begin = _BEGIN.match(line)
            if begin:
                indent, block = begin.group(1), []
            else:
                out.append(line)
            continue
        if _BEGIN.match(line):
            raise ValueError(f"{name}: nested BEGIN SOLUTION at line {number}")
        if _END.match(line):
            hints = [_HINT.match(b).group(1) for b in block if _HINT.match(b)]
            out.extend(f"{indent}# TODO: {h}" for h in hints or ["write this function."])
            out.append(f'{indent}raise NotImplementedError("not implemented yet")')
            block = None
            continue
        block.append(line)
    if block is not None:
        raise ValueError(f"{name}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def _drop_markers(code: str) -> str:
    return "\n".join(line for line in code.split("\n")
                     if not (_BEGIN.match(line) or _END.match(line) or _HINT.match(line)))


def skeleton_module(solution: str, name: str) -> str:
    """The student's .py: the teaching text as comments, the functions as stubs."""
    parts = []
    for cell in parse_cells(solution):
        if cell.kind == "markdown":
            parts.append("# %% [markdown]\n" + "\n".join(
                ("# " + line).rstrip() for line in cell.source.split("\n")))
        elif cell.kind == "code":
            parts.append("# %%\n" + strip_solutions(cell.source, name))
    return "\n\n\n".join(parts) + "\n"


def skeleton_notebook(solution: str, name: str, *, keep_solutions: bool = False,
                      otter: bool = True) -> nbformat.NotebookNode:
    """The student's notebook: markdown cells, stub code cells, and the demo cells. With
    ``keep_solutions`` the code cells keep their solutions (a completed notebook, for tests).
    With ``otter`` (the default) Otter-Grader's cells are added: the ``otter.Notebook``
    initialisation, a ``grader.check("qN")`` after each question's code, and the export."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                                  "name": "python3"},
                   "language_info": {"name": "python"}}
    for index, cell in enumerate(parse_cells(solution)):
        cell_id = f"{name[:20]}-{index:03d}"
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source, id=cell_id))
        else:
            source = cell.source
            if cell.kind == "code":
                source = (_drop_markers(source) if keep_solutions
                          else strip_solutions(source, name))
            nb.cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
    if otter:
        add_otter_cells(nb, name)
    return nb


_DEF = re.compile(r"^def\s+(\w+)\s*\(", re.MULTILINE)


def add_otter_cells(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Add Otter's cells to a generated notebook (in place). Nothing is added for an
    assignment without a hidden suite, whose questions are not known yet."""
    questions = public_tests.question_of_functions(name)
    if questions is None:
        return nb
    checked = sorted(public_tests.grouped_examples(name))
    prefix = name[:20]
    # after which cell each check goes: the last code cell defining a function of its question
    after: dict[int, list[int]] = {}
    for number in checked:
        last = None
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and any(questions.get(f) == number
                                                for f in _DEF.findall(cell.source)):
                last = index
        after.setdefault(len(nb.cells) - 1 if last is None else last, []).append(number)
    cells = []
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                      len(nb.cells))
    for index, cell in enumerate(nb.cells):
        if index == first_code:
            cells.append(nbformat.v4.new_code_cell(
                "# Otter-Grader runs the public tests in this notebook: run this cell first.\n"
                "import otter\n"
                f'grader = otter.Notebook("{name}.ipynb")', id=f"{prefix}-otter-init"))
        cells.append(cell)
        for number in after.get(index, []):
            cells.append(nbformat.v4.new_code_cell(f'grader.check("q{number}")',
                                                   id=f"{prefix}-check-q{number}"))
    if first_code == len(nb.cells):
        cells.append(nbformat.v4.new_code_cell(
            f'import otter\ngrader = otter.Notebook("{name}.ipynb")', id=f"{prefix}-otter-init"))
    cells.append(nbformat.v4.new_markdown_cell(
        "## Submitting your work\n"
        "\n"
        "Save this notebook first (File > Save). The next cell runs every public test once "
        "more; the one after it writes a zip file next to this notebook "
        f"(`{name}_<date and time>.zip`). Upload that zip to Gradescope (the notebook itself, "
        f"or your `{name}.py`, is accepted too).\n"
        "\n"
        "The public tests check the published examples only. The autograder's hidden tests "
        "call your functions on many more inputs, drawn at random when your work is graded, "
        "so a function that passes its public checks can still lose points: test your own "
        "cases too.", id=f"{prefix}-otter-submit"))
    cells.append(nbformat.v4.new_code_cell("grader.check_all()", id=f"{prefix}-check-all"))
    cells.append(nbformat.v4.new_code_cell("grader.export(pdf=False)", id=f"{prefix}-export"))
    nb.cells = cells
    return nb


def outputs(name: str) -> dict[Path, str]:
    """Every generated file of an assignment, by path, with its exact content: the module, the
    notebook, the public tests (``tests/qN.py``) and the instructions (``README.md``)."""
    solution = assignments.solution_path(name).read_text(encoding="utf-8")
    folder = assignments.REPO_DIR / "assignments" / name
    notebook = nbformat.writes(skeleton_notebook(solution, name)) + "\n"
    files = {folder / f"{name}.py": skeleton_module(solution, name),
             folder / f"{name}.ipynb": notebook}
    tests = public_tests.render(name)
    for question, source in tests.items():
        files[folder / "tests" / f"{question}.py"] = source
    files[folder / "README.md"] = readme(name, solution, sorted(tests))
    return files


def readme(name: str, solution: str, checks: list[str]) -> str:
    """The students' instructions for one assignment."""
    from autograder import catalog
    from autograder.sandbox.judge import Deadlines

    cells = parse_cells(solution)
    title = next((c.source.split("\n")[0].lstrip("# ").strip() for c in cells
                  if c.kind == "markdown"), name)
    try:
        table = catalog.questions(name)
    except ImportError:
        table = []
    limits = Deadlines()
    lines = [
        f"# {title}",
        "",
        f"Assignment `{name}` of the lesson *Advanced Optimization Algorithms and Learning "
        "Rate Schedules*.",
        "",
        "## What is in this folder",
        "",
        f"- `{name}.ipynb`: the assignment as a Jupyter notebook: the explanations, the "
        "functions you write, demos, and checks.",
        f"- `{name}.py`: the same functions as a plain Python module, if you prefer an editor.",
        "- `tests/`: the public tests that the notebook's `grader.check(\"qN\")` cells run "
        "(Otter-Grader's format).",
        "",
        "Work in one of the two files: you submit only one.",
        "",
        "## Setting up",
        "",
        "You need Python 3.10 or newer with numpy, scipy, matplotlib, Jupyter and Otter-Grader:",
        "",
        "```",
        "python -m pip install numpy scipy matplotlib jupyterlab \"otter-grader>=7,<8\"",
        f"jupyter lab {name}.ipynb",
        "```",
        "",
        "## Working on it",
        "",
        "Each function has a docstring that states exactly what it takes and returns. Replace "
        "its `raise NotImplementedError(...)` line (and the `# TODO` hints above it) with your "
        "code. Accept lists as well as arrays (`np.asarray(x, dtype=float)`), return numpy "
        "arrays of the stated shapes, and never modify an input array in place.",
        "",
        "In the notebook, run the first code cell (it starts Otter), then the cells in order; "
        "after each question a `grader.check(\"qN\")` cell runs its public tests. With the "
        f"module, run them from this folder: `otter check {name}.py` (all of them) or "
        f"`otter check {name}.py -q q1` (one question).",
        "",
    ]
    if table:
        lines += ["## Questions and points", "",
                  "| Question | Points | Functions | Public tests |",
                  "| --- | ---: | --- | --- |"]
        for number, points, functions in table:
            public = f"`tests/q{number}.py`" if f"q{number}" in checks else "none"
            names = ", ".join(f"`{f}`" for f in functions)
            lines.append(f"| q{number} | {points:g} | {names} | {public} |")
        total = sum(points for _, points, _ in table)
        lines += ["", f"Total: {total:g} points.", ""]
    lines += [
        "## Submitting",
        "",
        "Upload one file to Gradescope: the zip that the notebook's last cell writes "
        f"(`grader.export`), or the notebook itself, or your `{name}.py`. The file's name does "
        "not matter.",
        "",
        "## How it is graded",
        "",
        "- The autograder calls your functions on many inputs drawn at random when you submit; "
        "the public tests are a few published examples only. Test your own cases too.",
        "- Every test is named after the function it checks and is worth its own points, so a "
        "broken function costs only its own tests. A failed test says which input it used, "
        "what was expected and what your function returned.",
        "- Your code runs in a sandbox, with no network and no access to other files. Running "
        f"its top level (a notebook's cells, demos included) may take at most "
        f"{limits.load:g} s, each call of a function {limits.call:g} s, and everything "
        f"together {limits.budget:g} s: keep long experiments out of your submission.",
        "- Inputs are passed as read-only arrays: a function that modifies its input in place "
        "fails with a message saying so.",
        "- Printing is fine but ignored; only the values your functions return are graded.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="default: all")
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    args = parser.parse_args(argv)
    drift = []
    for name in args.assignments or assignments.names():
        files = outputs(name)
        for path, content in files.items():
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == content:
                continue
            if args.check:
                drift.append(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
                print(f"wrote {path.relative_to(assignments.REPO_DIR)}")
        # public tests of questions that no longer have examples
        tests_dir = assignments.REPO_DIR / "assignments" / name / "tests"
        for stale in sorted(tests_dir.glob("q*.py")) if tests_dir.is_dir() else []:
            if stale in files:
                continue
            if args.check:
                drift.append(stale)
            else:
                stale.unlink()
                print(f"removed {stale.relative_to(assignments.REPO_DIR)}")
    for path in drift:
        print(f"out of date: {path.relative_to(assignments.REPO_DIR)} "
              "(run python -m autograder.generate)", file=sys.stderr)
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
