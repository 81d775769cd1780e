"""PCA submission with one mistake: ratio divides variances computed with ddof=1 by a total computed with ddof=0."""
import numpy as np


def center(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    Xc = X - mean
    return Xc, mean


def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc, mean = center(X)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    explained_variance = s ** 2 / (X.shape[0] - 1)
    ratio = explained_variance / X.var(axis=0).sum()
    components = Vt[:k]
    scores = Xc @ components.T
    return components, ratio[:k], scores


def reconstruct(scores, components, mean):
    scores = np.asarray(scores, dtype=float)
    components = np.asarray(components, dtype=float)
    mean = np.asarray(mean, dtype=float)
    return scores @ components + mean


def choose_k(X, threshold=0.95):
    X = np.asarray(X, dtype=float)
    Xc, _ = center(X)
    s = np.linalg.svd(Xc, compute_uv=False)
    cumulative = np.cumsum(s ** 2) / np.sum(s ** 2)
    return int(np.argmax(cumulative >= threshold - 1e-12)) + 1
