"""f returns an object that equals everything; grad a float subclass that lies about itself;
hess an ndarray subclass whose comparisons always succeed."""
import numpy as np


class Liar:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.0

    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")

    __le__ = __ge__ = __lt__ = __gt__ = __eq__


def f(x):
    return Liar()


class LyingFloat(float):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0.0


def grad(x):
    return (LyingFloat(0.0), LyingFloat(0.0))


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __array_ufunc__(self, *args, **kwargs):
        return np.zeros(np.shape(self))


def hess(x):
    return np.zeros((2, 2)).view(LyingArray)
