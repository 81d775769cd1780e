"""What a submission may be: a .py file, a notebook, or a zip holding one; the name never
matters, magics are dropped, and an error costs only what it prevented from being defined."""

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import assignments, generate
from autograder.grading import grade
from autograder.sandbox.isolation import Confinement, confine, drop_privileges
from autograder.sandbox.judge import ForkServer, claim_sandbox_uid
from autograder.sandbox.source import read_submission, strip_magics

REFERENCE = assignments.solution_path("quasi_newton").read_text()


def reference_notebook(extra_cells=()) -> str:
    nb = generate.skeleton_notebook(REFERENCE, "quasi_newton", keep_solutions=True)
    for position, source in extra_cells:
        nb.cells.insert(position, nbformat.v4.new_code_cell(source))
    return nbformat.writes(nb)


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_magics_and_shell_lines_are_dropped_not_run():
    source = "%matplotlib inline\n!rm -rf /\nfiles = !ls\nx = 1\n"
    assert strip_magics(source) == "\n\n\nx = 1\n"
    assert strip_magics("%%bash\nrm -rf /\n") == ""


def test_kind_comes_from_the_content_not_the_name():
    assert read_submission(REFERENCE.encode(), "answer.ipynb")[0] == "python"
    assert read_submission(reference_notebook().encode(), "answer.py")[0] == "notebook"
    assert read_submission(zipped({"hw.ipynb": reference_notebook()}), "x.txt")[0] == "notebook"


def test_otter_export_zip_with_a_notebook_gets_full_marks(server):
    raw = zipped({"quasi_newton.ipynb": reference_notebook(), "quasi_newton.pdf": "%PDF",
                  "__MACOSX/._quasi_newton.ipynb": "junk"})
    report = grade("quasi_newton", raw, filename="export.zip", server=server)
    assert report.score == report.max_score


def test_zip_with_two_notebooks_is_unreadable_with_a_clear_message(server):
    raw = zipped({"a.ipynb": reference_notebook(), "b.ipynb": reference_notebook()})
    report = grade("quasi_newton", raw, filename="export.zip", server=server)
    assert report.score == 0
    assert "several .ipynb files" in report.output


def test_a_failing_cell_costs_only_what_it_defines(server):
    cells = [(0, "%load_ext autoreload\nimport no_such_module"),
             (0, "def hess(x):\n    raise RuntimeError('boom')\n" + "def broken(:\n    pass")]
    report = grade("quasi_newton", reference_notebook(cells).encode(), filename="nb.ipynb",
                   server=server)
    assert report.score == report.max_score  # the real hess cell comes later and wins
    assert "ModuleNotFoundError" in report.output and "SyntaxError" in report.output


def test_an_exception_at_import_keeps_earlier_and_later_definitions(server, tmp_path):
    broken = REFERENCE.replace("# %%\ndef hess(x):", "# %%\n1 / 0\n\n\ndef hess(x):", 1)
    assert broken != REFERENCE
    report = grade("quasi_newton", broken.encode(), filename="hw.py", server=server)
    assert report.score == report.max_score
    assert "ZeroDivisionError" in report.output


def test_an_oversized_submission_scores_zero_with_a_message(server):
    raw = REFERENCE.encode() + b"\n# " + b"x" * (17 * 2**20) + b"\n"
    report = grade("quasi_newton", raw, filename="huge.py", server=server)
    assert report.score == 0 and report.tests
    assert all("more than the 16 MB" in t.output for t in report.tests)


def test_matplotlib_is_preloaded_when_a_submission_imports_it():
    # Text, mathtext and a rendered PNG: fonts are read after the privilege drop, where the
    # interpreter's files may be hidden (a virtual environment in the repository or in /tmp).
    plotting = REFERENCE + "\n\nimport io\nimport matplotlib.pyplot as plt\n" \
        "fig, ax = plt.subplots()\nax.semilogy([1.0, 2.0], [3.0, 4.0], label='$x_k$')\n" \
        "ax.set_title(r'$\\|\\nabla f(x_k)\\|$ against $k$')\nax.legend()\n" \
        "fig.savefig(io.BytesIO(), format='png')\nplt.close(fig)\n"
    sneaky = REFERENCE + "\n\nplt = __import__('matplot' + 'lib.pyplot')\n"
    with ForkServer() as lean:  # started without matplotlib
        first = grade("quasi_newton", sneaky.encode(), filename="a.py", server=lean)
        second = grade("quasi_newton", plotting.encode(), filename="b.py", server=lean)
    assert first.score == first.max_score and second.score == second.max_score
    # Code that hides the import from the grader finds no matplotlib (and loses nothing else).
    assert "ModuleNotFoundError" in first.output and "matplotlib" in first.output
    assert "error" not in second.output.lower(), second.output


@pytest.mark.skipif(os.geteuid() != 0, reason="mount namespaces and the privilege drop need root")
def test_data_directories_are_bound_back_read_only_and_nothing_beside_them(request):
    # Outside /tmp, which the child replaces: one tree behind a directory only root may enter
    # (as Python under /root is), one inside a cloaked directory (a virtual environment in the
    # hidden repository).
    top = Path(tempfile.mkdtemp(dir="/var/lib", prefix="optim-autograder-test-"))
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    top.chmod(0o755)
    private, cloaked = top / "private", top / "cloaked"
    found = {}
    for base in (private, cloaked):
        data = base / "site" / "mpl-data"
        data.mkdir(parents=True)
        (data / "font.ttf").write_text("glyphs")
        (base / "secret.txt").write_text("answers")
        found[base] = data
    private.chmod(0o700)
    uid, lock = claim_sandbox_uid()
    workdir = tempfile.mkdtemp()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        result = {}
        try:
            spec = Confinement(workdir=workdir, uid=uid, cloak=[str(cloaked)],
                               readable=[str(d) for d in found.values()])
            result["notes"] = confine(spec)
            drop_privileges(spec)
            for base, data in found.items():
                result[base.name] = {
                    "font": (data / "font.ttf").read_text(),
                    "secret": os.path.exists(base / "secret.txt"),
                    "site": sorted(os.listdir(base / "site")),
                    "writable": os.access(data, os.W_OK)}
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            result["error"] = repr(exc)
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        result = json.loads(fh.read())
    os.waitpid(pid, 0)
    os.close(lock)
    shutil.rmtree(workdir, ignore_errors=True)
    assert "error" not in result and result["notes"] == [], result
    for base in (private, cloaked):
        assert result[base.name] == {"font": "glyphs", "secret": False, "site": ["mpl-data"],
                                     "writable": False}, result
