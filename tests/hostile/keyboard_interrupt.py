"""grad raises KeyboardInterrupt, as if the grader were interrupted."""


def grad(x):
    raise KeyboardInterrupt
