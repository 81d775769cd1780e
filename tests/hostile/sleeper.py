"""hess sleeps for an hour."""
import time


def hess(x):
    time.sleep(3600)
