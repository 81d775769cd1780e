"""Numerical checks for hidden suites, with messages a student can act on.

Modelled on numpy.testing: strict shapes (a scalar never matches a vector), finite values,
``equal_nan=False``, and on failure a message naming the input, the expected value, the value
returned and, for arrays, where they differ most. Every check takes the student's value as it
came back from the sandbox: plain numbers, numpy arrays, tuples, dicts or
:class:`~autograder.sandbox.wire.Unsupported`.
"""

from __future__ import annotations

import numbers

import numpy as np

from autograder.formatting import array_text
from autograder.sandbox.judge import StudentRaised, SubmissionError
from autograder.sandbox.wire import Unsupported

__all__ = ["Mismatch", "as_array", "as_scalar", "as_int", "assert_close", "assert_scalar_close",
           "assert_true", "expect_raises", "describe", "unpack"]


class Mismatch(AssertionError):
    """A check failed; its text is shown to the student as it is."""


def describe(value, limit: int = 300) -> str:
    if isinstance(value, np.ndarray):
        text = array_text(value)
        text = f"array({text}) of shape {value.shape}" if value.ndim else f"0-d array({text})"
    elif isinstance(value, float):
        text = repr(value)  # a scalar is quoted in full: every digit may matter
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k!r}: {describe(v, 60)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _context(what: str, inputs: str | None) -> str:
    return f"{what} for {inputs}" if inputs else what


def as_array(value, *, shape: tuple, what: str, inputs: str | None = None) -> np.ndarray:
    """The returned value as a float array of exactly ``shape``, finite."""
    where = _context(what, inputs)
    if isinstance(value, Unsupported):
        raise Mismatch(f"{where}: expected a float array of shape {shape}, got {value!r}.")
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, dict, tuple)):
        raise Mismatch(f"{where}: expected a numpy array of shape {shape}, got {describe(value)}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Mismatch(f"{where}: expected a numpy array of shape {shape}, "
                       f"got {describe(value)}.") from None
    if array.shape != tuple(shape):
        kind = "a scalar" if array.ndim == 0 else f"shape {array.shape}"
        raise Mismatch(f"{where}: expected an array of shape {tuple(shape)}, got {kind}: "
                       f"{describe(value)}.")
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))
        raise Mismatch(f"{where}: the result holds non-finite values (first at index "
                       f"{tuple(int(i) for i in bad[0])}): {describe(array)}.")
    return array


def as_scalar(value, *, what: str, inputs: str | None = None, finite: bool = True) -> float:
    """The returned value as a float; numbers and 0-d arrays qualify, vectors never do."""
    where = _context(what, inputs)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise Mismatch(f"{where}: expected a float, got {describe(value)}.")
    result = float(value)
    if finite and not np.isfinite(result):
        raise Mismatch(f"{where}: expected a finite float, got {result!r}.")
    return result


def as_int(value, *, what: str, inputs: str | None = None) -> int:
    where = _context(what, inputs)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        value = value[()]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise Mismatch(f"{where}: expected an integer, got {describe(value)}.")
    return int(value)


def unpack(value, n: int, *, what: str, inputs: str | None = None) -> tuple:
    """A returned tuple (or list) of exactly ``n`` items."""
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise Mismatch(f"{_context(what, inputs)}: expected a tuple of {n} values, "
                       f"got {describe(value)}.")
    return tuple(value)


def assert_close(actual, expected, *, rtol: float = 1e-10, atol: float = 0.0, what: str,
                 inputs: str | None = None, why: str | None = None) -> np.ndarray:
    """Strict shape, finite values, then |actual - expected| <= atol + rtol |expected|
    elementwise. Returns the student's array for further checks."""
    expected = np.asarray(expected, dtype=float)
    array = as_array(actual, shape=expected.shape, what=what, inputs=inputs)
    error = np.abs(array - expected)
    allowed = atol + rtol * np.abs(expected)
    if np.all(error <= allowed):
        return array
    bad = error > allowed
    worst = np.unravel_index(np.argmax(np.where(bad, error - allowed, -np.inf)), error.shape)
    index = f" at index {tuple(int(i) for i in worst)}" if expected.ndim else ""
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = error / np.abs(expected)
    lines = [
        f"{_context(what, inputs)}: not equal to tolerance rtol={rtol:g}, atol={atol:g}"
        + (f" ({why})" if why else ""),
        f"Mismatched elements: {int(bad.sum())} / {bad.size}",
        f"Largest mismatch{index}: expected {float(expected[worst])!r}, got {float(array[worst])!r} "
        f"(absolute difference {error[worst]:.3g}, relative {rel[worst]:.3g})",
        f" expected: {describe(expected)}",
        f" returned: {describe(array)}",
    ]
    raise Mismatch("\n".join(lines))


def assert_scalar_close(actual, expected: float, *, rtol: float = 1e-10, atol: float = 0.0,
                        what: str, inputs: str | None = None, why: str | None = None) -> float:
    value = as_scalar(actual, what=what, inputs=inputs)
    if abs(value - expected) <= atol + rtol * abs(expected):
        return value
    reason = f" ({why})" if why else ""
    raise Mismatch(f"{_context(what, inputs)}: expected {float(expected)!r}, got {value!r} "
                   f"(difference {abs(value - expected):.3g}; allowed atol={atol:g}, "
                   f"rtol={rtol:g}){reason}.")


def assert_true(condition: bool, message: str) -> None:
    if not condition:
        raise Mismatch(message)


def expect_raises(call, exception: str, *, what: str, inputs: str | None = None,
                  not_: tuple[str, ...] = ("NotImplementedError",)) -> StudentRaised:
    """Run ``call()`` (a call into the submission) and require that it raises the built-in
    ``exception`` (a subclass counts), but none of ``not_``: a skeleton's NotImplementedError
    is a RuntimeError and must not pass for one."""
    where = _context(what, inputs)
    try:
        value = call()
    except StudentRaised as raised:
        if raised.not_implemented and "NotImplementedError" in not_:
            raise
        if raised.is_a(exception) and not any(raised.is_a(n) for n in not_):
            return raised
        raise Mismatch(f"{where}: expected {exception}, but it raised {raised.detail}.") from None
    except SubmissionError:
        raise
    raise Mismatch(f"{where}: expected {exception} to be raised, but it returned "
                   f"{describe(value)}.")
