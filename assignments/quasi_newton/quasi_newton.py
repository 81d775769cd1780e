# %% [markdown]
# # Quasi-Newton optimisation: BFGS with scipy and from scratch
#
# Gradient descent only uses the slope of the objective. Newton's method also uses its
# curvature (the Hessian) and converges in a handful of steps near a minimum, but it needs the
# matrix of second derivatives, and solving a linear system with it, at every step. For a model
# with $n$ parameters that is $n^2$ numbers to compute and $O(n^3)$ work to solve.
#
# **Quasi-Newton methods** sit in between: they use only gradients, yet they *learn* the curvature
# as they go, from how the gradient changes between steps. The most successful of them is
# **BFGS** (Broyden, Fletcher, Goldfarb and Shanno, 1970), the default of
# `scipy.optimize.minimize` for smooth unconstrained problems.
#
# In this assignment you will
# 1. write a small test objective, its gradient and its Hessian, and minimise it with scipy's BFGS
#    exactly as the lesson's Example 1 does;
# 2. build BFGS yourself from three pieces: the inverse-Hessian update, a backtracking (Armijo)
#    line search, and the outer loop;
# 3. compare your BFGS with scipy's, and watch it on a harder function (Rosenbrock's valley).
#
# Conventions: inputs may be lists or arrays (convert them with `np.asarray(..., dtype=float)`),
# never modify an input array in place, and return numpy arrays of the stated shapes.


# %%
import numpy as np
from scipy.optimize import minimize


# %% [markdown]
# ## 1. The objective `f`
#
# The lesson's test function is
#
# $$f(x) = (x_0 - 3)^2 + (x_1 + 2)^2 + x_0 x_1 .$$
#
# Without the coupling term $x_0 x_1$ its minimum would be at $(3, -2)$; the coupling tilts and
# stretches the bowl, so the coordinates can no longer be optimised one at a time. Expanding the
# squares shows that f is a quadratic, $f(x) = \tfrac12 x^\top A x + b^\top x + 13$ with
# $A = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}$ and $b = (-6, 4)$: the simplest non-trivial
# test for an optimiser, because we can compute the answer by hand and compare.
#
# Write f so that it accepts a list or an array and returns a Python float.


# %%
def f(x):
    """The lesson's objective (x0 - 3)^2 + (x1 + 2)^2 + x0*x1.

    Args:
        x: array-like of shape (2,).
    Returns:
        float, the value f(x).
    """
    # TODO: convert x with np.asarray(x, dtype=float), then write the formula above.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. The gradient `grad`
#
# Differentiate term by term. The squares give $2(x_0 - 3)$ and $2(x_1 + 2)$; the product rule on
# the coupling $x_0 x_1$ gives $x_1$ to the first component and $x_0$ to the second:
#
# $$\nabla f(x) = \begin{pmatrix} 2(x_0 - 3) + x_1 \\ 2(x_1 + 2) + x_0 \end{pmatrix}.$$
#
# Setting it to zero gives the minimiser: $2x_0 + x_1 = 6$ and $x_0 + 2x_1 = -4$, so
# $x^* = (16/3, -14/3)$ and $f(x^*) = -37/3$.
#
# What can go wrong: a sign slip or a swapped coupling term silently sends every optimiser the
# wrong way (scipy then stops early with "precision loss", or at the wrong point). Always check a
# hand-written gradient against central finite differences,
# $\partial f/\partial x_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h$ with $h \approx 10^{-6}$;
# the notebook cell after the Hessian does it for you.


# %%
def grad(x):
    """The analytic gradient of f.

    Args:
        x: array-like of shape (2,).
    Returns:
        ndarray of shape (2,): [df/dx0, df/dx1].
    """
    # TODO: differentiate each term; the coupling x0*x1 contributes x1 to df/dx0 and x0 to df/dx1.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. The Hessian `hess`
#
# Differentiate each component of the gradient once more:
#
# $$\nabla^2 f(x) = \begin{pmatrix} \partial^2 f/\partial x_0^2 & \partial^2 f/\partial x_0 \partial x_1 \\
# \partial^2 f/\partial x_1 \partial x_0 & \partial^2 f/\partial x_1^2 \end{pmatrix}
# = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}.$$
#
# It is constant because f is quadratic, symmetric (mixed partials commute), and positive definite
# (eigenvalues 1 and 3), so f is strictly convex with exactly one minimiser. The ratio of the
# extreme eigenvalues, the *condition number* $\kappa = 3$, measures how elongated the contour
# ellipses are; it is what makes plain gradient descent slow on harder problems and what BFGS
# learns to undo. Newton's method would use exactly this matrix: $x - [\nabla^2 f]^{-1} \nabla f(x)$
# lands on $x^*$ in one step from anywhere. BFGS will have to discover it from gradients alone.
#
# A common slip is to forget the mixed partial of $x_0 x_1$ (the off-diagonal 1s).


# %%
def hess(x):
    """The analytic Hessian of f (constant, because f is quadratic).

    Args:
        x: array-like of shape (2,) (the value does not matter here, but keep the argument).
    Returns:
        ndarray of shape (2, 2), symmetric.
    """
    # TODO: differentiate each component of grad once more; the result is a constant 2x2 matrix.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. BFGS with scipy (the lesson's Example 1)
#
# `scipy.optimize.minimize(f, x0, jac=grad, method="BFGS")` runs BFGS from `x0`. Passing
# `jac=grad` matters: without it scipy approximates the gradient by finite differences, which
# costs $n$ extra evaluations of $f$ per gradient and loses about half of the significant digits.
#
# `minimize` returns an `OptimizeResult`, a dictionary with attribute access: `res.x` (the
# minimiser found), `res.fun` (f there), `res.jac` (the gradient there), `res.nit` (iterations),
# `res.success` and `res.message`. scipy stops when the gradient's largest entry falls below
# `gtol = 1e-5` by default, so expect about five correct digits of $x^*$, not sixteen.
#
# Your `solve_with_scipy(x0)` makes exactly the lesson's call and returns the whole result object,
# not just `res.x`.


# %%
def solve_with_scipy(x0):
    """Minimise f from x0 with scipy's BFGS, using the analytic gradient.

    Args:
        x0: array-like of shape (2,), the starting point.
    Returns:
        scipy.optimize.OptimizeResult of minimize(f, x0, jac=grad, method="BFGS")
        (graded on .x, .fun and .success).
    """
    # TODO: call scipy.optimize.minimize with your f, the starting point, jac=grad and method="BFGS".
    # TODO: return the result object itself.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. The BFGS update of the inverse Hessian
#
# Newton's step is $p = -[\nabla^2 f(x)]^{-1} \nabla f(x)$. BFGS replaces the inverse Hessian by a
# matrix $H_k$ that it improves after every step, so a step costs one matrix-vector product
# ($O(n^2)$) instead of a linear solve ($O(n^3)$), and no second derivatives are ever computed.
# Approximating the *inverse* directly is the point: we never need to solve with it.
#
# **The secant condition.** After a step $s_k = x_{k+1} - x_k$ the gradient changed by
# $y_k = \nabla f(x_{k+1}) - \nabla f(x_k)$. For a quadratic with Hessian $A$, $y_k = A s_k$
# exactly; in general $y_k \approx \nabla^2 f\, s_k$. So the new approximation of the inverse
# Hessian should map the observed gradient change back to the step:
#
# $$H_{k+1}\, y_k = s_k .$$
#
# One pair $(s, y)$ fixes $H$ in only one direction. Among all symmetric matrices satisfying the
# secant condition, BFGS picks the one closest to the old $H_k$ (in a weighted norm), which gives
#
# $$H_{k+1} = (I - \rho\, s y^\top)\, H_k\, (I - \rho\, y s^\top) + \rho\, s s^\top,
# \qquad \rho = \frac{1}{y^\top s}.$$
#
# Check the secant condition yourself: $(I - \rho\, y s^\top) y = y - \rho\, y (s^\top y) = 0$, so
# the first term vanishes on $y$ and the second gives $\rho\, s (s^\top y) = s$.
#
# **Why $y^\top s > 0$ matters.** If $H_k$ is symmetric positive definite and $y^\top s > 0$
# (the *curvature condition*), then $H_{k+1}$ is symmetric positive definite too: for any $v$,
# $v^\top H_{k+1} v = w^\top H_k w + \rho (s^\top v)^2 \ge 0$ with $w = (I - \rho\, y s^\top) v$,
# and both terms vanish only for $v = 0$. A positive definite $H$ guarantees that $p = -H g$ is a
# descent direction ($g^\top p = -g^\top H g < 0$). For a strictly convex $f$ the curvature
# condition always holds; on a non-convex function, or when rounding makes $y^\top s$ tiny, it
# can fail, and dividing by $y^\top s \le 0$ would destroy positive definiteness (or produce
# inf/NaN). The safe reaction is to **skip the update** for that step and keep $H_k$.
#
# Note the order of the factors: $s y^\top$ on the left, $y s^\top$ on the right. Swapping them
# still gives a symmetric matrix, but one that does not satisfy the secant condition.


# %%
def bfgs_update(H, s, y):
    """The BFGS update of an inverse-Hessian approximation.

    Args:
        H: array-like (n, n), the current symmetric positive definite approximation.
        s: array-like (n,), the step x_{k+1} - x_k.
        y: array-like (n,), the gradient change grad(x_{k+1}) - grad(x_k); assumes y^T s > 0.
    Returns:
        ndarray (n, n): (I - rho s y^T) H (I - rho y s^T) + rho s s^T with rho = 1 / (y^T s).
        H itself is not modified.
    """
    # TODO: rho = 1 / (y @ s); np.outer(s, y) is the matrix s y^T.
    # TODO: build V = I - rho * s y^T; the update is V H V^T + rho * s s^T.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 6. Backtracking line search and the Armijo condition
#
# The direction $p = -H g$ says where to go, not how far. A full step ($\alpha = 1$) is right for
# Newton's method near the minimum, but early on, with a poor $H$, it can overshoot and *increase*
# f. A line search picks $\alpha$ so that the step makes real progress.
#
# **Armijo (sufficient decrease) condition.** Along a descent direction, $f(x + \alpha p) \approx
# f(x) + \alpha\, \nabla f(x)^\top p$ for small $\alpha$, with $\nabla f(x)^\top p < 0$. We accept
# $\alpha$ when f decreases by at least a fraction $c$ of what that linear model promises:
#
# $$f(x + \alpha p) \le f(x) + c\, \alpha\, \nabla f(x)^\top p, \qquad 0 < c < 1
# \ (\text{typically } c = 10^{-4}).$$
#
# **Backtracking.** Try $\alpha_0$ (usually 1), then $\alpha_0 \beta$, $\alpha_0 \beta^2$, ... with
# a shrink factor $\beta = 1/2$, and return the first $\alpha$ that satisfies the condition.
# Because the linear model is exact to first order, some small enough $\alpha$ always passes on a
# descent direction, so the loop ends. Trying the longest step first means we keep the fast
# unit steps of quasi-Newton methods whenever they work.
#
# What can go wrong: writing the inequality the wrong way round (then you keep shrinking while the
# step is *good*), forgetting the factor $\alpha$ on the right-hand side, or looping forever when
# $p$ is not a descent direction. Our version stops after 60 shrinks and returns
# $\alpha_0 \beta^{60}$, a step so small it changes nothing. (scipy's BFGS uses a stronger line
# search that also enforces the *curvature* (Wolfe) condition, which guarantees $y^\top s > 0$;
# with Armijo backtracking alone we rely on the skip rule of section 5 instead.)


# %%
def backtracking_line_search(f, grad, x, p, alpha0=1.0, c=1e-4, shrink=0.5):
    """Backtracking line search with the Armijo condition.

    Args:
        f: callable, f(x) -> float for a 1-D array x.
        grad: callable, grad(x) -> ndarray, the gradient of f.
        x: array-like (n,), the current point.
        p: array-like (n,), the search direction.
        alpha0: the first step length tried.
        c: the Armijo constant, in (0, 1).
        shrink: the factor in (0, 1) by which alpha is multiplied after each failure.
    Returns:
        float: the first alpha in alpha0, alpha0*shrink, alpha0*shrink^2, ... with
        f(x + alpha p) <= f(x) + c * alpha * grad(x)^T p; after 60 shrinks without success,
        alpha0 * shrink^60.
    """
    # TODO: compute f(x) and the slope grad(x) @ p once, before the loop.
    # TODO: try alpha = alpha0 * shrink**k for k = 0, 1, ..., 59; return the first that passes.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 7. The BFGS algorithm
#
# Put the pieces together. Start from $x_0$ with $H_0 = I$ (so the first step is plain steepest
# descent), and repeat:
#
# 1. $g = \nabla f(x)$; **stop** if $\|g\|_2 \le$ `tol` (test this *before* each step, so a
#    starting point that is already optimal returns after 0 iterations);
# 2. direction $p = -H g$;
# 3. step length $\alpha$ from `backtracking_line_search(f, grad, x, p)` with its defaults;
# 4. $x_{new} = x + \alpha p$, $s = x_{new} - x$, $y = \nabla f(x_{new}) - g$;
# 5. if $y^\top s > 10^{-12}$, $H \leftarrow$ `bfgs_update(H, s, y)`, otherwise keep $H$;
# 6. $x \leftarrow x_{new}$ (this is one iteration: `n_iter` counts these updates of $x$).
#
# After `max_iter` updates, return `(x, max_iter)` without raising an error: the caller can see
# from the count that the tolerance was not reached.
#
# **Convergence.** Early on, $H$ is crude and the line search keeps the method safe (every step
# decreases f). As $H$ absorbs curvature information from the pairs $(s, y)$, the steps approach
# Newton steps, the line search accepts $\alpha = 1$, and convergence becomes *superlinear*: the
# error shrinks faster than any fixed ratio per step. On an $n$-dimensional quadratic with exact
# line searches, BFGS even terminates in at most $n$ steps (with backtracking it is merely fast).
# Compare steepest descent (BFGS without the update), whose error shrinks only by a factor of
# about $(\kappa - 1)/(\kappa + 1)$ per step, where $\kappa$ is the condition number of the
# Hessian: thousands of steps for $\kappa = 1000$.
#
# Do not ask for more than the arithmetic can deliver: near the minimum, $f$ changes by about
# $\|g\|^2$, which for $\|g\| \approx 10^{-8}$ is at the level of rounding in $f$, so the last
# Armijo tests are decided by rounding. That is why two correct implementations can report slightly
# different iteration counts.


# %%
def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    """Minimise f with BFGS (H0 = I) and the Armijo backtracking line search.

    Args:
        f: callable, f(x) -> float for a 1-D array x.
        grad: callable, grad(x) -> ndarray (n,).
        x0: array-like (n,), the starting point (not modified).
        tol: stop as soon as ||grad(x)||_2 <= tol (tested before each step).
        max_iter: the largest number of updates of x.
    Returns:
        (x, n_iter): x is an ndarray (n,), n_iter an int counting the updates of x;
        (x, max_iter) when the tolerance was not reached in max_iter updates.
    """
    # TODO: copy x0 into a new float array and start from H = np.eye(n).
    # TODO: each iteration: test ||g|| <= tol, p = -H @ g, alpha from backtracking_line_search,
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 8. Your BFGS next to scipy's
#
# Both should reach $x^* = (16/3, -14/3)$. Your version stops at $\|g\| \le 10^{-8}$, scipy's (by
# default) at $\max_i |g_i| \le 10^{-5}$, so yours is more accurate here, at the price of a few
# more iterations. The plots show the path on the contours of f, and the gradient norm per
# iteration on a log scale: a straight line would be linear convergence, a curve bending down
# steeply is the superlinear phase.
#
# `bfgs` only returns the final point. Because it is deterministic, the $k$-th iterate is
# `bfgs(f, grad, x0, max_iter=k)[0]`; the helper below collects the path that way.


# %% [markdown]
# ## 9. A harder test: Rosenbrock's valley
#
# $f(x) = (1 - x_0)^2 + 100 (x_1 - x_0^2)^2$ has its minimum at $(1, 1)$ at the bottom of a long,
# curved, narrow valley. Steepest descent zig-zags across the valley for thousands of steps; BFGS
# learns the valley's curvature and gets there in a few dozen. Run your `bfgs` from the classic
# start $(-1.2, 1)$, then the same code with the `H` update switched off (steepest descent with
# the same line search) for comparison.
