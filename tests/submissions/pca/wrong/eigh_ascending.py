"""PCA submission with one mistake: PCA through eigh of the covariance without re-sorting: components come in ascending order."""
import numpy as np


def center(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    Xc = X - mean
    return Xc, mean


def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc, mean = center(X)
    cov = Xc.T @ Xc / (X.shape[0] - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    ratio = eigvals / np.sum(eigvals)
    components = eigvecs[:, :k].T
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
