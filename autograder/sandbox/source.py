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
        chunks.append((f"cell {index}", strip_magics(str(source))))
    return without_otter_cells(chunks)


# -- Otter's client cells -------------------------------------------------------------------------
#
# The generated notebooks start Otter (``import otter``, ``grader = otter.Notebook(...)``) and
# call ``grader.check("qN")`` and ``grader.export(...)``. They are for students, not grading: run
# in the child (which has no Otter) each would only add an error to the feedback. A cell is
# dropped only when it consists of nothing but such statements with constant arguments, so no
# definition is ever lost with it.

#: Calls on the grader object that such cells may make.
GRADER_METHODS = {"check", "check_all", "export", "to_pdf", "run_plugin", "add_plugin_files"}


def without_otter_cells(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    graders: set[str] = set()
    for _, source in cells:
        graders |= _otter_start_names(source) or set()
    return [(label, source) for label, source in cells
            if _otter_start_names(source) is None and not _only_grader_calls(source, graders)]


def _parse(source: str) -> list[ast.stmt] | None:
    if not source.strip() or len(source) > 4000:  # Otter's cells are a line or two
        return None
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _otter_start_names(source: str) -> set[str] | None:
    """The names bound to ``otter.Notebook(...)`` when the cell is only Otter's start-up
    (``import otter`` and such assignments); None otherwise."""
    body = _parse(source)
    if not body:
        return None
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Import) and all(a.name == "otter" for a in stmt.names):
            continue
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and _is_constant_call(stmt.value)
                and ast.unparse(stmt.value.func) == "otter.Notebook"):
            names.add(stmt.targets[0].id)
            continue
        return None
    return names


def _only_grader_calls(source: str, graders: set[str]) -> bool:
    """Whether the cell is only calls such as ``grader.check("q1")`` on a name bound to
    ``otter.Notebook(...)`` elsewhere in the notebook."""
    body = _parse(source)
    if not body or not graders:
        return False
    for stmt in body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (call is not None and _is_constant_call(call)
                and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name) and call.func.value.id in graders
                and call.func.attr in GRADER_METHODS):
            return False
    return True


def _is_constant_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and all(_is_constant(a) for a in node.args)
            and all(k.arg is not None and _is_constant(k.value) for k in node.keywords))


def _is_constant(node: ast.AST) -> bool:
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_is_constant(e) for e in node.elts)
    return isinstance(node, ast.Constant)


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


