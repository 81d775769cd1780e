"""quasi_newton, correct: f as a quadratic form, Sherman-Morrison (expanded) BFGS update.

f(x) = 1/2 x^T A x + b^T x + 13 with A = [[2, 1], [1, 2]], b = (-6, 4), so grad = A x + b and
hess = A. The inverse-Hessian update is written in its expanded form
H + (s^T y + y^T H y) s s^T / (s^T y)^2 - (H y s^T + s y^T H) / (s^T y),
which equals (I - rho s y^T) H (I - rho y s^T) + rho s s^T.
"""
import numpy as np
from scipy.optimize import minimize

_A = np.array([[2.0, 1.0], [1.0, 2.0]])
_B = np.array([-6.0, 4.0])


def f(x):
    x = np.asarray(x, dtype=float)
    return float(0.5 * x @ _A @ x + _B @ x + 13.0)


def grad(x):
    x = np.asarray(x, dtype=float)
    return _A @ x + _B


def hess(x):
    return _A.copy()


def solve_with_scipy(x0):
    return minimize(f, x0=np.asarray(x0, dtype=float), jac=grad, method="BFGS")


def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    sy = float(s @ y)
    Hy = H @ y
    yHy = float(y @ Hy)
    return (H + (sy + yHy) * np.outer(s, s) / sy ** 2
            - (np.outer(Hy, s) + np.outer(s, H.T @ y)) / sy)


def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    x = np.asarray(x, dtype=float)
    p = np.asarray(p, dtype=float)
    f0 = f(x)
    d = float(np.dot(grad(x), p))
    for k in range(61):
        alpha = alpha0 * shrink ** k
        if k == 60 or f(x + alpha * p) <= f0 + c * alpha * d:
            return alpha


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    x = np.asarray(x0, dtype=float).copy()
    H = np.identity(x.shape[0])
    n_iter = 0
    while n_iter < max_iter:
        g = np.asarray(grad(x), dtype=float)
        if np.sqrt(np.sum(g * g)) <= tol:
            break
        p = -(H @ g)
        alpha = backtracking_line_search(f, grad, x, p)
        x_next = x + alpha * p
        s = x_next - x
        y = np.asarray(grad(x_next), dtype=float) - g
        if s @ y > 1e-12:
            H = bfgs_update(H, s, y)
        x = x_next
        n_iter += 1
    return x, n_iter
