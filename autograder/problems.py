"""The named problem library: every callable argument a hidden test passes to student code.

A test never sends a function across the sandbox boundary. It sends a name and numeric
parameters (a :class:`~autograder.sandbox.wire.FunctionRef`); the child builds its copy from this
module, and the parent checks results with its own copy. A child that tampers with its copy only
hurts itself.

Entries are plain Python functions of a 1-D float array (or of a float, for root finding, or of
an integer step, for schedules), as the contract promises students.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

_BUILDERS: dict[str, Callable[..., Callable]] = {}


def entry(name: str):
    def register(builder):
        _BUILDERS[name] = builder
        return builder
    return register


def build(name: str, params: dict) -> Callable:
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise KeyError(f"unknown problem {name!r}") from None
    return builder(**params)


def names() -> list[str]:
    return sorted(_BUILDERS)


def ref(name: str, **params):
    """A callable argument for a test: usable here, and sendable to the child."""
    from autograder.sandbox.wire import FunctionRef

    return FunctionRef(name, **params)


def _vec(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


# -- the lesson's Example 1 objective ------------------------------------------------------------

@entry("seed.f")
def _seed_f():
    def f(x):
        x = _vec(x)
        return float((x[0] - 3.0) ** 2 + (x[1] + 2.0) ** 2 + x[0] * x[1])
    return f


@entry("seed.grad")
def _seed_grad():
    def grad(x):
        x = _vec(x)
        return np.array([2.0 * (x[0] - 3.0) + x[1], 2.0 * (x[1] + 2.0) + x[0]])
    return grad


# -- quadratics f(x) = 1/2 x^T A x - b^T x (A symmetric positive definite) ------------------------

@entry("quadratic.f")
def _quadratic_f(A, b):
    A, b = _vec(A), _vec(b)

    def f(x):
        x = _vec(x)
        return float(0.5 * x @ A @ x - b @ x)
    return f


@entry("quadratic.grad")
def _quadratic_grad(A, b):
    A, b = _vec(A), _vec(b)

    def grad(x):
        return A @ _vec(x) - b
    return grad


@entry("centred_quadratic.f")
def _centred_quadratic_f(A, c):
    """1/2 (x - c)^T A (x - c): minimum value 0, so that Armijo tests near the minimiser are
    not decided by rounding in f (as they are when the minimum value is far from zero)."""
    A, c = _vec(A), _vec(c)

    def f(x):
        d = _vec(x) - c
        return float(0.5 * d @ A @ d)
    return f


@entry("centred_quadratic.grad")
def _centred_quadratic_grad(A, c):
    A, c = _vec(A), _vec(c)

    def grad(x):
        return A @ (_vec(x) - c)
    return grad


# -- Rosenbrock's function (a - x0)^2 + b (x1 - x0^2)^2, summed over consecutive pairs ---------------

@entry("rosenbrock.f")
def _rosenbrock_f(a=1.0, b=100.0):
    def f(x):
        x = _vec(x)
        return float(np.sum((a - x[:-1]) ** 2 + b * (x[1:] - x[:-1] ** 2) ** 2))
    return f


@entry("rosenbrock.grad")
def _rosenbrock_grad(a=1.0, b=100.0):
    def grad(x):
        x = _vec(x)
        g = np.zeros_like(x)
        inner = x[1:] - x[:-1] ** 2
        g[:-1] += -2.0 * (a - x[:-1]) - 4.0 * b * x[:-1] * inner
        g[1:] += 2.0 * b * inner
        return g
    return grad


# -- scalar functions for root finding ---------------------------------------------------------

@entry("poly.f")
def _poly_f(coeffs):
    """The polynomial with these coefficients, highest degree first (numpy.polyval's order)."""
    c = [float(v) for v in _vec(coeffs)]

    def f(x):
        acc = 0.0
        for v in c:
            acc = acc * x + v
        return acc
    return f


@entry("poly.fp")
def _poly_fp(coeffs):
    c = _vec(coeffs)
    n = len(c) - 1
    return _poly_f([v * (n - i) for i, v in enumerate(c[:-1])] or [0.0])


@entry("cbrt.f")
def _cbrt_f():
    """x^(1/3), whose Newton iteration doubles the distance to the root at every step."""
    return lambda x: math.copysign(abs(x) ** (1.0 / 3.0), x)


@entry("cbrt.fp")
def _cbrt_fp():
    return lambda x: (1.0 / 3.0) * abs(x) ** (-2.0 / 3.0) if x != 0 else math.inf


@entry("atan.f")
def _atan_f(shift=0.0):
    return lambda x: math.atan(x - shift)


@entry("atan.fp")
def _atan_fp(shift=0.0):
    return lambda x: 1.0 / (1.0 + (x - shift) ** 2)


@entry("cos_minus.f")
def _cos_minus_f(scale=1.0):
    """cos(x) - scale * x: one simple root for scale > 0."""
    return lambda x: math.cos(x) - scale * x


@entry("cos_minus.fp")
def _cos_minus_fp(scale=1.0):
    return lambda x: -math.sin(x) - scale


# -- learning-rate schedules -------------------------------------------------------------------

@entry("schedule.table")
def _schedule_table(rates):
    """A schedule given by its values: step t gets rates[t] (the last rate after the table)."""
    rates = [float(v) for v in _vec(rates)]

    def schedule(t):
        return rates[min(int(t), len(rates) - 1)]
    return schedule
