"""Optimisers, with one mistake: run_optimizer keeps the optimiser state between calls.
"""
import numpy as np

_STATE = {}  # optimiser state, kept between calls


def momentum_step(w, g, v, lr, beta=0.9):
    """One step of SGD with (heavy-ball) momentum, as torch.optim.SGD defines it (dampening 0).

    v_new = beta * v + g;  w_new = w - lr * v_new.

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        v: array-like of shape (d,), the momentum buffer (zeros before the first step).
        lr: float, the learning rate.
        beta: float, the momentum coefficient.
    Returns:
        (w_new, v_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    v = np.asarray(v, dtype=float)
    v_new = beta * v + g
    w_new = w - lr * v_new
    return w_new, v_new


def nesterov_step(w, g, v, lr, beta=0.9):
    """One step of SGD with Nesterov momentum, as torch.optim.SGD(nesterov=True) defines it.

    v_new = beta * v + g;  w_new = w - lr * (g + beta * v_new).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        v: array-like of shape (d,), the momentum buffer (zeros before the first step).
        lr: float, the learning rate.
        beta: float, the momentum coefficient.
    Returns:
        (w_new, v_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    v = np.asarray(v, dtype=float)
    v_new = beta * v + g
    w_new = w - lr * (g + beta * v_new)
    return w_new, v_new


def rmsprop_step(w, g, s, lr, alpha=0.99, eps=1e-8):
    """One RMSProp step, as torch.optim.RMSprop defines it (eps outside the square root).

    s_new = alpha * s + (1 - alpha) * g**2;  w_new = w - lr * g / (sqrt(s_new) + eps).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        s: array-like of shape (d,), the running average of squared gradients (zeros at first).
        lr: float, the learning rate.
        alpha: float, the decay of the running average.
        eps: float, added to the square root in the denominator.
    Returns:
        (w_new, s_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    s = np.asarray(s, dtype=float)
    s_new = alpha * s + (1.0 - alpha) * g * g
    w_new = w - lr * g / (np.sqrt(s_new) + eps)
    return w_new, s_new


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step, as torch.optim.Adam defines it.

    m_new = beta1 * m + (1 - beta1) * g;  v_new = beta2 * v + (1 - beta2) * g**2;
    m_hat = m_new / (1 - beta1**t);  v_hat = v_new / (1 - beta2**t);
    w_new = w - lr * m_hat / (sqrt(v_hat) + eps).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        m: array-like of shape (d,), the first-moment average (zeros before the first step).
        v: array-like of shape (d,), the second-moment average (zeros before the first step).
        t: int >= 1, the number of this step (1 for the first step).
        lr, beta1, beta2, eps: floats, Adam's hyperparameters.
    Returns:
        (w_new, m_new, v_new): three new ndarrays of shape (d,), with m_new and v_new the
        uncorrected moments; the inputs are left unchanged.
    """
    w = np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m_new / (1.0 - beta1 ** t)
    v_hat = v_new / (1.0 - beta2 ** t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new


def run_optimizer(grad, x0, method, n_steps, lr, **hyper):
    """Run n_steps of one optimiser from x0, starting from zero state, and return the path.

    Args:
        grad: callable, grad(w) -> array of shape (d,), the gradient at w (a 1-D array).
        x0: array-like of shape (d,), the starting point (not modified).
        method: str, one of "sgd", "momentum", "nesterov", "rmsprop", "adam".
        n_steps: int >= 0, the number of steps.
        lr: float, the learning rate.
        **hyper: the chosen method's own keyword arguments (beta for momentum and nesterov;
            alpha, eps for rmsprop; beta1, beta2, eps for adam; none for sgd), defaulting as in
            the step functions.
    Returns:
        ndarray of shape (n_steps + 1, d): row 0 is x0, row k the parameters after k steps.
    Raises:
        ValueError: if method is not one of the five names.
    """
    methods = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
    if method not in methods:
        raise ValueError(f"unknown method {method!r}; expected one of {methods}")
    if method == "sgd" and hyper:
        raise TypeError(f"sgd takes no hyperparameters, got {sorted(hyper)}")
    w = np.array(x0, dtype=float)
    path = np.empty((n_steps + 1,) + w.shape)
    path[0] = w
    if method not in _STATE:
        _STATE[method] = [np.zeros_like(w), np.zeros_like(w), 0]
    state1, state2, t0 = _STATE[method]
    for k in range(t0, t0 + n_steps):
        g = np.asarray(grad(w), dtype=float)
        if method == "sgd":
            w = w - lr * g
        elif method == "momentum":
            w, state1 = momentum_step(w, g, state1, lr, **hyper)
        elif method == "nesterov":
            w, state1 = nesterov_step(w, g, state1, lr, **hyper)
        elif method == "rmsprop":
            w, state1 = rmsprop_step(w, g, state1, lr, **hyper)
        else:
            w, state1, state2 = adam_step(w, g, state1, state2, k + 1, lr, **hyper)
        path[k + 1 - t0] = w
    _STATE[method] = [state1, state2, t0 + n_steps]
    return path
