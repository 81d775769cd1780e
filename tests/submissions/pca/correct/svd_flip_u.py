"""Correct PCA through the SVD with scikit-learn's sign convention.

Signs follow svd_flip(u_based_decision=True): in each column of U the entry of largest magnitude
is made positive (and the matching row of Vt flipped with it). The scores are U_k * s_k, the total
variance is the squared Frobenius norm of the centred data, and choose_k uses np.searchsorted.
"""
import numpy as np


def center(X):
    X = np.asarray(X, dtype=float)
    mean = np.mean(X, axis=0)
    return np.subtract(X, mean), mean


def _svd_flipped(Xc):
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    rows = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[rows, np.arange(U.shape[1])])
    signs[signs == 0] = 1.0
    return U * signs, s, Vt * signs[:, np.newaxis]


def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc, _ = center(X)
    U, s, Vt = _svd_flipped(Xc)
    total = np.linalg.norm(Xc, "fro") ** 2
    ratio = s[:k] ** 2 / total
    components = Vt[:k].copy()
    scores = U[:, :k] * s[:k]
    return components, ratio, scores


def reconstruct(scores, components, mean):
    return np.dot(np.asarray(scores, dtype=float), np.asarray(components, dtype=float)) + np.asarray(mean, dtype=float)


def choose_k(X, threshold=0.95):
    X = np.asarray(X, dtype=float)
    r = min(X.shape)
    _, ratio, _ = pca(X, r)
    cumulative = np.cumsum(ratio)
    index = int(np.searchsorted(cumulative, threshold - 1e-12, side="left"))
    return min(index + 1, r)
