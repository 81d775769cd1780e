"""Build what an instructor uploads: the Gradescope autograder zip and the student zip.

``build_all(names, out_dir)`` writes, per assignment,

* ``out_dir/<name>/<name>-autograder.zip``: made by Otter Generate (``otter.generate.main``)
  with an ``otter_config.json`` that enables :class:`autograder.otter_plugin.SandboxedGrading`,
  the kernel-side test that plugin needs, and this package as a wheel (with the hidden suites and
  the reference solutions) that Otter's ``setup.sh`` installs into Gradescope's environment
  through the requirements. Gradescope thus grades with the same judge as ``autograder grade``.
* ``out_dir/<name>/<name>-student.zip``: the folder ``<name>/`` with the notebook, the ``.py``
  module, the public tests (Otter's format) and the instructions, all generated from the
  reference solution (:mod:`autograder.generate`). Nothing of the hidden suites or the solutions.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from autograder import assignments

#: Where Gradescope unpacks the autograder zip (Otter's default autograder_dir + source).
GRADESCOPE_SOURCE = "/autograder/source"
#: Packages whose exact versions decide numerical results: Gradescope gets the ones tested here.
PINNED = ("numpy", "scipy")
#: A fixed timestamp for the student zip's members, so that a rebuild gives the same bytes.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


class BuildError(RuntimeError):
    pass


def build_all(names, out_dir, *, wheel: str | os.PathLike | None = None) -> list[Path]:
    """Build both zips for each assignment; returns their paths. ``wheel`` reuses a wheel of
    this package built before (see :func:`build_wheel`); by default one is built here."""
    names = [assignments.check_name(n) for n in names]
    out = Path(out_dir)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="autograder-build-") as tmp:
        wheel_path = Path(wheel) if wheel else build_wheel(tmp)
        for name in names:
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            written.append(build_autograder_zip(name, folder / f"{name}-autograder.zip",
                                                wheel_path))
            written.append(build_student_zip(name, folder / f"{name}-student.zip"))
    return written


def build_wheel(out_dir: str | os.PathLike) -> Path:
    """Build this package's wheel from the source checkout (``pip wheel --no-deps``)."""
    if not (assignments.REPO_DIR / "pyproject.toml").is_file():
        raise BuildError("building the zips needs the project's source checkout (pyproject.toml "
                         f"not found in {assignments.REPO_DIR}); pass a prebuilt wheel instead")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
               "--quiet", "--wheel-dir", str(out), str(assignments.REPO_DIR)]
    if _has_build_backend():  # build offline, and without installing hatchling each time
        command.insert(4, "--no-build-isolation")
    done = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(set(out.glob("optim_autograder-*.whl")) - before) or sorted(
        out.glob("optim_autograder-*.whl"))
    if done.returncode != 0 or not wheels:
        raise BuildError(f"pip wheel failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wheels[-1]


def _has_build_backend() -> bool:
    """Whether this environment has the build backend pyproject.toml asks for (hatchling)."""
    try:
        major, minor = importlib.metadata.version("hatchling").split(".")[:2]
        return (int(major), int(minor)) >= (1, 18)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False


# -- the Gradescope autograder zip ---------------------------------------------------------------

def otter_config(name: str) -> dict:
    from autograder.otter_plugin import PLUGIN_NAME

    return {
        "lang": "python",
        "plugins": [{PLUGIN_NAME: {"assignment": name}}],
        "pdf": False,
        "zips": False,
        "show_stdout": False,
    }


def requirements(wheel: Path) -> str:
    """Extra pip requirements of Otter's grading environment: this package's wheel, as
    unpacked on Gradescope, and the numerical packages at the versions tested here."""
    lines = ["# The sandboxed judge, the hidden suites and the reference solutions.",
             f"{GRADESCOPE_SOURCE}/{wheel.name}"]
    for package in PINNED:
        try:
            lines.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(package)
    return "\n".join(lines) + "\n"


def build_autograder_zip(name: str, path: str | os.PathLike, wheel: Path) -> Path:
    """The Gradescope autograder zip, made by Otter Generate, with the wheel added."""
    from otter.generate import main as otter_generate

    from autograder.otter_plugin import KERNEL_TEST, KERNEL_TEST_SOURCE

    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix=f"autograder-{name}-") as tmp:
        work = Path(tmp)
        (work / "tests").mkdir()
        (work / "tests" / f"{KERNEL_TEST}.py").write_text(KERNEL_TEST_SOURCE, encoding="utf-8")
        (work / "otter_config.json").write_text(json.dumps(otter_config(name), indent=2),
                                                 encoding="utf-8")
        (work / "requirements.txt").write_text(requirements(wheel), encoding="utf-8")
        if path.exists():
            path.unlink()
        cwd = os.getcwd()
        os.chdir(work)  # Otter Generate looks for default files in the working directory
        try:
            otter_generate(tests_dir=str(work / "tests"), output_path=str(path),
                           config=str(work / "otter_config.json"),
                           requirements=str(work / "requirements.txt"), no_environment=True,
                           lang="python", python_version=f"{sys.version_info.major}."
                                                         f"{sys.version_info.minor}")
        finally:
            os.chdir(cwd)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(wheel, arcname=wheel.name)
    return path


# -- the student zip -----------------------------------------------------------------------------

def student_files(name: str) -> dict[str, str]:
    """The student zip's members (``<name>/...``) and their content, generated afresh."""
    from autograder.generate import outputs

    folder = assignments.REPO_DIR / "assignments" / name
    return {f"{name}/{path.relative_to(folder).as_posix()}": content
            for path, content in sorted(outputs(name).items())}


def build_student_zip(name: str, path: str | os.PathLike) -> Path:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for arcname, content in student_files(name).items():
                info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, content)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
