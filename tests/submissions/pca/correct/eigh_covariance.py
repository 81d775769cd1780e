"""Correct PCA through the eigendecomposition of the sample covariance matrix.

np.linalg.eigh returns eigenvalues in ascending order, so they are re-sorted in descending order
with their eigenvectors. The ratios come from the eigenvalues (the 1/(n-1) factor cancels) and the
signs are whatever eigh returns. Tiny negative eigenvalues from rounding are clipped to zero.
"""
import numpy as np


def center(X):
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    mean = np.sum(X, axis=0) / n
    return X - mean[np.newaxis, :], mean


def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc, _ = center(X)
    n = X.shape[0]
    cov = (Xc.T @ Xc) / (n - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1]
    eigvals = np.clip(eigvals[order], 0.0, None)
    eigvecs = eigvecs[:, order]
    ratio = eigvals / eigvals.sum()
    components = np.ascontiguousarray(eigvecs[:, :k].T)
    scores = Xc @ components.T
    return components, ratio[:k].copy(), scores


def reconstruct(scores, components, mean):
    scores = np.asarray(scores, dtype=float)
    components = np.asarray(components, dtype=float)
    mean = np.asarray(mean, dtype=float)
    return np.einsum("ik,kd->id", scores, components) + mean


def choose_k(X, threshold=0.95):
    X = np.asarray(X, dtype=float)
    r = min(X.shape)
    _, ratio, _ = pca(X, r)
    running = 0.0
    for i, value in enumerate(ratio):
        running += value
        if running >= threshold - 1e-12:
            return i + 1
    return r
