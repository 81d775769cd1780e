# %% [markdown]
# # Beyond plain gradient descent: momentum, Nesterov, RMSProp and Adam
#
# The lesson's Example 5 trains with plain (batch) gradient descent,
#
# $$w \leftarrow w - \eta\, g, \qquad g = \nabla f(w),$$
#
# one global step size for every coordinate and no memory of earlier steps. Two weaknesses
# follow from that:
#
# 1. **Ill-conditioning.** In a long, narrow valley the gradient points mostly *across* the
#    valley, not along it. A step size small enough not to bounce off the steep walls is far too
#    small for the gentle slope along the floor, so gradient descent zig-zags and crawls. The
#    number of steps grows with the condition number $L/\mu$ (largest over smallest curvature).
# 2. **Badly scaled coordinates.** When one parameter's gradients are a thousand times larger
#    than another's, no single $\eta$ suits both.
#
# The optimisers in this assignment are the standard answers, and the ones deep-learning
# libraries ship:
# * **momentum** (heavy ball) and **Nesterov momentum** remember past gradients: the zig-zag
#   components cancel out, the consistent component along the valley accumulates (answer to 1);
# * **RMSProp** divides each coordinate's step by a running estimate of that coordinate's
#   gradient size (answer to 2);
# * **Adam** does both, and corrects the bias of its running averages at the start.
#
# **Convention: PyTorch's definitions.** The same names hide slightly different formulas in
# papers and libraries (where the learning rate multiplies, where $\epsilon$ goes). Here every
# update rule is written exactly as `torch.optim` defines it (`SGD` with `momentum`, `dampening=0`,
# `weight_decay=0`, with and without `nesterov=True`; `RMSprop`; `Adam`), so your numbers match
# what `torch.optim` produces step for step, up to rounding:
# * SGD with momentum keeps the buffer $v \leftarrow \beta v + g$ (dampening 0, so the gradient
#   enters with weight 1, not $1 - \beta$) and steps $w \leftarrow w - \eta v$;
# * Nesterov steps along $g + \beta v$ with the *new* buffer $v$;
# * RMSProp adds $\epsilon$ **outside** the square root: $\sqrt{s} + \epsilon$;
# * Adam divides both moments by their bias corrections $1 - \beta_1^t$ and $1 - \beta_2^t$, with
#   $t$ counting from 1, and adds $\epsilon$ outside the square root of the corrected second
#   moment.
#
# Every step function below is *pure*: it receives the current parameters, the gradient and the
# optimiser state, and returns **new** arrays (the new parameters and the new state). It never
# changes its inputs, so you can replay, compare and test steps freely. `run_optimizer` then
# strings the steps together into a path.


# %%
import numpy as np


# %% [markdown]
# ## 1. `momentum_step`: the heavy ball
#
# Picture a heavy ball rolling down the loss surface. It does not follow the gradient at each
# instant; it keeps a velocity, and the gradient only accelerates it. In PyTorch's form:
#
# $$v \leftarrow \beta\, v + g, \qquad w \leftarrow w - \eta\, v .$$
#
# Unrolled, $v_t = g_t + \beta g_{t-1} + \beta^2 g_{t-2} + \dots$ is a sum of past gradients with
# geometrically fading weights. Components that flip sign from step to step (the zig-zag across a
# valley) cancel in this sum; a component that keeps its sign (the slope along the valley) adds
# up, to as much as $1/(1 - \beta)$ times the gradient: ten times with the usual $\beta = 0.9$.
# Heavy-ball momentum cuts the number of steps on a quadratic from order $L/\mu$ to order
# $\sqrt{L/\mu}$ when $\eta$ and $\beta$ are tuned.
#
# Details that matter:
# * the state starts at $v = 0$ (PyTorch sets the buffer to $g$ at the first step, which is the
#   same thing);
# * the gradient enters with weight 1. Some texts write $v \leftarrow \beta v + (1 - \beta) g$
#   (an exponential average; PyTorch calls $1 - \beta$ *dampening*); that rule takes steps ten
#   times smaller and is **not** the one asked for here;
# * because the effective step is up to $\eta/(1 - \beta)$, a rate that is fine for plain
#   gradient descent can make momentum diverge; lower $\eta$ when you add momentum.


# %%
def momentum_step(w, g, v, lr, beta=0.9):
    """One step of SGD with (heavy-ball) momentum, as torch.optim.SGD defines it (dampening 0).

    v_new = beta * v + g;  w_new = w - lr * v_new.

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        v: array-like of shape (d,), the momentum buffer (zeros before the first step).
        lr: float, the learning rate.
        beta: float, the momentum coefficient.
    Returns:
        (w_new, v_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    # TODO: convert the inputs with np.asarray(..., dtype=float) and build NEW arrays (no +=, -=).
    # TODO: update the buffer first, then step along the NEW buffer; the gradient enters with weight 1.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `nesterov_step`: look before you leap
#
# Nesterov's accelerated gradient evaluates the gradient at the point where the momentum is about
# to carry you, and corrects the velocity *before* the ball overshoots. Rewritten so that it only
# needs the gradient at the current parameters (this is what PyTorch implements with
# `nesterov=True`):
#
# $$v \leftarrow \beta\, v + g, \qquad w \leftarrow w - \eta\,(g + \beta\, v),$$
#
# where the $v$ in the second formula is the **new** buffer. Compare with heavy ball, which steps
# along $v = \beta v_{\text{old}} + g$: Nesterov steps along
# $g + \beta v = g + \beta g + \beta^2 v_{\text{old}}$, i.e. it gives the fresh gradient more
# weight and the stale velocity less. The result overshoots less and oscillates less.
#
# What can go wrong: using the *old* buffer in the step, or stepping along $v$ alone (that is
# plain momentum again: the two methods must produce different numbers).


# %%
def nesterov_step(w, g, v, lr, beta=0.9):
    """One step of SGD with Nesterov momentum, as torch.optim.SGD(nesterov=True) defines it.

    v_new = beta * v + g;  w_new = w - lr * (g + beta * v_new).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        v: array-like of shape (d,), the momentum buffer (zeros before the first step).
        lr: float, the learning rate.
        beta: float, the momentum coefficient.
    Returns:
        (w_new, v_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    # TODO: the buffer update is the same as for momentum_step.
    # TODO: the step direction is g + beta * v_new, not v_new.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `rmsprop_step`: a step size per coordinate
#
# RMSProp (Hinton's lecture notes, 2012) keeps a running average of the **squared** gradient of
# each coordinate and divides the step by its square root, the root mean square (RMS) of recent
# gradients:
#
# $$s \leftarrow \alpha\, s + (1 - \alpha)\, g^2, \qquad
#   w \leftarrow w - \eta\, \frac{g}{\sqrt{s} + \epsilon},$$
#
# all operations element-wise. A coordinate with large gradients gets a proportionally smaller
# step and a coordinate with tiny gradients a larger one: each step has roughly size $\eta$ in
# every coordinate, whatever the scale of the gradient. The decay $\alpha$ (0.99 by default)
# sets how long the memory is, about $1/(1 - \alpha) = 100$ steps.
#
# $\epsilon$ only prevents a division by zero when $s = 0$. PyTorch adds it **outside** the square
# root, $\sqrt{s} + \epsilon$ (TensorFlow puts it inside, $\sqrt{s + \epsilon}$). The two differ
# little when gradients are of order one, but a lot when they are small: with $|g| \approx 10^{-4}$
# the first step has $\sqrt{s} = 10^{-5}$, and $\sqrt{s + 10^{-8}} \approx 1.4 \times 10^{-4}$ is
# fourteen times larger. Use the PyTorch form.
#
# Note that RMSProp has no bias correction: starting from $s = 0$, the first step divides by
# $\sqrt{1 - \alpha}\,|g| = 0.1 |g|$ and is about $10\eta$ long.


# %%
def rmsprop_step(w, g, s, lr, alpha=0.99, eps=1e-8):
    """One RMSProp step, as torch.optim.RMSprop defines it (eps outside the square root).

    s_new = alpha * s + (1 - alpha) * g**2;  w_new = w - lr * g / (sqrt(s_new) + eps).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        s: array-like of shape (d,), the running average of squared gradients (zeros at first).
        lr: float, the learning rate.
        alpha: float, the decay of the running average.
        eps: float, added to the square root in the denominator.
    Returns:
        (w_new, s_new): two new ndarrays of shape (d,); the inputs are left unchanged.
    """
    # TODO: everything is element-wise: g**2, np.sqrt(s_new), the division.
    # TODO: eps goes OUTSIDE the square root: np.sqrt(s_new) + eps.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `adam_step`: momentum + RMSProp + bias correction
#
# Adam (Kingma and Ba, 2015) keeps two running averages, of the gradient (the first moment $m$,
# a momentum with dampening) and of the squared gradient (the second moment $v$, as in RMSProp):
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2 .$$
#
# **Bias correction.** Both averages start at zero, so early on they are biased towards zero:
# if the gradient were a constant $g$, after $t$ steps $m_t = (1 - \beta_1^t)\, g$ instead of $g$
# (and $v_t = (1 - \beta_2^t)\, g^2$). Dividing by those factors removes the bias exactly:
#
# $$\hat m = \frac{m}{1 - \beta_1^t}, \qquad \hat v = \frac{v}{1 - \beta_2^t}, \qquad
#   w \leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon},$$
#
# where $t = 1, 2, 3, \dots$ is the number of the step being taken, **counting from 1** (with
# $t = 0$ the corrections $1 - \beta^0 = 0$ would divide by zero). Without the correction the
# first step would use $m = 0.1 g$ and $\sqrt{v} = 0.0316 |g|$, a step of $3.2\,\eta$ in every
# coordinate instead of $\eta$: exactly when the averages know least, the steps would be wrong
# by a factor that only fades after about $1/(1 - \beta_2) = 1000$ steps. With it, the first step
# is $\eta\, g / (|g| + \epsilon) \approx \eta \operatorname{sign}(g)$.
#
# As in RMSProp, $\epsilon$ goes outside the square root, here of the corrected $\hat v$
# (PyTorch's formula). The original paper also gives an "efficient" form that folds the
# corrections into the step size, $\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)$ with
# $w \leftarrow w - \eta_t\, m / (\sqrt{v} + \epsilon)$; it is *not* the same formula, because it
# effectively divides $\epsilon$ by $\sqrt{1 - \beta_2^t}$ (31.6 times larger at $t = 1$).
#
# The function returns the new parameters and the new **uncorrected** moments $m$ and $v$: the
# corrected $\hat m$, $\hat v$ are only used inside the step. Storing them as the state would
# correct the same bias again at the next step.


# %%
def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step, as torch.optim.Adam defines it.

    m_new = beta1 * m + (1 - beta1) * g;  v_new = beta2 * v + (1 - beta2) * g**2;
    m_hat = m_new / (1 - beta1**t);  v_hat = v_new / (1 - beta2**t);
    w_new = w - lr * m_hat / (sqrt(v_hat) + eps).

    Args:
        w: array-like of shape (d,), the current parameters.
        g: array-like of shape (d,), the gradient at w.
        m: array-like of shape (d,), the first-moment average (zeros before the first step).
        v: array-like of shape (d,), the second-moment average (zeros before the first step).
        t: int >= 1, the number of this step (1 for the first step).
        lr, beta1, beta2, eps: floats, Adam's hyperparameters.
    Returns:
        (w_new, m_new, v_new): three new ndarrays of shape (d,), with m_new and v_new the
        uncorrected moments; the inputs are left unchanged.
    """
    # TODO: update m and v first; the bias corrections divide by 1 - beta1**t and 1 - beta2**t.
    # TODO: eps is added to sqrt(v_hat); return the uncorrected m_new and v_new as the new state.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. `run_optimizer`: from steps to a path
#
# `run_optimizer(grad, x0, method, n_steps, lr, **hyper)` runs `n_steps` steps of one method from
# `x0` and returns the path, shape `(n_steps + 1, d)`: row 0 is `x0`, row $k$ the parameters
# after $k$ steps. At each step it evaluates `g = grad(w)` at the current parameters and calls
# the matching step function:
#
# | `method`     | update                          | state (starts at zero) | `hyper` keywords        |
# |--------------|---------------------------------|------------------------|-------------------------|
# | `"sgd"`      | $w \leftarrow w - \eta g$       | none                   | none                    |
# | `"momentum"` | `momentum_step`                 | $v$                    | `beta`                  |
# | `"nesterov"` | `nesterov_step`                 | $v$                    | `beta`                  |
# | `"rmsprop"`  | `rmsprop_step`                  | $s$                    | `alpha`, `eps`          |
# | `"adam"`     | `adam_step` with $t = 1, 2, …$ | $m$, $v$               | `beta1`, `beta2`, `eps` |
#
# `hyper` holds only the chosen method's own keywords; any that are missing take the step
# function's default (pass `**hyper` straight through). An unknown `method` raises `ValueError`.
#
# What can go wrong: state that survives from one call to the next (every call starts from zero
# state, and Adam from $t = 1$), returning only the final point, or storing the same array in
# every row of the path.


# %%
def run_optimizer(grad, x0, method, n_steps, lr, **hyper):
    """Run n_steps of one optimiser from x0, starting from zero state, and return the path.

    Args:
        grad: callable, grad(w) -> array of shape (d,), the gradient at w (a 1-D array).
        x0: array-like of shape (d,), the starting point (not modified).
        method: str, one of "sgd", "momentum", "nesterov", "rmsprop", "adam".
        n_steps: int >= 0, the number of steps.
        lr: float, the learning rate.
        **hyper: the chosen method's own keyword arguments (beta for momentum and nesterov;
            alpha, eps for rmsprop; beta1, beta2, eps for adam; none for sgd), defaulting as in
            the step functions.
    Returns:
        ndarray of shape (n_steps + 1, d): row 0 is x0, row k the parameters after k steps.
    Raises:
        ValueError: if method is not one of the five names.
    """
    # TODO: check method first (ValueError), then copy x0 and create zero state with np.zeros_like.
    # TODO: each step: g = grad(w), call the chosen step function with **hyper, store w in the next row.
    # TODO: Adam's t is the number of the step being taken: 1 for the first step, not 0.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 6. Five optimisers in Rosenbrock's valley
#
# $f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$ has its minimum at $(1, 1)$, at the bottom of a
# curved, narrow valley: across the valley the curvature is about 1000, along it about 1. Plain
# gradient descent must keep $\eta < 2/1000$ and then crawls along the floor. Each method below
# starts from $(-1.2, 1)$ with a learning rate picked by hand to be reasonable for it (the rates
# are not comparable across methods: RMSProp and Adam take steps of about $\eta$ per coordinate,
# the others of about $\eta |g|$).
#
# Look for: heavy-ball momentum overshooting across the valley at the start, and Nesterov
# damping that overshoot; both then run along the floor far faster than plain gradient descent.
# RMSProp and Adam take steps of about $\eta$ per coordinate whatever the gradient's size, which
# carries them along the flat floor; Adam's momentum makes it much faster than RMSProp here, and
# the spikes in RMSProp's loss curve show the jitter of a per-coordinate step that does not
# shrink near the minimum unless the rate decays (combine it with the previous assignment's
# schedules).
