"""Portfolio assignment, correct alternative: a hand-written active-set QP solver.

* min_variance_weights and efficient_frontier solve the long-only quadratic programme
  min w^T Sigma w  s.t.  sum(w) = 1, w >= 0 (and w^T mu >= target)
  with the primal active-set method (Nocedal & Wright, Algorithm 16.3): each step solves
  the equality-constrained QP on the current working set through its KKT system, takes
  the longest feasible step, and drops a constraint whose multiplier is negative. It is
  exact up to rounding. The frontier needs no case split at the minimum-variance return:
  every target below max(mu) is solved with the inequality from a strictly feasible
  start; target == max(mu) leaves only the best asset(s).
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

    Rows n_eq .. n_eq + n - 1 are the bounds x_i >= 0 (in order), any others come after.
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
        # A p = rhs - A x (not 0): the step also removes any rounding drift off the
        # working constraints
        sol = np.linalg.solve(K, np.concatenate([-(G @ x), rhs[working] - A @ x]))
        p, lam = sol[:n], sol[n:]
        # the KKT solve is accurate to about cond(K) * eps: a step below 1e-10 is noise
        if np.abs(p).max() <= 1e-10:
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
        for i in working:                       # weights held at their bound stay exactly 0
            if n_eq <= i < n_eq + n:
                x[i - n_eq] = 0.0
    return x


def _solve(Sigma, mu=None, target=None):
    Sym = (np.asarray(Sigma, dtype=float) + np.asarray(Sigma, dtype=float).T) / 2.0
    n = Sym.shape[0]
    S = Sym / (np.trace(Sym) / n)
    rows = [np.ones(n)] + list(np.eye(n))
    rhs = [1.0] + [0.0] * n
    x = np.full(n, 1.0 / n)
    if target is not None:
        # a strictly feasible start (all weights > 0, return > target): mix equal weights
        # with the best asset; only the budget is active there, so the start is not
        # degenerate
        j = int(np.argmax(mu))
        r_eq = float(np.mean(mu))
        goal = 0.5 * (target + mu[j])
        a = max((goal - r_eq) / (mu[j] - r_eq), 0.0) if mu[j] > r_eq else 0.0
        x = (1.0 - a) * x
        x[j] += a
        rows.append(np.asarray(mu, dtype=float))
        rhs.append(float(target))
    x = _active_set_qp(S, x, np.array(rows), np.array(rhs), 1, [0])
    x = np.maximum(x, 0.0)
    return x / x.sum()


def min_variance_weights(Sigma):
    return _solve(Sigma)


def efficient_frontier(mu, Sigma, targets):
    mu = np.asarray(mu, dtype=float)
    Sigma = np.asarray(Sigma, dtype=float)
    targets = np.asarray(targets, dtype=float).reshape(-1)
    best = np.flatnonzero(mu == mu.max())
    vols = []
    for t in targets:
        if t > mu.max():
            vols.append(np.nan)
        elif t == mu.max():
            # only the best asset(s) can be held: the minimum-variance mix of them
            w = np.zeros(mu.size)
            w[best] = _solve(Sigma[np.ix_(best, best)])
            vols.append(portfolio_volatility(w, Sigma))
        else:
            vols.append(portfolio_volatility(_solve(Sigma, mu, t), Sigma))
    return np.array(vols)
