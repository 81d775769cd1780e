"""Reading a submission file into code chunks, in the trusted parent.

Reading is data handling, not execution: the content decides the kind (a zip from Otter's
export, a notebook, or Python source), never the file name. The child executes the chunks.
"""

from __future__ import annotations

import ast
import io
import os
import re
import zipfile

#: Largest file accepted inside a submitted zip (a notebook with its outputs fits easily).
MAX_MEMBER_BYTES = 32 * 1024 * 1024
_MAGIC_LINE = re.compile(r"^\s*[%!]|^\s*\w+\s*=\s*!")  # %magic, !shell, x = !shell


class LoadError(Exception):
    """The submission cannot be read at all."""


def read_submission(raw: bytes, filename: str) -> tuple[str, list[tuple[str, str]], list[dict]]:
    """(kind, [(label, source), ...], problems) for a submission's bytes."""
    try:
        kind, chunks = sources(raw, filename)
    except LoadError as exc:
        return "unreadable", [], [{"where": filename, "error": str(exc)}]
    return kind, chunks, []


def sources(raw: bytes, filename: str) -> tuple[str, list[tuple[str, str]]]:
    """The submission's kind and its code chunks as (label, source) pairs.

    The kind comes from the content, not the file name: a zip (Otter's export), a notebook
    (JSON with cells) or Python source."""
    if raw[:4] == b"PK\x03\x04":
        return _zip_sources(raw)
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            return "notebook", notebook_sources(text)
        except ValueError:
            pass
    return "python", [(filename, text)]


def notebook_sources(text: str) -> list[tuple[str, str]]:
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types on malformed JSON
        raise ValueError(f"not a notebook: {exc}") from None
    chunks = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        source = strip_magics(str(source))
        if not is_otter_cell(source):
            chunks.append((f"cell {index}", source))
    return chunks


def is_otter_cell(source: str) -> bool:
    """Whether a cell only talks to Otter (``import otter``, ``grader = otter.Notebook(...)``,
    ``grader.check("q1")``, ``grader.export(...)``): such cells are for students, not grading."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body:
        return False
    for statement in tree.body:
        text = ast.unparse(statement)
        if not (text.startswith(("import otter", "from otter ", "grader.", "grader = otter."))):
            return False
    return True


def strip_magics(source: str) -> str:
    """Drop IPython-only lines: a %%cell magic drops its cell, %line magics and !shell lines
    become blank (keeping line numbers), since the grader runs plain Python."""
    if source.lstrip().startswith("%%"):
        return ""
    return "\n".join("" if _MAGIC_LINE.match(line) else line for line in source.split("\n"))


def _zip_sources(raw: bytes) -> tuple[str, list[tuple[str, str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist()
                   if not m.is_dir() and "__MACOSX" not in m.filename
                   and not os.path.basename(m.filename).startswith(".")]
    except zipfile.BadZipFile as exc:
        raise LoadError(f"the zip file cannot be read: {exc}") from None
    for suffix, kind in ((".ipynb", "notebook"), (".py", "python")):
        found = [m for m in members if m.filename.endswith(suffix)]
        if len(found) > 1:
            names = ", ".join(m.filename for m in found)
            raise LoadError(f"the zip holds several {suffix} files ({names}); submit exactly one")
        if found:
            member = found[0]
            if member.file_size > MAX_MEMBER_BYTES:
                raise LoadError(f"{member.filename} is larger than {MAX_MEMBER_BYTES} bytes")
            text = archive.read(member).decode("utf-8", errors="replace")
            if kind == "notebook":
                try:
                    return kind, notebook_sources(text)
                except ValueError as exc:
                    raise LoadError(f"{member.filename} in the zip: {exc}") from None
            return kind, [(member.filename, text)]
    raise LoadError("the zip holds no notebook (.ipynb) and no Python file")


