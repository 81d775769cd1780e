"""Correct gradient descent written with explicit loops over the samples.

mse and mse_grad accumulate one sample at a time, as the sums in the formulas read;
closed_form uses scipy.linalg.lstsq (gelsd, minimum-norm) with numpy's rank cut-off.
"""
import numpy as np
import scipy.linalg


def mse(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    total = 0.0
    for i in range(X.shape[0]):
        r = float(X[i] @ w) - y[i]
        total += r * r
    return float(total / X.shape[0])


def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    n, d = X.shape
    g = np.zeros(d)
    for i in range(n):
        r = float(X[i] @ w) - y[i]
        g += r * X[i]
    return 2.0 * g / n


def batch_gradient_descent(X, y, lr=0.05, n_epochs=200, w0=None):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float, copy=True)
    history = []
    for _ in range(n_epochs):
        w = w - lr * mse_grad(w, X, y)
        history.append(mse(w, X, y))
    return w, np.asarray(history, dtype=float).reshape(n_epochs)


def closed_form(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    # scipy's default cut-off (eps * s_max) can keep a numerically-zero singular value of a
    # rank-deficient X; use numpy's (eps * max(n, d) * s_max) so the minimum-norm solution comes out.
    cond = np.finfo(float).eps * max(X.shape)
    solution, _, _, _ = scipy.linalg.lstsq(X, y, cond=cond)
    return solution
