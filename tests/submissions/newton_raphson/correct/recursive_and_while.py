"""Newton-Raphson assignment, correct alternative: recursion and while loops.

newton is written recursively (one call per iteration; the recursion limit is raised when
max_iter is large), secant as a while loop, newton_iterates fills a preallocated array,
convergence_order works with numpy logarithms of the last three positive errors.
"""
import sys

import numpy as np


def newton(f, fp, x0, tol=1e-10, max_iter=50):
    needed = max_iter + 100
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)

    def step(x, i):
        if i >= max_iter:
            raise RuntimeError("Newton did not converge in %d iterations" % max_iter)
        fx = f(x)
        if abs(fx) < tol:
            return x, i
        slope = fp(x)
        if slope == 0:
            raise RuntimeError("zero derivative at x = %r" % x)
        return step(x - fx / slope, i + 1)

    return step(float(x0), 0)


def newton_iterates(f, fp, x0, n_steps):
    out = np.empty(n_steps + 1)
    out[0] = float(x0)
    for k in range(n_steps):
        x = float(out[k])
        out[k + 1] = x - f(x) / fp(x)
    return out


def secant(f, x0, x1, tol=1e-10, max_iter=100):
    a, b = float(x0), float(x1)
    fa, fb = f(a), f(b)
    i = 0
    while i < max_iter:
        if abs(fb) < tol:
            return b, i
        if fb - fa == 0:
            raise RuntimeError("secant: horizontal secant (f(x1) == f(x0))")
        a, b = b, b - fb * (b - a) / (fb - fa)
        fa, fb = fb, f(b)
        i += 1
    raise RuntimeError("secant did not converge in %d iterations" % max_iter)


def convergence_order(errors):
    e = np.asarray(errors, dtype=float).reshape(-1)
    e = e[e > 0][-3:]
    logs = np.log(e)
    return float((logs[2] - logs[1]) / (logs[1] - logs[0]))
