"""Optimisers written as small classes, with the contract's functions as thin wrappers.

Each class holds its hyperparameters and exposes a pure ``step`` that maps (w, g, state) to
(new w, new state); run_optimizer looks the class up in a registry, builds it from **hyper and
carries the state as a tuple. Same numbers as torch.optim (dampening 0, eps outside the root,
bias-corrected Adam with t from 1).
"""
import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def init_state(self, w):
        return ()

    def step(self, w, g, state, t):
        return w - self.lr * g, ()


class Momentum:
    def __init__(self, lr, beta=0.9, nesterov=False):
        self.lr, self.beta, self.nesterov = lr, beta, nesterov

    def init_state(self, w):
        return (np.zeros_like(w),)

    def step(self, w, g, state, t):
        (buf,) = state
        buf = self.beta * buf + g
        direction = g + self.beta * buf if self.nesterov else buf
        return w - self.lr * direction, (buf,)


class Nesterov(Momentum):
    def __init__(self, lr, beta=0.9):
        super().__init__(lr, beta, nesterov=True)


class RMSProp:
    def __init__(self, lr, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps

    def init_state(self, w):
        return (np.zeros_like(w),)

    def step(self, w, g, state, t):
        (sq,) = state
        sq = self.alpha * sq + (1.0 - self.alpha) * np.square(g)
        return w - self.lr * g / (np.sqrt(sq) + self.eps), (sq,)


class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps

    def init_state(self, w):
        return (np.zeros_like(w), np.zeros_like(w))

    def step(self, w, g, state, t):
        m, v = state
        m = self.beta1 * m + (1.0 - self.beta1) * g
        v = self.beta2 * v + (1.0 - self.beta2) * np.square(g)
        m_hat = m / (1.0 - self.beta1 ** t)
        v_hat = v / (1.0 - self.beta2 ** t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps), (m, v)


REGISTRY = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "rmsprop": RMSProp, "adam": Adam}


def _f(a):
    return np.asarray(a, dtype=float)


def momentum_step(w, g, v, lr, beta=0.9):
    w_new, (v_new,) = Momentum(lr, beta).step(_f(w), _f(g), (_f(v),), None)
    return w_new, v_new


def nesterov_step(w, g, v, lr, beta=0.9):
    w_new, (v_new,) = Nesterov(lr, beta).step(_f(w), _f(g), (_f(v),), None)
    return w_new, v_new


def rmsprop_step(w, g, s, lr, alpha=0.99, eps=1e-8):
    w_new, (s_new,) = RMSProp(lr, alpha, eps).step(_f(w), _f(g), (_f(s),), None)
    return w_new, s_new


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w_new, (m_new, v_new) = Adam(lr, beta1, beta2, eps).step(_f(w), _f(g), (_f(m), _f(v)), t)
    return w_new, m_new, v_new


def run_optimizer(grad, x0, method, n_steps, lr, **hyper):
    if method not in REGISTRY:
        raise ValueError("method must be one of " + ", ".join(REGISTRY))
    opt = REGISTRY[method](lr, **hyper)
    w = np.array(x0, dtype=float)
    state = opt.init_state(w)
    rows = [w]
    for t in range(1, n_steps + 1):
        w, state = opt.step(w, _f(grad(w)), state, t)
        rows.append(w)
    return np.array(rows)
