"""Optimisers that copy their inputs once and then update the copies in place.

Every step function starts with np.array(..., dtype=float) (a copy), so the in-place operators
(*=, +=, -=, np.sqrt(..., out=...)) only touch private arrays and the caller's arrays are never
changed. run_optimizer writes into a preallocated path and dispatches through a dict.
"""
import numpy as np


def momentum_step(w, g, v, lr, beta=0.9):
    w = np.array(w, dtype=float)
    v = np.array(v, dtype=float)
    v *= beta
    v += np.asarray(g, dtype=float)
    w -= lr * v
    return w, v


def nesterov_step(w, g, v, lr, beta=0.9):
    w = np.array(w, dtype=float)
    v = np.array(v, dtype=float)
    g = np.asarray(g, dtype=float)
    v *= beta
    v += g
    direction = v * beta
    direction += g
    w -= lr * direction
    return w, v


def rmsprop_step(w, g, s, lr, alpha=0.99, eps=1e-8):
    w = np.array(w, dtype=float)
    s = np.array(s, dtype=float)
    g = np.asarray(g, dtype=float)
    s *= alpha
    s += (1.0 - alpha) * g ** 2
    denom = np.sqrt(s)
    denom += eps
    w -= lr * (g / denom)
    return w, s


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w = np.array(w, dtype=float)
    m = np.array(m, dtype=float)
    v = np.array(v, dtype=float)
    g = np.asarray(g, dtype=float)
    m *= beta1
    m += (1.0 - beta1) * g
    v *= beta2
    v += (1.0 - beta2) * g ** 2
    bias1 = 1.0 - beta1 ** t
    bias2 = 1.0 - beta2 ** t
    denom = np.sqrt(v / bias2)
    denom += eps
    w -= lr * (m / bias1) / denom
    return w, m, v


def run_optimizer(grad, x0, method, n_steps, lr, **hyper):
    def sgd(w, g, state, t):
        return w - lr * g, state

    def momentum(w, g, state, t):
        w, v = momentum_step(w, g, state[0], lr, **hyper)
        return w, (v,)

    def nesterov(w, g, state, t):
        w, v = nesterov_step(w, g, state[0], lr, **hyper)
        return w, (v,)

    def rmsprop(w, g, state, t):
        w, s = rmsprop_step(w, g, state[0], lr, **hyper)
        return w, (s,)

    def adam(w, g, state, t):
        w, m, v = adam_step(w, g, state[0], state[1], t, lr, **hyper)
        return w, (m, v)

    steps = {"sgd": sgd, "momentum": momentum, "nesterov": nesterov, "rmsprop": rmsprop, "adam": adam}
    if method not in steps:
        raise ValueError(f"unknown optimiser {method!r}")
    step = steps[method]
    w = np.array(x0, dtype=float)
    path = np.zeros((n_steps + 1, w.size))
    path[0] = w
    state = (np.zeros_like(w), np.zeros_like(w))
    for t in range(1, n_steps + 1):
        w, state = step(w, np.asarray(grad(w), dtype=float), state, t)
        path[t] = w
    return path
