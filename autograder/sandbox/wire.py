"""The message format between the trusted parent and the sandboxed child.

Messages are length-prefixed JSON. Arrays travel as raw little-endian bytes (base64) with their
dtype and shape, so float64 values cross exactly. Nothing is ever pickled: the parent decodes
only plain data, and ``decode`` refuses anything it does not recognise.

Both sides import this module. The child's copy may be tampered with by student code; that only
changes what the child sends, which the parent validates again.
"""

from __future__ import annotations

import base64
import json
import math
import socket
import struct

import numpy as np

from autograder.formatting import array_text

#: Largest message either side accepts (a generous bound on any honest return value).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
#: Dtypes that may cross the boundary, by their ``dtype.str``.
ARRAY_DTYPES = {"<f8": np.float64, "<i8": np.int64, "|b1": np.bool_}
_HEADER = struct.Struct("!Q")
_MAX_DEPTH = 16


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


# -- framing -------------------------------------------------------------------------------------

def send_message(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message, allow_nan=True, separators=(",", ":")).encode()
    if len(data) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {len(data)} bytes exceeds the limit")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket) -> dict:
    (length,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {length} bytes exceeds the limit")
    try:
        message = json.loads(_recv_exact(sock, length))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


# -- values --------------------------------------------------------------------------------------

class FunctionRef:
    """A callable argument, named by its entry in :mod:`autograder.problems` and its parameters.

    The parent calls it directly (with its own copy of the problem library); on the wire it
    becomes ``{"__fn__": name, "params": {...}}`` and the child builds its own copy.
    """

    __slots__ = ("name", "params", "_fn")

    def __init__(self, name: str, **params):
        from autograder import problems  # late: problems imports this module

        self.name = name
        self.params = {k: (np.array(v, dtype=float) if isinstance(v, (list, np.ndarray)) else v)
                       for k, v in params.items()}
        self._fn = problems.build(name, self.params)

    def __call__(self, *args):
        return self._fn(*args)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())
        return f"{self.name}({shown})" if shown else self.name


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return array_text(value, digits=5, threshold=12)
    return repr(value)


def encode(value, _depth: int = 0):
    """Turn a value into JSON-able data. Used by the child on return values and by the parent
    on arguments; unknown objects become a description instead of failing."""
    if _depth > _MAX_DEPTH:
        return {"__unsupported__": "nesting too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:10_000]
    if isinstance(value, FunctionRef):
        return {"__fn__": value.name, "params": encode(value.params, _depth + 1)}
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value if type(value) is float or abs(value) < 2**63 else float(value)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind in "fiub" and array.ndim == 0 and isinstance(value, np.generic):
            return {"__scalar__": _encode_array(array)}
        if array.dtype.kind not in "fiub":
            return {"__unsupported__": f"{array.dtype} array of shape {array.shape}"}
        return {"__nd__": _encode_array(array)}
    if isinstance(value, (int, float)):  # subclasses of int/float: take their plain value
        return encode(float(value) if isinstance(value, float) else int(value), _depth + 1)
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, _depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, _depth + 1) for v in value[:100_000]]
    if isinstance(value, dict):
        return {"__dict__": {str(k): encode(v, _depth + 1) for k, v in list(value.items())[:1000]}}
    return {"__unsupported__": f"object of type {type(value).__name__}"}


def _encode_array(array: np.ndarray) -> dict:
    kind = array.dtype.kind
    target = {"f": "<f8", "i": "<i8", "u": "<i8", "b": "|b1"}[kind]
    data = np.array(array, dtype=ARRAY_DTYPES[target], order="C")  # keeps 0-d shapes
    return {"dtype": target, "shape": list(data.shape), "data": base64.b64encode(data.tobytes()).decode()}


def decode(data, *, read_only: bool = False, functions: bool = False, _depth: int = 0):
    """Rebuild a value from :func:`encode`'s output, strictly: plain data only.

    ``functions`` admits callable arguments; only the child, receiving a call, sets it."""
    if _depth > _MAX_DEPTH + 1:
        raise ProtocolError("nesting too deep")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, read_only=read_only, functions=functions, _depth=_depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise ProtocolError("unexpected value")
    if "__nd__" in data:
        return _decode_array(data["__nd__"], read_only)
    if "__scalar__" in data:
        return _decode_array(data["__scalar__"], True)[()]
    if "__tuple__" in data:
        return tuple(decode(v, read_only=read_only, functions=functions, _depth=_depth + 1) for v in data["__tuple__"])
    if "__dict__" in data and isinstance(data["__dict__"], dict):
        return {k: decode(v, read_only=read_only, functions=functions, _depth=_depth + 1) for k, v in data["__dict__"].items()}
    if "__unsupported__" in data:
        return Unsupported(str(data["__unsupported__"])[:200])
    if "__fn__" in data and functions:
        params = decode(data.get("params", {"__dict__": {}}), _depth=_depth + 1)
        return FunctionRef(str(data["__fn__"]), **params)
    raise ProtocolError("unexpected value")


def _decode_array(spec, read_only: bool) -> np.ndarray:
    try:
        dtype = ARRAY_DTYPES[spec["dtype"]]
        shape = tuple(int(n) for n in spec["shape"])
        raw = base64.b64decode(spec["data"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed array: {exc}") from None
    if any(n < 0 for n in shape) or len(shape) > 32:
        raise ProtocolError("malformed array shape")
    expected = math.prod(shape) * np.dtype(dtype).itemsize
    if len(raw) != expected:
        raise ProtocolError("array data does not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    array.flags.writeable = not read_only
    return array


class Unsupported:
    """A returned value the child could not express as data (a function, a string array, ...)."""

    def __init__(self, description: str):
        self.description = description

    def __repr__(self) -> str:
        return f"<{self.description}>"
