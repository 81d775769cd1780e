# %% [markdown]
# # Constrained optimisation with SLSQP: mean-variance portfolios
#
# The lesson's second example spreads one unit of money over four assets so that the
# **Sharpe ratio** (excess return per unit of risk) is as high as possible. It is a small
# problem with the features real constrained optimisation problems have:
#
# * an objective that is **not convex** (a ratio), whose maximum is flat;
# * an **equality constraint** (the weights add up to one: the budget);
# * **bounds** (no asset has a negative weight: no short selling, "long-only").
#
# You will write the building blocks (return, volatility, Sharpe ratio), then solve three
# optimisation problems with `scipy.optimize.minimize(method="SLSQP")`: the maximum-Sharpe
# portfolio, the minimum-variance portfolio and the efficient frontier.
#
# **Notation.** There are $n$ assets. $\mu \in \mathbb{R}^n$ holds their expected returns
# and $\Sigma \in \mathbb{R}^{n \times n}$ their covariance matrix (symmetric, positive
# definite). A portfolio is a weight vector $w$ with $w_i \ge 0$ and $\sum_i w_i = 1$;
# $w_i$ is the fraction of the money put into asset $i$. $r_f$ is the risk-free rate, the
# return you get without taking any risk (cash, a government bill).
#
# All functions accept lists or arrays and must not modify their inputs.


# %%
import numpy as np
from scipy.optimize import minimize


# %% [markdown]
# ## 1. `portfolio_return`
#
# Returns are linear in the weights: if a fraction $w_i$ of the money earns $\mu_i$ on
# average, the whole portfolio earns on average
#
# $$ r(w) = \sum_i w_i \mu_i = w^\top \mu . $$
#
# With $\sum_i w_i = 1$ and $w \ge 0$ this is a weighted average of the assets' returns, so
# it always lies between $\min_i \mu_i$ and $\max_i \mu_i$: no long-only portfolio can
# return more than the best single asset. Keep that in mind for the efficient frontier.


# %%
def portfolio_return(w, mu):
    """Expected return of the portfolio w.

    Args:
        w: weights, shape (n,).
        mu: expected returns of the n assets, shape (n,).

    Returns:
        float: w^T mu.
    """
    # TODO: convert both inputs with np.asarray(..., dtype=float); the answer is a dot product.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `portfolio_volatility`
#
# Risk is measured by the standard deviation of the portfolio's return, its **volatility**.
# The return of the portfolio is $\sum_i w_i R_i$ for random asset returns $R_i$ with
# covariances $\mathrm{Cov}(R_i, R_j) = \Sigma_{ij}$, so its variance is
#
# $$ \sigma^2(w) = \sum_{i,j} w_i w_j \Sigma_{ij} = w^\top \Sigma w,
#    \qquad \sigma(w) = \sqrt{w^\top \Sigma w}. $$
#
# Variance is quadratic in the weights, not linear: this is where **diversification**
# comes from. Two uncorrelated assets with variance $0.04$ each (volatility 20%) give, half
# and half, a variance of $0.25 \cdot 0.04 + 0.25 \cdot 0.04 = 0.02$, a volatility of about
# 14%: less risk than either asset, for the average of their returns.
#
# Do not forget the square root. Returns and volatilities are in the same unit (per cent
# per year, say); a variance is in squared units, so a ratio "return / variance" is not
# the Sharpe ratio and is not even invariant to a change of units.


# %%
def portfolio_volatility(w, Sigma):
    """Volatility (standard deviation of the return) of the portfolio w.

    Args:
        w: weights, shape (n,).
        Sigma: covariance matrix of the assets, shape (n, n).

    Returns:
        float: sqrt(w^T Sigma w).
    """
    # TODO: w @ Sigma @ w is the variance; the volatility is its square root.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `neg_sharpe`
#
# The **Sharpe ratio** of a portfolio is the return it earns above the risk-free rate, per
# unit of volatility:
#
# $$ S(w) = \frac{w^\top \mu - r_f}{\sqrt{w^\top \Sigma w}} . $$
#
# A high Sharpe ratio means you are well paid for the risk you take. `scipy.optimize`
# *minimises*, so to maximise $S$ we minimise $-S$: that is `neg_sharpe`.
#
# Three remarks that matter later:
#
# * $r_f$ matters. Without it ($r_f = 0$) the optimiser answers a different question and
#   picks a different portfolio.
# * $S$ is a ratio, not a concave function. Where the excess return is positive it is
#   *quasi-concave*: each set $\{w : S(w) \ge s\}$ with $s \ge 0$ is the convex set
#   $\{w : w^\top\mu - r_f \ge s\,\sigma(w)\}$ ($\sigma$ is convex). So a local maximum
#   there is the global one ($\Sigma$ positive definite), and a local method like SLSQP
#   finds it. (Substituting
#   $y = w / (w^\top\mu - r_f)$ even turns the problem into a convex quadratic programme:
#   minimise $y^\top \Sigma y$ subject to $(\mu - r_f)^\top y = 1$, $y \ge 0$, then
#   $w = y / \sum_i y_i$.)
# * $S$ is **not** scale invariant when $r_f > 0$: $S(2w) = (2 w^\top\mu - r_f) /
#   (2\sigma(w))$ is larger than $S(w)$. Without the budget constraint $\sum_i w_i = 1$ the
#   optimiser would simply buy more of everything.


# %%
def neg_sharpe(w, mu, Sigma, rf=0.02):
    """Negative Sharpe ratio of the portfolio w.

    Args:
        w: weights, shape (n,).
        mu: expected returns, shape (n,).
        Sigma: covariance matrix, shape (n, n).
        rf: risk-free rate (float).

    Returns:
        float: -(w^T mu - rf) / sqrt(w^T Sigma w).
    """
    # TODO: reuse portfolio_return and portfolio_volatility.
    # TODO: mind the sign: minimising neg_sharpe must maximise the Sharpe ratio.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `max_sharpe_weights`: SLSQP on the lesson's problem
#
# The problem is
#
# $$ \min_w \; -S(w) \quad \text{subject to} \quad \sum_i w_i = 1, \qquad 0 \le w_i \le 1 . $$
#
# **How SLSQP handles the constraints.** SLSQP (Sequential Least SQuares Programming) is a
# sequential quadratic programming method. At the current point $w_k$ it builds a model
# problem: a *quadratic* approximation of the objective (the gradient, plus a BFGS
# approximation of the Hessian of the Lagrangian, the same quasi-Newton update as in the
# first assignment) and *linear* approximations of the constraints. Our constraints are
# linear already, so the model keeps them exactly. It solves this quadratic programme for
# a direction $d$ (bounds and inequalities are treated by an active-set method: the
# constraints that hold with equality at the model's solution are the "active" ones), then
# steps along $d$ with a line search on a merit function that penalises constraint
# violation. It stops when the constraints hold and the objective changes by less than
# `ftol` (default $10^{-6}$, an absolute threshold) from one iteration to the next. Without
# `jac=` SLSQP estimates the gradient by finite differences.
#
# In `minimize`, constraints are given as
#
# * `bounds=[(0.0, 1.0)] * n`: one `(low, high)` pair per weight (long-only);
# * `constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}]`: an equality constraint
#   means `fun(w) == 0` (the budget); `"type": "ineq"` would mean `fun(w) >= 0`.
#
# Write exactly the lesson's call: start from equal weights $w_0 = (1/n, \dots, 1/n)$ (a
# feasible point), default options, your own `neg_sharpe` as the objective, and return
# `res.x`.
#
# **Why the answer is not unique to many digits.** At the maximum the gradient of $S$
# along the feasible set vanishes, so moving the weights by $\delta$ changes the Sharpe
# ratio only by $O(\delta^2)$: the surface is *flat* near the optimum. Stopping when the
# objective changes by less than $10^{-6}$ therefore allows weights that are off by about
# $\sqrt{10^{-6}} = 10^{-3}$. In the lesson's example SLSQP stops $1.6 \times 10^{-3}$ away
# from the exact weights while its Sharpe ratio agrees to $10^{-6}$. So judge an optimiser
# by the **value** it reaches and by feasibility, never by the last digits of the weights.
#
# **A check with a closed form.** Without the bounds, the maximum-Sharpe ("tangency")
# portfolio is $w \propto \Sigma^{-1}(\mu - r_f)$, rescaled to sum to one. When all its
# weights are positive (as in the lesson's example) it is the answer with bounds too.


# %%
def max_sharpe_weights(mu, Sigma, rf=0.02):
    """Long-only, fully invested portfolio of maximum Sharpe ratio (SLSQP).

    The lesson's call: SLSQP with default options, started from equal weights,
    bounds (0, 1) on every weight and the equality constraint sum(w) = 1, minimising
    neg_sharpe(w, mu, Sigma, rf).

    Args:
        mu: expected returns, shape (n,); at least one asset has mu > rf.
        Sigma: covariance matrix, shape (n, n).
        rf: risk-free rate (float).

    Returns:
        ndarray (n,): the weights.
    """
    # TODO: this is the lesson's Example 2 call, with n = len(mu) assets instead of 4.
    # TODO: minimize passes only w to the objective: hand mu, Sigma and rf on to neg_sharpe
    # TODO: with args=(...) or a lambda. Return res.x.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. `min_variance_weights`
#
# The least risky fully invested portfolio solves
#
# $$ \min_w \; w^\top \Sigma w \quad \text{subject to} \quad \sum_i w_i = 1, \qquad w \ge 0 . $$
#
# This is a convex **quadratic programme**: with $\Sigma$ positive definite it has exactly
# one solution. Minimising the variance or the volatility gives the same weights (the
# square root is increasing), but the variance is the nicer objective: smooth, quadratic,
# with gradient $2 \Sigma w$.
#
# Without the bounds there is a closed form (a Lagrange multiplier for the budget):
# $w = \Sigma^{-1}\mathbf{1} / (\mathbf{1}^\top \Sigma^{-1} \mathbf{1})$. It often has
# negative weights (it shorts an asset that is correlated with a less risky one), and then
# the long-only answer is different: some weights are exactly $0$ and the closed form of
# the remaining assets holds on the others. Which ones are zero is what the active-set
# machinery inside SLSQP finds for you.
#
# Here we want a precise answer (the frontier below builds on it), so help SLSQP:
#
# * give the **analytic gradient** (`jac=`) of the objective and of the constraint instead
#   of finite differences, whose error is about $10^{-8}$;
# * **scale** the objective to order one (divide $\Sigma$ by its average diagonal entry):
#   `ftol` is an absolute threshold on the objective, and variances like $0.01$ would make
#   it relatively loose;
# * ask for a tight `ftol` (e.g. $10^{-15}$) and allow enough iterations;
# * finally clip the tiny negative rounding errors to $0$ and renormalise, so the result
#   is exactly feasible.


# %%
def min_variance_weights(Sigma):
    """Long-only, fully invested portfolio of minimum variance.

    Args:
        Sigma: covariance matrix, shape (n, n), symmetric positive definite.

    Returns:
        ndarray (n,): weights w >= 0 with sum(w) = 1 minimising w^T Sigma w.
    """
    # TODO: minimise w @ Sigma @ w with SLSQP from equal weights, with bounds (0, 1) and the
    # TODO: budget constraint; pass jac=lambda w: 2 * Sigma @ w and options={"ftol": 1e-15}.
    # TODO: clip tiny negative weights to 0 and renormalise before returning.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 6. `efficient_frontier`
#
# For a required return $t$, the cheapest risk at which you can get it is
#
# $$ \sigma^*(t) = \min_w \sqrt{w^\top \Sigma w} \quad \text{subject to} \quad
#    \sum_i w_i = 1, \quad w \ge 0, \quad w^\top \mu \ge t . $$
#
# Plotting $\sigma^*(t)$ against $t$ gives the **efficient frontier**: every portfolio off
# it is beaten by one on it (same return for less risk). Work through the cases:
#
# * **Infeasible targets.** A long-only portfolio returns at most $\max_i \mu_i$ (section 1),
#   so for $t > \max_i \mu_i$ there is no portfolio at all: return `np.nan`.
# * **The top of the frontier.** For $t = \max_i \mu_i$ exactly, only portfolios made of the
#   best asset(s) qualify: the single best asset, or, when several assets tie for the best
#   return, the minimum-variance mix of those. The answer is finite.
# * **Targets the minimum-variance portfolio already meets.** If $t \le r_{mv}$, the return
#   of the minimum-variance portfolio, the return constraint is *inactive*: the
#   minimum-variance portfolio is feasible and nothing is less risky. The frontier is flat
#   there, $\sigma^*(t) = \sigma_{mv}$. (This is why the constraint is "$\ge t$" and not
#   "$= t$": forcing the return down to a low target would force you into a riskier
#   portfolio. Those portfolios are *inefficient*: you can get more return for less risk.)
# * **Targets between $r_{mv}$ and $\max_i \mu_i$.** The constraint is active at the
#   optimum: a quadratic programme with one more linear inequality, solved with SLSQP
#   (`{"type": "ineq", "fun": lambda w: w @ mu - t}`). Start from a **feasible** point: the
#   mix $(1-a) w_{mv} + a\, w_{best}$ of the minimum-variance portfolio and the best asset
#   with $a = (t - r_{mv}) / (\max_i\mu_i - r_{mv})$ returns exactly $t$. Near the top the
#   feasible set is a thin sliver; a good start and tight tolerances keep SLSQP on track.
#
# The frontier rises and curves: each extra unit of return costs more and more risk. The
# maximum-Sharpe portfolio is the point of the frontier where a line from $(0, r_f)$ just
# touches it.


# %%
def efficient_frontier(mu, Sigma, targets):
    """Smallest long-only volatility reaching each target return.

    Args:
        mu: expected returns, shape (n,).
        Sigma: covariance matrix, shape (n, n).
        targets: target returns, shape (m,).

    Returns:
        ndarray (m,): for each target t, min sqrt(w^T Sigma w) over w >= 0, sum(w) = 1,
        w^T mu >= t; np.nan where t > max(mu) (t == max(mu) is feasible).
    """
    # TODO: compute the minimum-variance portfolio once: targets up to its return get its
    # TODO: volatility; targets above max(mu) get np.nan; t == max(mu) needs the best asset(s).
    # TODO: otherwise run SLSQP with an "ineq" constraint w @ mu - t >= 0 from a feasible start.
    raise NotImplementedError("not implemented yet")
