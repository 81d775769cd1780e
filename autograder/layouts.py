"""Finding the submissions in an instructor's download, and whose each one is.

Layouts understood (a PATH may be a folder or a zip of the download; several PATHs add up):

* a folder of files, one per student: the student is the file's stem (``alice.py``);
* one folder per student: the student is the folder's name (``alice/quasi_newton.ipynb``);
* Gradescope's "Export Submissions": ``submission_metadata.yml`` beside one folder per
  submission (``submission_123456/``); the metadata names each folder's submitters (name, SID,
  email); a group submission gives one row per submitter;
* LMS downloads that put the student in the file name:
  Canvas ``lastfirst_12345_67890_quasi_newton.py`` (and ``lastfirst_LATE_12345_...``: the first
  number is the Canvas user id, the second the file's id, larger for later uploads),
  Moodle ``First Last_12345_assignsubmission_file_quasi_newton.py`` (or one folder per student
  named ``First Last_12345_assignsubmission_file_``), Blackboard
  ``Assignment_username_attempt_2024-03-01-17-05-09_quasi_newton.py`` (its ``.txt`` receipts are
  skipped). A pattern is used in a folder only when at least half of the folder's files follow
  it, so that ordinary names that happen to contain numbers are not misread.

Nothing is dropped: a student folder without a gradable file, a file of another type, an empty
or corrupt file, each becomes a submission with a ``problem``; a student with several
submissions keeps all of them (one is chosen, the others are marked as duplicates by the batch).
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.sandbox.judge import MAX_SUBMISSION_BYTES

GRADABLE = (".py", ".ipynb", ".zip")
GRADESCOPE_METADATA = "submission_metadata.yml"
#: Folders and files that are never submissions.
IGNORED_DIRS = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git"}
IGNORED_FILES = {"Thumbs.db", "desktop.ini"}

CANVAS = re.compile(r"^(?P<student>[^_\s]+)(?P<late>_LATE)?_(?P<id>\d+)_(?P<order>\d+)_(?P<name>.+)$")
MOODLE = re.compile(r"^(?P<student>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+_(?P<name>.*)$")
BLACKBOARD = re.compile(
    r"^(?P<assignment>.+)_(?P<student>[^_]+)_attempt_"
    r"(?P<order>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<name>.+)|\.txt)?$")
PATTERNS = {"canvas": CANVAS, "moodle": MOODLE, "blackboard": BLACKBOARD}


@dataclass
class Submission:
    """One submitted file (or a placeholder for a student who submitted nothing gradable)."""

    student: str
    source: Path  # the file, or the zip that holds it (see member)
    member: str | None = None  # the file's name inside the zip ``source``
    filename: str = ""  # the name the student gave the file (what the grader is told)
    label: str = ""  # where it is, for people: relative to the PATH it was found under
    sid: str = ""  # Canvas user id, Gradescope SID, Moodle participant id
    email: str = ""
    layout: str = "file"
    order: str = ""  # later uploads sort higher (Canvas file id, Blackboard attempt time, ...)
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # why it cannot be graded at all ("" when it can)
    present: bool = True  # False: a placeholder row for a folder without any file

    def read_bytes(self) -> bytes:
        if not self.present:
            return b""
        if self.member is None:
            return self.source.read_bytes()
        with zipfile.ZipFile(self.source) as archive:
            return archive.read(self.member)

    @property
    def gradable(self) -> bool:
        return self.present and not self.problem

    @property
    def path(self) -> Path:
        """The file on disk (the zip itself for a member of a zipped download)."""
        return self.source


# -- a download as a list of files, whether a folder or a zip ------------------------------------

@dataclass(frozen=True)
class _Entry:
    rel: PurePosixPath  # relative to the download's root
    size: int
    source: Path
    member: str | None
    link: bool = False  # a symbolic link: never followed (it could point anywhere)


def _walk_folder(root: Path, exclude: set[Path]) -> tuple[list[_Entry], list[PurePosixPath]]:
    files, dirs = [], []
    for current, subdirs, names in os.walk(root):
        here = Path(current)
        subdirs[:] = sorted(d for d in subdirs
                            if not _ignored(d, True) and (here / d).resolve() not in exclude)
        rel_dir = PurePosixPath(here.relative_to(root).as_posix())
        dirs.extend(rel_dir / d for d in subdirs)
        for name in sorted(names):
            path = here / name
            if _ignored(name, False) or path.resolve() in exclude or not path.is_file():
                continue
            files.append(_Entry(rel_dir / name, path.stat().st_size, path, None,
                                path.is_symlink()))
    return files, dirs


def _walk_zip(path: Path) -> tuple[list[_Entry], list[PurePosixPath]]:
    files, dirs = [], set()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            rel = PurePosixPath(info.filename.replace("\\", "/").strip("/"))
            if not rel.parts or ".." in rel.parts:
                continue
            if any(_ignored(p, True) for p in rel.parts[:-1]) or _ignored(rel.name, info.is_dir()):
                continue
            for parent in list(rel.parents)[:-1]:
                dirs.add(parent)
            if info.is_dir():
                dirs.add(rel)
            else:
                files.append(_Entry(rel, info.file_size, path, info.filename))
    return sorted(files, key=lambda e: e.rel.as_posix()), sorted(dirs)


def _ignored(name: str, is_dir: bool) -> bool:
    if name.startswith(".") or name.startswith("~$"):
        return True
    return name in IGNORED_DIRS if is_dir else name in IGNORED_FILES


def is_bulk_zip(path: Path) -> bool:
    """Whether a zip is a whole download (Gradescope's export, or files named by an LMS)
    rather than one student's submission (the notebook's export zip)."""
    try:
        files, _ = _walk_zip(path)
    except (zipfile.BadZipFile, OSError):
        return False
    if any(e.rel.name == GRADESCOPE_METADATA and len(e.rel.parts) <= 2 for e in files):
        return True
    top = [e for e in files if len(e.rel.parts) == 1]
    return len(top) >= 2 and _folder_pattern([e.rel.name for e in top]) is not None


# -- identification ------------------------------------------------------------------------------

def find_submissions(paths: list[str | os.PathLike], *, exclude: list[str | os.PathLike] = (),
                     assignment: str | None = None) -> list[Submission]:
    """Every submission under the PATHs, in a stable order. ``exclude``: files and folders
    that are never submissions (the gradebook and its companions, when written inside the
    download)."""
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Submission] = []
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {text}")
        if path.is_dir():
            files, dirs = _walk_folder(path, excluded)
            found.extend(_identify(files, dirs, path.name or str(path), assignment))
        elif path.suffix.lower() == ".zip" and is_bulk_zip(path):
            files, dirs = _walk_zip(path)
            found.extend(_identify(files, dirs, path.name, assignment))
        else:
            entry = _Entry(PurePosixPath(path.name), path.stat().st_size, path, None)
            found.extend(_identify([entry], [], "", assignment))
    for sub in found:
        _check_readable(sub)
    return found


def _identify(files: list[_Entry], dirs: list[PurePosixPath], root_label: str,
              assignment: str | None) -> list[Submission]:
    # Gradescope's export unpacked into a single folder: look inside it.
    while True:
        top_dirs = [d for d in dirs if len(d.parts) == 1]
        if any(len(f.rel.parts) == 1 for f in files) or len(top_dirs) != 1:
            break
        top = top_dirs[0]
        if not any(f.rel == top / GRADESCOPE_METADATA for f in files):
            break
        files = [_Entry(PurePosixPath(*f.rel.parts[1:]), f.size, f.source, f.member, f.link)
                 for f in files if f.rel.parts[0] == top.name]
        dirs = [PurePosixPath(*d.parts[1:]) for d in dirs
                if d.parts[0] == top.name and len(d.parts) > 1]
        root_label = f"{root_label}/{top.name}" if root_label else top.name

    def label(rel: PurePosixPath) -> str:
        return f"{root_label}/{rel.as_posix()}" if root_label else rel.as_posix()

    metadata = _gradescope_metadata(files)
    if metadata is not None:
        return _gradescope(files, dirs, metadata, label, assignment)

    found: list[Submission] = []
    top_files = [f for f in files if len(f.rel.parts) == 1]
    pattern = _folder_pattern([f.rel.name for f in top_files])
    for entry in top_files:
        if pattern == "blackboard" and _blackboard_receipt(entry.rel.name):
            continue  # the attempt's receipt (name, date, comments), not a submitted file
        found.append(_from_name(entry, pattern, label(entry.rel)))
    top_dirs = [d for d in dirs if len(d.parts) == 1]
    for folder in top_dirs:
        inside = [f for f in files if f.rel.parts[0] == folder.name]
        student, sid, layout = folder.name, "", "folders"
        match = MOODLE.match(folder.name)
        if match:
            student, sid, layout = match["student"], match["id"], "moodle"
        found.extend(_student_folder(inside, folder, student, label, layout=layout, sid=sid,
                                     assignment=assignment))
    return found


def _folder_pattern(names: list[str]) -> str | None:
    """The LMS naming pattern that at least half of the files follow, if any."""
    names = [n for n in names if not n.startswith(".")]
    if not names:
        return None
    best, count = None, 0
    for key, pattern in PATTERNS.items():
        hits = sum(1 for n in names if pattern.match(n))
        if hits > count:
            best, count = key, hits
    return best if count * 2 >= len(names) else None


def _from_name(entry: _Entry, pattern: str | None, label: str) -> Submission:
    name = entry.rel.name
    sub = Submission(student=_stem(name), source=entry.source, member=entry.member,
                     filename=name, label=label, layout="files", problem=_link(entry))
    match = PATTERNS[pattern].match(name) if pattern else None
    if match:
        sub.layout = pattern
        sub.student = match["student"]
        original = match.groupdict().get("name") or ""
        if original:
            sub.filename = original
        if "id" in match.groupdict() and match["id"]:
            sub.sid = match["id"]
        if match.groupdict().get("order"):
            sub.order = match["order"].rjust(24, "0")
        if match.groupdict().get("late"):
            sub.notes.append("submitted late (Canvas)")
    return sub


def _link(entry: _Entry) -> str:
    return "a symbolic link, not a file (links are not followed)" if entry.link else ""


def _blackboard_receipt(name: str) -> bool:
    match = BLACKBOARD.match(name)
    return bool(match) and not match["name"]


def _stem(name: str) -> str:
    stem = name
    for suffix in (".ipynb", ".py", ".zip"):
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)] or name
    return Path(name).stem or name


def _student_folder(inside: list[_Entry], folder: PurePosixPath, student: str, label, *,
                    layout: str, sid: str = "", email: str = "", order: str = "",
                    assignment: str | None = None, notes: list[str] | None = None
                    ) -> list[Submission]:
    """One submission per gradable file of a student's folder; a placeholder when it holds
    none (listing what it does hold), so that the student still gets a row."""
    gradable = [f for f in inside if f.rel.suffix.lower() in GRADABLE]
    if not gradable:
        others = ", ".join(f.rel.name for f in inside[:5]) or "nothing"
        more = f" and {len(inside) - 5} more" if len(inside) > 5 else ""
        placeholder = Submission(student=student, source=Path(), filename="", label=label(folder),
                                 sid=sid, email=email, layout=layout, order=order,
                                 notes=list(notes or []), present=False,
                                 problem=f"no .py, .ipynb or .zip file in the folder "
                                         f"(it holds {others}{more})")
        return [placeholder]
    subs = []
    for entry in gradable:
        subs.append(Submission(student=student, source=entry.source, member=entry.member,
                               filename=entry.rel.name, label=label(entry.rel), sid=sid,
                               email=email, layout=layout, order=order, notes=list(notes or []),
                               problem=_link(entry)))
    return subs


# -- Gradescope ----------------------------------------------------------------------------------

def _gradescope_metadata(files: list[_Entry]) -> dict | None:
    entry = next((f for f in files if f.rel == PurePosixPath(GRADESCOPE_METADATA)), None)
    if entry is None:
        return None
    if entry.member is None:
        text = entry.source.read_text(encoding="utf-8", errors="replace")
    else:
        with zipfile.ZipFile(entry.source) as archive:
            text = archive.read(entry.member).decode("utf-8", errors="replace")
    return parse_gradescope_metadata(text)


def parse_gradescope_metadata(text: str) -> dict:
    """Gradescope's submission_metadata.yml: ``{folder: {":submitters": [{":name", ":sid",
    ":email"}], ":created_at": ..., ...}}``. Keys are Ruby symbols (a leading colon); Ruby
    type tags, if any, are read as plain values."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def plain(loader, suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    Loader.add_multi_constructor("!", plain)
    data = yaml.load(text, Loader=Loader) or {}  # noqa: S506 - a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError(f"{GRADESCOPE_METADATA} is not a mapping of submission folders")
    return {str(k): _unsymbol(v) for k, v in data.items()}


def _unsymbol(value):
    if isinstance(value, dict):
        return {str(k).lstrip(":"): _unsymbol(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsymbol(v) for v in value]
    return value


def _gradescope(files, dirs, metadata, label, assignment) -> list[Submission]:
    found: list[Submission] = []
    folders = {d.parts[0] for d in dirs if len(d.parts) >= 1}
    for name in sorted(folders | set(metadata)):
        record = metadata.get(name) or {}
        submitters = [s for s in (record.get("submitters") or []) if isinstance(s, dict)]
        inside = [f for f in files if len(f.rel.parts) > 1 and f.rel.parts[0] == name]
        order = str(record.get("created_at") or "")
        folder = PurePosixPath(name)
        if name not in folders:
            who = ", ".join(str(s.get("name") or s.get("sid") or "?") for s in submitters) or name
            found.append(Submission(student=who, source=Path(), label=label(folder),
                                    layout="gradescope", present=False,
                                    problem="listed in submission_metadata.yml, but its folder "
                                            "is not in the download"))
            continue
        if not submitters:
            found.extend(_student_folder(inside, folder, name, label, layout="gradescope",
                                         assignment=assignment,
                                         notes=["not listed in submission_metadata.yml"]))
            continue
        names = [str(s.get("name") or s.get("sid") or s.get("email") or name) for s in submitters]
        for submitter, who in zip(submitters, names):
            notes = []
            if len(submitters) > 1:
                notes.append("group submission with " + ", ".join(n for n in names if n != who))
            found.extend(_student_folder(
                inside, folder, who, label, layout="gradescope",
                sid=str(submitter.get("sid") or ""), email=str(submitter.get("email") or ""),
                order=order, assignment=assignment, notes=notes))
    return found


# -- what cannot be graded at all ----------------------------------------------------------------

def _check_readable(sub: Submission) -> None:
    """Set ``problem`` for a file the grader cannot use: another type, empty, too large, a
    corrupt zip or notebook. Such a submission gets a row, with the reason, and no grading."""
    if sub.problem or not sub.present:
        return
    suffix = Path(sub.filename).suffix.lower()
    if suffix not in GRADABLE:
        sub.problem = f"not a .py, .ipynb or .zip file ({sub.filename})"
        return
    try:
        raw = sub.read_bytes()
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        sub.problem = f"the file cannot be read: {exc}"
        return
    if not raw.strip():
        sub.problem = "the file is empty"
    elif len(raw) > MAX_SUBMISSION_BYTES:
        sub.problem = f"the file is larger than {MAX_SUBMISSION_BYTES // (1024 * 1024)} MB"
    elif suffix == ".zip" or raw[:4] == b"PK\x03\x04":
        sub.problem = _zip_problem(raw)
    elif suffix == ".ipynb":
        try:
            notebook = json.loads(raw.decode("utf-8"))
            if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
                raise ValueError("no list of cells")
        except (UnicodeDecodeError, ValueError) as exc:
            sub.problem = f"not a valid notebook: {str(exc)[:200]}"


def _zip_problem(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")
                     and "__MACOSX" not in n and not os.path.basename(n).startswith(".")]
    except zipfile.BadZipFile as exc:
        return f"a corrupt zip file: {exc}"
    if not any(n.endswith((".ipynb", ".py")) for n in names):
        return "the zip holds no notebook (.ipynb) and no Python file"
    return ""
