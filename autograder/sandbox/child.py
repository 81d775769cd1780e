"""The sandboxed child: loads one submission and answers calls to its functions.

This module runs student code. It sends back values, never verdicts; the parent decides.
"""

from __future__ import annotations

import ast
import base64
import builtins
import io
import json
import os
import re
import socket
import sys
import traceback
import zipfile

from . import wire
from .isolation import Confinement, Limits, confine, drop_privileges

#: Largest file accepted inside a submitted zip (a notebook with its outputs fits easily).
MAX_MEMBER_BYTES = 32 * 1024 * 1024
_MAGIC_LINE = re.compile(r"^\s*[%!]|^\s*\w+\s*=\s*!")  # %magic, !shell, x = !shell


class LoadedSubmission:
    def __init__(self, kind: str, filename: str):
        self.kind = kind
        self.filename = filename
        self.namespace: dict = {"__builtins__": builtins,
                                "__name__": "__main__" if kind == "notebook" else "submission"}
        self.problems: list[dict] = []

    def report(self) -> dict:
        functions = sorted(k for k, v in self.namespace.items()
                           if callable(v) and not k.startswith("__"))
        return {"kind": self.kind, "problems": self.problems, "functions": functions[:500]}


# -- reading a submission ------------------------------------------------------------------------

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
    return chunks


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
                return kind, notebook_sources(text)
            return kind, [(member.filename, text)]
    raise LoadError("the zip holds no notebook (.ipynb) and no Python file")


class LoadError(Exception):
    """The submission cannot be read at all."""


def load(raw: bytes, filename: str) -> LoadedSubmission:
    """Run the submission's top-level code statement by statement, so that an error in one
    statement (or cell) costs only what it would have defined."""
    try:
        kind, chunks = sources(raw, filename)
    except (LoadError, ValueError) as exc:
        loaded = LoadedSubmission("unreadable", filename)
        loaded.problems.append({"where": filename, "error": str(exc)})
        return loaded
    loaded = LoadedSubmission(kind, filename)
    for label, source in chunks:
        try:
            tree = ast.parse(source, filename=label)
        except SyntaxError as exc:
            loaded.problems.append({"where": f"{label}, line {exc.lineno}",
                                    "error": f"SyntaxError: {exc.msg}"})
            continue
        for statement in tree.body:
            code = compile(ast.Module([statement], type_ignores=[]), label, "exec")
            try:
                exec(code, loaded.namespace)
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends included
                inner = _where(exc, label)
                where = f"{label}, line {statement.lineno}"
                if inner and not inner.startswith(where):
                    where += f" (raised at {inner})"
                loaded.problems.append({"where": where, "error": _describe(exc)})
    return loaded


# -- answering calls -----------------------------------------------------------------------------

def call(loaded: LoadedSubmission, request: dict) -> dict:
    name = request.get("fn")
    fn = loaded.namespace.get(name) if isinstance(name, str) else None
    if fn is None or not callable(fn):
        return {"status": "missing", "defined": fn is not None}
    try:
        args = wire.decode(request.get("args", []), read_only=True, functions=True)
        kwargs = wire.decode(request.get("kwargs", {"__dict__": {}}), read_only=True, functions=True)
        value = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - every exception is the student's answer
        return {"status": "raised", "type": type(exc).__name__,
                "bases": [c.__name__ for c in type(exc).__mro__][:20],
                "message": _describe(exc), "where": _where(exc, None)}
    try:
        return {"status": "ok", "value": wire.encode(value)}
    except BaseException as exc:  # noqa: BLE001 - a value whose conversion raises
        return {"status": "ok", "value": {"__unsupported__": f"a value that cannot be read "
                                          f"({type(exc).__name__})"}}


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001 - a lying __str__
        text = ""
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text[:1000]


def _where(exc: BaseException, label: str | None) -> str | None:
    """The innermost frame of the student's code: 'line 12 in bfgs' (with the cell, if any)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(("cell ", "<")) or frame.filename == _SUBMISSION_LABEL[0]:
            found = frame
    if found is None:
        return None
    prefix = f"{found.filename}, " if found.filename.startswith("cell ") else ""
    inside = f" in {found.name}" if found.name != "<module>" else ""
    return f"{prefix}line {found.lineno}{inside}"


_SUBMISSION_LABEL = ["submission.py"]


# -- the child's life ----------------------------------------------------------------------------

def serve(channel: socket.socket, request: dict) -> None:
    """Entry point in the freshly forked child; never returns."""
    try:
        spec = Confinement(workdir=request["workdir"], uid=request.get("uid"),
                           cloak=list(request.get("cloak", [])),
                           limits=Limits(**request.get("limits", {})))
        notes = confine(spec)
        filename = os.path.basename(request.get("filename") or "submission.py")
        _SUBMISSION_LABEL[0] = filename
        raw = base64.b64decode(request["submission"])
        with open(filename, "wb") as fh:
            fh.write(raw)
        drop_privileges(spec)
    except BaseException as exc:  # noqa: BLE001
        _send_and_exit(channel, {"status": "setup-failed", "message": _describe(exc)})
    loaded = load(raw, filename)
    try:
        wire.send_message(channel, {"status": "loaded", "notes": notes, **loaded.report()})
        while True:
            message = wire.recv_message(channel)
            if message.get("op") != "call":
                break
            reply = call(loaded, message)
            try:
                wire.send_message(channel, reply)
            except wire.ProtocolError:  # an absurdly large return value
                wire.send_message(channel, {"status": "ok", "value": {
                    "__unsupported__": "a value too large to grade"}})
    except BaseException:  # noqa: BLE001 - the parent went away, or a value could not be sent
        pass
    os._exit(0)


def _send_and_exit(channel: socket.socket, message: dict) -> None:
    try:
        wire.send_message(channel, message)
    finally:
        os._exit(70)


if __name__ == "__main__":  # pragma: no cover - debugging aid: load a file and list its functions
    with open(sys.argv[1], "rb") as fh:
        print(json.dumps(load(fh.read(), os.path.basename(sys.argv[1])).report(), indent=2))
