"""Learning-rate schedules, with one mistake: the cosine phase of warmup_cosine does not shift the clock.
"""
import math

import numpy as np


def constant(t, lr0):
    """Constant schedule: the learning rate at step t is lr0.

    Args:
        t: int >= 0, the step number (unused, kept so that all schedules share one signature).
        lr0: float, the learning rate.
    Returns:
        float, lr0.
    """
    return float(lr0)


def step_decay(t, lr0, gamma=0.5, step_size=10):
    """Step decay: lr0 * gamma ** floor(t / step_size).

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial learning rate.
        gamma: float, the factor applied at every drop.
        step_size: int >= 1, the number of steps between two drops.
    Returns:
        float, the learning rate at step t.
    """
    n_drops = t // step_size
    return float(lr0 * gamma ** n_drops)


def exponential_decay(t, lr0, gamma=0.95):
    """Exponential decay: lr0 * gamma ** t.

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial learning rate.
        gamma: float in (0, 1], the factor per step.
    Returns:
        float, the learning rate at step t.
    """
    return float(lr0 * gamma ** t)


def inverse_time_decay(t, lr0, k=0.1):
    """Inverse-time decay: lr0 / (1 + k * t).

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial learning rate.
        k: float >= 0, the decay rate (the rate halves at t = 1 / k).
    Returns:
        float, the learning rate at step t.
    """
    return float(lr0 / (1.0 + k * t))


def cosine_annealing(t, lr0, total_steps, lr_min=0.0):
    """Cosine annealing from lr0 (at t = 0) to lr_min (at t = total_steps and after).

    lr_min + (lr0 - lr_min) * (1 + cos(pi * t / total_steps)) / 2 for t <= total_steps,
    and lr_min for t > total_steps.

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial (largest) learning rate.
        total_steps: int >= 1, the number of steps T over which the rate decays.
        lr_min: float, the final learning rate.
    Returns:
        float, the learning rate at step t.
    """
    if t >= total_steps:
        return float(lr_min)
    factor = 0.5 * (1.0 + math.cos(math.pi * t / total_steps))
    return float(lr_min + (lr0 - lr_min) * factor)


def warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min=0.0):
    """Linear warm-up for warmup_steps steps, then cosine annealing until total_steps.

    lr0 * (t + 1) / warmup_steps while t < warmup_steps, then
    cosine_annealing(t - warmup_steps, lr0, total_steps - warmup_steps, lr_min).

    Args:
        t: int >= 0, the step number.
        lr0: float, the peak learning rate (reached at t = warmup_steps - 1 and t = warmup_steps).
        warmup_steps: int >= 1, the length W of the warm-up.
        total_steps: int > warmup_steps, the step T at which the rate reaches lr_min.
        lr_min: float, the final learning rate.
    Returns:
        float, the learning rate at step t.
    """
    if t < warmup_steps:
        return float(lr0 * ((t + 1) / warmup_steps))
    return cosine_annealing(t, lr0, total_steps, lr_min)


def gd_with_schedule(grad, x0, schedule, n_steps):
    """Gradient descent whose step size at step t is schedule(t).

    x_{t+1} = x_t - schedule(t) * grad(x_t) for t = 0, ..., n_steps - 1.

    Args:
        grad: callable, grad(x) -> array of shape (d,), the gradient at x (a 1-D array).
        x0: array-like of shape (d,), the starting point (not modified).
        schedule: callable, schedule(t) -> float, the learning rate at integer step t.
        n_steps: int >= 0, the number of updates.
    Returns:
        ndarray of shape (n_steps + 1, d): row 0 is x0, row k is the iterate after k steps.
    """
    x = np.array(x0, dtype=float)
    path = np.empty((n_steps + 1,) + x.shape)
    path[0] = x
    for t in range(n_steps):
        x = x - schedule(t) * np.asarray(grad(x), dtype=float)
        path[t + 1] = x
    return path
