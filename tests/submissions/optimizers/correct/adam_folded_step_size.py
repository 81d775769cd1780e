"""Adam with the bias corrections folded into the step size (an exact rewriting).

The Adam paper's "efficient" form uses lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and
w <- w - lr_t * m / (sqrt(v) + eps_hat). It equals PyTorch's formula
w <- w - lr * m_hat / (sqrt(v_hat) + eps) exactly when eps_hat = eps * sqrt(1 - beta2^t)
(multiply numerator and denominator by sqrt(1 - beta2^t)); with eps_hat = eps it would not.
This file uses the rescaled eps_hat. The other functions use the bias-free momentum/RMSProp
updates written with explicit element loops over the coordinates (plain Python floats).
"""
import math

import numpy as np


def momentum_step(w, g, v, lr, beta=0.9):
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    v = np.asarray(v, dtype=float)
    w_new = np.empty_like(w)
    v_new = np.empty_like(v)
    for i in range(w.size):
        v_new[i] = beta * v[i] + g[i]
        w_new[i] = w[i] - lr * v_new[i]
    return w_new, v_new


def nesterov_step(w, g, v, lr, beta=0.9):
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    v = np.asarray(v, dtype=float)
    w_new = np.empty_like(w)
    v_new = np.empty_like(v)
    for i in range(w.size):
        v_new[i] = beta * v[i] + g[i]
        w_new[i] = w[i] - lr * (g[i] + beta * v_new[i])
    return w_new, v_new


def rmsprop_step(w, g, s, lr, alpha=0.99, eps=1e-8):
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    s = np.asarray(s, dtype=float)
    w_new = np.empty_like(w)
    s_new = np.empty_like(s)
    for i in range(w.size):
        s_new[i] = alpha * s[i] + (1.0 - alpha) * g[i] * g[i]
        w_new[i] = w[i] - lr * g[i] / (math.sqrt(s_new[i]) + eps)
    return w_new, s_new


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    m_new = beta1 * np.asarray(m, dtype=float) + (1.0 - beta1) * g
    v_new = beta2 * np.asarray(v, dtype=float) + (1.0 - beta2) * g * g
    root_bc2 = math.sqrt(1.0 - beta2 ** t)
    lr_t = lr * root_bc2 / (1.0 - beta1 ** t)
    eps_hat = eps * root_bc2
    w_new = w - lr_t * m_new / (np.sqrt(v_new) + eps_hat)
    return w_new, m_new, v_new


def run_optimizer(grad, x0, method, n_steps, lr, **hyper):
    if method not in ("sgd", "momentum", "nesterov", "rmsprop", "adam"):
        raise ValueError("unknown method: " + str(method))
    w = np.array(x0, dtype=float)
    a = np.zeros_like(w)
    b = np.zeros_like(w)
    path = [w.copy()]
    for k in range(n_steps):
        g = np.asarray(grad(w.copy()), dtype=float)
        if method == "sgd":
            w = w - lr * g
        elif method == "momentum":
            w, a = momentum_step(w, g, a, lr, **hyper)
        elif method == "nesterov":
            w, a = nesterov_step(w, g, a, lr, **hyper)
        elif method == "rmsprop":
            w, a = rmsprop_step(w, g, a, lr, **hyper)
        else:
            w, a, b = adam_step(w, g, a, b, k + 1, lr, **hyper)
        path.append(w.copy())
    return np.vstack(path)
