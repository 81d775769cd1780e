"""bfgs never returns."""


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    while True:
        pass
