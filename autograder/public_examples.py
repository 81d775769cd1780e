"""The published examples behind the students' Otter checks (``grader.check("qN")``).

Each example is an expression evaluated in the student's notebook namespace (their own
functions, plus ``np`` and the assignment's ``SETUP`` names), with the expected value computed
from the reference solution when the student files are generated and embedded as a literal in
``assignments/<name>/tests/qN.py``. The test files are self-contained (numpy and Otter only),
so students run them without this package.

Only published inputs appear here: the lesson's own examples and small hand-written cases.
The hidden suites draw their inputs at grade time from a seeded generator, so nothing here
tells a student what the hidden tests ask, and hard-coding these answers earns nothing.

An example names the contract function it checks; the question it belongs to (the ``qN`` of
its check) is the question of that function in the hidden suite, read from the suite's
markers, so the notebook's checks and Gradescope's test numbers agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    function: str  # the contract function this example checks
    call: str  # an expression in the student's namespace; may use np and the SETUP names
    rtol: float = 1e-10
    atol: float = 1e-12
    raises: str | None = None  # the built-in exception the call must raise, if any
    why: str = ""  # why this tolerance (a comment in the generated test)


#: Shared, numpy-only definitions per assignment (executed before the examples).
SETUP: dict[str, str] = {
    "quasi_newton": '''
def ROSEN(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

def ROSEN_GRAD(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
                     200 * (x[1] - x[0] ** 2)])
''',
    "portfolio": '''
# The lesson's four assets (Example 2).
MU = np.array([0.12, 0.10, 0.07, 0.03])
SIGMA = np.array([[0.10, 0.02, 0.04, 0.00],
                  [0.02, 0.08, 0.02, 0.01],
                  [0.04, 0.02, 0.09, 0.00],
                  [0.00, 0.01, 0.00, 0.02]])

def SHARPE(w, rf=0.02):
    w = np.asarray(w, dtype=float)
    return float((w @ MU - rf) / np.sqrt(w @ SIGMA @ w))

def VOL(w):
    w = np.asarray(w, dtype=float)
    return float(np.sqrt(w @ SIGMA @ w))
''',
    "newton_raphson": '''
# The lesson's cubic (Example 3): x^3 - 2x - 5 has one real root near 2.09.
def CUBIC(x):
    return x ** 3 - 2 * x - 5

def CUBIC_PRIME(x):
    return 3 * x ** 2 - 2
''',
    "pca": '''
# Six samples of three correlated measurements.
X = np.array([[2.5, 2.4, 1.2],
              [0.5, 0.7, 0.3],
              [2.2, 2.9, 1.1],
              [1.9, 2.2, 0.8],
              [3.1, 3.0, 1.6],
              [2.3, 2.7, 1.0]])
''',
    "gradient_descent": '''
# Five observations, an intercept column and one feature.
X = np.array([[1.0, 0.5],
              [1.0, 1.5],
              [1.0, -1.0],
              [1.0, 2.0],
              [1.0, 0.0]])
Y = np.array([2.1, 3.9, -0.8, 5.2, 1.1])
''',
    "lr_schedules": '''
def QUADRATIC_GRAD(x):
    return 2 * np.asarray(x, dtype=float)
''',
    "optimizers": '''
W = np.array([1.0, -2.0, 0.5])
G = np.array([0.3, -0.1, 0.2])
STATE = np.array([0.1, 0.2, -0.3])

def QUADRATIC_GRAD(w):
    return np.array([2.0, 20.0]) * np.asarray(w, dtype=float)
''',
}


EXAMPLES: dict[str, list[Example]] = {
    "quasi_newton": [
        Example("f", "f(np.array([0.0, 0.0]))"),
        Example("f", "f([1.0, 2.0])"),
        Example("grad", "grad(np.array([0.0, 0.0]))"),
        Example("grad", "grad([1.0, 2.0])"),
        Example("hess", "hess(np.array([0.0, 0.0]))"),
        Example("solve_with_scipy", "solve_with_scipy([0.0, 0.0]).x", rtol=0, atol=1e-4,
                why="scipy stops at max|grad| <= 1e-5, so about five digits of x*"),
        Example("solve_with_scipy", "solve_with_scipy([0.0, 0.0]).fun", rtol=0, atol=1e-8,
                why="f is quadratic near x*: an error of 1e-5 in x is 1e-10 in f"),
        Example("solve_with_scipy", "bool(solve_with_scipy([0.0, 0.0]).success)"),
        Example("bfgs_update", "bfgs_update(np.eye(2), np.array([1.0, 0.5]), "
                               "np.array([2.5, 2.0]))"),
        Example("backtracking_line_search",
                "backtracking_line_search(lambda x: float(x @ x), lambda x: 2 * x, "
                "np.array([1.0, 1.0]), np.array([-4.0, -4.0]))"),
        Example("backtracking_line_search",
                "backtracking_line_search(ROSEN, ROSEN_GRAD, np.array([-1.2, 1.0]), "
                "-ROSEN_GRAD(np.array([-1.2, 1.0])))"),
        Example("bfgs", "bfgs(f, grad, np.array([0.0, 0.0]))[0]", rtol=0, atol=1e-7,
                why="||grad|| <= 1e-8 and the Hessian's smallest eigenvalue is 1"),
        Example("bfgs", "bfgs(ROSEN, ROSEN_GRAD, np.array([-1.2, 1.0]))[0]", rtol=0, atol=1e-6,
                why="||grad|| <= 1e-8 at Rosenbrock's minimum (1, 1), whose Hessian's "
                    "smallest eigenvalue is about 0.4"),
    ],
    "portfolio": [
        Example("portfolio_return", "portfolio_return(np.ones(4) / 4, MU)"),
        Example("portfolio_volatility", "portfolio_volatility(np.ones(4) / 4, SIGMA)"),
        Example("neg_sharpe", "neg_sharpe(np.ones(4) / 4, MU, SIGMA)"),
        Example("neg_sharpe", "neg_sharpe(np.array([0.5, 0.5, 0.0, 0.0]), MU, SIGMA, rf=0.0)"),
        Example("max_sharpe_weights", "SHARPE(max_sharpe_weights(MU, SIGMA))", rtol=2e-4,
                atol=0, why="SLSQP with its defaults may stop about 1e-4 (relative) short of "
                            "the best Sharpe ratio"),
        Example("max_sharpe_weights", "float(np.sum(max_sharpe_weights(MU, SIGMA)))", rtol=0,
                atol=1e-6, why="SLSQP meets its equality constraint to about 1e-8"),
        Example("max_sharpe_weights", "bool(np.min(max_sharpe_weights(MU, SIGMA)) >= -1e-8)"),
        Example("min_variance_weights", "VOL(min_variance_weights(SIGMA))", rtol=1e-6, atol=0,
                why="the hidden tests ask for the minimum to 1e-6 (relative): SLSQP with its "
                    "default ftol=1e-6 on the raw variance stops too early; tighten ftol"),
        Example("min_variance_weights", "float(np.sum(min_variance_weights(SIGMA)))", rtol=0,
                atol=1e-6, why="SLSQP meets its equality constraint to about 1e-8"),
        Example("efficient_frontier",
                "efficient_frontier(MU, SIGMA, np.array([0.05, 0.08, 0.11, 0.12, 0.13]))",
                rtol=1e-6, atol=1e-9, why="the hidden tests ask for each minimum to 1e-6 "
                                          "(relative); 0.13 > max(mu) gives NaN"),
    ],
    "newton_raphson": [
        Example("newton", "newton(CUBIC, CUBIC_PRIME, 2.0)[0]", rtol=0, atol=1e-10,
                why="|f(root)| < 1e-10 and |f'| is about 11 there"),
        Example("newton", "newton(lambda x: x ** 2 - 2, lambda x: 2 * x, 1.0)[0]", rtol=0,
                atol=1e-10),
        Example("newton", "newton(lambda x: x ** 2 + 1, lambda x: 0.0 * x, 1.0)",
                raises="RuntimeError"),
        Example("newton_iterates", "newton_iterates(lambda x: x ** 2 - 2, lambda x: 2 * x, "
                                   "1.0, 4)"),
        Example("secant", "secant(CUBIC, 2.0, 3.0)[0]", rtol=0, atol=1e-10,
                why="|f(root)| < 1e-10 and |f'| is about 11 there"),
        Example("convergence_order", "convergence_order(np.array([1e-1, 1e-2, 1e-4, 1e-8]))"),
        Example("convergence_order", "convergence_order(np.array([0.5, 0.25, 0.125, 0.0625]))"),
    ],
    "pca": [
        Example("center", "center(X)[0]"),
        Example("center", "center(X)[1]"),
        Example("pca", "pca(X, 2)[1]", rtol=1e-9, atol=1e-12,
                why="ratios of squared singular values of a well-conditioned matrix"),
        Example("pca", "np.abs(pca(X, 2)[0])", rtol=1e-8, atol=1e-10,
                why="components are unit vectors up to their sign (hence abs)"),
        Example("pca", "np.abs(pca(X, 2)[2])", rtol=1e-8, atol=1e-10,
                why="scores change sign with their component (hence abs)"),
        Example("reconstruct", "reconstruct(np.array([[1.0, 0.0], [0.0, 2.0]]), "
                               "np.array([[1.0, 0.0, 0.0], [0.0, 0.6, 0.8]]), "
                               "np.array([1.0, 2.0, 3.0]))"),
        Example("choose_k", "choose_k(X, 0.9)"),
        Example("choose_k", "choose_k(X, 1.0)"),
    ],
    "gradient_descent": [
        Example("mse", "mse(np.array([1.0, 2.0]), X, Y)"),
        Example("mse_grad", "mse_grad(np.array([1.0, 2.0]), X, Y)"),
        Example("batch_gradient_descent", "batch_gradient_descent(X, Y, lr=0.05, n_epochs=5)[0]",
                rtol=1e-10, atol=1e-12),
        Example("batch_gradient_descent", "batch_gradient_descent(X, Y, lr=0.05, n_epochs=5)[1]",
                rtol=1e-10, atol=1e-12),
        Example("batch_gradient_descent", "batch_gradient_descent(X, Y)[0]", rtol=1e-8,
                atol=1e-10, why="200 steps of a contraction: rounding grows by at most 1e-13"),
        Example("closed_form", "closed_form(X, Y)", rtol=1e-9, atol=1e-12),
    ],
    "lr_schedules": [
        Example("constant", "constant(7, 0.1)"),
        Example("step_decay", "step_decay(25, 0.1)"),
        Example("step_decay", "step_decay(9, 0.1)"),
        Example("exponential_decay", "exponential_decay(10, 0.1)"),
        Example("inverse_time_decay", "inverse_time_decay(10, 0.1)"),
        Example("cosine_annealing", "cosine_annealing(25, 0.1, 100)"),
        Example("cosine_annealing", "cosine_annealing(150, 0.1, 100, lr_min=0.01)"),
        Example("warmup_cosine", "warmup_cosine(0, 0.1, 5, 100)"),
        Example("warmup_cosine", "warmup_cosine(30, 0.1, 5, 100, lr_min=0.001)"),
        Example("gd_with_schedule", "gd_with_schedule(QUADRATIC_GRAD, np.array([1.0, -2.0]), "
                                    "lambda t: 0.1 / (1 + t), 4)"),
    ],
    "optimizers": [
        Example("momentum_step", "momentum_step(W, G, STATE, 0.1)"),
        Example("nesterov_step", "nesterov_step(W, G, STATE, 0.1)"),
        Example("rmsprop_step", "rmsprop_step(W, G, np.abs(STATE), 0.01)"),
        Example("adam_step", "adam_step(W, G, np.zeros(3), np.zeros(3), 1, lr=0.1)"),
        Example("adam_step", "adam_step(W, G, STATE, np.abs(STATE), 3, lr=0.1)"),
        Example("run_optimizer", "run_optimizer(QUADRATIC_GRAD, np.array([1.0, 1.0]), 'sgd', 3, "
                                 "0.04)"),
        Example("run_optimizer", "run_optimizer(QUADRATIC_GRAD, np.array([1.0, 1.0]), "
                                 "'momentum', 3, 0.04, beta=0.5)"),
        Example("run_optimizer", "run_optimizer(QUADRATIC_GRAD, np.array([1.0, 1.0]), 'adam', 3, "
                                 "0.1)"),
    ],
}


def examples(assignment: str) -> list[Example]:
    return list(EXAMPLES.get(assignment, []))


def setup(assignment: str) -> str:
    return SETUP.get(assignment, "").strip("\n")
