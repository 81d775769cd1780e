"""Newton-Raphson assignment: WRONG (order_ratio_inverted): convergence_order computes log(e[k] / e[k-1]) / log(e[k+1] / e[k]), the reciprocal of the order (about 0.5 for Newton, 0.618 for the secant)."""
import math

import numpy as np


def newton(f, fp, x0, tol=1e-10, max_iter=50):
    x = float(x0)
    for i in range(max_iter):
        fx = f(x)
        if abs(fx) < tol:
            return x, i
        d = fp(x)
        if d == 0:
            raise RuntimeError("zero derivative")
        x = x - fx / d
    raise RuntimeError("did not converge")


def newton_iterates(f, fp, x0, n_steps):
    xs = [float(x0)]
    for _ in range(n_steps):
        x = xs[-1]
        xs.append(x - f(x) / fp(x))
    return np.array(xs)


def secant(f, x0, x1, tol=1e-10, max_iter=100):
    x0, x1 = float(x0), float(x1)
    f0, f1 = f(x0), f(x1)
    for i in range(max_iter):
        if abs(f1) < tol:
            return x1, i
        if f1 == f0:
            raise RuntimeError("zero denominator")
        x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
        x0, f0 = x1, f1
        x1, f1 = x2, f(x2)
    raise RuntimeError("did not converge")


def convergence_order(errors):
    e = [float(v) for v in np.ravel(errors) if v > 0]
    e1, e2, e3 = e[-3], e[-2], e[-1]
    return math.log(e2 / e1) / math.log(e3 / e2)
