"""Hidden suite: optimizers (momentum, Nesterov, RMSProp, Adam and a driver that runs them).

20 points. The update rules are PyTorch's torch.optim definitions, as the contract states:
SGD with momentum (dampening 0, weight decay 0) v <- beta v + g, w <- w - lr v; the same with
nesterov=True, w <- w - lr (g + beta v) with the NEW buffer; RMSprop with eps outside the square
root, w <- w - lr g / (sqrt(s) + eps); Adam with bias corrections 1 - beta^t, t counted from 1,
and eps added to sqrt(v_hat). The expected values below are written from those formulas, not
taken from the reference solution.

Each step function is checked step by step over many random steps (every call gets the exact
state, so one wrong step never hides behind another), with read-only inputs: a function that
modifies its inputs in place raises. run_optimizer is checked on grade-time problems
(ill-conditioned quadratics, Rosenbrock's function) for all five methods. Tolerances are
justified next to each check.
"""

import numpy as np

from autograder import problems
from autograder.checks import as_array, assert_close, describe, unpack
from autograder.suite import graded

# -- the contract's formulas ---------------------------------------------------------------------


def _momentum(w, g, v, lr, beta):
    v_new = beta * v + g
    return w - lr * v_new, v_new


def _nesterov(w, g, v, lr, beta):
    v_new = beta * v + g
    return w - lr * (g + beta * v_new), v_new


def _rmsprop(w, g, s, lr, alpha, eps):
    s_new = alpha * s + (1.0 - alpha) * g * g
    return w - lr * g / (np.sqrt(s_new) + eps), s_new


def _adam(w, g, m, v, t, lr, beta1, beta2, eps):
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m_new / (1.0 - beta1 ** t)
    v_hat = v_new / (1.0 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# Tolerance of one step. Every output is a short sum (w - lr * direction, beta * v + g, ...) of
# terms no larger than the largest input or output, each computed with a few roundings (the
# Adam form that folds the bias corrections into the step size included): correct code agrees to
# ~1e-15 of that scale. Relative error 1e-10 per element, plus 1e-12 of the scale for elements
# that cancel to nearly zero, leaves a factor of 1000; the mistakes checked here change a step by
# 2e-5 relative (Adam's t + 1 at t = 10^4) or (much) more.
STEP_RTOL = 1e-10
STEP_ATOL = 1e-12


def _check_vec(got, expected, *, scale_of, what, inputs, why=None):
    scale = max(float(np.abs(a).max()) for a in (expected, *scale_of))
    return assert_close(got, expected, rtol=STEP_RTOL, atol=STEP_ATOL * scale, what=what,
                        inputs=inputs, why=why)


def _vec(rng, d, scale):
    return rng.standard_normal(d) * scale


def _hyper_text(kwargs):
    return ", ".join(f"{k} = {v!r}" for k, v in kwargs.items()) or "default hyperparameters"


# -- question 1: momentum_step, nesterov_step ----------------------------------------------------

def _heavy_ball_cases(rng):
    """(d, lr, kwargs, gradient scale): one case with the default beta, two with random ones."""
    for i in range(3):
        d = int(rng.integers(2, 7))
        kwargs = {} if i == 0 else {"beta": float(rng.uniform(0.5, 0.99))}
        gscale = 10.0 ** rng.uniform(-2, 2)
        # Steps lr * |v| of order one (|v| grows to ~|g| / (1 - beta)), comparable to |w|, so a
        # wrong step shows in w_new at once.
        lr = float(rng.uniform(0.02, 0.2) / gscale)
        yield d, lr, kwargs, gscale


def _check_heavy_ball(submission, rng, name, formula):
    fn = getattr(submission, name)
    for d, lr, kwargs, gscale in _heavy_ball_cases(rng):
        beta = kwargs.get("beta", 0.9)
        w, v = rng.standard_normal(d), np.zeros(d)
        for k in range(10):
            g = _vec(rng, d, gscale)
            w_new, v_new = formula(w, g, v, lr, beta)
            inputs = (f"step {k + 1} of a random sequence: w = {describe(w)}, g = {describe(g)}, "
                      f"v = {describe(v)}, lr = {lr!r}, {_hyper_text(kwargs)}")
            got = unpack(fn(w, g, v, lr, **kwargs), 2, what=f"{name}(w, g, v, lr)",
                         inputs=inputs)
            _check_vec(got[1], v_new, scale_of=(v, g), what=f"the new buffer v returned by {name}",
                       inputs=inputs, why="v_new = beta * v + g (dampening 0)")
            _check_vec(got[0], w_new, scale_of=(w,), what=f"the new w returned by {name}",
                       inputs=inputs)
            w, v = w_new, v_new


@graded(1, question=1, public=True)
def test_momentum_first_step(submission, rng):
    """momentum_step: the first step from zero state is w - lr g, with v = g"""
    d = int(rng.integers(2, 6))
    w, g, v, lr = rng.standard_normal(d), rng.standard_normal(d), np.zeros(d), 0.1
    inputs = f"w = {describe(w)}, g = {describe(g)}, v = {describe(v)}, lr = {lr}"
    got = unpack(submission.momentum_step(w, g, v, lr), 2, what="momentum_step(w, g, v, lr)",
                 inputs=inputs)
    _check_vec(got[1], g, scale_of=(g,), what="the new buffer v returned by momentum_step",
               inputs=inputs, why="from v = 0: v_new = 0.9 * 0 + g = g")
    _check_vec(got[0], w - lr * g, scale_of=(w,), what="the new w returned by momentum_step",
               inputs=inputs, why="w_new = w - lr * v_new")


@graded(2, question=1)
def test_momentum_steps(submission, rng):
    """momentum_step: matches v <- beta v + g, w <- w - lr v over many random steps"""
    _check_heavy_ball(submission, rng, "momentum_step", _momentum)


@graded(1, question=1)
def test_nesterov_differs_from_momentum(submission, rng):
    """nesterov_step: the first step from zero state is w - lr (1 + beta) g, unlike momentum"""
    for kwargs in ({}, {"beta": float(rng.uniform(0.5, 0.95))}):
        beta = kwargs.get("beta", 0.9)
        d = int(rng.integers(2, 6))
        w, g, v, lr = rng.standard_normal(d), rng.standard_normal(d), np.zeros(d), 0.1
        inputs = (f"w = {describe(w)}, g = {describe(g)}, v = {describe(v)}, lr = {lr}, "
                  f"{_hyper_text(kwargs)}")
        got = unpack(submission.nesterov_step(w, g, v, lr, **kwargs), 2,
                     what="nesterov_step(w, g, v, lr)", inputs=inputs)
        _check_vec(got[1], g, scale_of=(g,), what="the new buffer v returned by nesterov_step",
                   inputs=inputs, why="from v = 0: v_new = beta * 0 + g = g")
        # Heavy ball would give w - lr g here; Nesterov steps along g + beta * v_new.
        _check_vec(got[0], w - lr * (1.0 + beta) * g, scale_of=(w,),
                   what="the new w returned by nesterov_step", inputs=inputs,
                   why="w_new = w - lr * (g + beta * v_new) with the NEW buffer: from zero "
                       "state that is w - lr * (1 + beta) * g, not momentum's w - lr * g")


@graded(2, question=1)
def test_nesterov_steps(submission, rng):
    """nesterov_step: matches v <- beta v + g, w <- w - lr (g + beta v) over many random steps"""
    _check_heavy_ball(submission, rng, "nesterov_step", _nesterov)


# -- question 2: rmsprop_step --------------------------------------------------------------------

def _check_rmsprop_sequence(submission, rng, d, lr, kwargs, gscale, n_steps):
    alpha, eps = kwargs.get("alpha", 0.99), kwargs.get("eps", 1e-8)
    w, s = rng.standard_normal(d), np.zeros(d)
    for k in range(n_steps):
        g = _vec(rng, d, gscale)
        w_new, s_new = _rmsprop(w, g, s, lr, alpha, eps)
        inputs = (f"step {k + 1} of a random sequence: w = {describe(w)}, g = {describe(g)}, "
                  f"s = {describe(s)}, lr = {lr!r}, {_hyper_text(kwargs)}")
        got = unpack(submission.rmsprop_step(w, g, s, lr, **kwargs), 2,
                     what="rmsprop_step(w, g, s, lr)", inputs=inputs)
        _check_vec(got[1], s_new, scale_of=(s, g * g),
                   what="the new average s returned by rmsprop_step", inputs=inputs,
                   why="s_new = alpha * s + (1 - alpha) * g**2")
        _check_vec(got[0], w_new, scale_of=(w,), what="the new w returned by rmsprop_step",
                   inputs=inputs, why="w_new = w - lr * g / (sqrt(s_new) + eps), eps OUTSIDE "
                                      "the square root")
        w, s = w_new, s_new


@graded(1, question=2, public=True)
def test_rmsprop_first_step(submission, rng):
    """rmsprop_step: the first step from zero state, with the defaults"""
    d = int(rng.integers(2, 6))
    _check_rmsprop_sequence(submission, rng, d, 0.01, {}, 1.0, 1)


@graded(2, question=2)
def test_rmsprop_steps(submission, rng):
    """rmsprop_step: matches s <- alpha s + (1 - alpha) g^2, w <- w - lr g / (sqrt(s) + eps)"""
    for i in range(3):
        d = int(rng.integers(2, 7))
        kwargs = {} if i == 0 else {"alpha": float(rng.uniform(0.8, 0.999)),
                                    "eps": float(10.0 ** rng.uniform(-10, -6))}
        # Steps of about lr per coordinate (10 lr at first, since s starts at zero): w and the
        # step are both of order one, so a wrong step shows in w_new.
        _check_rmsprop_sequence(submission, rng, d, float(rng.uniform(0.01, 0.1)), kwargs,
                                10.0 ** rng.uniform(-1, 2), 10)


@graded(1, question=2)
def test_rmsprop_eps_placement(submission, rng):
    """rmsprop_step: eps is added outside the square root (small gradients, larger eps)"""
    # With gradients of order one, sqrt(s + eps) and sqrt(s) + eps differ by only ~eps/2 = 5e-9
    # relative: invisible. Small gradients (|g| ~ 1e-4, so sqrt(s) ~ 1e-5 to 3e-5, below
    # sqrt(eps) = 1e-4) change the step several times over; a large eps (1e-3 to 1e-2 with
    # |g| ~ 1, sqrt(s) ~ 0.1) changes it by a few per cent. Both are far above the tolerance.
    d = int(rng.integers(2, 6))
    _check_rmsprop_sequence(submission, rng, d, float(rng.uniform(0.01, 0.1)), {},
                            10.0 ** rng.uniform(-4.5, -3.5), 6)
    d = int(rng.integers(2, 6))
    _check_rmsprop_sequence(submission, rng, d, float(rng.uniform(0.01, 0.1)),
                            {"eps": float(rng.uniform(1e-3, 1e-2))}, 1.0, 6)


# -- question 3: adam_step -----------------------------------------------------------------------

def _adam_kwargs(rng):
    return {"lr": float(10.0 ** rng.uniform(-3, -1)), "beta1": float(rng.uniform(0.8, 0.95)),
            "beta2": float(rng.uniform(0.99, 0.9999)), "eps": float(10.0 ** rng.uniform(-10, -7))}


def _check_adam(submission, w, g, m, v, t, kwargs, inputs):
    full = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, **kwargs}
    w_new, m_new, v_new = _adam(w, g, m, v, t, **full)
    got = unpack(submission.adam_step(w, g, m, v, t, **kwargs), 3,
                 what="adam_step(w, g, m, v, t, ...)", inputs=inputs)
    _check_vec(got[1], m_new, scale_of=(m, g), what="the new m returned by adam_step",
               inputs=inputs, why="the UNCORRECTED first moment beta1 * m + (1 - beta1) * g")
    _check_vec(got[2], v_new, scale_of=(v, g * g), what="the new v returned by adam_step",
               inputs=inputs, why="the UNCORRECTED second moment beta2 * v + (1 - beta2) * g**2")
    _check_vec(got[0], w_new, scale_of=(w,), what="the new w returned by adam_step",
               inputs=inputs, why="w - lr * m_hat / (sqrt(v_hat) + eps) with m_hat = m / "
                                  "(1 - beta1**t), v_hat = v / (1 - beta2**t), t from 1")
    return w_new, m_new, v_new


@graded(1, question=3, public=True)
def test_adam_first_step(submission, rng):
    """adam_step: the bias-corrected first step (t = 1) is about lr * sign(g) in every coordinate"""
    for kwargs in ({}, {"lr": 0.05}):
        d = int(rng.integers(3, 7))
        lr = kwargs.get("lr", 1e-3)
        # Gradients from 1e-3 to 1e3 in size: after bias correction m_hat = g and
        # sqrt(v_hat) = |g|, so the step is lr * g / (|g| + eps), within 1e-5 of lr * sign(g).
        # Without the correction it would be about 3.2 * lr.
        g = rng.choice([-1.0, 1.0], d) * 10.0 ** rng.uniform(-3, 3, d)
        w = rng.standard_normal(d) * 10 * lr
        z = np.zeros(d)
        _check_adam(submission, w, g, z, z, 1, kwargs,
                    f"the first step, t = 1, w = {describe(w)}, g = {describe(g)}, m = v = 0, "
                    f"{_hyper_text(kwargs)}")


@graded(2, question=3)
def test_adam_steps(submission, rng):
    """adam_step: matches Adam's update with bias correction over many random steps"""
    for i in range(3):
        d = int(rng.integers(2, 7))
        kwargs = {} if i == 0 else _adam_kwargs(rng)
        lr = kwargs.get("lr", 1e-3)
        gscale = 10.0 ** rng.uniform(-3, 2)
        # w of the size of a few steps (each step is about lr per coordinate), so that a wrong
        # step shows in w_new.
        w, m, v = rng.standard_normal(d) * 10 * lr, np.zeros(d), np.zeros(d)
        for t in range(1, 13):
            g = _vec(rng, d, gscale)
            inputs = (f"step t = {t} of a random sequence: w = {describe(w)}, g = {describe(g)}, "
                      f"m = {describe(m)}, v = {describe(v)}, {_hyper_text(kwargs)}")
            w, m, v = _check_adam(submission, w, g, m, v, t, kwargs, inputs)


@graded(1, question=3)
def test_adam_late_steps(submission, rng):
    """adam_step: matches Adam's update at late steps t (up to 10^4) from random states"""
    for t in (int(rng.integers(2, 20)), int(rng.integers(100, 1000)),
              int(rng.integers(1000, 10_000))):
        d = int(rng.integers(2, 7))
        kwargs = _adam_kwargs(rng)
        kwargs["beta2"] = 0.999  # keeps beta2^t visible (0.999^10^4 = 4.5e-5) up to t = 10^4
        gscale = 10.0 ** rng.uniform(-3, 2)
        g = _vec(rng, d, gscale)
        m = _vec(rng, d, gscale)
        v = (gscale * rng.uniform(0.2, 2.0, d)) ** 2
        w = rng.standard_normal(d) * kwargs["lr"]
        _check_adam(submission, w, g, m, v, t, kwargs,
                    f"t = {t}, w = {describe(w)}, g = {describe(g)}, m = {describe(m)}, "
                    f"v = {describe(v)}, {_hyper_text(kwargs)}")


# -- question 4: run_optimizer -------------------------------------------------------------------

METHODS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")


def spd_matrix(rng, n, cond):
    """A random symmetric positive definite matrix with eigenvalues from 1 to ``cond``."""
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (q * np.geomspace(1.0, cond, n)) @ q.T


def _quadratic_settings(rng, method, L, defaults):
    """lr and hyperparameters that keep ``method`` stable on a quadratic with largest curvature L
    (RMSProp and Adam take steps of about lr per coordinate, whatever L: their rates are set for
    distances of order one to the minimiser)."""
    if method == "sgd":
        return float(rng.uniform(0.3, 1.8) / L), {}
    if method in ("momentum", "nesterov"):
        hyper = {} if defaults else {"beta": float(rng.uniform(0.5, 0.95))}
        return float(rng.uniform(0.05, 0.5) / L), hyper
    if method == "rmsprop":
        hyper = {} if defaults else {"alpha": float(rng.uniform(0.98, 0.999)),
                                     "eps": float(10.0 ** rng.uniform(-10, -7))}
        return float(rng.uniform(1e-3, 1e-2)), hyper
    hyper = {} if defaults else {"beta1": float(rng.uniform(0.8, 0.95)),
                                 "beta2": float(rng.uniform(0.99, 0.9999)),
                                 "eps": float(10.0 ** rng.uniform(-10, -7))}
    return float(rng.uniform(1e-2, 5e-2)), hyper


def _rosenbrock_settings(rng, method, defaults):
    """Rates small enough for Rosenbrock's valley (curvature up to ~3000 on [-1.5, 1.5]^2)."""
    if method == "sgd":
        return float(rng.uniform(1e-4, 4e-4)), {}
    if method in ("momentum", "nesterov"):
        hyper = {} if defaults else {"beta": float(rng.uniform(0.5, 0.9))}
        return float(rng.uniform(2e-5, 8e-5)), hyper
    if method == "rmsprop":
        hyper = {} if defaults else {"alpha": float(rng.uniform(0.98, 0.999)),
                                     "eps": float(10.0 ** rng.uniform(-10, -7))}
        return float(rng.uniform(5e-4, 3e-3)), hyper
    hyper = {} if defaults else {"beta1": float(rng.uniform(0.8, 0.95)),
                                 "beta2": float(rng.uniform(0.99, 0.9999)),
                                 "eps": float(10.0 ** rng.uniform(-10, -7))}
    return float(rng.uniform(5e-3, 3e-2)), hyper


# Tolerance of a path. Correct implementations differ by a few roundings per step (Adam's folded
# form, loops over coordinates, in-place updates of copies), and a path can amplify them. Gradient
# descent and heavy ball on these damped problems hardly do. RMSProp and Adam with a constant
# rate never settle: near the minimiser (or Rosenbrock's valley floor) they keep oscillating with
# steps of about lr, and that oscillation can be chaotic (with alpha < 0.97, or lr = 5e-3 on
# Rosenbrock, over 150 steps, a 1e-16 difference grew to 1e-2): such a tail is not determined by
# the contract and must not be graded. Hence the rates, decays and step counts drawn below, and a
# guard: each case is replayed with relative noise NOISE = 1e-13 (a thousand roundings) injected
# into every step, and only the leading steps where the replay stays within 1e-10 of the path's
# scale (max |x|) are graded (at least MIN_GRADED_STEPS, else the case is drawn again). Measured
# over 400 seeds of every test (6400 paths), the noisy replay never left 6.3e-12 of the scale
# (the guard never cut a path), so rounding moves a graded path by ~1e-14 of its scale at most:
# PATH_RTOL = 1e-9 (relative, and absolute on the path's scale) leaves a margin of 1e4 or more,
# and is far below what the mistakes do (the smallest: Adam restarted from a stale state on the
# same problem, ~1e-5; RMSProp with eps inside the root, >= 1e-7 on the first step, and grossly
# wrong on the quadratics with small gradients).
PATH_RTOL = 1e-9
NOISE = 1e-13
MIN_GRADED_STEPS = 30


def _replay(grad, x0, method, n_steps, lr, hyper, noise_rng=None):
    """The path by the contract's formulas; with noise_rng, every new w and state is perturbed
    by a relative NOISE."""
    def jitter(a):
        return a if noise_rng is None else a * (1.0 + NOISE * noise_rng.standard_normal(a.shape))
    w = np.array(x0, dtype=float)
    a, b = np.zeros_like(w), np.zeros_like(w)
    path = [w]
    for k in range(n_steps):
        g = np.asarray(grad(w), dtype=float)
        if method == "sgd":
            w = w - lr * g
        elif method == "momentum":
            w, a = _momentum(w, g, a, lr, hyper.get("beta", 0.9))
        elif method == "nesterov":
            w, a = _nesterov(w, g, a, lr, hyper.get("beta", 0.9))
        elif method == "rmsprop":
            w, a = _rmsprop(w, g, a, lr, hyper.get("alpha", 0.99), hyper.get("eps", 1e-8))
        else:
            w, a, b = _adam(w, g, a, b, k + 1, lr, hyper.get("beta1", 0.9),
                            hyper.get("beta2", 0.999), hyper.get("eps", 1e-8))
        w, a, b = jitter(w), jitter(a), jitter(b)
        path.append(w)
    return np.array(path)


def _determined_steps(grad, x0, method, n_steps, lr, hyper, rng):
    """The path by the contract's formulas, cut to the leading steps that rounding cannot change
    by more than 1e-10 of its scale (see PATH_RTOL)."""
    exact = _replay(grad, x0, method, n_steps, lr, hyper)
    noisy = _replay(grad, x0, method, n_steps, lr, hyper, rng)
    if not np.all(np.isfinite(exact)) or not np.all(np.isfinite(noisy)):
        return exact[:1]
    deviation = np.maximum.accumulate(np.abs(noisy - exact).max(axis=1))
    scale = np.maximum.accumulate(np.abs(exact).max(axis=1))
    good = deviation <= 1e-10 * scale
    return exact if good.all() else exact[:int(np.argmin(good))]


def _check_path(got, expected, *, inputs):
    what = "run_optimizer(grad, x0, method, n_steps, lr, **hyper)"
    path = as_array(got, shape=expected.shape, what=what, inputs=inputs)
    assert_close(path[0], expected[0], rtol=0, atol=0, what="row 0 of the path", inputs=inputs,
                 why="row 0 must be x0 itself")
    atol = PATH_RTOL * float(np.abs(expected).max())
    for k in range(1, expected.shape[0]):
        assert_close(path[k], expected[k], rtol=PATH_RTOL, atol=atol,
                     what=f"row {k} of the path (the parameters after {k} step"
                          f"{'s' if k > 1 else ''})", inputs=inputs)


def _draw_run(rng, draw):
    """Draw a case (grad, x0, method, n_steps, lr, hyper) with ``draw`` until at least
    MIN_GRADED_STEPS steps are determined; returns the case, cut to its determined steps, and
    its expected path."""
    for _ in range(100):
        grad, x0, method, n_steps, lr, hyper = draw()
        expected = _determined_steps(grad, x0, method, n_steps, lr, hyper, rng)
        if len(expected) > MIN_GRADED_STEPS:
            return (grad, x0, method, len(expected) - 1, lr, hyper), expected
    raise RuntimeError(f"no well-determined {method} case found")  # an internal error


def _run_and_check(submission, grad, x0, method, n_steps, lr, hyper, problem, *,
                   expected=None, repeat=1):
    if expected is None:
        expected = _replay(grad, x0, method, n_steps, lr, hyper)
    for call in range(repeat):
        which = f" (call {call + 1} of {repeat} identical calls)" if repeat > 1 else ""
        inputs = (f"{problem}{which}, x0 = {describe(x0)}, method = {method!r}, "
                  f"n_steps = {n_steps}, lr = {lr!r}, {_hyper_text(hyper)}")
        _check_path(submission.run_optimizer(grad, x0, method, n_steps, lr, **hyper), expected,
                    inputs=inputs)


def _quadratic_problem(rng, small=False):
    n = int(rng.integers(2, 7))
    cond = 10.0 ** rng.uniform(1, 3)
    # small: gradients of order 1e-4, where eps matters to RMSProp's and Adam's steps.
    scale = 1e-4 if small else 1.0
    A, c = scale * spd_matrix(rng, n, cond), rng.uniform(-3, 3, n)
    grad = problems.ref("centred_quadratic.grad", A=A, c=c)
    x0 = c + rng.uniform(-2, 2, n)
    label = (f"grad = {grad!r} (the gradient of (x - c)^T A (x - c) / 2, n = {n}, "
             f"cond(A) = {cond:.0f})")
    return grad, x0, scale * cond, label


@graded(1, question=4, public=True)
def test_run_path_shape(submission, rng):
    """run_optimizer: returns the (n_steps + 1, d) path from x0 (sgd and momentum, a quadratic)"""
    A = np.diag([1.0, 10.0])
    c = rng.uniform(-1, 1, 2)
    grad = problems.ref("centred_quadratic.grad", A=A, c=c)
    x0 = c + rng.uniform(-2, 2, 2)
    for method, lr in (("sgd", 0.1), ("momentum", 0.02)):
        _run_and_check(submission, grad, x0, method, 20, lr, {}, f"grad = {grad!r}")


@graded(2, question=4)
def test_run_quadratics(submission, rng):
    """run_optimizer: all five methods on ill-conditioned quadratics, with hyperparameters"""
    for small in (False, True):
        grad, x0, L, label = _quadratic_problem(rng, small)
        for i, method in enumerate(METHODS):
            def draw():
                lr, hyper = _quadratic_settings(rng, method, L, defaults=(i + small) % 3 == 0)
                return grad, x0, method, int(rng.integers(40, 100)), lr, hyper
            case, expected = _draw_run(rng, draw)
            _run_and_check(submission, *case, label, expected=expected)


@graded(2, question=4)
def test_run_rosenbrock(submission, rng):
    """run_optimizer: all five methods on Rosenbrock's function"""
    grad = problems.ref("rosenbrock.grad")
    for i, method in enumerate(METHODS):
        def draw():
            lr, hyper = _rosenbrock_settings(rng, method, defaults=i % 2 == 0)
            return grad, rng.uniform(-1.5, 1.5, 2), method, int(rng.integers(50, 120)), lr, hyper
        case, expected = _draw_run(rng, draw)
        _run_and_check(submission, *case, f"grad = {grad!r} (Rosenbrock's function)",
                       expected=expected)


@graded(1, question=4)
def test_run_twice(submission, rng):
    """run_optimizer: a second call with the same method starts again from zero state"""
    grad, x0, L, label = _quadratic_problem(rng)
    for method in METHODS[1:]:
        def draw():
            lr, hyper = _quadratic_settings(rng, method, L, defaults=False)
            return grad, x0, method, int(rng.integers(30, 50)), lr, hyper
        # The same call twice: every call starts from zero state (Adam from t = 1), so both
        # must give the same path.
        case, expected = _draw_run(rng, draw)
        _run_and_check(submission, *case, label, expected=expected, repeat=2)
