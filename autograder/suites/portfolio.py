"""Hidden suite: portfolio (the lesson's Example 2, long-only portfolios with SLSQP).

21 points. Inputs are drawn at grade time; tolerances are justified next to each check.

What the problem determines, and so what is graded:
- the building blocks are formulas, checked to rounding;
- the maximum Sharpe ratio, not the weights that reach it: the Sharpe surface is flat at its
  maximum (a weight error d costs only O(d^2) in the ratio), so SLSQP's weights can differ from
  the exact ones by 1e-3 while the ratio agrees to 1e-6. Graded: feasibility, and the Sharpe
  ratio of the returned weights against the best one;
- the minimum variance and the efficient frontier's values (convex quadratic programmes:
  their optimal values are well determined), and feasibility of the weights.

The trusted values come from the suite, not from SLSQP: with at most 8 assets every support
(set of assets held) can be enumerated. On a support the optimum of each problem has a closed
form (a linear KKT system); every candidate that is feasible (weights >= 0, return reached) is
an upper bound of the optimal value and the optimum's own support gives the optimum itself, so
the best feasible candidate is the exact answer up to rounding (about 1e-15). The maximum Sharpe
ratio uses the convex reformulation y = w / (mu - rf)^T w: max S = 1 / sqrt(min y^T Sigma y)
over y >= 0 with (mu - rf)^T y = 1, solved the same way, and cross-checked against SLSQP run
from several starts with the analytic gradient (the best of all is kept).

Inputs (realistic annual scales): n = 3..8 assets, volatilities 5% to 40%, correlations from a
random factor model, expected returns 0% to 20%, risk-free rates 0% to 5%, plus the lesson's
four assets.
"""

import itertools

import numpy as np
from scipy.optimize import minimize

from autograder.checks import (Mismatch, as_array, assert_close, assert_scalar_close, assert_true,
                               describe)
from autograder.suite import graded

RF = 0.02  # the contract's default risk-free rate
LESSON_MU = np.array([0.12, 0.10, 0.07, 0.03])
LESSON_SIGMA = np.array([[0.10, 0.02, 0.04, 0.00], [0.02, 0.08, 0.02, 0.01],
                         [0.04, 0.02, 0.09, 0.00], [0.00, 0.01, 0.00, 0.02]])

# Feasibility of returned weights. SLSQP meets the (linear) budget constraint to rounding in
# most runs, but the lesson's call has been seen 7e-9 off in 6000 random problems: 1e-6 is safe
# and still catches a missing budget constraint (off by O(1)). SLSQP clips to the bounds, so
# weights are >= 0 exactly; -1e-8 admits an alternative that rounds.
BUDGET_ATOL = 1e-6
BOUND_ATOL = 1e-8

# The maximum Sharpe ratio. SLSQP's default stopping rule is absolute, ftol = 1e-6 on the
# objective -S, so the lesson's call stops a small *absolute* distance short of the best ratio.
# Measured on 41,000 problems drawn like those below (without the filter on the mean return;
# three algebraically equal ways of writing the objective, whose shortfalls agree to 5e-7: the
# shortfall is a property of the problem, not of rounding): the median is 3e-8, the 99.99th
# percentile 5e-6, the worst 2.6e-5 (at S = 3.9) and, relative to the best, 1.6e-4 (at
# S = 0.05). Allowing 5e-5 + 5e-5 S keeps a factor of 6 over the worst
# case at every Sharpe level (1e-3 relative on a low-Sharpe problem, S = 0.05, so the contract's
# "about 1e-4" passes), while a portfolio for the wrong rf or the wrong objective (variance
# instead of volatility) falls short by 1e-4 to 1e-2 unless both happen to pick the same single
# asset, which is why each test draws several problems.
SHARPE_ATOL = 5e-5
SHARPE_RTOL = 5e-5

# Minimum variance and frontier values: exact up to about 1e-15 in the trusted solver; SLSQP on
# a scaled objective with ftol = 1e-15 (the lesson's advice) agrees to 1e-10 or better (worst of
# 300 random problems: 1.3e-14 for the minimum variance, 6e-11 on the frontier), and so do the
# exact alternatives (active set, KKT), and SLSQP on the raw variance with a tight ftol. 1e-6
# (relative, on the volatility) leaves a factor 1e4 for any solver run to a tight tolerance;
# a run stopped by SLSQP's default ftol = 1e-6 on the raw variance (of order 1e-2, so the
# threshold is relatively loose) stops early, up to a few per cent off.
VOL_RTOL = 1e-6


# -- inputs --------------------------------------------------------------------------------------

def covariance(rng, n):
    """A random covariance: volatilities 5%..40%, correlations of a random factor model (1 to n
    factors plus an idiosyncratic part, so that the matrix is well conditioned)."""
    vols = rng.uniform(0.05, 0.40, n)
    k = int(rng.integers(1, n + 1))
    A = rng.standard_normal((n, k))
    C = A @ A.T / k + np.diag(rng.uniform(0.1, 1.0, n))
    d = 1.0 / np.sqrt(np.diag(C))
    S = C * np.outer(d, d) * np.outer(vols, vols)
    return (S + S.T) / 2.0


def sharpe_problem(rng, rf):
    """mu, Sigma for a maximum-Sharpe test. The expected returns are redrawn until equal weights
    (the lesson's start) earn at least rf + 2%: where the excess return is positive the Sharpe
    ratio (a positive linear function over a norm) is pseudo-concave, every local maximum is
    global, and SLSQP's local search from there finds it; from a start with a negative excess
    return it can stall at a local maximum of the negative part (seen in random draws). Such
    inputs always have an asset with mu > rf, as the contract promises."""
    n = int(rng.integers(3, 9))
    Sigma = covariance(rng, n)
    while True:
        mu = rng.uniform(0.0, 0.20, n)
        if mu.mean() >= rf + 0.02:
            return mu, Sigma


def shorting_covariance(rng):
    """A covariance whose long-only constraint binds visibly: the unconstrained minimum-variance
    portfolio Sigma^{-1} 1 / (1^T Sigma^{-1} 1) shorts an asset, and clipping its negative
    weights (then renormalising) is at least 1e-3 (relative, in volatility) worse than the
    long-only optimum: an answer that ignores the bounds cannot pass for the optimum."""
    while True:
        n = int(rng.integers(3, 9))
        Sigma = covariance(rng, n)
        z = np.linalg.solve(Sigma, np.ones(n))
        z = z / z.sum()
        if z.min() >= 0:
            continue
        clipped = np.clip(z, 0.0, None)
        clipped = clipped / clipped.sum()
        best = volatility(min_variance(Sigma), Sigma)
        if volatility(clipped, Sigma) >= best * (1.0 + 1e-3):
            return Sigma


# -- the trusted solvers (enumeration of supports) -----------------------------------------------

_SUPPORTS: dict[int, dict[int, np.ndarray]] = {}


def supports(n):
    """Every non-empty set of assets, grouped by size: {k: int array (count, k)}."""
    if n not in _SUPPORTS:
        _SUPPORTS[n] = {k: np.array(list(itertools.combinations(range(n), k)))
                        for k in range(1, n + 1)}
    return _SUPPORTS[n]


def _scatter(n, S, x):
    """Rows of length n holding x[j] on the assets S[j] and zeros elsewhere."""
    W = np.zeros((S.shape[0], n))
    np.put_along_axis(W, S, x, axis=1)
    return W


def volatility(w, Sigma):
    return float(np.sqrt(max(float(w @ Sigma @ w), 0.0)))


def sharpe(w, mu, Sigma, rf):
    return float((w @ mu - rf) / np.sqrt(w @ Sigma @ w))


def budget_faces(Sigma):
    """On every support S, the minimiser of w^T Sigma w with sum(w) = 1 and w = 0 off S."""
    n = Sigma.shape[0]
    rows = []
    for k, S in supports(n).items():
        sub = Sigma[S[:, :, None], S[:, None, :]]
        z = np.linalg.solve(sub, np.ones((S.shape[0], k, 1)))[..., 0]
        rows.append(_scatter(n, S, z / z.sum(axis=1, keepdims=True)))
    return np.concatenate(rows)


def return_faces(Sigma, mu):
    """On every support S of two or more assets whose returns are not all equal, the minimiser
    p + t q of w^T Sigma w with sum(w) = 1, mu^T w = t and w = 0 off S (its KKT system is
    linear in t)."""
    n = Sigma.shape[0]
    P, Q = [np.zeros((0, n))], [np.zeros((0, n))]
    for k, S in supports(n).items():
        if k < 2:
            continue
        m = S.shape[0]
        good = np.ptp(mu[S], axis=1) > 0
        K = np.zeros((m, k + 2, k + 2))
        K[:, :k, :k] = 2.0 * Sigma[S[:, :, None], S[:, None, :]]
        K[:, :k, k] = K[:, k, :k] = 1.0
        K[:, :k, k + 1] = K[:, k + 1, :k] = mu[S]
        K[~good] = np.eye(k + 2)  # singular (constant returns on S): skipped below
        rhs = np.zeros((m, k + 2, 2))
        rhs[:, k, 0] = 1.0
        rhs[:, k + 1, 1] = 1.0
        sol = np.linalg.solve(K, rhs)[good, :k, :]
        P.append(_scatter(n, S[good], sol[..., 0]))
        Q.append(_scatter(n, S[good], sol[..., 1]))
    return np.concatenate(P), np.concatenate(Q)


def min_variance(Sigma):
    """The long-only minimum-variance portfolio: the best feasible budget face."""
    W = budget_faces(Sigma)
    W = W[W.min(axis=1) >= 0.0]
    return W[np.argmin(np.einsum("ki,ij,kj->k", W, Sigma, W))]


def frontier(mu, Sigma, targets):
    """min sqrt(w^T Sigma w) over w >= 0, sum(w) = 1, mu^T w >= t; NaN where t > max(mu).
    Candidates: budget faces that reach t (the return constraint inactive) and return faces at
    t (active). Both kinds are feasible, and the optimum is one of them, so the smallest is it."""
    targets = np.asarray(targets, dtype=float)
    slack = 1e-13  # rounding in the closed forms; far below any tolerance used here
    W = budget_faces(Sigma)
    W = W[W.min(axis=1) >= -slack]
    var = np.einsum("ki,ij,kj->k", W, Sigma, W)
    reaches = (W @ mu)[:, None] >= targets[None, :] - slack
    best = np.where(reaches, var[:, None], np.inf).min(axis=0)
    P, Q = return_faces(Sigma, mu)
    Wt = P[:, None, :] + targets[None, :, None] * Q[:, None, :]
    var_t = np.einsum("mti,ij,mtj->mt", Wt, Sigma, Wt)
    best = np.minimum(best, np.where(Wt.min(axis=2) >= -slack, var_t, np.inf).min(axis=0,
                                                                                  initial=np.inf))
    out = np.sqrt(best)
    out[targets > mu.max()] = np.nan
    return out


def best_sharpe(mu, Sigma, rf):
    """The best long-only Sharpe ratio: the convex reformulation solved on every support, and
    SLSQP with the analytic gradient from three starts; the best feasible value of all."""
    n = mu.size
    e = mu - rf
    candidates = []
    for k, S in supports(n).items():
        sub = Sigma[S[:, :, None], S[:, None, :]]
        z = np.linalg.solve(sub, e[S][..., None])[..., 0]
        q = np.einsum("mk,mk->m", e[S], z)
        ok = q > 0
        y = z[ok] / q[ok, None]
        ok_y = y.min(axis=1) >= 0.0
        if ok_y.any():
            candidates.append(_scatter(n, S[ok][ok_y], y[ok_y]))
    Y = np.concatenate(candidates)
    W = Y / Y.sum(axis=1, keepdims=True)

    def neg(w):
        v = w @ Sigma @ w
        return -(w @ e) / np.sqrt(v), -(e / np.sqrt(v) - (w @ e) * (Sigma @ w) / v ** 1.5)

    starts = [np.full(n, 1.0 / n), np.eye(n)[int(np.argmax(e / np.sqrt(np.diag(Sigma))))],
              W[np.argmax(W @ e / np.sqrt(np.einsum("ki,ij,kj->k", W, Sigma, W)))]]
    for w0 in starts:
        res = minimize(neg, w0, jac=True, method="SLSQP", bounds=[(0.0, 1.0)] * n,
                       constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                                     "jac": lambda w: np.ones((1, n))}],
                       options={"ftol": 1e-15, "maxiter": 500})
        w = np.clip(res.x, 0.0, None)
        if np.all(np.isfinite(w)) and w.sum() > 0:
            W = np.vstack([W, w / w.sum()])
    values = (W @ mu - rf) / np.sqrt(np.einsum("ki,ij,kj->k", W, Sigma, W))
    return float(values.max())


# -- checks --------------------------------------------------------------------------------------

def problem_text(mu, Sigma, rf=None, targets=None):
    text = f"mu = {describe(mu)}, Sigma = {describe(Sigma)}"
    if rf is not None:
        text += f", rf = {rf!r}"
    if targets is not None:
        text += f", targets = {describe(targets)}"
    return text


def check_weights(value, n, what, inputs):
    """The returned weights: shape (n,), finite, summing to one, non-negative."""
    w = as_array(value, shape=(n,), what=what, inputs=inputs)
    total = float(w.sum())
    assert_true(abs(total - 1.0) <= BUDGET_ATOL,
                f"{what} for {inputs}: the weights sum to {total!r}; a fully invested portfolio's "
                f"weights sum to 1 (allowed error {BUDGET_ATOL:g}). Returned: {describe(w)}.")
    i = int(np.argmin(w))
    assert_true(w[i] >= -BOUND_ATOL,
                f"{what} for {inputs}: weight {i} is {w[i]!r}; long-only weights must be >= 0 "
                f"(allowed -{BOUND_ATOL:g}). Returned: {describe(w)}.")
    return w


def check_sharpe(value, mu, Sigma, rf, best, what, inputs):
    w = check_weights(value, mu.size, what, inputs)
    got = sharpe(w / w.sum(), mu, Sigma, rf)  # the portfolio the weights describe
    allowed = SHARPE_ATOL + SHARPE_RTOL * best
    assert_true(got >= best - allowed,
                f"{what} for {inputs}: the returned weights {describe(w)} have Sharpe ratio "
                f"{got!r} at rf = {rf!r}, but the best long-only portfolio reaches {best!r} "
                f"(short by {best - got:.3g}; allowed {allowed:.3g}, which SLSQP's default "
                f"stopping rule meets).")


def check_min_variance(value, Sigma, what, inputs):
    w = check_weights(value, Sigma.shape[0], what, inputs)
    expected = volatility(min_variance(Sigma), Sigma)
    # Of the portfolio the weights describe: renormalised, as the budget is met only to 1e-6.
    assert_scalar_close(volatility(w / w.sum(), Sigma), expected, rtol=VOL_RTOL,
                        what=f"the volatility of {what}", inputs=inputs,
                        why="the long-only minimum-variance volatility")


def frontier_array(value, targets, mu, what, inputs):
    """The returned frontier: shape (len(targets),), NaN exactly where target > max(mu), finite
    elsewhere. Returned with its NaNs."""
    shape = (targets.size,)
    if not isinstance(value, (np.ndarray, list)):
        as_array(value, shape=shape, what=what, inputs=inputs)  # raises with the right message
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        return as_array(value, shape=shape, what=what, inputs=inputs)
    if array.shape != shape:
        as_array(value, shape=shape, what=what, inputs=inputs)
    infeasible = targets > mu.max()
    for k in range(targets.size):
        t = float(targets[k])
        if infeasible[k] and not np.isnan(array[k]):
            raise Mismatch(f"{what} for {inputs}: at index {k} the target {t!r} is above max(mu) = "
                           f"{float(mu.max())!r}, no long-only portfolio reaches it, so the value "
                           f"must be NaN; got {float(array[k])!r}. Returned: {describe(array)}.")
        if not infeasible[k] and not np.isfinite(array[k]):
            where = " (equal to max(mu): feasible)" if t == mu.max() else " (<= max(mu))"
            raise Mismatch(f"{what} for {inputs}: at index {k} the target {t!r}{where} is "
                           f"reached by some long-only portfolio, so the value must be a finite "
                           f"volatility; got {float(array[k])!r}. Returned: {describe(array)}.")
    return array


def check_frontier(value, mu, Sigma, targets, what, inputs, expected=None):
    """NaN pattern, then the finite values against the trusted frontier."""
    if expected is None:
        expected = frontier(mu, Sigma, targets)
    array = frontier_array(value, targets, mu, what, inputs)
    feasible = ~np.isnan(expected)
    assert_close(np.where(feasible, array, 0.0), np.where(feasible, expected, 0.0), rtol=VOL_RTOL,
                 what=what + " (NaN entries shown as 0)", inputs=inputs,
                 why="the smallest long-only volatility reaching each target")
    return array


# -- question 1: portfolio_return, portfolio_volatility, neg_sharpe ------------------------------

def random_portfolios(rng, n, count):
    """Long-only portfolios (Dirichlet) and, for the formulas, a long-short one."""
    ws = list(rng.dirichlet(np.ones(n), count - 1))
    ws.append(rng.uniform(-1.0, 1.0, n) + 1.0 / n)
    return ws


@graded(1, question=1, public=True)
def test_return_values(submission, rng):
    """portfolio_return: equals w^T mu on random portfolios"""
    for n in (3, 5, 8):
        mu = rng.uniform(0.0, 0.20, n)
        for w in random_portfolios(rng, n, 3):
            expected = float(w @ mu)
            # A sum of at most 8 products of size <= 0.2: exact to about 1e-17.
            assert_scalar_close(submission.portfolio_return(w, mu), expected, rtol=1e-12,
                                atol=1e-14, what="portfolio_return(w, mu)",
                                inputs=f"w = {describe(w)}, mu = {describe(mu)}")


@graded(1, question=1, public=True)
def test_volatility_values(submission, rng):
    """portfolio_volatility: equals sqrt(w^T Sigma w) on random portfolios"""
    for n in (3, 5, 8):
        Sigma = covariance(rng, n)
        for w in random_portfolios(rng, n, 3):
            expected = float(np.sqrt(w @ Sigma @ w))
            # A quadratic form of 64 terms and a square root: exact to about 1e-15 relative.
            assert_scalar_close(submission.portfolio_volatility(w, Sigma), expected, rtol=1e-12,
                                what="portfolio_volatility(w, Sigma)",
                                inputs=f"w = {describe(w)}, Sigma = {describe(Sigma)}")


@graded(1, question=1)
def test_neg_sharpe_default_rf(submission, rng):
    """neg_sharpe: equals -(w^T mu - 0.02) / sqrt(w^T Sigma w) with the default rf"""
    for n in (3, 4, 6, 8):
        mu, Sigma = rng.uniform(0.0, 0.20, n), covariance(rng, n)
        w = rng.dirichlet(np.ones(n))
        expected = -(w @ mu - RF) / np.sqrt(w @ Sigma @ w)
        # Numerator exact to ~1e-17, volatility >= ~0.02: the ratio is exact to ~1e-15.
        inputs = f"w = {describe(w)}, {problem_text(mu, Sigma)} (rf not given)"
        assert_scalar_close(submission.neg_sharpe(w, mu, Sigma), expected, rtol=1e-10, atol=1e-12,
                            what="neg_sharpe(w, mu, Sigma)", inputs=inputs)
    # Plain lists are accepted too (the contract: anything np.asarray accepts).
    w, mu, Sigma = [0.5, 0.5, 0.0, 0.0], LESSON_MU.tolist(), LESSON_SIGMA.tolist()
    expected = -(0.11 - RF) / np.sqrt(0.25 * (0.10 + 2 * 0.02 + 0.08))
    assert_scalar_close(submission.neg_sharpe(w, mu, Sigma), expected, rtol=1e-10, atol=1e-12,
                        what="neg_sharpe(w, mu, Sigma)",
                        inputs=f"lists w = {w}, mu = {mu}, Sigma = {Sigma}")


@graded(1, question=1)
def test_neg_sharpe_given_rf(submission, rng):
    """neg_sharpe: uses the rf it is given (positional or keyword)"""
    for k, n in enumerate((3, 5, 7, 8)):
        mu, Sigma = rng.uniform(0.0, 0.20, n), covariance(rng, n)
        w = rng.dirichlet(np.ones(n))
        rf = float(rng.uniform(0.0, 0.06)) if k else 0.0
        expected = -(w @ mu - rf) / np.sqrt(w @ Sigma @ w)
        inputs = f"w = {describe(w)}, {problem_text(mu, Sigma, rf)}"
        got = submission.neg_sharpe(w, mu, Sigma, rf) if k % 2 else \
            submission.neg_sharpe(w, mu, Sigma, rf=rf)
        assert_scalar_close(got, expected, rtol=1e-10, atol=1e-12,
                            what="neg_sharpe(w, mu, Sigma, rf)", inputs=inputs)


# -- question 2: max_sharpe_weights --------------------------------------------------------------

@graded(1, question=2, public=True)
def test_max_sharpe_lesson(submission):
    """max_sharpe_weights: the lesson's four assets reach the best Sharpe ratio (rf = 0.02)"""
    # Here every weight of the tangency portfolio Sigma^{-1} (mu - rf) is positive, so the
    # closed form sqrt((mu - rf)^T Sigma^{-1} (mu - rf)) is the long-only optimum too.
    e = LESSON_MU - RF
    best = float(np.sqrt(e @ np.linalg.solve(LESSON_SIGMA, e)))
    check_sharpe(submission.max_sharpe_weights(LESSON_MU, LESSON_SIGMA), LESSON_MU, LESSON_SIGMA,
                 RF, best, "max_sharpe_weights(mu, Sigma)",
                 f"the lesson's {problem_text(LESSON_MU, LESSON_SIGMA)} (rf not given)")


@graded(1, question=2)
def test_max_sharpe_feasible(submission, rng):
    """max_sharpe_weights: returns n long-only weights that sum to one"""
    for _ in range(4):
        rf = float(rng.uniform(0.0, 0.05))
        mu, Sigma = sharpe_problem(rng, rf)
        check_weights(submission.max_sharpe_weights(mu, Sigma, rf), mu.size,
                      "max_sharpe_weights(mu, Sigma, rf)", problem_text(mu, Sigma, rf))


@graded(2, question=2)
def test_max_sharpe_default_rf(submission, rng):
    """max_sharpe_weights: reaches the best Sharpe ratio on random assets (default rf)"""
    for _ in range(5):
        mu, Sigma = sharpe_problem(rng, RF)
        best = best_sharpe(mu, Sigma, RF)
        check_sharpe(submission.max_sharpe_weights(mu, Sigma), mu, Sigma, RF, best,
                     "max_sharpe_weights(mu, Sigma)", problem_text(mu, Sigma) + " (rf not given)")


@graded(2, question=2)
def test_max_sharpe_given_rf(submission, rng):
    """max_sharpe_weights: reaches the best Sharpe ratio at the rf it is given"""
    for k in range(5):
        # At least 0.01 away from the default 0.02, so that the rate given visibly matters.
        rf = float(rng.uniform(0.0, 0.01) if k % 2 else rng.uniform(0.03, 0.05))
        mu, Sigma = sharpe_problem(rng, rf)
        best = best_sharpe(mu, Sigma, rf)
        got = submission.max_sharpe_weights(mu, Sigma, rf=rf) if k % 2 else \
            submission.max_sharpe_weights(mu, Sigma, rf)
        check_sharpe(got, mu, Sigma, rf, best, "max_sharpe_weights(mu, Sigma, rf)",
                     problem_text(mu, Sigma, rf))


# -- question 3: min_variance_weights ------------------------------------------------------------

@graded(1, question=3, public=True)
def test_min_variance_lesson(submission):
    """min_variance_weights: the lesson's four assets give the smallest long-only volatility"""
    check_min_variance(submission.min_variance_weights(LESSON_SIGMA), LESSON_SIGMA,
                       "min_variance_weights(Sigma)",
                       f"the lesson's Sigma = {describe(LESSON_SIGMA)}")


@graded(2, question=3)
def test_min_variance_random(submission, rng):
    """min_variance_weights: the smallest long-only volatility for random covariances"""
    for n in (3, 4, 5, 6, 8):
        Sigma = covariance(rng, n)
        check_min_variance(submission.min_variance_weights(Sigma), Sigma,
                           "min_variance_weights(Sigma)", f"Sigma = {describe(Sigma)}")


@graded(1, question=3)
def test_min_variance_long_only_binds(submission, rng):
    """min_variance_weights: stays long-only where the unconstrained optimum shorts assets"""
    for _ in range(3):
        Sigma = shorting_covariance(rng)
        check_min_variance(submission.min_variance_weights(Sigma), Sigma,
                           "min_variance_weights(Sigma)",
                           f"Sigma = {describe(Sigma)} (its unconstrained minimum-variance "
                           "portfolio has negative weights)")


# -- question 4: efficient_frontier --------------------------------------------------------------

@graded(1, question=4, public=True)
def test_frontier_lesson(submission):
    """efficient_frontier: the lesson's four assets, from below min(mu) to above max(mu)"""
    targets = np.array([0.02, 0.05, 0.07, 0.09, 0.10, 0.11, 0.12, 0.13])
    check_frontier(submission.efficient_frontier(LESSON_MU, LESSON_SIGMA, targets), LESSON_MU,
                   LESSON_SIGMA, targets, "efficient_frontier(mu, Sigma, targets)",
                   "the lesson's " + problem_text(LESSON_MU, LESSON_SIGMA, targets=targets))


@graded(1, question=4)
def test_frontier_infeasible_and_top(submission, rng):
    """efficient_frontier: NaN exactly above max(mu); a target equal to max(mu) is feasible"""
    for _ in range(3):
        n = int(rng.integers(3, 9))
        mu, Sigma = rng.uniform(0.0, 0.20, n), covariance(rng, n)
        top = float(mu.max())
        targets = np.array([top + rng.uniform(1e-4, 0.05), top, top + 1e-3, mu.min(), top + 0.2])
        expected = frontier(mu, Sigma, targets)
        # A unique best asset: the only long-only portfolio returning max(mu) is that asset.
        expected[1] = np.sqrt(Sigma[np.argmax(mu), np.argmax(mu)])
        check_frontier(submission.efficient_frontier(mu, Sigma, targets), mu, Sigma, targets,
                       "efficient_frontier(mu, Sigma, targets)",
                       problem_text(mu, Sigma, targets=targets), expected)


@graded(1, question=4)
def test_frontier_tied_best(submission, rng):
    """efficient_frontier: a best return shared by two assets is reached by their best mix"""
    for _ in range(2):
        n = int(rng.integers(3, 9))
        mu, Sigma = rng.uniform(0.0, 0.20, n), covariance(rng, n)
        i, j = rng.choice(n, 2, replace=False)
        mu[i] = mu[j] = mu.max() + 0.01
        top = float(mu.max())
        # Only portfolios of the two tied assets return max(mu): the top of the frontier is
        # their two-asset minimum-variance mix (the notebook's case), not either asset alone.
        sub = Sigma[np.ix_([i, j], [i, j])]
        z = np.linalg.solve(sub, np.ones(2))
        # With two assets a negative weight means the other asset alone is the optimum.
        pair = np.clip(z / z.sum(), 0.0, None)
        pair = pair / pair.sum()
        targets = np.array([mu.min(), 0.5 * (mu.min() + top), top, top + 1e-3])
        expected = frontier(mu, Sigma, targets)
        expected[2] = np.sqrt(pair @ sub @ pair)
        check_frontier(submission.efficient_frontier(mu, Sigma, targets), mu, Sigma, targets,
                       "efficient_frontier(mu, Sigma, targets)",
                       problem_text(mu, Sigma, targets=targets) + f" (assets {i} and {j} tie for "
                       "the best return)", expected)


def frontier_targets(rng, mu, count):
    return np.sort(np.concatenate([rng.uniform(mu.min() - 0.02, mu.max(), count - 2),
                                   [mu.max() - 1e-3 * np.ptp(mu), mu.max() - 0.5 * np.ptp(mu)]]))


@graded(2, question=4)
def test_frontier_values(submission, rng):
    """efficient_frontier: the smallest long-only volatility reaching random targets"""
    for k in range(3):
        # One covariance whose long-only constraint binds visibly, two plain random ones.
        Sigma = shorting_covariance(rng) if k == 0 else covariance(rng, int(rng.integers(3, 9)))
        mu = rng.uniform(0.0, 0.20, Sigma.shape[0])
        targets = frontier_targets(rng, mu, 8)
        check_frontier(submission.efficient_frontier(mu, Sigma, targets), mu, Sigma, targets,
                       "efficient_frontier(mu, Sigma, targets)",
                       problem_text(mu, Sigma, targets=targets))


@graded(1, question=4)
def test_frontier_flat_below_min_variance(submission, rng):
    """efficient_frontier: flat at the minimum-variance volatility below its return"""
    for k in range(3):
        Sigma = shorting_covariance(rng) if k < 2 else covariance(rng, int(rng.integers(3, 9)))
        n = Sigma.shape[0]
        mu = rng.uniform(0.0, 0.20, n)
        w_mv = min_variance(Sigma)
        r_mv, v_mv = float(w_mv @ mu), volatility(w_mv, Sigma)
        # Targets the minimum-variance portfolio meets (some below every asset's return, one
        # negative): the return constraint is inactive and the frontier is flat there.
        high = r_mv - 1e-3
        targets = np.sort(np.concatenate([rng.uniform(mu.min() - 0.05, high, 3),
                                          [-0.01, min(mu.min(), high)]]))
        inputs = problem_text(mu, Sigma, targets=targets) + f" (minimum-variance return {r_mv:.6g})"
        check_frontier(submission.efficient_frontier(mu, Sigma, targets), mu, Sigma, targets,
                       "efficient_frontier(mu, Sigma, targets)", inputs,
                       expected=np.full(targets.size, v_mv))


@graded(1, question=4)
def test_frontier_monotone(submission, rng):
    """efficient_frontier: non-decreasing in the target up to max(mu)"""
    for _ in range(2):
        n = int(rng.integers(3, 9))
        mu, Sigma = rng.uniform(0.0, 0.20, n), covariance(rng, n)
        targets = np.linspace(mu.min() - 0.02, mu.max(), 16)
        inputs = problem_text(mu, Sigma, targets=targets)
        what = "efficient_frontier(mu, Sigma, targets)"
        values = frontier_array(submission.efficient_frontier(mu, Sigma, targets), targets, mu,
                                what, inputs)
        # A higher target leaves fewer portfolios: the exact frontier never decreases. Each
        # value may be off by VOL_RTOL (see above), so a step may dip by twice that.
        for k in range(targets.size - 1):
            assert_true(values[k + 1] >= values[k] * (1.0 - 2 * VOL_RTOL),
                        f"{what} for {inputs}: the frontier decreases from {values[k]!r} at "
                        f"target {targets[k]!r} to {values[k + 1]!r} at target "
                        f"{targets[k + 1]!r}; a higher target can never be reached with less "
                        f"risk. Returned: {describe(values)}.")
