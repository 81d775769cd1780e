"""quasi_newton, correct: recursive line search with a precomputed slope, BFGS update through
V^T H V with V = I - rho y s^T, scipy with a 2-norm gtol in the options, bfgs as a for/else loop.
"""
import numpy as np
from scipy.optimize import minimize


def f(x):
    x0, x1 = np.asarray(x, dtype=float)
    return float(x0 ** 2 + x1 ** 2 + x0 * x1 - 6.0 * x0 + 4.0 * x1 + 13.0)


def grad(x):
    x = np.asarray(x, dtype=float)
    return np.array([[2.0, 1.0], [1.0, 2.0]]) @ x + np.array([-6.0, 4.0])


def hess(x):
    return np.eye(2) + np.ones((2, 2))


def solve_with_scipy(x0):
    return minimize(lambda z: f(z), list(np.asarray(x0, dtype=float)), jac=lambda z: grad(z),
                    method="BFGS", options={"gtol": 1e-6, "norm": 2})


def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = 1.0 / np.dot(y, s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    x = np.asarray(x, dtype=float)
    p = np.asarray(p, dtype=float)
    fx = f(x)
    slope = np.dot(grad(x), p)

    def attempt(k):
        alpha = alpha0 * shrink ** k
        if k == 60:
            return float(alpha)
        if f(x + alpha * p) <= fx + c * alpha * slope:
            return float(alpha)
        return attempt(k + 1)

    return attempt(0)


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    x = np.array(x0, dtype=float)
    H = np.eye(x.size)
    for k in range(max_iter):
        g = np.asarray(grad(x), dtype=float)
        if np.linalg.norm(g, 2) <= tol:
            break
        p = -np.dot(H, g)
        x_new = x + backtracking_line_search(f, grad, x, p) * p
        s, y = x_new - x, np.asarray(grad(x_new), dtype=float) - g
        if np.dot(y, s) > 1e-12:
            H = bfgs_update(H, s, y)
        x = x_new
    else:
        return x, max_iter
    return x, k
