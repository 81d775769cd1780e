# %% [markdown]
# # Batch gradient descent for linear regression
#
# Linear regression fits weights $w \in \mathbb{R}^d$ so that $Xw \approx y$, for a design matrix
# $X$ ($n$ samples, $d$ features) and targets $y \in \mathbb{R}^n$. It has a closed-form answer,
# which makes it the ideal laboratory for gradient descent: we can watch the iterates converge
# to a solution we already know, and see exactly when and why a learning rate is too large.
#
# You will write:
#
# 1. `mse(w, X, y)`: the mean squared error loss;
# 2. `mse_grad(w, X, y)`: its gradient;
# 3. `batch_gradient_descent(X, y, lr, n_epochs, w0)`: the full-batch iteration, with its loss
#    history;
# 4. `closed_form(X, y)`: the least-squares solution, computed directly.


# %%
import numpy as np


# %% [markdown]
# ## 1. `mse`: the loss
#
# The residual of sample $i$ is $r_i = x_i^T w - y_i$, that is $r = Xw - y$ for all samples at
# once. The mean squared error averages the squared residuals:
#
# $$L(w) = \frac{1}{n} \sum_{i=1}^n (x_i^T w - y_i)^2 = \frac{1}{n}\,\|Xw - y\|_2^2 .$$
#
# The **mean** (not the sum) keeps the loss, and its gradient, on the same scale whatever the
# number of samples: a learning rate that works for 500 samples also works for 50 000. Return a
# Python `float`.


# %%
def mse(w, X, y):
    """Mean squared error of the linear model X @ w.

    Args:
        w: array-like (d,), the weights.
        X: array-like (n, d), the design matrix.
        y: array-like (n,), the targets.

    Returns:
        float: mean((X @ w - y) ** 2).
    """
    # TODO: compute the residual vector X @ w - y, then the mean of its squares.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `mse_grad`: the gradient
#
# Differentiate $L(w) = \frac{1}{n}(Xw - y)^T (Xw - y)$: the chain rule gives
#
# $$\nabla L(w) = \frac{2}{n}\, X^T (Xw - y).$$
#
# Read it as "each sample pushes $w$ along its own feature vector $x_i$, in proportion to its
# residual $r_i$", averaged over the samples. Two factors are easy to lose: the **2** from
# differentiating the square, and the sign, which comes from the residual written as
# $Xw - y$ (prediction minus target). Check your gradient against finite differences if in doubt.
#
# The second derivative is constant: $\nabla^2 L = H = \frac{2}{n} X^T X$. The loss is a
# quadratic bowl, and that is what makes its gradient descent fully analysable (section 3).


# %%
def mse_grad(w, X, y):
    """Gradient of `mse` with respect to w.

    Args:
        w: array-like (d,), the weights.
        X: array-like (n, d), the design matrix.
        y: array-like (n,), the targets.

    Returns:
        ndarray (d,): (2 / n) * X.T @ (X @ w - y).
    """
    # TODO: n is the number of rows of X; the result has one entry per feature (a (d,) vector).
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `batch_gradient_descent`: the iteration and its learning rate
#
# Starting from $w_0$ (zeros when none is given), repeat `n_epochs` times the full-batch step
#
# $$w_{k+1} = w_k - \eta\, \nabla L(w_k),$$
#
# where "full batch" means the gradient uses all $n$ samples (one step per epoch). After each
# step, record the loss of the new weights: `history[k]` is $L$ after step $k$, so `history` has
# exactly `n_epochs` entries and `history[-1]` is the loss of the returned $w$.
# Work on a copy of `w0`: `w -= ...` on the caller's array would change it behind their back.
#
# ### Why it converges, and when it does not
# Let $w^\star$ be a least-squares solution, so $\nabla L(w^\star) = 0$, and
# $H = \frac{2}{n}X^T X$. Since $\nabla L(w) = H (w - w^\star)$, the error $e_k = w_k - w^\star$
# obeys a linear recurrence:
#
# $$e_{k+1} = (I - \eta H)\, e_k .$$
#
# Along each eigenvector of $H$ with eigenvalue $\lambda > 0$ the error is multiplied by
# $1 - \eta\lambda$ at every step. It shrinks if and only if $|1 - \eta\lambda| < 1$, that is
# $0 < \eta < 2/\lambda$. The binding constraint comes from the largest eigenvalue $L_{\max}$
# (the *smoothness constant*):
#
# $$\text{stable} \iff \eta < \frac{2}{L_{\max}}, \qquad
#   L_{\max} = \lambda_{\max}\Big(\tfrac{2}{n} X^T X\Big).$$
#
# * $\eta$ too small: every factor is close to 1, convergence is slow.
# * $\eta$ just below $2/L_{\max}$: the steepest direction oscillates ($1 - \eta L_{\max}$ is
#   close to $-1$) but still converges.
# * $\eta > 2/L_{\max}$: that direction's error grows geometrically and the loss explodes.
#
# The slowest direction is the one with the smallest eigenvalue $\mu$, so the number of steps
# grows with the condition number $L_{\max}/\mu$: this is why features are standardised before
# gradient descent. For standard-normal features $\frac{2}{n}X^TX \approx 2I$, so
# $L_{\max} \approx 2$ and the limit is $\eta \approx 1$; the lesson's $\eta = 0.05$ is safe.
#
# When $X$ is rank-deficient, $H$ has zero eigenvalues: the error along those directions never
# changes. Started from zeros, the iterates stay in the row space of $X$ and converge to the
# **minimum-norm** least-squares solution, the one `closed_form` returns.


# %%
def batch_gradient_descent(X, y, lr=0.05, n_epochs=200, w0=None):
    """Full-batch gradient descent on the mean squared error.

    Args:
        X: array-like (n, d), the design matrix.
        y: array-like (n,), the targets.
        lr: float, the learning rate (step size).
        n_epochs: int, the number of steps (one full-batch step per epoch).
        w0: array-like (d,) or None, the starting weights; zeros when None. Never modified.

    Returns:
        (w, history): w, ndarray (d,), the weights after n_epochs steps
        w <- w - lr * mse_grad(w, X, y); history, ndarray (n_epochs,), where history[k] is the
        MSE after step k.
    """
    # TODO: start from a COPY of w0 (np.array(w0, dtype=float)) or np.zeros(d) when w0 is None.
    # TODO: in each epoch: step first, then record mse(w, X, y) of the new w.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `closed_form`: the answer gradient descent is heading to
#
# Setting the gradient to zero gives the **normal equations** $X^T X\, w = X^T y$. Resist the
# textbook formula $w = (X^TX)^{-1}X^Ty$:
#
# * forming $X^T X$ squares the condition number, so you lose twice as many digits as needed;
# * when $X$ is rank-deficient (a duplicated or constant-multiple column, more features than
#   samples), $X^TX$ is singular: `np.linalg.inv` either raises or returns huge, meaningless
#   numbers, although least squares still has solutions: a whole affine family of them.
#
# `np.linalg.lstsq(X, y, rcond=None)` solves the problem through the SVD of $X$ itself. When the
# solution is not unique it returns the one of **minimum Euclidean norm**, the same as
# `np.linalg.pinv(X) @ y`, and the same point gradient descent reaches from $w_0 = 0$.


# %%
def closed_form(X, y):
    """Least-squares solution of X w ~ y.

    Args:
        X: array-like (n, d), the design matrix.
        y: array-like (n,), the targets.

    Returns:
        ndarray (d,): argmin_w ||X w - y||_2, the minimum-norm one when X is rank-deficient
        (as np.linalg.lstsq gives).
    """
    # TODO: np.linalg.lstsq returns a tuple; the solution is its first element. Pass rcond=None.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. Try it: the lesson's example
#
# 500 samples, three standard-normal features, true weights $(2, -1, 0.5)$ and noise of standard
# deviation 0.3. The lesson prints the MSE at epochs 0, 40, ..., 160 (after that epoch's step):
# `4.2434, 0.0971, 0.0956, 0.0956, 0.0956`, and recovered weights `[2.015 -0.998 0.519]`.
# The weights are not exactly the true ones: they are the least-squares fit to noisy data, and
# the remaining MSE (about $0.3^2 = 0.09$) is the noise.


# %% [markdown]
# The loss curve on a logarithmic axis. Left: the MSE itself levels off at the noise floor
# $L(w^\star)$. Right: the excess loss $L(w_k) - L(w^\star)$ falls on a straight line, the mark of
# *linear* (geometric) convergence: the error is multiplied by a constant factor at each step.


# %% [markdown]
# The learning rate decides everything. Up to a point a larger step converges faster (on a
# quadratic the best constant step is $2/(L_{\max} + \mu)$, with $\mu$ the smallest eigenvalue of
# $H$). Close to the limit $2/L_{\max}$ the steepest direction oscillates with a factor near $-1$
# and convergence slows down again; just above the limit the loss grows geometrically.


# %% [markdown]
# A rank-deficient design: duplicate the first column. Infinitely many weight vectors fit
# equally well; gradient descent from zeros and `closed_form` both pick the one of minimum norm,
# which splits the first weight evenly between the two copies.
