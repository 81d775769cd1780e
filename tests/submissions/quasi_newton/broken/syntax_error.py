"""A syntax error on line 4: nothing can be graded."""
import numpy as np

def f(x):
    return (x[0] - 3) ** 2 + (x[1] + 2 ** 2
