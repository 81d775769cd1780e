"""PCA submission with one mistake: components taken as the rows of V (= Vt transposed) instead of the rows of Vt."""
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
    ratio = s ** 2 / np.sum(s ** 2)
    components = Vt.T[:k]
    scores = Xc @ components.T
    return components, ratio[:k], scores


def reconstruct(scores, components, mean):
    scores = np.asarray(scores, dtype=float)
    components = np.asarray(components, dtype=float)
    mean = np.asarray(mean, dtype=float)
    return scores @ components + mean


def choose_k(X, threshold=0.95):
    X = np.asarray(X, dtype=float)
    _, ratio, _ = pca(X, min(X.shape))
    cumulative = np.cumsum(ratio)
    return int(np.argmax(cumulative >= threshold - 1e-12)) + 1
