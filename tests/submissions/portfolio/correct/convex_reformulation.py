"""Portfolio assignment, correct alternative: convex reformulations.

* max_sharpe_weights does not touch the non-convex ratio: with y = w / ((mu - rf)^T w) the
  long-only maximum-Sharpe problem becomes the convex QP
  min y^T Sigma y  s.t.  (mu - rf)^T y = 1, y >= 0, and w = y / sum(y).
* min_variance_weights: SLSQP with analytic gradients, started from the closed-form
  (unconstrained) minimum-variance portfolio clipped to the long-only set.
* efficient_frontier: an equality constraint w^T mu = target when the target is above the
  minimum-variance return (the inequality is active there), the minimum-variance
  volatility below it, the best asset(s) at target == max(mu), NaN above.
"""
import numpy as np
from scipy.optimize import minimize


def portfolio_return(w, mu):
    return float(np.dot(np.asarray(w, dtype=float), np.asarray(mu, dtype=float)))


def portfolio_volatility(w, Sigma):
    w = np.asarray(w, dtype=float)
    var = np.einsum("i,ij,j->", w, np.asarray(Sigma, dtype=float), w)
    return float(np.sqrt(max(var, 0.0)))


def neg_sharpe(w, mu, Sigma, rf=0.02):
    w = np.asarray(w, dtype=float)
    excess = np.dot(w, np.asarray(mu, dtype=float)) - rf
    return float(-excess / np.sqrt(w @ np.asarray(Sigma, dtype=float) @ w))


def _qp_simplex(S, lin=None, lin_rhs=None, kind="eq", start=None):
    """min w^T S w over the simplex, optionally with lin @ w (=|>=) lin_rhs."""
    n = S.shape[0]
    scale = np.trace(S) / n
    Q = S / scale
    cons = [{"type": "eq", "fun": lambda w: np.sum(w) - 1.0, "jac": lambda w: np.ones((1, n))}]
    if lin is not None:
        cons.append({"type": kind, "fun": lambda w: np.array([lin @ w - lin_rhs]),
                     "jac": lambda w: lin[None, :]})
    if start is None:
        start = np.full(n, 1.0 / n)
    res = minimize(lambda w: w @ Q @ w, start, jac=lambda w: 2.0 * Q @ w, method="SLSQP",
                   bounds=[(0.0, None)] * n, constraints=cons,
                   options={"ftol": 1e-16, "maxiter": 2000})
    w = np.maximum(res.x, 0.0)
    return w / w.sum()


def max_sharpe_weights(mu, Sigma, rf=0.02):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    Sigma = (Sigma + Sigma.T) / 2.0
    n = mu.size
    ex = mu - rf
    # a feasible start: the single asset with the best Sharpe ratio
    j = int(np.argmax(ex / np.sqrt(np.diag(Sigma))))
    y0 = np.zeros(n)
    y0[j] = 1.0 / ex[j]
    scale = np.trace(Sigma) / n
    Q = Sigma / scale
    res = minimize(lambda y: y @ Q @ y, y0, jac=lambda y: 2.0 * Q @ y, method="SLSQP",
                   bounds=[(0.0, None)] * n,
                   constraints=[{"type": "eq", "fun": lambda y: np.array([ex @ y - 1.0]),
                                 "jac": lambda y: ex[None, :]}],
                   options={"ftol": 1e-16, "maxiter": 2000})
    y = np.maximum(res.x, 0.0)
    return y / y.sum()


def min_variance_weights(Sigma):
    Sigma = np.asarray(Sigma, dtype=float)
    Sigma = (Sigma + Sigma.T) / 2.0
    n = Sigma.shape[0]
    z = np.linalg.solve(Sigma, np.ones(n))
    start = np.maximum(z / z.sum(), 0.0)
    start = start / start.sum() if start.sum() > 0 else np.full(n, 1.0 / n)
    return _qp_simplex(Sigma, start=start)


def efficient_frontier(mu, Sigma, targets):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    Sigma = (Sigma + Sigma.T) / 2.0
    targets = np.atleast_1d(np.asarray(targets, dtype=float))
    n = mu.size
    w_mv = min_variance_weights(Sigma)
    r_mv = portfolio_return(w_mv, mu)
    v_mv = portfolio_volatility(w_mv, Sigma)
    best = np.isclose(mu, mu.max(), rtol=0.0, atol=0.0)
    idx = np.where(best)[0]
    w_best = np.zeros(n)
    if len(idx) == 1:
        w_best[idx] = 1.0
    else:
        w_best[idx] = min_variance_weights(Sigma[np.ix_(idx, idx)])
    result = []
    for t in targets:
        if t > mu.max():
            result.append(np.nan)
        elif t == mu.max():
            result.append(portfolio_volatility(w_best, Sigma))
        elif t <= r_mv:
            result.append(v_mv)
        else:
            a = (t - r_mv) / (mu.max() - r_mv)
            d = mu.max() - r_mv
            w = _qp_simplex(Sigma, lin=mu / d, lin_rhs=t / d, kind="eq",
                            start=(1 - a) * w_mv + a * w_best)
            result.append(portfolio_volatility(w, Sigma))
    return np.array(result, dtype=float)
