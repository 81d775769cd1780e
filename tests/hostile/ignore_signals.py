"""At import: ignore SIGTERM, SIGALRM, SIGINT and SIGHUP; then bfgs never returns."""
import signal

for _sig in (signal.SIGTERM, signal.SIGALRM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, signal.SIG_IGN)


def bfgs(f, grad, x0, tol=1e-8, max_iter=500):
    while True:
        pass
