"""Generate what students get from the reference solutions: one source, generated copies.

A reference solution is a Python module in percent format (``# %% [markdown]`` cells of teaching
text, ``# %%`` code cells, ``# %% [notebook]`` cells of notebook-only demos kept commented out in
the module). Code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes a stub: its
``# HINT:`` lines turn into ``# TODO:`` lines and the rest into ``raise NotImplementedError``.

    python -m autograder.generate            # rewrite assignments/<name>/ for every assignment
    python -m autograder.generate --check    # exit 1 if a committed file differs
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import assignments

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


def skeleton_notebook(solution: str, name: str, *, keep_solutions: bool = False
                      ) -> nbformat.NotebookNode:
    """The student's notebook: markdown cells, stub code cells, and the demo cells. With
    ``keep_solutions`` the code cells keep their solutions (a completed notebook, for tests)."""
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
    return nb


def outputs(name: str) -> dict[Path, str]:
    """Every generated file of an assignment, by path, with its exact content."""
    solution = assignments.solution_path(name).read_text(encoding="utf-8")
    folder = assignments.REPO_DIR / "assignments" / name
    notebook = nbformat.writes(skeleton_notebook(solution, name)) + "\n"
    return {folder / f"{name}.py": skeleton_module(solution, name),
            folder / f"{name}.ipynb": notebook}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="default: all")
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    args = parser.parse_args(argv)
    drift = []
    for name in args.assignments or assignments.names():
        for path, content in outputs(name).items():
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == content:
                continue
            if args.check:
                drift.append(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
                print(f"wrote {path.relative_to(assignments.REPO_DIR)}")
    for path in drift:
        print(f"out of date: {path.relative_to(assignments.REPO_DIR)} "
              "(run python -m autograder.generate)", file=sys.stderr)
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
