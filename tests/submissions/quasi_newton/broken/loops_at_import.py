"""Top-level code that never finishes: loading times out, nothing can be graded."""
import numpy as np

while True:
    pass
