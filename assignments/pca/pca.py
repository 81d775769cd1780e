# %% [markdown]
# # Principal component analysis through the SVD
#
# A data matrix $X$ with $n$ rows (samples) and $d$ columns (features) often carries far fewer
# than $d$ "real" directions of variation: columns are correlated, and a few directions explain
# almost all of the spread. Principal component analysis (PCA) finds those directions, ranks them
# by how much variance they carry, and lets you keep only the first $k$ of them.
#
# The whole method is one matrix factorisation, the singular value decomposition (SVD) of the
# centred data. In this assignment you write it from scratch with NumPy:
#
# 1. `center(X)`: subtract the column means;
# 2. `pca(X, k)`: principal directions, explained variance ratios and scores;
# 3. `reconstruct(scores, components, mean)`: map the scores back to the original space;
# 4. `choose_k(X, threshold)`: the smallest number of components that explains a given fraction
#    of the variance.
#
# Notation: $X_c$ is the centred data, $X_c = U S V^T$ its thin SVD with singular values
# $s_1 \ge s_2 \ge \dots \ge s_r \ge 0$, $r = \min(n, d)$.


# %%
import numpy as np


# %% [markdown]
# ## 1. `center`: why PCA starts by subtracting the mean
#
# PCA looks for directions $v$ (unit vectors) along which the data **vary** most, that is for
# the $v$ maximising the sample variance of the projections $x_i^T v$. A variance is measured
# around the mean, so we first move the origin to the centre of the cloud:
#
# $$\bar x = \frac{1}{n}\sum_{i=1}^n x_i, \qquad X_c = X - \mathbf{1}\,\bar x^T .$$
#
# Each column of $X_c$ then has mean zero, and $\frac{1}{n-1} X_c^T X_c$ is exactly the sample
# covariance matrix.
#
# What goes wrong without it: the SVD of the raw $X$ finds the directions of largest
# *second moment* $\sum_i (x_i^T v)^2$, not of largest variance. If the cloud sits far from the
# origin, the first "component" simply points at the mean, and every later one is bent to be
# orthogonal to it. Keep the mean: you need it to map scores back (section 3).
#
# Build the result as a new array (`X - mean`); never subtract in place, since the caller's array
# must stay unchanged.


# %%
def center(X):
    """Column-centre a data matrix.

    Args:
        X: array-like of shape (n, d), one sample per row.

    Returns:
        (Xc, mean): Xc, ndarray (n, d), equals X minus its column means; mean, ndarray (d,),
        the column means. X itself is not modified.
    """
    # TODO: np.mean has an `axis` argument: which axis runs over the samples?
    # TODO: broadcasting subtracts a (d,) vector from every row of an (n, d) array.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 2. `pca`: principal directions from the SVD
#
# ### The SVD of the centred data
# Write the thin SVD $X_c = U S V^T$: $U$ is $n \times r$ with orthonormal columns, $S =
# \mathrm{diag}(s_1, \dots, s_r)$ with $s_1 \ge \dots \ge s_r \ge 0$, and $V$ is $d \times r$ with
# orthonormal columns. Then
#
# $$X_c^T X_c = V S U^T U S V^T = V S^2 V^T ,$$
#
# so the columns of $V$ are the eigenvectors of the covariance matrix
# $C = X_c^T X_c / (n-1)$ and its eigenvalues are $s_i^2 / (n-1)$. The variance of the data
# projected on $v_i$ is $\|X_c v_i\|^2 / (n-1) = s_i^2/(n-1)$, the largest possible for $v_1$,
# the largest among directions orthogonal to $v_1$ for $v_2$, and so on.
#
# * **Principal directions** (`components`) are the **right** singular vectors: the rows of
#   `Vt` returned by `np.linalg.svd`. Each is a unit vector in feature space ($\mathbb{R}^d$), and
#   they come out already sorted by decreasing singular value. The columns of $U$ live in sample
#   space ($\mathbb{R}^n$): they are not the directions you want.
# * **Explained variance ratio** of component $i$: its share of the total variance,
#   $$\rho_i = \frac{s_i^2}{\sum_{j} s_j^2}.$$
#   The factor $1/(n-1)$ cancels, and the denominator is the total variance
#   $\|X_c\|_F^2 = \sum_j s_j^2$: use **squared** singular values in both places.
# * **Scores** are the coordinates of each centred sample in the new basis:
#   $Z = X_c V_k$ (an $n \times k$ matrix), which also equals $U_k S_k$.
#
# ### Why the SVD and not the covariance matrix
# You could form $C$ and call `np.linalg.eigh`; mathematically it is the same. Numerically,
# forming $X_c^T X_c$ squares the condition number: a component whose singular value is
# $10^{-6}\, s_1$ has eigenvalue $10^{-12}\, s_1^2$, close to the rounding level of the other
# entries, so its direction comes out with only a few correct digits. The SVD works on $X_c$
# directly and keeps them. (`eigh` also returns eigenvalues in *ascending* order, a classic trap.)
#
# ### Signs and near-equal singular values: what is actually determined
# If $v$ is a principal direction, so is $-v$ (and the matching score column flips with it):
# $U S V^T$ is unchanged when you flip a column of $U$ and the same column of $V$. Different
# libraries, or the same library on another machine, may return either sign. You may fix a
# convention (for example, make the entry of largest magnitude in each component positive), but
# any comparison of PCA results must be sign-free, and the grader's is.
#
# When two singular values are (nearly) equal, it is worse: any rotation of the two directions
# inside their common plane is as good, and a tiny perturbation of the data can rotate them
# a lot. What stays well defined is the **subspace** spanned by the first $k$ directions, as long
# as there is a clear gap $s_k > s_{k+1}$. In the lesson's example below, $s_2, s_3, s_4$ are all
# close to 14: the individual directions 2 to 4 are fragile, yet the 4-dimensional subspace is
# robust because $s_5 \approx 2$ is far below.


# %%
def pca(X, k):
    """Principal component analysis through the SVD of the centred data.

    Args:
        X: array-like of shape (n, d), one sample per row.
        k: number of components to keep, 0 <= k <= min(n, d).

    Returns:
        (components, explained_variance_ratio, scores):
        components, ndarray (k, d): unit rows (principal directions), ordered by decreasing
            variance; the sign of each row is free;
        explained_variance_ratio, ndarray (k,): s_i^2 / sum_j s_j^2 over all singular values s
            of the centred data;
        scores, ndarray (n, k): Xc @ components.T, with Xc the centred data.
    """
    # TODO: centre first (reuse `center`), then np.linalg.svd(Xc, full_matrices=False).
    # TODO: the principal directions are the first k ROWS of Vt; the ratio uses s**2, not s.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 3. `reconstruct`: back to the original space, and the Eckart–Young theorem
#
# The scores are coordinates along the kept directions. To go back to feature space, combine the
# directions with those coordinates and **add the mean back** (the scores describe the centred
# data):
#
# $$\hat X = Z V_k^T + \mathbf{1}\,\bar x^T, \qquad \text{in NumPy: } Z\,@\,\text{components} +
# \text{mean}.$$
#
# With all $r$ components the reconstruction is exact. With $k < r$ it is the best you can do:
# the **Eckart–Young theorem** says that $X_c V_k V_k^T = U_k S_k V_k^T$ is the closest matrix of
# rank at most $k$ to $X_c$ in the Frobenius norm, and that the error is exactly what was thrown
# away:
#
# $$\|X - \hat X\|_F^2 = \|X_c - U_k S_k V_k^T\|_F^2 = \sum_{i > k} s_i^2 .$$
#
# Divided by the total $\sum_i s_i^2$, this is $1 - \sum_{i \le k} \rho_i$: the fraction of the
# variance that the $k$ components do **not** explain is exactly the relative squared
# reconstruction error. The notebook cell after the code checks this identity numerically.


# %%
def reconstruct(scores, components, mean):
    """Map PCA scores back to the original feature space.

    Args:
        scores: array-like (n, k), coordinates along the components.
        components: array-like (k, d), unit rows (principal directions).
        mean: array-like (d,), the column means removed by `center`.

    Returns:
        ndarray (n, d): scores @ components + mean.
    """
    # TODO: one matrix product takes (n, k) scores to (n, d); then undo the centring.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 4. `choose_k`: how many components?
#
# A common rule keeps the smallest $k$ whose **cumulative** explained variance reaches a
# threshold $\tau$ (say 95 %):
#
# $$k^\star = \min\Big\{k \ge 1 : \sum_{i=1}^k \rho_i \ge \tau\Big\}.$$
#
# By Eckart–Young this is also the smallest $k$ whose relative squared reconstruction error is at
# most $1 - \tau$.
#
# Two details:
# * $k$ is a **count** of components. `np.argmax(cum >= tau)` gives the 0-based *index* of the
#   first component that crosses the threshold; the count is that index plus one.
# * Rounding: the cumulative sum of the ratios may end at $0.9999999999999998$ instead of $1$,
#   so at $\tau = 1$ a strict comparison would find no $k$. Compare with a small slack,
#   `cum >= threshold - 1e-12`.
#
# (If the data have no variance at all, every ratio is 0 and no $k$ reaches a positive
# threshold; graded inputs avoid that case.)


# %%
def choose_k(X, threshold=0.95):
    """Smallest number of components whose cumulative explained variance ratio reaches threshold.

    Args:
        X: array-like of shape (n, d).
        threshold: float in (0, 1], the fraction of the total variance to explain.

    Returns:
        int: the smallest k >= 1 with sum(explained_variance_ratio[:k]) >= threshold - 1e-12.
    """
    # TODO: get the ratios of ALL min(n, d) components, then np.cumsum.
    # TODO: the answer is a count (index + 1), returned as a Python int.
    raise NotImplementedError("not implemented yet")


# %% [markdown]
# ## 5. Try it: the lesson's example
#
# Five standard-normal columns, the second made strongly correlated with the first. The norms of
# the score columns are the singular values ($\|X_c v_i\| = s_i$), so the cell prints the same
# numbers as the lesson's `np.linalg.svd` call: singular values
# `[16.926 14.723 14.016 13.217 2.018]`, variance ratio `[0.326 0.247 0.224 0.199 0.005]`.
# One direction (the difference between the two correlated columns) carries almost nothing.


# %% [markdown]
# The explained variance per component (bars) and its running total (line). The dashed line is
# the 95 % threshold: the first point of the curve above it is `choose_k(X, 0.95)`.


# %% [markdown]
# The data seen in the plane of the first two principal directions. The scores are centred and
# uncorrelated, and the spread along the first axis is the largest.


# %% [markdown]
# Eckart–Young in numbers: the squared reconstruction error with $k$ components equals the sum of
# the discarded $s_i^2$, for every $k$.
