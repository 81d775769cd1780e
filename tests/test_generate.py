"""The generator: solution blocks become stubs with hints; cells map to notebook cells."""

import json
import os
import platform
import subprocess
import sys

import nbformat
import numpy as np
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


def test_public_literals_round_to_what_the_tolerance_resolves():
    from autograder.public_tests import literal
    # a loose tolerance: three digits beyond it, so last-bit noise of the reference vanishes
    assert literal(0.384203261229, rtol=2e-4) == literal(0.384203261238, rtol=2e-4) == "0.3842033"
    # the default tolerance keeps 12 significant digits
    assert literal(1 / 3, rtol=1e-10, atol=1e-12) == "0.333333333333"
    assert literal(np.array([5.33333306007, 0.0]), atol=1e-4) == "np.array([5.3333331, 0.0])"
    assert literal(float("nan"), rtol=1e-6) == 'float("nan")'


@pytest.mark.skipif(platform.machine() != "x86_64", reason="OpenBLAS kernel names are x86-64's")
def test_public_tests_do_not_depend_on_the_blas_kernel():
    # OpenBLAS picks its kernels by CPU, and the reference's SLSQP ends in different last digits
    # under the Sandybridge and Prescott kernels: the committed files must not (CI machines
    # differ from the one that generated them).
    script = ("import json; from autograder import assignments, public_tests; "
              "print(json.dumps({n: public_tests.render(n) for n in assignments.names()}))")
    rendered = []
    for core in ("Prescott", "Sandybridge"):
        env = {**os.environ, "OPENBLAS_CORETYPE": core}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, check=True).stdout
        rendered.append(json.loads(out))
    assert rendered[0] == rendered[1]
