"""Learning-rate schedules written with numpy instead of math.

Every schedule evaluates its formula with numpy functions (np.floor, np.power, np.cos) and converts
the 0-d result to a Python float; gd_with_schedule collects the iterates in a list and stacks them.
"""
import numpy as np


def constant(t, lr0):
    return float(np.float64(lr0))


def step_decay(t, lr0, gamma=0.5, step_size=10):
    drops = np.floor(np.float64(t) / step_size)
    return float(lr0 * np.power(np.float64(gamma), drops))


def exponential_decay(t, lr0, gamma=0.95):
    return float(lr0 * np.power(np.float64(gamma), t))


def inverse_time_decay(t, lr0, k=0.1):
    return float(np.divide(lr0, 1.0 + np.multiply(k, t)))


def cosine_annealing(t, lr0, total_steps, lr_min=0.0):
    if t > total_steps:
        return float(lr_min)
    return float(lr_min + (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / total_steps)) / 2.0)


def warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min=0.0):
    if t < warmup_steps:
        return float(np.float64(lr0) * (t + 1) / warmup_steps)
    return cosine_annealing(t - warmup_steps, lr0, total_steps - warmup_steps, lr_min)


def gd_with_schedule(grad, x0, schedule, n_steps):
    xs = [np.array(x0, dtype=float)]
    for t in range(n_steps):
        x = xs[-1]
        xs.append(x - schedule(t) * np.asarray(grad(x), dtype=float))
    return np.stack(xs)
