# %% [markdown]
# # Learning-rate schedules
#
# The lesson's Example 5 trains a linear regression with batch gradient descent and one fixed
# learning rate, `lr = 0.05`, for all 200 epochs. That choice hides a trade-off that every
# training run faces:
#
# * **Early on** the parameters are far from any minimum. A large step makes fast progress, and
#   a small one wastes most of the budget crawling.
# * **Late on** the parameters are close to a minimum. A large step now overshoots: on a narrow
#   valley the iterates bounce from wall to wall, and with noisy (mini-batch) gradients they
#   never settle, but jitter in a cloud whose size grows with the step.
#
# No single constant serves both phases, so we let the learning rate depend on the step number
# $t = 0, 1, 2, \dots$: a **schedule** is a function $t \mapsto \eta_t$, and gradient descent
# with a schedule is
#
# $$x_{t+1} = x_t - \eta_t \, \nabla f(x_t), \qquad t = 0, 1, \dots$$
#
# Classical theory says the same thing in one line: stochastic gradient descent converges when
# $\sum_t \eta_t = \infty$ (the steps can still travel any distance) and $\sum_t \eta_t^2 < \infty$
# (the noise they inject dies out). A constant rate satisfies the first condition and fails the
# second; a decaying one can satisfy both.
#
# In this assignment you will write six schedules (constant, step decay, exponential decay,
# inverse-time decay, cosine annealing, and linear warm-up followed by cosine annealing) and a
# gradient-descent loop that takes any schedule as an argument, then compare them on an
# ill-conditioned quadratic.
#
# Conventions used throughout (the grader checks them exactly):
# * the step counter starts at $t = 0$, and step $t$ uses $\eta_t$, so the very first update uses
#   `schedule(0)`;
# * every schedule accepts an integer `t` and returns a Python `float`;
# * `total_steps >= 1`, `warmup_steps >= 1` and `total_steps > warmup_steps`.


# %%
import math

import numpy as np


# %% [markdown]
# ## 1. The baseline: `constant`
#
# $\eta_t = \eta_0$ for every $t$. This is what Example 5 does. On a quadratic with largest
# curvature $L$ (the largest eigenvalue of the Hessian), gradient descent with a constant rate
# converges exactly when $0 < \eta_0 < 2/L$, and fastest around $\eta_0 \approx 2/(L + \mu)$,
# where $\mu$ is the smallest curvature. Every other schedule is judged against this one.
#
# Even here, return `float(lr0)`: the grader expects a plain Python float, not a numpy scalar
# or a 0-d array.


# %%
def constant(t, lr0):
    """Constant schedule: the learning rate at step t is lr0.

    Args:
        t: int >= 0, the step number (unused, kept so that all schedules share one signature).
        lr0: float, the learning rate.
    Returns:
        float, lr0.
    """
    # TODO: t does not matter here; convert lr0 to a Python float.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `step_decay`: cut the rate every few steps
#
# Keep the rate for `step_size` steps, then multiply it by `gamma` (often 0.1 or 0.5), and so on:
#
# $$\eta_t = \eta_0 \, \gamma^{\lfloor t / s \rfloor}, \qquad s = \texttt{step\_size}.$$
#
# The shape is a staircase: steps $0, \dots, s-1$ use $\eta_0$, steps $s, \dots, 2s-1$ use
# $\gamma \eta_0$, and so on. The first drop happens **at** $t = s$, not at $t = s - 1$ nor at
# $t = s + 1$. This is the classic ImageNet recipe ("divide by 10 at epochs 30, 60 and 90"),
# `torch.optim.lr_scheduler.StepLR` in PyTorch.
#
# What can go wrong: `round(t / s)` instead of the floor drops the rate half a period early;
# `(t + 1) // s` drops it one step early. With integers, `t // step_size` *is* the floor.


# %%
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
    # TODO: the number of drops so far is the integer part of t / step_size (use //).
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `exponential_decay`: a smooth staircase
#
# Shrink the rate by the same factor at every step:
#
# $$\eta_t = \eta_0 \, \gamma^t .$$
#
# With $\gamma = 0.95$ the rate halves about every $\ln 2 / (-\ln 0.95) \approx 13.5$ steps. It
# is step decay with `step_size = 1`. Exponential decay is aggressive: after $t$ steps the total
# distance budget $\sum_t \eta_t \le \eta_0 / (1 - \gamma)$ is finite, so if $\gamma$ is too small
# the iterates can freeze before they reach the minimum.
#
# What can go wrong: `gamma ** (t + 1)` shrinks the rate before the first step is even taken;
# at $t = 0$ the answer must be exactly $\eta_0$.


# %%
def exponential_decay(t, lr0, gamma=0.95):
    """Exponential decay: lr0 * gamma ** t.

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial learning rate.
        gamma: float in (0, 1], the factor per step.
    Returns:
        float, the learning rate at step t.
    """
    # TODO: at t = 0 the result must be exactly lr0.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `inverse_time_decay`: the textbook $1/t$ rate
#
# $$\eta_t = \frac{\eta_0}{1 + k\,t}.$$
#
# For large $t$ this behaves like $\eta_0 / (k t)$. That is the schedule the convergence theory of
# stochastic gradient descent asks for: $\sum 1/t$ diverges while $\sum 1/t^2$ converges, so both
# conditions from the introduction hold. It decays fast at first and then very slowly (a long
# tail), unlike the exponential schedule, which keeps shrinking by the same ratio forever.
# `k` sets the time scale: the rate halves at $t = 1/k$.


# %%
def inverse_time_decay(t, lr0, k=0.1):
    """Inverse-time decay: lr0 / (1 + k * t).

    Args:
        t: int >= 0, the step number.
        lr0: float, the initial learning rate.
        k: float >= 0, the decay rate (the rate halves at t = 1 / k).
    Returns:
        float, the learning rate at step t.
    """
    # TODO: the decay is linear in t inside the denominator (not t squared, not an exponent).
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. `cosine_annealing`: slow, fast, slow
#
# Cosine annealing (Loshchilov and Hutter, "SGDR", 2017) glides from $\eta_0$ down to a floor
# $\eta_{\min}$ over a fixed budget of $T$ = `total_steps` steps along half a cosine wave:
#
# $$\eta_t = \eta_{\min} + (\eta_0 - \eta_{\min}) \, \frac{1 + \cos(\pi t / T)}{2}
#   \quad (0 \le t \le T), \qquad \eta_t = \eta_{\min} \quad (t > T).$$
#
# The factor $(1 + \cos(\pi t/T))/2$ runs from 1 at $t = 0$ to $1/2$ at $t = T/2$ to 0 at
# $t = T$. Its slope is zero at both ends: the rate stays near $\eta_0$ for a while (fast
# progress), falls quickly in the middle, and lingers near $\eta_{\min}$ at the end (fine
# convergence). It has only two knobs, $\eta_0$ and $T$, and no decay factor to tune, which is why
# it has become a default for training neural networks.
#
# Boundary conventions: $\eta_0$ exactly at $t = 0$; $\eta_{\min}$ exactly at $t = T$ (there
# $\cos \pi = -1$); and $\eta_{\min}$ for every $t > T$. The clamp matters: if you evaluate the
# formula beyond $T$, the cosine turns around and the rate climbs back up towards $\eta_0$.
#
# What can go wrong: dividing by $T - 1$ instead of $T$ (the floor is reached one step early),
# forgetting the clamp, or forgetting to add $\eta_{\min}$ back.


# %%
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
    # TODO: handle t >= total_steps first: the rate stays at lr_min.
    # TODO: use math.cos and math.pi; the cosine factor runs from 1 (t = 0) to 0 (t = total_steps).
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 6. `warmup_cosine`: warm up first, then anneal
#
# Right after initialisation the gradients can be huge and badly scaled, and optimisers that
# keep running statistics of the gradients (Adam, next assignment) have estimated those
# statistics from only a handful of steps. Taking full-size steps at that moment can throw the
# parameters into a bad region from which training never recovers (or overflows). **Warm-up**
# starts with a small rate and raises it linearly to $\eta_0$ over the first $W$ =
# `warmup_steps` steps, and only then hands over to cosine annealing for the remaining
# $T - W$ steps:
#
# $$\eta_t = \begin{cases} \eta_0 \, \dfrac{t + 1}{W} & 0 \le t < W, \\[2mm]
#   \text{cosine\_annealing}(t - W,\ \eta_0,\ T - W,\ \eta_{\min}) & t \ge W. \end{cases}$$
#
# Read the boundary cases carefully:
# * $t = 0$ gives $\eta_0 / W$, not 0: a zero rate would waste the first step (hence $t + 1$);
# * $t = W - 1$, the last warm-up step, gives exactly $\eta_0$;
# * $t = W$ is step 0 of the cosine phase, so it also gives $\eta_0$: the clock of the cosine
#   phase is shifted by $W$ and its length is $T - W$;
# * $t = T$ gives $\eta_{\min}$, and so does every later step.
#
# This is the schedule behind most transformer training recipes (often with a linear rather than
# cosine decay after the warm-up).


# %%
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
    # TODO: during warm-up use (t + 1), so that t = 0 already gets a non-zero rate.
    # TODO: afterwards reuse your cosine_annealing with a shifted clock and a shorter budget.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 7. `gd_with_schedule`: gradient descent that takes a schedule
#
# The loop is Example 5's loop with one change: the constant `lr` becomes `schedule(t)`.
#
# $$x_{t+1} = x_t - \eta_t \, \nabla f(x_t), \qquad \eta_t = \texttt{schedule}(t),
#   \qquad t = 0, \dots, n-1 .$$
#
# `schedule` is any function of the step number alone. To pass one of your schedules with its
# parameters fixed, wrap it: `lambda t: cosine_annealing(t, 0.1, 200)` (or use
# `functools.partial`).
#
# Return the whole **path**, one row per iterate: row 0 is $x_0$ itself and row $k$ is the
# iterate after $k$ steps, so the result has shape `(n_steps + 1, d)`. Keeping the path, not just
# the end point, is what lets you plot the loss curve and compare schedules step by step.
#
# What can go wrong: calling `schedule(t + 1)` (the first step must use $\eta_0$), forgetting
# row 0, storing the same array object in every row (then all rows show the last iterate), or
# writing `x -= ...` on the caller's `x0`, which changes their array (and fails outright on a
# read-only one). Copy `x0` once, then build each new iterate as a new array.


# %%
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
    # TODO: copy x0 into a float array and allocate the (n_steps + 1, d) path; row 0 is x0.
    # TODO: step t (counting from 0) uses schedule(t); write x = x - ... rather than x -= ... .
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 8. Schedules on an ill-conditioned quadratic
#
# Take $f(x) = \tfrac12 (x_0^2 + 25\, x_1^2)$: curvatures $\mu = 1$ and $L = 25$, so a constant
# rate must stay below $2/L = 0.08$. With $\eta = 0.07$ the steep direction $x_1$ contracts by
# $|1 - 25 \cdot 0.07| = 0.75$ per step while it oscillates across the valley, and the flat
# direction $x_0$ only by $1 - 0.07 = 0.93$.
#
# Things to look for in the plot below (loss on a log scale against the step):
# * a decaying schedule pays for its small late steps: with a fixed budget of steps, decaying
#   too early (exponential with a small $\gamma$) leaves the flat direction unfinished;
# * on a deterministic problem like this one, the constant rate is hard to beat; decay earns its
#   keep when gradients are noisy (the second plot adds noise to every gradient);
# * a rate that starts **above** $2/L$ makes the constant schedule diverge, while cosine
#   annealing recovers as soon as its rate falls below $2/L$ (third plot).
