"""Portfolio assignment, correct alternative: a hand-written active-set QP solver.

* min_variance_weights and efficient_frontier solve the long-only quadratic programme
  min w^T Sigma w  s.t.  sum(w) = 1, w >= 0 (and w^T mu >= target)
  with the primal active-set method (Nocedal & Wright, Algorithm 16.3): each step solves
  the equality-constrained QP on the current working set through its KKT system, takes
  the longest feasible step, and drops a constraint whose multiplier is negative. It is
  exact up to rounding. The frontier needs no special cases: every feasible target is
  solved directly from the best asset (a feasible vertex).
* max_sharpe_weights: SLSQP on the Sharpe ratio with its analytic gradient and a tight
  ftol, from equal weights, maximised through a wrapper returning -S.
"""
import numpy as np
from scipy.optimize import minimize


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

    def sharpe_and_grad(w):
        var = w @ Sym @ w
        vol = np.sqrt(var)
        ex = w @ mu - rf
        return ex / vol, mu / vol - ex * (Sym @ w) / (vol * var)

    res = minimize(lambda w: -sharpe_and_grad(w)[0], np.full(n, 1.0 / n),
                   jac=lambda w: -sharpe_and_grad(w)[1], method="SLSQP",
                   bounds=[(0.0, 1.0)] * n,
                   constraints=({"type": "eq", "fun": lambda w: np.sum(w) - 1.0},),
                   options={"ftol": 1e-14, "maxiter": 500})
    w = np.clip(res.x, 0.0, 1.0)
    return w / w.sum()


def _active_set_qp(S, x, rows, rhs, n_eq, working):
    """min x^T S x s.t. rows[i] @ x == rhs[i] (i < n_eq), rows[i] @ x >= rhs[i] (i >= n_eq).

    x: a feasible start; working: indices of constraints active at x (linearly
    independent, containing all equalities)."""
    G = 2.0 * S
    n = x.size
    working = list(working)
    scale = max(1.0, np.abs(G).max())
    for _ in range(50 * (n + rows.shape[0])):
        A = rows[working]
        k = len(working)
        K = np.zeros((n + k, n + k))
        K[:n, :n] = G
        K[:n, n:] = -A.T
        K[n:, :n] = A
        sol = np.linalg.solve(K, np.concatenate([-(G @ x), np.zeros(k)]))
        p, lam = sol[:n], sol[n:]
        if np.abs(p).max() <= 1e-14:
            ineq = [(lam[j], j) for j in range(k) if working[j] >= n_eq]
            if not ineq or min(ineq)[0] >= -1e-14 * scale:
                return x
            working.pop(min(ineq)[1])
            continue
        alpha, block = 1.0, None
        for i in range(rows.shape[0]):
            if i in working:
                continue
            ap = rows[i] @ p
            # ignore rounding-level slopes: such a constraint does not block the step
            # (and adding it would make the working set linearly dependent)
            if ap < -1e-12 * np.abs(rows[i]).max() * np.abs(p).max():
                step = max((rhs[i] - rows[i] @ x) / ap, 0.0)
                if step < alpha:
                    alpha, block = step, i
        x = x + alpha * p
        if block is not None:
            working.append(block)
    return x


def _solve(Sigma, mu=None, target=None):
    Sym = (np.asarray(Sigma, dtype=float) + np.asarray(Sigma, dtype=float).T) / 2.0
    n = Sym.shape[0]
    S = Sym / (np.trace(Sym) / n)
    rows = [np.ones(n)] + list(np.eye(n))
    rhs = [1.0] + [0.0] * n
    if target is None:
        x = np.full(n, 1.0 / n)
        working = [0]
    else:
        j = int(np.argmax(mu))
        x = np.zeros(n)
        x[j] = 1.0                                   # the best asset: feasible
        working = [0] + [1 + i for i in range(n) if i != j]
        rows.append(np.asarray(mu, dtype=float))
        rhs.append(float(target))
    x = _active_set_qp(S, x, np.array(rows), np.array(rhs), 1, working)
    x = np.maximum(x, 0.0)
    return x / x.sum()


def min_variance_weights(Sigma):
    return _solve(Sigma)


def efficient_frontier(mu, Sigma, targets):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    targets = np.asarray(targets, dtype=float).reshape(-1)
    vols = []
    for t in targets:
        if t > mu.max():
            vols.append(np.nan)
        else:
            vols.append(portfolio_volatility(_solve(Sigma, mu, t), Sigma))
    return np.array(vols)
