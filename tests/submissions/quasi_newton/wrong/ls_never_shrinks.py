"""quasi_newton, wrong: Line search that never shrinks alpha (the shrunk value is computed but not stored): always returns alpha0."""
import numpy as np
from scipy.optimize import minimize


def f(x):
    x = np.asarray(x, dtype=float)
    return float((x[0] - 3) ** 2 + (x[1] + 2) ** 2 + x[0] * x[1])


def grad(x):
    x = np.asarray(x, dtype=float)
    return np.array([2 * (x[0] - 3) + x[1],
                     2 * (x[1] + 2) + x[0]])


def hess(x):
    return np.array([[2.0, 1.0],
                     [1.0, 2.0]])


def solve_with_scipy(x0):
    res = minimize(f, np.asarray(x0, dtype=float), jac=grad, method="BFGS")
    return res


def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = 1.0 / (y @ s)
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)


def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    x = np.asarray(x, dtype=float)
    p = np.asarray(p, dtype=float)
    fx = f(x)
    gp = grad(x) @ p
    alpha = alpha0
    for _ in range(60):
        if f(x + alpha * p) <= fx + c * alpha * gp:
            return alpha
        alpha * shrink
    return alpha


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    x = np.array(x0, dtype=float)
    H = np.eye(len(x))
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k
        p = -H @ g
        alpha = backtracking_line_search(f, grad, x, p)
        x_new = x + alpha * p
        s = x_new - x
        y = grad(x_new) - g
        if y @ s > 1e-12:
            H = bfgs_update(H, s, y)
        x = x_new
    return x, max_iter
