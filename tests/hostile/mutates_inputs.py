"""bfgs_update updates H in place (the contract forbids modifying inputs)."""
import numpy as np


def bfgs_update(H, s, y):
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(s, y)
    H[...] = V @ H @ V.T + rho * np.outer(s, s)
    return H
