"""Portfolio assignment, correct alternative: other scipy solvers and formulations.

* max_sharpe_weights: SLSQP on the Sharpe ratio itself with its analytic gradient and a
  tight ftol (maximised as -S through a wrapper, from equal weights).
* min_variance_weights: scipy's trust-constr (interior point) with Bounds and a
  LinearConstraint, then the weights are polished on the support it found by solving the
  equality-constrained KKT system exactly.
* efficient_frontier: trust-constr with the inequality w^T mu >= target for each feasible
  target, with the same KKT polish (support and active set taken from trust-constr).
"""
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, minimize


def portfolio_return(w, mu):
    w = np.asarray(w, dtype=float).ravel()
    mu = np.asarray(mu, dtype=float).ravel()
    total = 0.0
    for wi, mi in zip(w, mu):
        total += wi * mi
    return float(total)


def portfolio_volatility(w, Sigma):
    w = np.asarray(w, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    return float(np.sqrt(np.abs(w.dot(Sigma.dot(w)))))


def neg_sharpe(w, mu, Sigma, rf=0.02):
    ret = portfolio_return(w, mu)
    vol = portfolio_volatility(w, Sigma)
    return -(ret - rf) / vol


def max_sharpe_weights(mu, Sigma, rf=0.02):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    Sym = (Sigma + Sigma.T) / 2.0
    n = mu.size

    def obj(w):
        return neg_sharpe(w, mu, Sigma, rf)

    def jac(w):
        var = w @ Sym @ w
        vol = np.sqrt(var)
        ex = w @ mu - rf
        return -(mu / vol - ex * (Sym @ w) / (vol * var))

    res = minimize(obj, np.full(n, 1.0 / n), jac=jac, method="SLSQP",
                   bounds=[(0.0, 1.0)] * n,
                   constraints=({"type": "eq", "fun": lambda w: np.sum(w) - 1.0},),
                   options={"ftol": 1e-14, "maxiter": 500})
    w = np.clip(res.x, 0.0, 1.0)
    return w / w.sum()


def _polish(Sym, w, mu=None, target=None):
    """Exact KKT solves on supports read off w (small weights taken as zero at several
    thresholds, return constraint active or not); keeps the feasible candidate of least
    variance, or w itself if none beats it. Any feasible candidate is an upper bound on
    the minimum, so keeping the smallest can only get closer to it."""
    n = w.size
    best, best_var = w, w @ Sym @ w
    for thr in (1e-10, 1e-8, 1e-6, 1e-4):
        supp = np.flatnonzero(w > thr * w.max())
        for active in ((False, True) if target is not None else (False,)):
            A = [np.ones(supp.size)]
            b = [1.0]
            if active:
                A.append(mu[supp])
                b.append(target)
            A = np.array(A)
            k, m = supp.size, len(b)
            K = np.zeros((k + m, k + m))
            K[:k, :k] = 2.0 * Sym[np.ix_(supp, supp)]
            K[:k, k:] = A.T
            K[k:, :k] = A
            try:
                sol = np.linalg.solve(K, np.concatenate([np.zeros(k), b]))
            except np.linalg.LinAlgError:
                continue
            cand = np.zeros(n)
            cand[supp] = sol[:k]
            if not np.all(np.isfinite(cand)) or np.any(cand < 0):
                continue
            cand = cand / cand.sum()
            if target is not None and cand @ mu < target - 1e-12 * (1.0 + abs(target)):
                continue
            var = cand @ Sym @ cand
            if var < best_var:
                best, best_var = cand, var
    return best


def _trust_qp(Sym, mu=None, target=None):
    n = Sym.shape[0]
    scale = np.trace(Sym) / n
    Q = Sym / scale
    rows, lo, hi = [np.ones(n)], [1.0], [1.0]
    if target is not None:
        rows.append(mu)
        lo.append(target)
        hi.append(np.inf)
    cons = LinearConstraint(np.array(rows), lo, hi)
    res = minimize(lambda w: w @ Q @ w, np.full(n, 1.0 / n), jac=lambda w: 2.0 * Q @ w,
                   hess=lambda w: 2.0 * Q, method="trust-constr",
                   bounds=Bounds(np.zeros(n), np.ones(n)), constraints=[cons],
                   options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000})
    w = np.clip(res.x, 0.0, None)
    w = w / w.sum()
    return _polish(Sym, w, mu, target)


def min_variance_weights(Sigma):
    Sigma = np.asarray(Sigma, dtype=float)
    return _trust_qp((Sigma + Sigma.T) / 2.0)


def efficient_frontier(mu, Sigma, targets):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    Sym = (Sigma + Sigma.T) / 2.0
    targets = np.asarray(targets, dtype=float).reshape(-1)
    top = mu.max()
    out = np.full(targets.shape, np.nan)
    for k, t in enumerate(targets):
        if t > top:
            continue
        if t == top:
            idx = np.flatnonzero(mu == top)
            w = np.zeros(mu.size)
            w[idx] = _trust_qp(Sym[np.ix_(idx, idx)]) if idx.size > 1 else 1.0
        else:
            w = _trust_qp(Sym, mu, t)
        out[k] = portfolio_volatility(w, Sigma)
    return out
