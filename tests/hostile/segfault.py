"""hess dereferences a null pointer."""
import ctypes


def hess(x):
    return ctypes.string_at(0)
