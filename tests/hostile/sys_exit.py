"""hess calls sys.exit."""
import sys


def hess(x):
    sys.exit(0)
