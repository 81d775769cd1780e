# %% [markdown]
# # Newton-Raphson root finding (and the secant method)
#
# Many problems end with an equation $f(x) = 0$ that has no closed-form solution: the
# interest rate that gives a loan its price, the point where a gradient vanishes, the
# volatility implied by an option price. **Root finding** solves such equations by
# iteration: start from a guess and improve it until $f(x)$ is (almost) zero.
#
# The lesson's third example solves $x^3 - 2x - 5 = 0$ near $x = 2$ with Newton's method.
# (This very cubic is the one Newton used to present his method in the 17th century.)
# You will write:
#
# * `newton`: the lesson's loop, made safe against a zero derivative;
# * `newton_iterates`: the sequence of Newton iterates, to watch the method converge;
# * `secant`: a derivative-free relative of Newton's method;
# * `convergence_order`: a number that tells *how fast* a sequence converges.
#
# In this assignment a function `f` (and its derivative `fp`) are plain Python functions of
# one float that return a float.


# %%
import numpy as np


# %% [markdown]
# ## 1. `newton`
#
# **The idea: follow the tangent.** Near the current guess $x_k$, replace $f$ by its tangent
# line $f(x_k) + f'(x_k)(x - x_k)$ and solve the linear equation instead:
#
# $$ x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)} . $$
#
# Geometrically: draw the tangent at $(x_k, f(x_k))$ and take the point where it crosses the
# $x$-axis. If $f$ were linear that would be the root; for a smooth $f$ it is close to it.
#
# **The loop (fixed by the contract, as in the lesson).** Starting from $x = x_0$, for
# $i = 0, 1, \dots, \text{max\_iter}-1$: if $|f(x)| < \text{tol}$, return `(x, i)`;
# otherwise make the Newton update. So `i` counts the updates made before the test
# succeeded (0 when $x_0$ is already a root). If the loop ends without success, raise
# `RuntimeError`. The test is on the **residual** $|f(x)|$, an absolute tolerance, not on
# the distance to the root (which we do not know).
#
# **Why it is fast.** Let $r$ be a *simple* root ($f(r) = 0 \ne f'(r)$) and $e_k = x_k - r$.
# A Taylor expansion gives
#
# $$ e_{k+1} \approx \frac{f''(r)}{2 f'(r)}\, e_k^2 : $$
#
# the error is *squared* at every step (**quadratic convergence**). Once $e_k \approx 10^{-3}$,
# the next errors are about $10^{-6}$, $10^{-12}$: the number of correct digits doubles at each
# step. That is why the lesson's example needs only a handful of iterations.
#
# **What can go wrong.** Newton's method is only *locally* convergent.
#
# * **Zero derivative.** If $f'(x_k) = 0$ the tangent is horizontal and never meets the axis:
#   the update divides by zero. Raise a `RuntimeError` (with a clear message) instead of
#   letting a `ZeroDivisionError` or an `inf` escape. Example: $f(x) = x^2 + 1$ at $x_0 = 0$.
# * **Cycles.** For $f(x) = x^3 - 2x + 2$ from $x_0 = 0$ the iterates go $0, 1, 0, 1, \dots$
#   forever; the loop ends with the `RuntimeError`.
# * **Divergence.** For $f(x) = \arctan x$ from $|x_0| \gtrsim 1.39$ each tangent overshoots
#   further: the iterates grow without bound.
# * **Multiple roots: slow.** At a double root ($f(r) = f'(r) = 0$, e.g. $f(x) = (x-1)^2$) the
#   convergence is only **linear**: $e_{k+1} = e_k / 2$, one binary digit per step. The
#   residual is also misleading there: $|f(x)| < 10^{-10}$ only means $|e| < 10^{-5}$.
#
# A good starting point (from a plot, a bracket, or a cruder method) is the practical cure.


# %%
def newton(f, fp, x0, tol=1e-10, max_iter=50):
    """Newton-Raphson iteration for a root of f.

    for i in 0 .. max_iter-1: if |f(x)| < tol return (x, i); else x <- x - f(x) / fp(x).

    Args:
        f: function of one float, returns a float.
        fp: its derivative, a function of one float.
        x0: starting point (float).
        tol: absolute tolerance on |f(x)|.
        max_iter: maximum number of iterations.

    Returns:
        (root, iters): the first iterate with |f(root)| < tol (a float) and the number of
        updates made before it (an int).

    Raises:
        RuntimeError: when fp(x) == 0 at an iterate that needs an update, or when no
        iterate passes the test within max_iter iterations.
    """
    # TODO: start from x = float(x0) and loop with `for i in range(max_iter)`, testing
    # TODO: abs(f(x)) < tol BEFORE updating; return (x, i).
    # TODO: check fp(x) == 0 before dividing, and raise RuntimeError after the loop.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `newton_iterates`
#
# To *see* convergence we need the whole path, not only the end point. `newton_iterates`
# returns $x_0, x_1, \dots, x_{n}$ for $n$ = `n_steps` Newton updates: an array of length
# `n_steps + 1` whose first entry is $x_0$. There is no stopping test: the caller decides
# how many steps to look at. (Once an iterate is an exact root, $f(x) = 0$ and the next
# iterates simply repeat it.)
#
# With the iterates and the root $r$ you get the errors $e_k = |x_k - r|$, and from them the
# order of convergence (section 4).


# %%
def newton_iterates(f, fp, x0, n_steps):
    """The first n_steps Newton iterates, without a stopping test.

    Args:
        f, fp: the function and its derivative (functions of one float).
        x0: starting point (float).
        n_steps: number of updates (int >= 0).

    Returns:
        ndarray (n_steps + 1,): x0, x1, ..., x_{n_steps}.
    """
    # TODO: start a list with float(x0) and append each new iterate; the result has
    # TODO: n_steps + 1 entries.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `secant`
#
# Newton needs $f'$. When the derivative is unknown or expensive, replace the tangent by the
# **secant** through the last two points $(x_0, f(x_0))$ and $(x_1, f(x_1))$: its slope
# $\frac{f(x_1) - f(x_0)}{x_1 - x_0}$ approximates $f'(x_1)$, and the secant crosses the axis at
#
# $$ x_2 = x_1 - f(x_1)\,\frac{x_1 - x_0}{f(x_1) - f(x_0)} . $$
#
# Then shift: the pair $(x_0, x_1)$ becomes $(x_1, x_2)$. The contract's loop mirrors
# `newton`: for $i = 0, \dots, \text{max\_iter}-1$, if $|f(x_1)| < \text{tol}$ return `(x1, i)`,
# else update the pair. Raise `RuntimeError` after the loop, and also when the denominator
# $f(x_1) - f(x_0)$ is zero (a horizontal secant, for instance when $x_0 = x_1$).
#
# **Order $\varphi \approx 1.618$.** The secant's error satisfies
# $e_{k+1} \approx \frac{f''(r)}{2f'(r)}\, e_k e_{k-1}$: the product of the *two* previous errors.
# Writing $e_{k+1} \approx C e_k^q$ gives $q^2 = q + 1$, so $q = (1 + \sqrt{5})/2 \approx 1.618$,
# the golden ratio: **superlinear**, slower than Newton per iteration. But each secant step
# costs one new evaluation of $f$ (keep $f(x_0)$ from the previous step), whereas Newton costs
# $f$ *and* $f'$; per function evaluation the secant method is often the faster one
# ($\varphi$ per evaluation against $\sqrt{2} \approx 1.414$ when $f'$ costs as much as $f$).
#
# Be careful with the shift: updating $x_1$ but keeping the old $x_0$ still converges, but only
# linearly (it is a different, worse method).


# %%
def secant(f, x0, x1, tol=1e-10, max_iter=100):
    """Secant method for a root of f.

    for i in 0 .. max_iter-1: if |f(x1)| < tol return (x1, i); else
    (x0, x1) <- (x1, x1 - f(x1) (x1 - x0) / (f(x1) - f(x0))).

    Args:
        f: function of one float, returns a float.
        x0, x1: the two starting points (floats).
        tol: absolute tolerance on |f(x1)|.
        max_iter: maximum number of iterations.

    Returns:
        (root, iters): a float with |f(root)| < tol and the number of updates (an int).

    Raises:
        RuntimeError: when f(x1) - f(x0) == 0 at an update, or after max_iter iterations.
    """
    # TODO: keep f(x0) and f(x1) in variables so that each iteration evaluates f once.
    # TODO: shift BOTH points: the new x0 is the old x1.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `convergence_order`
#
# A sequence converges with **order** $q$ when $e_{k+1} \approx C\, e_k^{\,q}$ for the errors
# $e_k = |x_k - r|$: $q = 1$ is linear (a fixed number of digits per step, if $C < 1$), $q = 2$
# quadratic (digits double). Take logarithms:
#
# $$ \log e_{k+1} \approx \log C + q \log e_k, \qquad
#    \log e_k \approx \log C + q \log e_{k-1} . $$
#
# Subtracting eliminates the unknown constant $C$:
#
# $$ q \approx \frac{\log(e_{k+1} / e_k)}{\log(e_k / e_{k-1})} . $$
#
# The estimate uses three consecutive errors. The relation only holds **asymptotically**,
# near the root, so use the **last three** errors of the sequence. An error of exactly zero
# (the iteration hit the root to the last bit) has no logarithm: drop zeros first, then take
# the last three positive errors.
#
# Caveats: once the errors reach the rounding level ($\approx 10^{-16}\,|r|$) they are noise,
# and the estimate is meaningless (two equal errors even make the denominator zero: the
# result is then `inf` or `nan`); and with only a few iterations the asymptotic regime may
# not have started. At a double root the rounding level is much higher, about
# $\sqrt{10^{-16}} = 10^{-8}$: there $f$ is flat, and $f(x)$ is pure rounding noise once
# $|x - r| \lesssim 10^{-8}$. Expect about 2 for Newton at a simple root, 1.618 for the secant method
# and 1 for Newton at a double root.


# %%
def convergence_order(errors):
    """Estimated order of convergence from a sequence of errors.

    q = log(e[k+1] / e[k]) / log(e[k] / e[k-1]) for the last three positive errors
    e[k-1], e[k], e[k+1] of the sequence (zero errors are dropped first).

    Args:
        errors: sequence of errors |x_k - r| (at least three of them positive).

    Returns:
        float: the estimated order q.
    """
    # TODO: e = np.asarray(errors, dtype=float); keep e[e > 0]; use the last three values.
    raise NotImplementedError("not implemented yet")
