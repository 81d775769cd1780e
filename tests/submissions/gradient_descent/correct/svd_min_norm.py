"""Correct gradient descent with a hand-written SVD least-squares solution.

closed_form keeps the singular values above eps * max(n, d) * s_max (lstsq's cut-off) and returns
V S^+ U^T y, the minimum-norm least-squares solution.
"""
import numpy as np


def mse(w, X, y):
    X = np.asarray(X, dtype=float)
    diff = X.dot(np.asarray(w, dtype=float)) - np.asarray(y, dtype=float)
    return float(np.square(diff).mean())


def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    residual = X.dot(np.asarray(w, dtype=float)) - y
    return X.T.dot(residual) * (2.0 / len(y))


def batch_gradient_descent(X, y, lr=0.05, n_epochs=200, w0=None):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if w0 is None:
        w = np.zeros(X.shape[1])
    else:
        w = np.asarray(w0, dtype=float).copy()
    history = np.empty(n_epochs, dtype=float)
    k = 0
    while k < n_epochs:
        w = w - lr * mse_grad(w, X, y)
        history[k] = mse(w, X, y)
        k += 1
    return w, history


def closed_form(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    if s.size == 0:
        return np.zeros(X.shape[1])
    cutoff = np.finfo(float).eps * max(X.shape) * s[0]
    keep = s > cutoff
    coeffs = (U[:, keep].T @ y) / s[keep]
    return Vt[keep].T @ coeffs
