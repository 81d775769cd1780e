"""Hidden suite: pca (the lesson's Example 4, principal component analysis through the SVD).

24 points. Inputs are drawn at grade time; tolerances are justified next to each check.

What the problem determines, and so what is graded:
- a component only up to its sign, and only when its singular value is separated from its
  neighbours; inside a group of (nearly) equal singular values only the subspace is determined,
  so those cases compare orthogonal projectors, not rows;
- correct alternatives differ in the last bits: PCA through `eigh` of the covariance squares the
  condition number, so it agrees with the SVD to about eps s_1^2 / gap(s^2) ~ 1e-12 on components
  that carry variance, but only to about 1e-4 on components whose variance ratio is below 1e-10
  (their eigenvalues drown in the rounding of the covariance). Such components are graded only
  through what does not depend on them individually: orthonormality of all rows, and the ratios
  with an absolute tolerance.

The data have n = 30..200 samples and d = 3..8 correlated features whose column means are 10 to
100 times their spread, so forgetting to centre (or centring only part of the way) is visible.
"""

import numpy as np

from autograder.checks import (as_array, as_int, assert_close, assert_scalar_close, assert_true,
                               describe, unpack)
from autograder.suite import graded

SLACK = 1e-12  # the contract's slack in choose_k


# -- data ----------------------------------------------------------------------------------------

def centred_svd(X):
    """The trusted decomposition: mean, centred data, singular values, right singular vectors."""
    mean = X.mean(axis=0)
    Xc = X - mean
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    return mean, Xc, s, Vt


def shifted_data(rng, n=None, d=None, min_gap=1e-3):
    """Correlated columns (a random mixing of independent columns with geometrically decreasing
    scales) plus column means 10 to 100 times the largest spread. Redrawn until consecutive
    squared singular values differ by at least ``min_gap * s_1^2``, so that every component is
    determined up to its sign (eigh's error ~ eps / min_gap ~ 2e-13)."""
    while True:
        n_ = int(rng.integers(30, 201)) if n is None else n
        d_ = int(rng.integers(3, 9)) if d is None else d
        scales = (np.geomspace(1.0, 10.0 ** rng.uniform(-1.3, -0.5), d_)
                  * 10.0 ** rng.uniform(-0.5, 1.0))
        mixing = scales[:, None] * np.linalg.qr(rng.standard_normal((d_, d_)))[0]
        means = rng.uniform(-1.0, 1.0, d_) * scales[0] * 10.0 ** rng.uniform(1.0, 2.0)
        X = rng.standard_normal((n_, d_)) @ mixing + means
        s = centred_svd(X)[2]
        if np.min(s[:-1] ** 2 - s[1:] ** 2) >= min_gap * s[0] ** 2:
            return X


def lesson_data(rng):
    """The lesson's kind of data: five standard-normal columns, the second made strongly
    correlated with the first (redrawn in the rare case of two nearly equal singular values)."""
    while True:
        X = rng.standard_normal((200, 5))
        X[:, 1] = 0.8 * X[:, 0] + 0.2 * X[:, 1]
        s = centred_svd(X)[2]
        if np.min(s[:-1] ** 2 - s[1:] ** 2) >= 1e-3 * s[0] ** 2:
            return X


def spectrum_data(rng, s, n=None):
    """Data whose centred part has exactly the singular values ``s`` (random singular vectors),
    plus large column means."""
    d = len(s)
    n = int(rng.integers(30, 201)) if n is None else n
    A = rng.standard_normal((n, d))
    Q = np.linalg.qr(A - A.mean(axis=0))[0]  # orthonormal columns, orthogonal to ones(n)
    V = np.linalg.qr(rng.standard_normal((d, d)))[0]
    means = rng.uniform(-1.0, 1.0, d) * s[0] * 10.0 ** rng.uniform(0.0, 1.0)
    return (Q * s) @ V.T + means


def data_text(X):
    return f"X of shape {X.shape} = {describe(X, 200)}"


# -- shared checks -------------------------------------------------------------------------------

def get_pca(submission, X, k):
    inputs = f"{data_text(X)}, k = {k}"
    components, ratio, scores = unpack(submission.pca(X, k), 3, what="pca(X, k)", inputs=inputs)
    n, d = X.shape
    components = as_array(components, shape=(k, d), what="the components returned by pca",
                          inputs=inputs)
    ratio = as_array(ratio, shape=(k,), what="the explained_variance_ratio returned by pca",
                     inputs=inputs)
    scores = as_array(scores, shape=(n, k), what="the scores returned by pca", inputs=inputs)
    return components, ratio, scores, inputs


def signs_to(components, expected):
    """+1 or -1 per row: the sign that best aligns each returned row with the expected one."""
    dots = np.sum(components * expected, axis=1)
    return np.where(dots < 0, -1.0, 1.0)


def check_components(components, expected, inputs, atol, why):
    """Row by row up to sign (the sign is free)."""
    aligned = components * signs_to(components, expected)[:, None]
    assert_close(aligned, expected, rtol=0, atol=atol, inputs=inputs, why=why,
                 what="the components returned by pca (each row's sign matched to the expected "
                      "row, since a component's sign is free)")


def check_orthonormal(components, inputs):
    k = components.shape[0]
    # Rows from any SVD or eigh are orthonormal to ~1e-15, whatever their variance.
    assert_close(components @ components.T, np.eye(k), rtol=0, atol=1e-10, inputs=inputs,
                 what="components @ components.T (the components must be orthonormal rows)")


def check_ratios(ratio, s, inputs):
    k = ratio.size
    expected = (s ** 2 / np.sum(s ** 2))[:k]
    # Ratios from the SVD or from eigh's eigenvalues: eigh's absolute error is ~eps (relative to
    # the total), hence the absolute term; any other formula (s, ddof mix-ups) is off by >= 0.5 %.
    assert_close(ratio, expected, rtol=1e-9, atol=1e-12, inputs=inputs,
                 what="the explained_variance_ratio returned by pca",
                 why="s_i^2 / sum_j s_j^2 over all singular values of the centred data")


def projector(rows):
    return rows.T @ rows


# -- question 1: center --------------------------------------------------------------------------

def _check_center(submission, X, sent=None):
    expected_mean = X.mean(axis=0)
    expected = X - expected_mean
    inputs = data_text(X) + (" (passed as a nested list)" if sent is not None else "")
    Xc, mean = unpack(submission.center(X if sent is None else sent), 2, what="center(X)",
                      inputs=inputs)
    # Any summation order of n <= 200 terms is within ~n eps max|X| ~ 4e-14 max|X|.
    atol = 1e-12 * np.abs(X).max()
    assert_close(mean, expected_mean, rtol=0, atol=atol, what="the mean returned by center",
                 inputs=inputs)
    assert_close(Xc, expected, rtol=0, atol=atol, what="the centred data returned by center",
                 inputs=inputs)


@graded(1, question=1, public=True)
def test_center_small(submission, rng):
    """center: returns X minus its column means, and the means"""
    for _ in range(2):
        X = rng.standard_normal((int(rng.integers(4, 9)), 3)) + rng.uniform(-5.0, 5.0, 3)
        _check_center(submission, X)


@graded(1, question=1)
def test_center_random(submission, rng):
    """center: random sizes and large column means, array or nested-list input"""
    for _ in range(2):
        _check_center(submission, shifted_data(rng))
    X = shifted_data(rng)
    _check_center(submission, X, sent=X.tolist())


# -- question 2: pca -----------------------------------------------------------------------------

@graded(2, question=2, public=True)
def test_pca_lesson(submission, rng):
    """pca: the lesson's kind of data: shapes, components up to sign, variance ratios"""
    X = lesson_data(rng)
    _, _, s, Vt = centred_svd(X)
    for k in (2, 5):
        components, ratio, _, inputs = get_pca(submission, X, k)
        # Gaps between consecutive s^2 are >= 1e-3 s_1^2: every correct method (SVD or eigh of
        # the covariance) gives each row to ~1e-13.
        check_components(components, Vt[:k], inputs, 1e-8, "separated singular values")
        check_ratios(ratio, s, inputs)


@graded(2, question=2)
def test_pca_components(submission, rng):
    """pca: components equal the right singular vectors of the centred data, up to sign"""
    for index in range(3):
        X = shifted_data(rng)
        _, _, s, Vt = centred_svd(X)
        d = X.shape[1]
        k = d if index == 0 else int(rng.integers(1, d))
        components, _, _, inputs = get_pca(submission, X, k)
        # Consecutive s^2 differ by >= 1e-3 s_1^2, so each row is determined to ~eps/1e-3 for
        # eigh and better for the SVD; centring rounding (means up to 100x the spread) adds
        # ~1e-13. Not centring, or taking columns of Vt, is off by O(0.1) or more.
        check_components(components, Vt[:k], inputs, 1e-8,
                         "the singular values are separated, so each row is determined up to sign")


@graded(1, question=2)
def test_pca_orthonormal(submission, rng):
    """pca: components are orthonormal rows"""
    for _ in range(2):
        X = shifted_data(rng)
        k = int(rng.integers(1, X.shape[1] + 1))
        components, _, _, inputs = get_pca(submission, X, k)
        check_orthonormal(components, inputs)


@graded(2, question=2)
def test_pca_ratios(submission, rng):
    """pca: explained_variance_ratio is s_i^2 / sum(s^2), summing to 1 over all components"""
    for index in range(3):
        X = shifted_data(rng)
        _, _, s, _ = centred_svd(X)
        d = X.shape[1]
        k = d if index == 0 else int(rng.integers(1, d))
        _, ratio, _, inputs = get_pca(submission, X, k)
        check_ratios(ratio, s, inputs)


@graded(2, question=2)
def test_pca_scores(submission, rng):
    """pca: scores are the centred data times components.T (sign matching the components)"""
    for index in range(3):
        X = shifted_data(rng)
        _, Xc, _, Vt = centred_svd(X)
        d = X.shape[1]
        k = d if index == 0 else int(rng.integers(1, d))
        components, _, scores, inputs = get_pca(submission, X, k)
        # The sign of each score column follows its component's: align both with the signs
        # the returned components have. Components agree to ~1e-13 and centring to
        # ~1e-13 max|X|, so 1e-9 of the largest score is safe; scores of the raw X are off
        # by mean @ components.T, unscaled U columns by the factor s_i.
        signs = signs_to(components, Vt[:k])
        expected = (Xc @ Vt[:k].T) * signs
        assert_close(scores, expected, rtol=0, atol=1e-9 * np.abs(expected).max(),
                     inputs=inputs, what="the scores returned by pca",
                     why="scores = Xc @ components.T, with Xc the centred data")


@graded(2, question=2)
def test_pca_eckart_young(submission, rng):
    """pca: scores @ components + mean reaches the Eckart-Young error (the discarded variance)"""
    X = shifted_data(rng)
    mean, _, s, _ = centred_svd(X)
    total = float(np.sum(s ** 2))
    for k in range(1, X.shape[1] + 1):
        components, _, scores, inputs = get_pca(submission, X, k)
        error = float(np.sum((X - (scores @ components + mean)) ** 2))
        # Sign-free and basis-free: the best rank-k approximation of the centred data is unique
        # (separated singular values) and misses exactly sum_{i > k} s_i^2. First-order errors
        # in the components change the error only to second order; the subtraction of the
        # large means costs ~1e-14 of the total.
        assert_scalar_close(error, float(np.sum(s[k:] ** 2)), rtol=1e-9, atol=1e-10 * total,
                            inputs=inputs,
                            what="||X - (scores @ components + mean)||_F^2 from pca's output",
                            why="by Eckart-Young the rank-k PCA reconstruction misses exactly "
                                "the discarded s_i^2")


def _groups_spectrum(rng, d):
    """Singular values in groups of (nearly) equal values: the groups are separated by a factor
    of at least 1.4; inside a group the values differ by at most 1e-9 (relative)."""
    while True:
        sizes = []
        while sum(sizes) < d:
            sizes.append(int(min(rng.integers(1, 4), d - sum(sizes))))
        if max(sizes) >= 2:
            break
    levels = 10.0 * np.cumprod(np.r_[1.0, rng.uniform(0.45, 0.7, len(sizes) - 1)])
    s = np.concatenate([level * (1.0 - rng.uniform(0.0, 1e-9, size))
                        for level, size in zip(levels, sizes)])
    return np.sort(s)[::-1], np.cumsum(sizes)


@graded(2, question=2)
def test_pca_nearly_equal_singular_values(submission, rng):
    """pca: with nearly equal singular values, the leading subspaces (projectors) are right"""
    for _ in range(2):
        d = int(rng.integers(4, 9))
        spectrum, boundaries = _groups_spectrum(rng, d)
        X = spectrum_data(rng, spectrum)
        _, _, s, Vt = centred_svd(X)
        for k in sorted({int(rng.integers(1, d + 1)), int(rng.choice(boundaries))}):
            components, ratio, _, inputs = get_pca(submission, X, k)
            inputs += (f" (singular values {describe(s)}: groups of nearly equal values end "
                       f"at components {[int(b) for b in boundaries]})")
            check_orthonormal(components, inputs)
            check_ratios(ratio, s, inputs)
            # Inside a group any rotation of the directions is as good; only the span of the
            # first `lo` components (lo, hi: the group boundaries around k) is determined, and
            # every returned row must lie in the span of the first `hi` right singular vectors.
            # Groups are separated by a factor >= 1.4 in s (the smallest level is >= 10 * 0.45^7),
            # so these subspaces are determined to ~eps s_1^2 / (s_lo^2 - s_lo+1^2) < 1e-10 even
            # through eigh.
            lo = max([0] + [int(b) for b in boundaries if b <= k])
            hi = min(int(b) for b in boundaries if b >= k)
            if lo:
                assert_close(projector(components[:lo]), projector(Vt[:lo]), rtol=0, atol=1e-9,
                             inputs=inputs, what=f"the projector onto the first {lo} components",
                             why="the subspace of the leading components is determined up to a "
                                 "gap in the singular values; the individual rows are not")
            outside = components - components @ projector(Vt[:hi])
            assert_close(outside, np.zeros_like(outside), rtol=0, atol=1e-9, inputs=inputs,
                         what=f"the part of the components outside the span of the first {hi} "
                              "right singular vectors",
                         why="the components up to a group's end span that group's subspace")


@graded(1, question=2)
def test_pca_tiny_variance(submission, rng):
    """pca: data of low effective rank: dominant components, ratios, orthonormal rest"""
    for _ in range(2):
        d = int(rng.integers(4, 9))
        r = int(rng.integers(2, d - 1))  # components that carry variance; then 1e-6.. and zero
        dominant = 10.0 * np.cumprod(np.r_[1.0, rng.uniform(0.3, 0.8, r - 1)])
        tiny = 10.0 * np.geomspace(1e-6, 1e-8, d - r) * (np.arange(d - r) < d - r - 1)
        X = spectrum_data(rng, np.r_[dominant, tiny])
        _, Xc, s, Vt = centred_svd(X)
        components, ratio, scores, inputs = get_pca(submission, X, d)
        inputs += f" (singular values {describe(s)})"
        # Components with ratio >= 5e-6 are separated from the rest by a gap in s^2 of at
        # least 5e-6 s_1^2: ~eps / 5e-6 < 1e-10 by any method.
        # Those with ratio <= 1e-12 are not determined by eigh of the covariance (to ~1e-4 only)
        # and not individually graded; their span is, through orthonormality.
        check_components(components[:r], Vt[:r], inputs, 1e-8,
                         "components that carry variance are determined up to sign")
        check_orthonormal(components, inputs)
        check_ratios(ratio, s, inputs)
        # Scores must be Xc @ components.T for the returned components, whatever they are:
        # U_k s_k and Xc V_k agree to ~eps s_1.
        assert_close(scores, Xc @ components.T, rtol=0, atol=1e-10 * s[0], inputs=inputs,
                     what="the scores returned by pca, compared with Xc @ components.T for the "
                          "returned components")


# -- question 3: reconstruct ---------------------------------------------------------------------

@graded(1, question=3, public=True)
def test_reconstruct_formula(submission, rng):
    """reconstruct: equals scores @ components + mean"""
    for _ in range(3):
        n, d = int(rng.integers(5, 40)), int(rng.integers(3, 9))
        k = int(rng.integers(1, d + 1))
        scores = rng.normal(0.0, 3.0, (n, k))
        components = np.linalg.qr(rng.standard_normal((d, k)))[0].T
        mean = rng.uniform(-20.0, 20.0, d)
        expected = scores @ components + mean
        # k products and one sum per entry: any order is within ~k eps of the magnitudes.
        atol = 1e-12 * np.max(np.abs(scores) @ np.abs(components) + np.abs(mean))
        assert_close(submission.reconstruct(scores, components, mean), expected, rtol=0,
                     atol=atol, what="reconstruct(scores, components, mean)",
                     inputs=f"scores = {describe(scores)}, components = {describe(components)}, "
                            f"mean = {describe(mean)}")


@graded(2, question=3)
def test_reconstruct_eckart_young(submission, rng):
    """reconstruct: from exact PCA output, the squared error equals the discarded variance"""
    for _ in range(2):
        X = shifted_data(rng)
        mean, Xc, s, Vt = centred_svd(X)
        d = X.shape[1]
        for k in sorted({1, int(rng.integers(2, d)), d}):
            components = Vt[:k] * rng.choice([-1.0, 1.0], (k, 1))
            scores = Xc @ components.T
            inputs = (f"the exact PCA of {data_text(X)} with k = {k}: scores = "
                      f"{describe(scores)}, components = {describe(components)}, "
                      f"mean = {describe(mean)}")
            expected = scores @ components + mean
            Xhat = assert_close(submission.reconstruct(scores, components, mean), expected,
                                rtol=0, atol=1e-12 * np.abs(X).max() * d,
                                what="reconstruct(scores, components, mean)", inputs=inputs)
            # Eckart-Young: ||X - X_hat||_F^2 = sum_{i > k} s_i^2 (zero for k = d); the large
            # means cancel to ~1e-14 of the total variance.
            total = float(np.sum(s ** 2))
            assert_scalar_close(float(np.sum((X - Xhat) ** 2)), float(np.sum(s[k:] ** 2)),
                                rtol=1e-9, atol=1e-10 * total, inputs=inputs,
                                what="||X - reconstruct(...)||_F^2",
                                why="the discarded variance, by Eckart-Young")


# -- question 4: choose_k ------------------------------------------------------------------------

def cumulative_ratio(X):
    s = centred_svd(X)[2]
    return np.cumsum(s ** 2) / np.sum(s ** 2)


def expected_k(cumulative, threshold):
    return int(np.flatnonzero(cumulative >= threshold - SLACK)[0]) + 1


def _check_choose_k(submission, X, threshold, expected, cumulative, *, default=False):
    inputs = (f"{data_text(X)}, threshold = {threshold!r}"
              + (" (the default)" if default else "")
              + f" (cumulative explained variance ratios {describe(cumulative)})")
    got = submission.choose_k(X) if default else submission.choose_k(X, threshold)
    got = as_int(got, what="choose_k(X, threshold)", inputs=inputs)
    assert_true(got == expected, f"choose_k for {inputs}: expected k = {expected} (the smallest "
                f"k whose cumulative ratio reaches the threshold), got {got}.")


@graded(1, question=4, public=True)
def test_choose_k_lesson(submission, rng):
    """choose_k: the lesson's kind of data, default threshold 0.95 and 0.8"""
    while True:
        X = lesson_data(rng)
        cumulative = cumulative_ratio(X)
        # Thresholds more than 1e-6 away from every cumulative ratio: rounding (~1e-15) in
        # correct implementations cannot change the answer.
        if np.min(np.abs(cumulative[:, None] - np.array([0.95, 0.8]))) > 1e-6:
            break
    _check_choose_k(submission, X, 0.95, expected_k(cumulative, 0.95), cumulative, default=True)
    _check_choose_k(submission, X, 0.8, expected_k(cumulative, 0.8), cumulative)


@graded(2, question=4)
def test_choose_k_thresholds(submission, rng):
    """choose_k: random thresholds on correlated data with large column means"""
    for _ in range(3):
        X = shifted_data(rng)
        cumulative = cumulative_ratio(X)
        d = X.shape[1]
        for j in sorted({int(rng.integers(0, d)), int(rng.integers(1, d))}):
            # A threshold strictly inside (cum[j-1], cum[j]], at least 5 % of the ratio s_j^2 /
            # sum(s^2) >= 1e-4 away from both ends (>> the 1e-9 rounding margin): k = j + 1.
            below = cumulative[j - 1] if j else 0.0
            threshold = float(below + rng.uniform(0.05, 0.95) * (cumulative[j] - below))
            _check_choose_k(submission, X, threshold, j + 1, cumulative)


@graded(1, question=4)
def test_choose_k_boundaries(submission, rng):
    """choose_k: thresholds just below and just above a cumulative ratio (count, not index)"""
    for _ in range(2):
        X = shifted_data(rng)
        cumulative = cumulative_ratio(X)
        j = int(rng.integers(0, X.shape[1] - 1))
        # 1e-7 from the boundary: far beyond rounding (~1e-15) and the contract's 1e-12 slack,
        # far inside the neighbouring gaps (every ratio is >= 1e-4 here).
        _check_choose_k(submission, X, float(cumulative[j] - 1e-7), j + 1, cumulative)
        _check_choose_k(submission, X, float(cumulative[j] + 1e-7), j + 2, cumulative)


@graded(1, question=4)
def test_choose_k_threshold_one(submission, rng):
    """choose_k: threshold 1.0 needs every component that carries variance (the 1e-12 slack)"""
    X = shifted_data(rng)
    # Full rank: the cumulative ratio reaches 1 only at k = d, up to rounding (hence the slack).
    _check_choose_k(submission, X, 1.0, X.shape[1], cumulative_ratio(X))
    while True:
        d = int(rng.integers(4, 9))
        r = int(rng.integers(2, d))
        n = int(rng.integers(30, 201))
        X = rng.standard_normal((n, r)) @ rng.standard_normal((r, d)) + rng.uniform(-50, 50, d)
        s = centred_svd(X)[2]
        ratio = s ** 2 / np.sum(s ** 2)
        # Exact rank r: ratio r is clearly positive, the others are rounding (~1e-30 by the
        # SVD, ~1e-16 by eigh), so the answer is r with a margin of >= 1e-6 either way.
        if ratio[r - 1] > 1e-6 and ratio[r:].sum() < 1e-20:
            break
    _check_choose_k(submission, X, 1.0, r, np.cumsum(ratio))
