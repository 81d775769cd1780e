"""Learning-rate schedules with the half-angle identity and min/max clamps.

(1 + cos x) / 2 = 1 - sin^2(x / 2), so cosine annealing is written with a sine; the clock of the
cosine phase is clamped with min(t, T) (at t = T the sine is sin(pi/2) = 1 exactly, so the rate is
exactly lr_min there and after). The warm-up is written as lr0 * min(t + 1, W) / W, and the
cosine phase of warmup_cosine uses the clock max(t - W, 0). gd_with_schedule preallocates and
fills the rows.
"""
import math

import numpy as np


def constant(t, lr0):
    return float(lr0)


def step_decay(t, lr0, gamma=0.5, step_size=10):
    return float(lr0 * math.pow(gamma, math.floor(t / step_size)))


def exponential_decay(t, lr0, gamma=0.95):
    return float(lr0 * math.pow(gamma, t))


def inverse_time_decay(t, lr0, k=0.1):
    return float(lr0 * (1.0 / (1.0 + k * t)))


def cosine_annealing(t, lr0, total_steps, lr_min=0.0):
    tc = min(t, total_steps)
    half_angle = math.pi * tc / (2.0 * total_steps)
    return float(lr_min + (lr0 - lr_min) * (1.0 - math.sin(half_angle) ** 2))


def warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min=0.0):
    ramp = lr0 * min(t + 1, warmup_steps) / warmup_steps
    annealed = cosine_annealing(max(t - warmup_steps, 0), lr0, total_steps - warmup_steps, lr_min)
    return float(ramp if t < warmup_steps else annealed)


def gd_with_schedule(grad, x0, schedule, n_steps):
    start = np.asarray(x0, dtype=float)
    path = np.zeros((n_steps + 1, start.size))
    path[0] = start
    for t in range(1, n_steps + 1):
        path[t] = path[t - 1] - schedule(t - 1) * np.asarray(grad(path[t - 1].copy()), dtype=float)
    return path
