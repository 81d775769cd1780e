"""Hidden suite: lr_schedules (learning-rate schedules and gradient descent that takes one).

20 points. Every schedule is checked against its closed form from the contract at steps and
hyperparameters drawn at grade time, with the boundaries swept explicitly (t = 0, every step
around a drop of step_decay, the end of the warm-up, t = total_steps and beyond), so that an
off-by-one anywhere costs points. gd_with_schedule is checked row by row against the recurrence
x_{t+1} = x_t - schedule(t) grad(x_t), with the schedule given as a table of rates.

Tolerances are justified next to each check.
"""

import math

import numpy as np

from autograder import problems
from autograder.checks import (Mismatch, as_array, as_scalar, assert_close, assert_scalar_close,
                               describe)
from autograder.suite import graded

# -- returned rates and numpy-integer steps ------------------------------------------------------

def _steps(ts):
    """The steps ts, every other one as a numpy integer: a schedule must accept both."""
    return [np.int64(t) if i % 2 else int(t) for i, t in enumerate(ts)]


def _rate(value, *, what, inputs):
    """A schedule's returned value as a float: Python and numpy floats pass, arrays (0-d or
    with one element) fail."""
    if isinstance(value, np.ndarray):
        raise Mismatch(f"{what} for {inputs}: a schedule must return a float (the learning "
                       f"rate), got the array {describe(value)}; convert the result with "
                       "float(...).")
    return as_scalar(value, what=what, inputs=inputs)


def _check_rate(got, expected, *, rtol, atol=0.0, what, inputs, why=None):
    value = _rate(got, what=what, inputs=inputs)
    return assert_scalar_close(value, expected, rtol=rtol, atol=atol, what=what, inputs=inputs,
                               why=why)


# -- closed forms, written from the contract ------------------------------------------------------

def _cosine(t, lr0, T, lr_min):
    if t >= T:
        return lr_min
    return lr_min + (lr0 - lr_min) * (1.0 + math.cos(math.pi * t / T)) / 2.0


def _warmup_cosine(t, lr0, W, T, lr_min):
    if t < W:
        return lr0 * (t + 1) / W
    return _cosine(t - W, lr0, T - W, lr_min)


# Tolerance of the cosine schedules. Near t = T with lr_min = 0 the literal formula computes
# 1 + cos(pi t / T) with cos close to -1: the difference keeps cos's absolute rounding (~1e-16)
# but loses its relative accuracy, so correct rewritings (cos^2 of the half angle, 1 - sin^2,
# numpy's cos) agree with it only to ~1e-8 RELATIVE there, yet always within ~4e-16 * lr0
# ABSOLUTE (measured over 3000 random T up to 3e5 on every correct alternative). Hence rtol 1e-12
# plus atol 1e-14 * lr0 (25 times the worst rounding). Every real mistake moves the rate by far
# more: dividing by T - 1 changes it at t = T - 1 by ~(lr0 - lr_min) pi^2 / (4 T^2) >= 1e-10 lr0
# for T <= 1e5, a missing clamp by up to lr0 - lr_min.
COS_RTOL = 1e-12
COS_ATOL = 1e-14


def _lr0(rng):
    return float(10.0 ** rng.uniform(-4, 0.5))


# -- question 1: constant, step_decay, exponential_decay, inverse_time_decay ----------------------

@graded(1, question=1, public=True)
def test_constant(submission, rng):
    """constant: returns lr0 at every step, as a float"""
    lr0 = _lr0(rng)
    for t in _steps([0, 1, 2, 17, int(rng.integers(3, 10_000))]):
        # A copy of the input: exact up to at most one rounding (float(lr0) * 1.0).
        _check_rate(submission.constant(t, lr0), lr0, rtol=1e-15, what="constant(t, lr0)",
                    inputs=f"t = {t!r}, lr0 = {lr0!r}")


@graded(1, question=1, public=True)
def test_step_decay_defaults(submission):
    """step_decay: halves the rate at t = 10, 20, 30 with the defaults (gamma=0.5, step_size=10)"""
    lr0 = 0.1
    for t in _steps([0, 1, 5, 9, 10, 11, 15, 19, 20, 29, 30]):
        expected = lr0 * 0.5 ** (int(t) // 10)
        # lr0 times a power of 1/2: exact in binary floating point.
        _check_rate(submission.step_decay(t, lr0), expected, rtol=1e-15,
                    what="step_decay(t, lr0)", inputs=f"t = {t!r}, lr0 = {lr0!r}",
                    why="the rate is lr0 * gamma ** floor(t / step_size): the first drop is AT "
                        "t = step_size")


@graded(2, question=1)
def test_step_decay_sweep(submission, rng):
    """step_decay: equals lr0 * gamma^floor(t / step_size) at every t across several drops"""
    sizes = [1, 2, 3, int(rng.integers(4, 10)), int(rng.integers(10, 40))]
    for step_size in sizes:
        lr0, gamma = _lr0(rng), float(rng.uniform(0.1, 0.9))
        if step_size < 10:
            ts = range(0, 3 * step_size + 2)  # every step of three periods and the next drop
        else:
            ts = sorted({t for k in range(4) for t in (k * step_size - 1, k * step_size,
                                                       k * step_size + 1, k * step_size
                                                       + step_size // 2) if t >= 0})
        for t in _steps(ts):
            expected = lr0 * gamma ** (int(t) // step_size)
            # At most 4 drops: a power computed by pow or by repeated products agrees to a few
            # ulps (1e-15); a misplaced drop changes the rate by a factor gamma <= 0.9.
            _check_rate(submission.step_decay(t, lr0, gamma=gamma, step_size=step_size),
                        expected, rtol=1e-12, what="step_decay(t, lr0, gamma, step_size)",
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, gamma = {gamma!r}, "
                               f"step_size = {step_size}")


@graded(1, question=1)
def test_exponential_decay(submission, rng):
    """exponential_decay: equals lr0 at t = 0 and lr0 * gamma^t afterwards"""
    for gamma in (None, float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.9, 0.999))):
        lr0 = _lr0(rng)
        ts = list(range(0, 8)) + sorted(rng.integers(8, 300, 4).tolist())
        for t in _steps(ts):
            g = 0.95 if gamma is None else gamma
            expected = lr0 * g ** int(t)
            kwargs = {} if gamma is None else {"gamma": gamma}
            # gamma^t for t < 300 by pow, exp(t log gamma) or t products: relative error below
            # 300 * 1.1e-16 = 3.3e-14. The exponent t + 1 is off by a factor gamma <= 0.999.
            _check_rate(submission.exponential_decay(t, lr0, **kwargs), expected, rtol=1e-12,
                        what="exponential_decay(t, lr0" + (", gamma)" if kwargs else ")"),
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, gamma = {g!r}")


@graded(1, question=1)
def test_inverse_time_decay(submission, rng):
    """inverse_time_decay: equals lr0 / (1 + k t) at every step"""
    for k in (None, float(10.0 ** rng.uniform(-3, 0)), float(10.0 ** rng.uniform(-1, 1))):
        lr0 = _lr0(rng)
        ts = list(range(0, 8)) + sorted(rng.integers(8, 10_000, 4).tolist())
        for t in _steps(ts):
            kk = 0.1 if k is None else k
            expected = lr0 / (1.0 + kk * int(t))
            kwargs = {} if k is None else {"k": k}
            # Three roundings (product, sum, quotient) in any order: a few ulps.
            _check_rate(submission.inverse_time_decay(t, lr0, **kwargs), expected, rtol=1e-12,
                        what="inverse_time_decay(t, lr0" + (", k)" if kwargs else ")"),
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, k = {kk!r}")


# -- question 2: cosine_annealing, warmup_cosine -------------------------------------------------

@graded(1, question=2, public=True)
def test_cosine_lesson_values(submission):
    """cosine_annealing: lr0 at t = 0, the midpoint at T/2, lr_min at t = T and after"""
    lr0, T, lr_min = 0.1, 100, 0.001
    for t, expected in ((0, lr0), (25, lr_min + (lr0 - lr_min) * (1 + math.sqrt(0.5)) / 2),
                        (50, (lr0 + lr_min) / 2), (100, lr_min), (150, lr_min)):
        _check_rate(submission.cosine_annealing(t, lr0, T, lr_min), expected, rtol=COS_RTOL,
                    atol=COS_ATOL * lr0, what="cosine_annealing(t, lr0, total_steps, lr_min)",
                    inputs=f"t = {t}, lr0 = {lr0}, total_steps = {T}, lr_min = {lr_min}")


def _cosine_cases(rng):
    """(lr0, T, lr_min, steps): short budgets swept step by step, long ones around the ends."""
    cases = []
    for T in (1, 2, int(rng.integers(3, 12)), int(rng.integers(12, 40))):
        cases.append((T, range(0, T + 3)))
    for T in (int(rng.integers(100, 2000)), int(rng.integers(10_000, 100_000))):
        around = [0, 1, 2, T // 4, T // 2, T - 3, T - 2, T - 1, T, T + 1]
        cases.append((T, sorted(set(around) | set(rng.integers(0, T, 4).tolist()))))
    for i, (T, ts) in enumerate(cases):
        lr0 = _lr0(rng)
        # lr_min = 0 (the default, where cancellation near T is worst) on every other case.
        lr_min = None if i % 2 == 0 else float(lr0 * rng.uniform(0.0, 0.5))
        yield lr0, T, lr_min, ts


@graded(2, question=2)
def test_cosine_sweep(submission, rng):
    """cosine_annealing: matches the closed form at every step up to total_steps"""
    for lr0, T, lr_min, ts in _cosine_cases(rng):
        m = 0.0 if lr_min is None else lr_min
        kwargs = {} if lr_min is None else {"lr_min": lr_min}
        for t in _steps(ts):
            expected = _cosine(int(t), lr0, T, m)
            # COS_RTOL and COS_ATOL: see their definition (cancellation near t = T).
            _check_rate(submission.cosine_annealing(t, lr0, T, **kwargs), expected,
                        rtol=COS_RTOL, atol=COS_ATOL * lr0,
                        what="cosine_annealing(t, lr0, total_steps"
                             + (", lr_min)" if kwargs else ")"),
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, total_steps = {T}, lr_min = {m!r}",
                        why="lr_min + (lr0 - lr_min)(1 + cos(pi t / T)) / 2 for t <= T")


@graded(1, question=2)
def test_cosine_after_end(submission, rng):
    """cosine_annealing: stays at lr_min for every t > total_steps"""
    for T in (1, int(rng.integers(2, 20)), int(rng.integers(100, 1000))):
        lr0 = _lr0(rng)
        lr_min = float(lr0 * rng.uniform(0.0, 0.5))
        ts = [T, T + 1, T + 2, T + T // 2 + 1, 2 * T, 2 * T + 1, int(rng.integers(3 * T, 50 * T))]
        for t in _steps(ts):
            _check_rate(submission.cosine_annealing(t, lr0, T, lr_min), lr_min, rtol=COS_RTOL,
                        atol=COS_ATOL * lr0,
                        what="cosine_annealing(t, lr0, total_steps, lr_min)",
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, total_steps = {T}, "
                               f"lr_min = {lr_min!r}",
                        why="after total_steps the rate stays at lr_min: the cosine must not "
                            "be evaluated past pi")


@graded(1, question=2, public=True)
def test_warmup_boundaries(submission):
    """warmup_cosine: lr0/W at t = 0, lr0 at t = W - 1 and t = W, lr_min at t = T and after"""
    lr0, W, T, lr_min = 0.1, 10, 100, 0.001
    for t, expected in ((0, lr0 / W), (4, lr0 * 5 / W), (W - 1, lr0), (W, lr0),
                        (55, (lr0 + lr_min) / 2), (T, lr_min), (T + 50, lr_min)):
        _check_rate(submission.warmup_cosine(t, lr0, W, T, lr_min), expected, rtol=COS_RTOL,
                    atol=COS_ATOL * lr0,
                    what="warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min)",
                    inputs=f"t = {t}, lr0 = {lr0}, warmup_steps = {W}, total_steps = {T}, "
                           f"lr_min = {lr_min}")


@graded(2, question=2)
def test_warmup_sweep(submission, rng):
    """warmup_cosine: matches warm-up then shifted cosine annealing at every step"""
    cases = []
    for W, T in ((1, 2), (int(rng.integers(1, 5)), None), (int(rng.integers(3, 12)), None)):
        T = T or W + int(rng.integers(1, 25))
        cases.append((W, T, range(0, T + 3)))
    W = int(rng.integers(50, 500))
    T = W + int(rng.integers(1000, 50_000))
    around = [0, 1, W // 2, W - 2, W - 1, W, W + 1, W + 2, (W + T) // 2, T - 2, T - 1, T, T + 1]
    cases.append((W, T, sorted(set(around) | set(rng.integers(W, T, 3).tolist()))))
    for i, (W, T, ts) in enumerate(cases):
        lr0 = _lr0(rng)
        lr_min = None if i % 2 == 0 else float(lr0 * rng.uniform(0.0, 0.5))
        m = 0.0 if lr_min is None else lr_min
        kwargs = {} if lr_min is None else {"lr_min": lr_min}
        for t in _steps(ts):
            expected = _warmup_cosine(int(t), lr0, W, T, m)
            # The warm-up is exact to a rounding or two; the cosine phase as in test_cosine_sweep.
            _check_rate(submission.warmup_cosine(t, lr0, W, T, **kwargs), expected,
                        rtol=COS_RTOL, atol=COS_ATOL * lr0,
                        what="warmup_cosine(t, lr0, warmup_steps, total_steps"
                             + (", lr_min)" if kwargs else ")"),
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, warmup_steps = {W}, "
                               f"total_steps = {T}, lr_min = {m!r}",
                        why="lr0 (t + 1) / W for t < W, then cosine_annealing(t - W, lr0, "
                            "T - W, lr_min)")


@graded(1, question=2)
def test_warmup_after_end(submission, rng):
    """warmup_cosine: stays at lr_min for every t >= total_steps"""
    for W, T in ((1, 2), (int(rng.integers(2, 10)), None), (int(rng.integers(10, 100)), None)):
        T = T or W + int(rng.integers(1, 200))
        lr0 = _lr0(rng)
        lr_min = float(lr0 * rng.uniform(0.0, 0.5))
        ts = [T, T + 1, T + 2, T + (T - W) // 2 + 1, 2 * T - W, 2 * T - W + 1,
              int(rng.integers(3 * T, 50 * T))]
        for t in _steps(ts):
            _check_rate(submission.warmup_cosine(t, lr0, W, T, lr_min), lr_min, rtol=COS_RTOL,
                        atol=COS_ATOL * lr0,
                        what="warmup_cosine(t, lr0, warmup_steps, total_steps, lr_min)",
                        inputs=f"t = {t!r}, lr0 = {lr0!r}, warmup_steps = {W}, "
                               f"total_steps = {T}, lr_min = {lr_min!r}",
                        why="from total_steps on the rate stays at lr_min")


# -- question 3: gd_with_schedule ----------------------------------------------------------------

def spd_matrix(rng, n, cond):
    """A random symmetric positive definite matrix with eigenvalues from 1 to ``cond``."""
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (q * np.geomspace(1.0, cond, n)) @ q.T


def _gd_path(grad, x0, rates, n_steps):
    """The contract's recurrence, written out: row t + 1 = row t - rates[t] grad(row t)."""
    path = [np.array(x0, dtype=float)]
    for t in range(n_steps):
        path.append(path[-1] - rates[min(t, len(rates) - 1)] * grad(path[-1]))
    return np.array(path)


def _check_path(got, expected, *, rtol, atol, inputs):
    n_rows = expected.shape[0]
    path = as_array(got, shape=expected.shape, what="gd_with_schedule(grad, x0, schedule, n_steps)",
                    inputs=inputs)
    assert_close(path[0], expected[0], rtol=0, atol=0, what="row 0 of the path", inputs=inputs,
                 why="row 0 must be x0 itself")
    # Row by row, so that the message names the first step that goes wrong.
    for k in range(1, n_rows):
        assert_close(path[k], expected[k], rtol=rtol, atol=atol,
                     what=f"row {k} of the path (the iterate after step t = {k - 1}, which "
                          f"uses schedule({k - 1}))", inputs=inputs)


def _table(rates):
    return problems.ref("schedule.table", rates=np.asarray(rates, dtype=float))


@graded(1, question=3, public=True)
def test_gd_path_shape(submission, rng):
    """gd_with_schedule: returns the (n_steps + 1, d) path from x0 on a small quadratic"""
    A = np.diag([1.0, 10.0])
    b = rng.uniform(-1, 1, 2)
    grad = problems.ref("quadratic.grad", A=A, b=b)
    x0 = rng.uniform(-5, 5, 2)
    n_steps = 10
    rates = 0.15 * 0.8 ** np.arange(n_steps)  # an exponential decay, below 2 / L = 0.2
    expected = _gd_path(grad, x0, rates, n_steps)
    # Ten contracting steps (rate < 2/L): rounding stays at the 1e-15 level.
    _check_path(submission.gd_with_schedule(grad, x0, _table(rates), n_steps), expected,
                rtol=1e-12, atol=1e-12 * np.abs(expected).max(),
                inputs=f"grad = {grad!r}, x0 = {describe(x0)}, rates = {describe(rates)}, "
                       f"n_steps = {n_steps}")


@graded(2, question=3)
def test_gd_quadratics(submission, rng):
    """gd_with_schedule: follows x <- x - schedule(t) grad(x) step by step on random quadratics"""
    for n in (2, 3, 5, int(rng.integers(2, 8))):
        cond = 10.0 ** rng.uniform(0.5, 2.5)
        A, b = spd_matrix(rng, n, cond), rng.uniform(-3, 3, n)
        if rng.random() < 0.5:
            grad, name = problems.ref("quadratic.grad", A=A, b=b), "quadratic"
        else:
            grad, name = problems.ref("centred_quadratic.grad", A=A, c=b), "centred_quadratic"
        x0 = rng.uniform(-5, 5, n)
        n_steps = int(rng.integers(5, 40))
        # Every rate different (so schedule(t + 1) instead of schedule(t) shows at once) and
        # below 2 / L: each step contracts the error, so rounding does not grow along the path.
        rates = rng.uniform(0.1, 1.9, n_steps + 1) / cond
        expected = _gd_path(grad, x0, rates, n_steps)
        # Contracting steps: the accumulated rounding is at most n_steps * 1e-16 * max|x|.
        _check_path(submission.gd_with_schedule(grad, x0, _table(rates), n_steps), expected,
                    rtol=1e-11, atol=1e-11 * np.abs(expected).max(),
                    inputs=f"{name} with n = {n}, cond(A) = {cond:.0f}, x0 = {describe(x0)}, "
                           f"rates = {describe(rates)}, n_steps = {n_steps}")


def _rosenbrock_case(rng):
    """A start and a decaying table of rates that keep gradient descent on Rosenbrock's
    function in the valley's basin (no blow-up, so rounding is not amplified much)."""
    while True:
        d = int(rng.integers(2, 5))
        x0 = rng.uniform(-1.5, 1.5, d)
        n_steps = int(rng.integers(50, 150))
        lr0 = 10.0 ** rng.uniform(-4, np.log10(4e-4))
        decay = (1 + np.cos(np.pi * np.arange(n_steps + 1) / n_steps)) / 2
        rates = lr0 * (0.1 + 0.9 * decay) * rng.uniform(0.8, 1.2, n_steps + 1)
        grad = problems.ref("rosenbrock.grad")
        path = _gd_path(grad, x0, rates, n_steps)
        if np.all(np.isfinite(path)) and np.abs(path).max() < 3:
            return grad, x0, rates, n_steps, path


@graded(2, question=3)
def test_gd_rosenbrock(submission, rng):
    """gd_with_schedule: follows a decaying schedule step by step on Rosenbrock's function"""
    for _ in range(2):
        grad, x0, rates, n_steps, expected = _rosenbrock_case(rng)
        # Small rates keep the path in the basin, where errors hardly grow: over 3000 such
        # cases a relative perturbation of x0 grew at most 1.6-fold along the path, and noise
        # of 1e-15 (ten roundings) injected at every step moved the path by at most 3e-14 of
        # its scale. 1e-10 of the scale leaves a margin of 3000, while schedule(t + 1) instead
        # of schedule(t) changes the very first step by several per cent.
        _check_path(submission.gd_with_schedule(grad, x0, _table(rates), n_steps), expected,
                    rtol=1e-10, atol=1e-10 * np.abs(expected).max(),
                    inputs=f"grad = {grad!r} (Rosenbrock, d = {len(x0)}), x0 = {describe(x0)}, "
                           f"rates = {describe(rates)}, n_steps = {n_steps}")


@graded(1, question=3)
def test_gd_no_steps_and_list_input(submission, rng):
    """gd_with_schedule: n_steps = 0 gives x0 alone; x0 given as a list is accepted"""
    n = int(rng.integers(2, 6))
    A, c = spd_matrix(rng, n, 10.0), rng.uniform(-3, 3, n)
    grad = problems.ref("centred_quadratic.grad", A=A, c=c)
    x0 = rng.uniform(-5, 5, n)
    rates = rng.uniform(0.05, 0.15, 8)
    inputs = f"grad = {grad!r}, x0 = {describe(x0)}, n_steps = 0"
    path = as_array(submission.gd_with_schedule(grad, x0, _table(rates), 0), shape=(1, n),
                    what="gd_with_schedule(grad, x0, schedule, 0)", inputs=inputs)
    assert_close(path[0], x0, rtol=0, atol=0, what="the only row of the path", inputs=inputs,
                 why="with no steps the path is x0 alone")
    x_list = [float(v) for v in x0]
    expected = _gd_path(grad, x0, rates, 5)
    _check_path(submission.gd_with_schedule(grad, x_list, _table(rates), 5), expected,
                rtol=1e-12, atol=1e-12 * np.abs(expected).max(),
                inputs=f"grad = {grad!r}, x0 = {x_list!r} (a list), rates = {describe(rates)}, "
                       "n_steps = 5")
