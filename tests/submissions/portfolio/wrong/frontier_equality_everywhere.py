"""Portfolio assignment: WRONG (frontier_equality_everywhere): efficient_frontier imposes w^T mu = target for every target (no special case below the minimum-variance return): for targets below r_mv it returns a larger volatility than the minimum-variance one."""
import numpy as np
from scipy.optimize import minimize


def portfolio_return(w, mu):
    w = np.asarray(w, dtype=float)
    mu = np.asarray(mu, dtype=float)
    return float(w @ mu)


def portfolio_volatility(w, Sigma):
    w = np.asarray(w, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    return float(np.sqrt(w @ Sigma @ w))


def neg_sharpe(w, mu, Sigma, rf=0.02):
    return -(portfolio_return(w, mu) - rf) / portfolio_volatility(w, Sigma)


def max_sharpe_weights(mu, Sigma, rf=0.02):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    n = len(mu)
    w0 = np.ones(n) / n
    bounds = [(0.0, 1.0)] * n
    constraints = [{"type": "eq", "fun": lambda w: w.sum() - 1.0}]
    res = minimize(neg_sharpe, w0, args=(mu, Sigma, rf), method="SLSQP",
                   bounds=bounds, constraints=constraints)
    return res.x


def min_variance_weights(Sigma):
    Sigma = np.asarray(Sigma, dtype=float)
    n = Sigma.shape[0]
    S = (Sigma + Sigma.T) / 2.0
    S = S / (np.trace(S) / n)
    res = minimize(lambda w: w @ S @ w, np.ones(n) / n, jac=lambda w: 2.0 * (S @ w),
                   method="SLSQP", bounds=[(0.0, 1.0)] * n,
                   constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                                 "jac": lambda w: np.ones((1, n))}],
                   options={"ftol": 1e-15, "maxiter": 1000})
    w = np.clip(res.x, 0.0, None)
    return w / w.sum()


def efficient_frontier(mu, Sigma, targets):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    targets = np.asarray(targets, dtype=float).reshape(-1)
    n = mu.size
    S = (Sigma + Sigma.T) / 2.0
    S = S / (np.trace(S) / n)
    w_mv = min_variance_weights(Sigma)
    r_mv = float(w_mv @ mu)
    mu_max = float(mu.max())
    span = mu_max - r_mv
    top = np.flatnonzero(mu == mu_max)
    w_top = np.zeros(n)
    w_top[top] = min_variance_weights(Sigma[np.ix_(top, top)]) if top.size > 1 else 1.0
    budget = {"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones((1, n))}
    out = np.empty(targets.size)
    for k, t in enumerate(targets):
        if t > mu_max:
            out[k] = np.nan
            continue
        if t == mu_max:
            w = w_top
        else:
            w0 = np.ones(n) / n
            ret_con = {"type": "eq", "fun": lambda w, t=t: w @ mu - t,
                       "jac": lambda w: mu[None, :]}
            res = minimize(lambda w: w @ S @ w, w0, jac=lambda w: 2.0 * (S @ w),
                           method="SLSQP", bounds=[(0.0, 1.0)] * n,
                           constraints=[budget, ret_con],
                           options={"ftol": 1e-15, "maxiter": 1000})
            w = np.clip(res.x, 0.0, None)
            w = w / w.sum()
        out[k] = portfolio_volatility(w, Sigma)
    return out
