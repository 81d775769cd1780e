"""Newton-Raphson assignment: WRONG (newton_zero_derivative_unchecked): newton divides by fp(x) without checking for zero (floats converted first, as in the seed's float(x0)), so a horizontal tangent raises ZeroDivisionError instead of RuntimeError; visible only on an input whose iterate has fp(x) == 0 (e.g. x**2 + 1 from 0), which the contract names."""
import math

import numpy as np


def newton(f, fp, x0, tol=1e-10, max_iter=50):
    x = float(x0)
    for i in range(max_iter):
        fx = f(x)
        if abs(fx) < tol:
            return x, i
        x = x - float(fx) / float(fp(x))
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
    return math.log(e3 / e2) / math.log(e2 / e1)
