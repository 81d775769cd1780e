"""f prints without end, to stdout and stderr."""
import sys


def f(x):
    while True:
        print("spam " * 1000)
        sys.stderr.write("more spam " * 1000)
