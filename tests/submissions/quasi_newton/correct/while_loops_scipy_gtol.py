"""quasi_newton, correct: scipy with a tighter gtol in an options dict, while-loop line search,
s = alpha * p, gradients reused between iterations, hess built with np.full.
"""
import math

import numpy as np
import scipy.optimize


def f(x):
    a, b = (float(v) for v in np.asarray(x, dtype=float))
    return (a - 3.0) * (a - 3.0) + (b + 2.0) * (b + 2.0) + a * b


def grad(x):
    a, b = np.asarray(x, dtype=float)
    return np.array([2.0 * a + b - 6.0, a + 2.0 * b + 4.0])


def hess(x):
    h = np.full((2, 2), 1.0)
    np.fill_diagonal(h, 2.0)
    return h


def solve_with_scipy(x0):
    return scipy.optimize.minimize(f, np.array(x0, dtype=float), method="BFGS", jac=grad,
                                   options={"gtol": 1e-7, "maxiter": 1000})


def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)
    s = np.asarray(s, dtype=float).reshape(-1, 1)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    rho = 1.0 / (y.T @ s).item()
    n = s.shape[0]
    left = np.eye(n) - rho * (s @ y.T)
    right = np.eye(n) - rho * (y @ s.T)
    return left @ H @ right + rho * (s @ s.T)


def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    x = np.asarray(x, dtype=float)
    p = np.asarray(p, dtype=float)
    fx = f(x)
    slope = float(np.asarray(grad(x)) @ p)
    k = 0
    while k < 60:
        alpha = alpha0 * math.pow(shrink, k)
        if f(x + alpha * p) <= fx + c * alpha * slope:
            return alpha
        k += 1
    return alpha0 * math.pow(shrink, 60)


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    x = np.array(x0, dtype=float, copy=True)
    n = x.size
    H = np.eye(n)
    g = np.asarray(grad(x), dtype=float)
    it = 0
    while np.linalg.norm(g) > tol and it < max_iter:
        p = -H.dot(g)
        alpha = backtracking_line_search(f, grad, x, p)
        s = alpha * p
        x = x + s
        g_new = np.asarray(grad(x), dtype=float)
        y = g_new - g
        if float(y @ s) > 1e-12:
            H = bfgs_update(H, s, y)
        g = g_new
        it += 1
    return x, it
