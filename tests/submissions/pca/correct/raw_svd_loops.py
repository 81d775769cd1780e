"""Correct PCA with the raw signs of np.linalg.svd and explicit loops.

Centring and reconstruction are written with loops over the samples; choose_k computes the
cumulative explained variance from the singular values directly instead of calling pca.
"""
import numpy as np


def center(X):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    mean = np.zeros(d)
    for i in range(n):
        mean += X[i]
    mean /= n
    Xc = np.empty((n, d))
    for i in range(n):
        Xc[i] = X[i] - mean
    return Xc, mean


def pca(X, k):
    Xc, _ = center(X)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    variances = s ** 2
    ratio = variances / variances.sum()
    components = Vt[:k]
    return components, ratio[:k], Xc @ components.T


def reconstruct(scores, components, mean):
    scores = np.asarray(scores, dtype=float)
    components = np.asarray(components, dtype=float)
    mean = np.asarray(mean, dtype=float)
    out = np.empty((scores.shape[0], components.shape[1]))
    for i in range(scores.shape[0]):
        out[i] = mean + scores[i] @ components
    return out


def choose_k(X, threshold=0.95):
    Xc, _ = center(X)
    s = np.linalg.svd(Xc, compute_uv=False)
    total = np.sum(s ** 2)
    explained = 0.0
    for k in range(1, s.size + 1):
        explained += s[k - 1] ** 2 / total
        if explained >= threshold - 1e-12:
            return k
    return s.size
