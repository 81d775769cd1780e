"""The generator: solution blocks become stubs with hints; cells map to notebook cells."""

import nbformat
import pytest

from autograder import generate

SOURCE = '''# %% [markdown]
# # Title
#
# Some *text*.

# %%
import numpy as np

# %%
def add(a, b):
    """Add."""
    # BEGIN SOLUTION
    # HINT: use +
    return a + b
    # END SOLUTION

# %% [notebook]
# print(add(1, 2))
'''


def test_cells_are_parsed_by_kind():
    cells = generate.parse_cells(SOURCE)
    assert [c.kind for c in cells] == ["markdown", "code", "code", "notebook"]
    assert cells[0].source == "# Title\n\nSome *text*."
    assert cells[3].source == "print(add(1, 2))"


def test_solution_blocks_become_stubs_with_hints():
    stub = generate.strip_solutions(generate.parse_cells(SOURCE)[2].source)
    assert "return a + b" not in stub and "BEGIN SOLUTION" not in stub
    assert '    # TODO: use +\n    raise NotImplementedError("not implemented yet")' in stub
    assert '"""Add."""' in stub


def test_skeleton_module_runs_and_raises():
    namespace = {}
    exec(generate.skeleton_module(SOURCE, "demo"), namespace)
    with pytest.raises(NotImplementedError):
        namespace["add"](1, 2)
    assert "print(add" not in generate.skeleton_module(SOURCE, "demo")


def test_notebook_keeps_teaching_text_and_demo_cells():
    nb = generate.skeleton_notebook(SOURCE, "demo")
    nbformat.validate(nb)
    kinds = [(c.cell_type, c.source) for c in nb.cells]
    assert ("markdown", "# Title\n\nSome *text*.") in kinds
    assert ("code", "print(add(1, 2))") in kinds
    full = generate.skeleton_notebook(SOURCE, "demo", keep_solutions=True)
    assert any("return a + b" in c.source for c in full.cells)


@pytest.mark.parametrize("broken", [
    "def f():\n    # BEGIN SOLUTION\n    return 1\n",
    "def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    # END SOLUTION\n",
])
def test_unbalanced_markers_are_errors(broken):
    with pytest.raises(ValueError):
        generate.strip_solutions(broken, "demo")
