"""Newton-Raphson assignment, correct alternative: a generator of iterates.

newton consumes a generator that yields (i, x, f(x)); the secant method recomputes f at
both points in every iteration (no caching: more evaluations, the same numbers);
newton_iterates builds a list; convergence_order uses np.diff of the logarithms.
"""
import numpy as np


def _newton_steps(f, fp, x):
    i = 0
    while True:
        fx = f(x)
        yield i, x, fx
        d = fp(x)
        if d == 0.0:
            raise RuntimeError("Newton step impossible: f'(x) = 0 at x = {}".format(x))
        x = x - fx / d
        i += 1


def newton(f, fp, x0, tol=1e-10, max_iter=50):
    if max_iter <= 0:
        raise RuntimeError("no iterations allowed")
    for i, x, fx in _newton_steps(f, fp, float(x0)):
        if abs(fx) < tol:
            return x, i
        if i == max_iter - 1:
            break
    raise RuntimeError("Newton: max_iter reached without convergence")


def newton_iterates(f, fp, x0, n_steps):
    path = [float(x0)]
    while len(path) < n_steps + 1:
        x = path[-1]
        path.append(x - f(x) / fp(x))
    return np.asarray(path, dtype=float)


def secant(f, x0, x1, tol=1e-10, max_iter=100):
    x_prev, x_cur = float(x0), float(x1)
    for it in range(max_iter):
        if abs(f(x_cur)) < tol:
            return x_cur, it
        denominator = f(x_cur) - f(x_prev)
        if denominator == 0:
            raise RuntimeError("secant: f(x1) - f(x0) == 0")
        x_prev, x_cur = x_cur, x_cur - f(x_cur) * (x_cur - x_prev) / denominator
    raise RuntimeError("secant: max_iter reached without convergence")


def convergence_order(errors):
    e = np.array([v for v in np.asarray(errors, dtype=float).ravel() if v > 0.0])
    d = np.diff(np.log(e[-3:]))
    return float(d[1] / d[0])
