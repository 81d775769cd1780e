"""Gradient-descent submission with one mistake: the loss is recorded before the step instead of after it."""
import numpy as np


def mse(w, X, y):
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.mean((X @ w - y) ** 2))


def mse_grad(w, X, y):
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = X.shape[0]
    return 2.0 / n * X.T @ (X @ w - y)


def batch_gradient_descent(X, y, lr=0.05, n_epochs=200, w0=None):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if w0 is None:
        w = np.zeros(X.shape[1])
    else:
        w = np.array(w0, dtype=float)
    history = []
    for epoch in range(n_epochs):
        history.append(mse(w, X, y))
        w = w - lr * mse_grad(w, X, y)
    return w, np.array(history, dtype=float)


def closed_form(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.linalg.lstsq(X, y, rcond=None)[0]
