"""The sandboxed child: loads one submission and answers calls to its functions.

This module runs student code. It sends back values, never verdicts; the parent decides.
"""

from __future__ import annotations

import ast
import base64
import builtins
import os
import socket
import sys
import traceback

from . import wire
from .isolation import Confinement, Limits, confine, drop_privileges

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


def load(kind: str, chunks: list, filename: str, problems: list) -> LoadedSubmission:
    """Run the submission's code chunks: a module statement by statement, so that an error in
    one statement costs only what it would have defined; a notebook cell by cell, each cell up
    to its first error, as Jupyter's Run All would if it went on after errors."""
    loaded = LoadedSubmission(kind, filename)
    loaded.problems.extend(problems)
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
                if kind == "notebook":
                    break  # like Jupyter's Run All: a cell stops at its error, the next runs
    return loaded


class PreloadedOnly:
    """An import hook: submissions may import what the fork server preloaded, nothing else.

    After the privilege drop the child may or may not be able to read the interpreter's files,
    depending on where Python is installed (on Gradescope, as here, it is under /root). Refusing
    every new import makes a submission's behaviour the same everywhere, with a clear message.
    """

    def find_spec(self, name, path=None, target=None):
        if name in sys.modules:
            return None
        raise ModuleNotFoundError(
            f"the grader does not provide the module {name!r}: submissions may import numpy, "
            "scipy (optimize, linalg, special), matplotlib and common standard-library modules",
            name=name)


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

def _data_directories() -> list[str]:
    """Files the preloaded modules read while they run: matplotlib opens its fonts when it
    draws text (its font cache is emptied at every fork), and its style sheets on request."""
    matplotlib = sys.modules.get("matplotlib")
    return [matplotlib.get_data_path()] if matplotlib is not None else []


def serve(channel: socket.socket, request: dict) -> None:
    """Entry point in the freshly forked child; never returns."""
    try:
        spec = Confinement(workdir=request["workdir"], uid=request.get("uid"),
                           cloak=list(request.get("cloak", [])),
                           limits=Limits(**request.get("limits", {})),
                           readable=_data_directories())
        notes = confine(spec)
        filename = os.path.basename(request.get("filename") or "submission.py")
        _SUBMISSION_LABEL[0] = filename
        with open(filename, "wb") as fh:
            fh.write(base64.b64decode(request["submission"]))
        drop_privileges(spec)
        chunks = [(str(label), str(source)) for label, source in request["chunks"]]
        sys.meta_path.insert(0, PreloadedOnly())
    except BaseException as exc:  # noqa: BLE001
        _send_and_exit(channel, {"status": "setup-failed", "message": _describe(exc)})
    loaded = load(str(request.get("kind")), chunks, filename, list(request.get("problems", [])))
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


