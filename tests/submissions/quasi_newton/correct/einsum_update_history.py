"""quasi_newton, correct: einsum-based BFGS update, line search over a precomputed array of
trial steps, bfgs that keeps the whole path and reports n_iter as len(path) - 1.
"""
import numpy as np
from scipy import optimize


def f(x):
    x = np.asarray(x, dtype=float)
    d = x - np.array([3.0, -2.0])
    return float(d @ d + x[0] * x[1])


def grad(x):
    x = np.asarray(x, dtype=float)
    return 2.0 * (x - np.array([3.0, -2.0])) + x[::-1]


def hess(x):
    return np.array([[2.0, 1.0], [1.0, 2.0]])


def solve_with_scipy(x0):
    result = optimize.minimize(fun=f, x0=np.asarray(x0, dtype=float), jac=grad, method="bfgs")
    return result


def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = 1.0 / np.einsum("i,i->", y, s)
    A = np.eye(s.size) - rho * np.einsum("i,j->ij", s, y)
    return np.einsum("ij,jk,lk->il", A, H, A) + rho * np.einsum("i,j->ij", s, s)


def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    x = np.asarray(x, dtype=float)
    p = np.asarray(p, dtype=float)
    trials = alpha0 * shrink ** np.arange(61, dtype=float)
    f0 = f(x)
    gp = float(np.sum(np.asarray(grad(x), dtype=float) * p))
    for alpha in trials[:60]:
        if f(x + alpha * p) <= f0 + c * alpha * gp:
            return float(alpha)
    return float(trials[60])


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    path = [np.array(x0, dtype=float)]
    H = np.eye(path[0].size)
    g = np.asarray(grad(path[0]), dtype=float)
    while len(path) - 1 < max_iter and np.linalg.norm(g) > tol:
        x = path[-1]
        p = -H @ g
        alpha = backtracking_line_search(f, grad, x, p)
        path.append(x + alpha * p)
        g_new = np.asarray(grad(path[-1]), dtype=float)
        s, y = path[-1] - x, g_new - g
        if y @ s > 1e-12:
            H = bfgs_update(H, s, y)
        g = g_new
    return path[-1], len(path) - 1
