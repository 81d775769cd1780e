"""Learning-rate schedules with an inlined, cancellation-free cosine.

(1 + cos x) / 2 = cos^2(x / 2): cosine annealing is written with a squared cosine, which avoids the
cancellation in 1 + cos x near the end of the budget (it differs from the contract's literal formula
only by rounding, which is relatively largest just before t = total_steps when lr_min = 0).
warmup_cosine inlines its own cosine phase instead of calling cosine_annealing; step decay uses
divmod; gd_with_schedule grows the path with np.vstack.
"""
import math

import numpy as np


def constant(t, lr0):
    return 1.0 * float(lr0)


def step_decay(t, lr0, gamma=0.5, step_size=10):
    n_drops, _ = divmod(t, step_size)
    return float(lr0 * gamma ** n_drops)


def exponential_decay(t, lr0, gamma=0.95):
    return float(lr0) * float(gamma) ** t


def inverse_time_decay(t, lr0, k=0.1):
    return float(lr0) / (1.0 + float(k) * t)


def _half_cosine(t, lr0, T, lr_min):
    if t >= T:
        return float(lr_min)
    return float(lr_min + (lr0 - lr_min) * math.cos(0.5 * math.pi * t / T) ** 2)


def cosine_annealing(t, lr0, total_steps, lr_min=0.0):
    return _half_cosine(t, lr0, total_steps, lr_min)


def warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min=0.0):
    if t < warmup_steps:
        return float(lr0 * (t + 1) / warmup_steps)
    return _half_cosine(t - warmup_steps, lr0, total_steps - warmup_steps, lr_min)


def gd_with_schedule(grad, x0, schedule, n_steps):
    path = np.array(x0, dtype=float)[np.newaxis, :]
    t = 0
    while t < n_steps:
        x = path[-1]
        path = np.vstack([path, x - schedule(t) * np.asarray(grad(x), dtype=float)])
        t += 1
    return path
