"""Hidden suite: newton_raphson (the lesson's Example 3: Newton-Raphson root finding, the secant
method and the order of convergence).

21 points. Inputs are drawn at grade time; tolerances are justified next to each check.

The contract fixes both loops exactly (test |f(x)| < tol, then update), so the iteration count
is determined, and it is graded exactly. The expected count comes from running the contract's
loop here, on the same functions (the problem library's copies) in the same float arithmetic as
the student's code. Correct implementations still differ in the last bits of each iterate (how
the update is grouped), which moves |f| at an iterate by about |f'| ulp(x) + eps sum|c_i x^i|
(poly_noise), at most about 1e-12 for the functions used here. A count is therefore graded only
on cases where it cannot depend on those bits: |f| at the returning iterate is at most tol / 10,
at every earlier iterate at least 10 tol, and that noise below tol / 100 (random cases that miss
this are redrawn; fixed ones were chosen to meet it, and the suite checks that they do).

Measured over 3000 grading seeds: the reference, both correct alternatives and two more
correct variants (x - f * (1/fp), (x fp - f) / fp, the secant update as (x0 f1 - x1 f0) /
(f1 - f0) or through the slope, numpy scalars) earn full marks under every seed.
"""

import math

import numpy as np
import scipy.optimize

from autograder import problems
from autograder.checks import (as_int, as_scalar, assert_close, assert_scalar_close,
                               assert_true, describe, expect_raises, unpack)
from autograder.suite import graded

LESSON = np.array([1.0, 0.0, -2.0, -5.0])  # x^3 - 2x - 5, the lesson's (and Newton's) cubic
CYCLE = np.array([1.0, 0.0, -2.0, 2.0])  # x^3 - 2x + 2: Newton from 0 cycles 0, 1, 0, 1, ...
PHI = (1.0 + math.sqrt(5.0)) / 2.0
MARGIN = 10.0  # |f| at the deciding iterates is this far from tol (see the module docstring)
TOL = 1e-10  # the contract's default tol for newton and secant
EPS = float(np.finfo(float).eps)


class DrawFailed(Exception):
    """The suite could not draw a case meeting its own conditions (a grader defect)."""


def invariant(condition, text):
    """A property of the suite's own inputs (not of the submission): reported as an internal
    error of the grader if it ever fails."""
    if not condition:
        raise DrawFailed(text)


# -- the contract's loops, written out -----------------------------------------------------------

def newton_loop(f, fp, x0, tol=TOL, max_iter=50):
    """The contract's Newton loop. Returns (outcome, xs, fs): outcome is "root", "zero
    derivative" or "max_iter"; xs[i] is the iterate tested at loop index i (plus, after
    "max_iter", the untested last iterate); fs[i] = f(xs[i])."""
    x = float(x0)
    xs, fs = [], []
    for _ in range(max_iter):
        fx = f(x)
        xs.append(x)
        fs.append(fx)
        if abs(fx) < tol:
            return "root", xs, fs
        slope = fp(x)
        if slope == 0:
            return "zero derivative", xs, fs
        x = x - fx / slope
    xs.append(x)
    return "max_iter", xs, fs


def newton_path(f, fp, x0, n_steps):
    """x0 and the next n_steps Newton iterates (no stopping test)."""
    xs = [float(x0)]
    for _ in range(n_steps):
        x = xs[-1]
        xs.append(x - f(x) / fp(x))
    return np.array(xs)


def secant_loop(f, x0, x1, tol=TOL, max_iter=100):
    """The contract's secant loop. Returns (outcome, xs, fs, denominators): xs[i] is the x1
    tested at loop index i, fs[i] = f(xs[i]); outcome as for newton_loop ("zero denominator"
    instead of "zero derivative")."""
    x0, x1 = float(x0), float(x1)
    f0, f1 = f(x0), f(x1)
    xs, fs, denominators = [], [], []
    for _ in range(max_iter):
        xs.append(x1)
        fs.append(f1)
        if abs(f1) < tol:
            return "root", xs, fs, denominators
        denominator = f1 - f0
        denominators.append(denominator)
        if denominator == 0:
            return "zero denominator", xs, fs, denominators
        x0, x1 = x1, x1 - f1 * (x1 - x0) / denominator
        f0, f1 = f1, f(x1)
    xs.append(x1)
    return "max_iter", xs, fs, denominators


def count_is_decided(fs, tol, noise=1e-14):
    """Whether the returning index cannot depend on the last bits of the iterates: |f| is far
    from tol at every tested iterate, and far beyond ``noise``, by how much |f| can change
    between correct implementations (see poly_noise)."""
    return (abs(fs[-1]) <= tol / MARGIN
            and all(abs(v) >= tol * MARGIN for v in fs[:-1])
            and noise <= tol / MARGIN ** 2)


def order_formula(errors):
    """The contract's estimate from the last three positive errors."""
    e = np.asarray(errors, dtype=float)
    e = e[e > 0][-3:]
    return math.log(e[2] / e[1]) / math.log(e[1] / e[0])


# -- problems ------------------------------------------------------------------------------------

def poly_refs(coeffs):
    coeffs = np.asarray(coeffs, dtype=float)
    return problems.ref("poly.f", coeffs=coeffs), problems.ref("poly.fp", coeffs=coeffs)


def coeff_text(coeffs):
    """Coefficients in full precision, so that a student can rerun the case."""
    return "[" + ", ".join(repr(float(c)) for c in np.asarray(coeffs, dtype=float)) + "]"


def poly_noise(coeffs, x):
    """How much f(x) (Horner's rule) can differ between two iterates a few ulps apart, as
    correct implementations give them: the rounding bound 2 n eps sum |c_i| |x|^i, plus
    |f'(x)| times 4 ulps of x."""
    c = np.asarray(coeffs, dtype=float)
    n = len(c) - 1
    horner = 2.0 * max(n, 1) * EPS * float(np.polyval(np.abs(c), abs(x)))
    return horner + 4.0 * EPS * abs(x) * abs(float(np.polyval(np.polyder(c), x)))


def poly_text(coeffs, *, derivative=True):
    return (f"f = the polynomial with coefficients {coeff_text(coeffs)} (highest degree first)"
            + (", fp = its derivative" if derivative else ""))


def separated(rng, n, low, high, gap, grid=None):
    """n sorted values in [low, high], pairwise at least gap apart (on a grid if given)."""
    for _ in range(1000):
        if grid is None:
            values = np.sort(rng.uniform(low, high, n))
        else:
            values = np.sort(rng.choice(np.arange(low, high + grid / 2, grid), n, replace=False))
        if n == 1 or np.min(np.diff(values)) >= gap:
            return values
    raise DrawFailed("could not draw separated roots")


def random_polynomial(rng, *, dyadic=False):
    """A polynomial of degree 2 to 5 with simple real roots in [-3, 3], at least 0.5 apart:
    (coeffs, roots). Dyadic roots (multiples of 1/16) with a power-of-two leading coefficient
    make every coefficient, and f at a root, exact in floating point."""
    n = int(rng.integers(2, 6))
    if dyadic:
        roots = separated(rng, n, -3.0, 3.0, 0.5, grid=1.0 / 16.0)
        lead = float(rng.choice([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]))
    else:
        roots = separated(rng, n, -3.0, 3.0, 0.5)
        lead = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0))
    return lead * np.poly(roots), roots


def pick_root(rng, roots):
    """One root and its distance to the nearest other root (capped at 2)."""
    j = int(rng.integers(len(roots)))
    others = np.delete(roots, j)
    gap = float(np.min(np.abs(others - roots[j]))) if len(others) else 2.0
    return float(roots[j]), min(gap, 2.0)


def bracketed_root(f, a, b):
    """The root in [a, b] (a sign change) by Brent's method, to about 1e-15 (1 + |root|)."""
    return scipy.optimize.brentq(f, a, b, xtol=1e-15, rtol=8.9e-16, maxiter=200)


def newton_case(rng, tol=TOL):
    """A random polynomial and a start near one of its simple roots from which the contract's
    loop converges to that root after at least 2 updates, with a decided count."""
    for _ in range(500):
        coeffs, roots = random_polynomial(rng)
        r0, gap = pick_root(rng, roots)
        x0 = r0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.35)) * gap
        f, fp = poly_refs(coeffs)
        outcome, xs, fs = newton_loop(f, fp, x0, tol)
        if (outcome != "root" or len(xs) < 3
                or not count_is_decided(fs, tol, poly_noise(coeffs, xs[-1]))):
            continue
        # The only root within gap/2 of r0 (the others are at least gap away): a sign change.
        root = bracketed_root(f, r0 - gap / 2, r0 + gap / 2)
        if abs(xs[-1] - root) < 1e-6:
            return coeffs, float(x0), root, xs, fs
    raise DrawFailed("could not draw a Newton case")


def secant_case(rng, tol=TOL):
    """As newton_case, for the secant method from two nearby starts."""
    for _ in range(500):
        coeffs, roots = random_polynomial(rng)
        r0, gap = pick_root(rng, roots)
        x0 = r0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.35)) * gap
        x1 = x0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.02, 0.15)) * gap
        f, _ = poly_refs(coeffs)
        outcome, xs, fs, denominators = secant_loop(f, x0, x1, tol)
        if (outcome != "root" or len(xs) < 3
                or not count_is_decided(fs, tol, poly_noise(coeffs, xs[-1]))):
            continue
        root = bracketed_root(f, r0 - gap / 2, r0 + gap / 2)
        if abs(xs[-1] - root) < 1e-6:
            return coeffs, float(x0), float(x1), root, xs, fs
    raise DrawFailed("could not draw a secant case")


# -- shared checks -------------------------------------------------------------------------------

def check_root_result(result, *, label, f, root, slope, xs, fs, tol, inputs):
    """A returned (root, iters) against the bracketed root and the contract's loop, whose
    tested iterates were xs (f values fs), returning at index len(xs) - 1."""
    got_root, iters = unpack(result, 2, what=f"{label}(...)", inputs=inputs)
    got_root = as_scalar(got_root, what=f"the root returned by {label}", inputs=inputs)
    iters = as_int(iters, what=f"the iteration count returned by {label}", inputs=inputs)
    # |f(x)| < tol at the returned x puts it within about tol / |f'(root)| of the root; the
    # bracketing solver's own error is below 1e-15 (1 + |root|).
    atol = 2.0 * tol / abs(slope) + 1e-14 * (1.0 + abs(root))
    assert_scalar_close(got_root, root, rtol=0, atol=atol,
                        what=f"the root returned by {label} (against scipy.optimize.brentq)",
                        inputs=inputs, why="|f(root)| < tol bounds |root - r| by about "
                                           "tol / |f'(r)|")
    value = f(got_root)
    assert_true(abs(value) < tol,
                f"{label} for {inputs}: |f(root)| = {abs(value):.3g} at the returned root "
                f"{got_root!r}, but the contract returns an iterate with |f(x)| < tol = {tol:g}.")
    expected = len(xs) - 1
    if iters != expected:
        before = (f"|f(x_{expected - 1})| = {abs(fs[-2]):.3g} >= tol, " if expected else "")
        raise_count(label, inputs, iters, expected,
                    f"the contract's loop tests |f(x)| < tol = {tol:g} before each update and "
                    f"first succeeds at x_{expected} ({before}|f(x_{expected})| = "
                    f"{abs(fs[-1]):.3g} < tol), so it returns iters = {expected}")


def raise_count(label, inputs, got, expected, why):
    assert_true(False, f"{label} for {inputs}: returned iters = {got}, expected {expected}: "
                       f"{why}.")


# -- question 1: newton --------------------------------------------------------------------------

@graded(1, question=1, public=True)
def test_newton_lesson_cubic(submission):
    """newton: the lesson's cubic x^3 - 2x - 5 from x0 = 2 and x0 = 3 (root and count)"""
    f, fp = poly_refs(LESSON)
    root = bracketed_root(f, 2.0, 3.0)  # f(2) = -1 < 0 < 16 = f(3)
    for x0 in (2.0, 3.0):
        outcome, xs, fs = newton_loop(f, fp, x0)
        invariant(outcome == "root" and count_is_decided(fs, TOL, poly_noise(LESSON, xs[-1])),
                  "the lesson's Newton counts (4 and 5) are decided")
        check_root_result(submission.newton(f, fp, x0), label="newton", f=f, root=root,
                          slope=fp(root), xs=xs, fs=fs, tol=TOL,
                          inputs=f"f(x) = x^3 - 2x - 5, fp(x) = 3x^2 - 2, x0 = {x0}")


@graded(2, question=1)
def test_newton_random_polynomials(submission, rng):
    """newton: roots and exact iteration counts on random polynomials with simple roots"""
    for _ in range(4):
        coeffs, x0, root, xs, fs = newton_case(rng)
        f, fp = poly_refs(coeffs)
        check_root_result(submission.newton(f, fp, x0), label="newton", f=f, root=root,
                          slope=fp(root), xs=xs, fs=fs, tol=TOL,
                          inputs=f"{poly_text(coeffs)}, x0 = {x0!r}")


@graded(1, question=1)
def test_newton_other_functions(submission, rng):
    """newton: roots and counts for cos(x) - s x and atan(x - shift)"""
    cases = []
    for _ in range(1000):
        if len(cases) == 2:
            break
        scale = float(rng.uniform(0.5, 3.0))
        f = problems.ref("cos_minus.f", scale=scale)
        fp = problems.ref("cos_minus.fp", scale=scale)
        root = bracketed_root(f, 0.0, 1.0 / scale)  # f(0) = 1 > 0 >= cos(1/s) - 1
        x0 = root + float(rng.uniform(-0.6, 0.6))
        outcome, xs, fs = newton_loop(f, fp, x0)
        if (outcome == "root" and len(xs) >= 3 and count_is_decided(fs, TOL)
                and abs(xs[-1] - root) < 1e-6):
            cases.append((f, fp, x0, root, xs, fs, f"f(x) = cos(x) - {scale!r} x, "
                                                    f"fp(x) = -sin(x) - {scale!r}, x0 = {x0!r}"))
    for _ in range(1000):
        if len(cases) == 4:
            break
        shift = float(rng.uniform(-3.0, 3.0))
        f, fp = problems.ref("atan.f", shift=shift), problems.ref("atan.fp", shift=shift)
        # Newton on atan converges from |x0 - shift| < 1.39 (beyond, it diverges: see below).
        x0 = shift + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 1.2))
        outcome, xs, fs = newton_loop(f, fp, x0)
        if outcome == "root" and len(xs) >= 3 and count_is_decided(fs, TOL):
            root = bracketed_root(f, shift - 1.0, shift + 1.0)
            cases.append((f, fp, x0, root, xs, fs, f"f(x) = atan(x - {shift!r}), "
                                                    f"fp(x) = 1 / (1 + (x - {shift!r})^2), "
                                                    f"x0 = {x0!r}"))
    invariant(len(cases) == 4, "drew the cos and atan cases")
    for f, fp, x0, root, xs, fs, inputs in cases:
        check_root_result(submission.newton(f, fp, x0), label="newton", f=f, root=root,
                          slope=fp(root), xs=xs, fs=fs, tol=TOL, inputs=inputs)


@graded(1, question=1)
def test_newton_tol_and_start_at_root(submission, rng):
    """newton: honours tol, and returns (x0, 0) when |f(x0)| < tol already"""
    for _ in range(3):
        tol = float(10.0 ** rng.uniform(-9.0, -3.0))
        coeffs, x0, root, xs, fs = newton_case(rng, tol)
        f, fp = poly_refs(coeffs)
        check_root_result(submission.newton(f, fp, x0, tol=tol), label="newton", f=f, root=root,
                          slope=fp(root), xs=xs, fs=fs, tol=tol,
                          inputs=f"{poly_text(coeffs)}, x0 = {x0!r}, tol = {tol!r}")
    # x0 is a root: dyadic roots make f(x0) == 0 exactly. And a large tol that x0 meets.
    coeffs, roots = random_polynomial(rng, dyadic=True)
    f, fp = poly_refs(coeffs)
    x0 = float(roots[int(rng.integers(len(roots)))])
    invariant(f(x0) == 0.0, "f vanishes exactly at a dyadic root")
    starts = [(coeffs, x0, TOL, f"{poly_text(coeffs)}, x0 = {x0!r} (a root: f(x0) = 0)")]
    tol = float(rng.uniform(1.5, 3.0))
    starts.append((LESSON, 2.0, tol, f"f(x) = x^3 - 2x - 5, x0 = 2.0, tol = {tol!r} "
                                     "(|f(x0)| = 1 < tol)"))
    for coeffs, x0, tol, inputs in starts:
        f, fp = poly_refs(coeffs)
        got_root, iters = unpack(submission.newton(f, fp, x0, tol=tol), 2, what="newton(...)",
                                 inputs=inputs)
        assert_true(as_int(iters, what="the iteration count returned by newton",
                           inputs=inputs) == 0,
                    f"newton for {inputs}: returned iters = {iters}, expected 0: the loop's first "
                    "test |f(x0)| < tol succeeds before any update.")
        assert_scalar_close(got_root, x0, rtol=0, atol=0, what="the root returned by newton",
                            inputs=inputs, why="no update is made: the root is x0 itself")


@graded(1, question=1)
def test_newton_max_iter(submission, rng):
    """newton: max_iter = count + 1 suffices; max_iter = count or a cycle raises RuntimeError"""
    cases = [(LESSON, 2.0, "f(x) = x^3 - 2x - 5, x0 = 2.0")]
    for _ in range(2):
        coeffs, x0, _, _, _ = newton_case(rng)
        cases.append((coeffs, x0, f"{poly_text(coeffs)}, x0 = {x0!r}"))
    for coeffs, x0, inputs in cases:
        f, fp = poly_refs(coeffs)
        outcome, xs, fs = newton_loop(f, fp, x0)
        invariant(outcome == "root" and count_is_decided(fs, TOL, poly_noise(coeffs, xs[-1])),
                  "a decided Newton count")
        count = len(xs) - 1
        # The loop runs i = 0 .. max_iter - 1: success at i = count needs max_iter >= count + 1.
        text = f"{inputs}, max_iter = {count + 1}"
        got = unpack(submission.newton(f, fp, x0, max_iter=count + 1), 2, what="newton(...)",
                     inputs=text)
        got_iters = as_int(got[1], what="the iteration count returned by newton", inputs=text)
        assert_true(got_iters == count,
                    f"newton for {text}: returned iters = {got_iters}, expected {count} (the "
                    f"test at i = {count}, the loop's last index, succeeds).")
        # With max_iter = count the last update's result is never tested: RuntimeError.
        expect_raises(lambda: submission.newton(f, fp, x0, max_iter=count), "RuntimeError",
                      what="newton (max_iter iterations without |f(x)| < tol)",
                      inputs=f"{inputs}, max_iter = {count} (the loop's last index tests "
                             f"x_{count - 1}, where |f| = {abs(fs[-2]):.3g} >= tol)")
    f, fp = poly_refs(CYCLE)
    outcome, _, _ = newton_loop(f, fp, 0.0)
    invariant(outcome == "max_iter", "Newton cycles 0, 1, 0, 1, ... exactly")
    expect_raises(lambda: submission.newton(f, fp, 0.0), "RuntimeError",
                  what="newton on a cycle (no convergence in max_iter iterations)",
                  inputs="f(x) = x^3 - 2x + 2, fp(x) = 3x^2 - 2, x0 = 0.0 (the iterates go "
                         "0, 1, 0, 1, ... exactly)")


@graded(1, question=1)
def test_newton_divergence(submission, rng):
    """newton: raises RuntimeError when the iterates diverge (cbrt, atan far from its root)"""
    f, fp = problems.ref("cbrt.f"), problems.ref("cbrt.fp")
    for max_iter in (50, int(rng.integers(5, 40))):
        x0 = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 10.0))
        outcome, xs, _ = newton_loop(f, fp, x0, max_iter=max_iter)
        invariant(outcome == "max_iter", "Newton on cbrt maps x to -2x")
        kwargs = {} if max_iter == 50 else {"max_iter": max_iter}
        expect_raises(lambda: submission.newton(f, fp, x0, **kwargs), "RuntimeError",
                      what="newton on a diverging iteration",
                      inputs=f"f(x) = cbrt(x), fp(x) = x^(-2/3) / 3, x0 = {x0!r}, "
                             f"max_iter = {max_iter} (each Newton step maps x to -2x)")
    for _ in range(2):
        shift = float(rng.uniform(-2.0, 2.0))
        f, fp = problems.ref("atan.f", shift=shift), problems.ref("atan.fp", shift=shift)
        x0 = shift + float(rng.choice([-1.0, 1.0]) * rng.uniform(1.45, 3.0))
        # The iterates grow like (pi/2) x^2 and reach 1e300 after about 10 steps, where
        # fp's (x - shift)**2 overflows (Python raises OverflowError): max_iter stops the loop
        # while every iterate is still below 1e100.
        max_iter = 1
        while max_iter < 50:
            _, xs, _ = newton_loop(f, fp, x0, max_iter=max_iter + 1)
            if max(abs(x - shift) for x in xs) > 1e100:
                break
            max_iter += 1
        outcome, xs, _ = newton_loop(f, fp, x0, max_iter=max_iter)
        invariant(outcome == "max_iter" and max_iter >= 5, "Newton on atan diverges")
        expect_raises(lambda: submission.newton(f, fp, x0, max_iter=max_iter), "RuntimeError",
                      what="newton on a diverging iteration",
                      inputs=f"f(x) = atan(x - {shift!r}), fp(x) = 1 / (1 + (x - {shift!r})^2), "
                             f"x0 = {x0!r}, max_iter = {max_iter} (|x0 - shift| > 1.39: the "
                             f"iterates overshoot further at every step, reaching "
                             f"{abs(xs[-1]):.3g})")


@graded(1, question=1, public=True)
def test_newton_zero_derivative_lesson(submission):
    """newton: raises RuntimeError (not ZeroDivisionError) when fp(x0) == 0"""
    for coeffs, text in (([1.0, 0.0, 1.0], "f(x) = x^2 + 1, fp(x) = 2x, x0 = 0.0"),
                         ([1.0, 0.0, -1.0], "f(x) = x^2 - 1, fp(x) = 2x, x0 = 0.0")):
        f, fp = poly_refs(coeffs)
        expect_raises(lambda: submission.newton(f, fp, 0.0), "RuntimeError",
                      what="newton at a horizontal tangent (fp(x) == 0)",
                      inputs=text + " (fp(0) = 0 exactly)")


@graded(1, question=1)
def test_newton_zero_derivative(submission, rng):
    """newton: raises RuntimeError at a zero derivative, at x0 or at a later iterate"""
    cases = []
    a, c = float(rng.uniform(-3.0, 3.0)), float(rng.uniform(0.5, 3.0))
    coeffs = np.array([1.0, -2.0 * a, a * a + c])  # (x - a)^2 + c: fp(a) = 2a - 2a = 0 exactly
    f, fp = poly_refs(coeffs)
    cases.append((f, fp, a, f"{poly_text(coeffs)}, x0 = {a!r} (fp(x0) = 0 exactly)"))
    for _ in range(1000):
        x0 = float(rng.uniform(-2.2, -0.4))
        scale = -math.sin(x0)  # fp(x0) = -sin(x0) - scale = 0 exactly
        f = problems.ref("cos_minus.f", scale=scale)
        if abs(f(x0)) > 1e-3:
            break
    fp = problems.ref("cos_minus.fp", scale=scale)
    cases.append((f, fp, x0, f"f(x) = cos(x) - {scale!r} x, fp(x) = -sin(x) - {scale!r}, "
                             f"x0 = {x0!r} (fp(x0) = 0 exactly)"))
    coeffs = np.array([1.0, 0.0, -3.0, 7.0])  # x^3 - 3x + 7 from 2: x1 = 2 - 9/9 = 1, fp(1) = 0
    f, fp = poly_refs(coeffs)
    cases.append((f, fp, 2.0, "f(x) = x^3 - 3x + 7, fp(x) = 3x^2 - 3, x0 = 2.0 (the first "
                              "update gives x1 = 1.0 exactly, where fp(x1) = 0)"))
    for f, fp, x0, inputs in cases:
        outcome, _, _ = newton_loop(f, fp, x0)
        invariant(outcome == "zero derivative", "an exact zero derivative")
        expect_raises(lambda: submission.newton(f, fp, x0), "RuntimeError",
                      what="newton at a horizontal tangent (fp(x) == 0)", inputs=inputs)


# -- question 2: newton_iterates -----------------------------------------------------------------

def check_iterates(result, expected, inputs, floor):
    # Near a simple root the Newton map is a contraction, so the last-bit differences between
    # correct implementations (how x - f/fp is grouped) do not grow: 1e-12 relative leaves a
    # margin of about 1000. Once an iterate sits at the root, f(x) is rounding noise and the
    # next step is noise / f'(r), different for iterates an ulp apart: ``floor`` is ten times
    # that (about 1e-14 to 1e-12 here), the absolute part of the tolerance.
    scale = float(np.max(np.abs(expected)))
    assert_close(result, expected, rtol=1e-12, atol=floor + 1e-14 * max(scale, 1.0),
                 what="newton_iterates(f, fp, x0, n_steps) (x0 first, then n_steps iterates)",
                 inputs=inputs, why="a deterministic recurrence: each iterate is checked")


@graded(1, question=2, public=True)
def test_iterates_lesson_cubic(submission):
    """newton_iterates: x0 and the next 6 iterates for the lesson's cubic from x0 = 3"""
    f, fp = poly_refs(LESSON)
    expected = newton_path(f, fp, 3.0, 6)
    root = bracketed_root(f, 2.0, 3.0)
    check_iterates(submission.newton_iterates(f, fp, 3.0, 6), expected,
                   "f(x) = x^3 - 2x - 5, fp(x) = 3x^2 - 2, x0 = 3.0, n_steps = 6",
                   10.0 * poly_noise(LESSON, root) / abs(fp(root)))


@graded(2, question=2)
def test_iterates_random(submission, rng):
    """newton_iterates: step by step on random polynomials, cos(x) - s x and atan(x - shift)"""
    cases = []
    for n_steps in (0, *rng.integers(1, 11, 3)):
        for _ in range(500):
            coeffs, roots = random_polynomial(rng)
            r0, gap = pick_root(rng, roots)
            x0 = r0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.35)) * gap
            f, fp = poly_refs(coeffs)
            # a start from which the iterates converge to r0 (a contraction near r0)
            if abs(newton_path(f, fp, x0, 12)[-1] - r0) < 1e-6:
                break
        else:
            raise DrawFailed("could not draw a convergent Newton start")
        slope = abs(fp(r0))
        cases.append((f, fp, x0, int(n_steps), 10.0 * poly_noise(coeffs, r0) / slope,
                      f"{poly_text(coeffs)}, x0 = {x0!r}, n_steps = {int(n_steps)}"))
    scale = float(rng.uniform(0.5, 3.0))
    x0 = float(rng.uniform(0.0, 1.5))  # there |fp| >= scale >= 0.5
    n_steps = int(rng.integers(2, 8))
    cases.append((problems.ref("cos_minus.f", scale=scale),
                   problems.ref("cos_minus.fp", scale=scale), x0, n_steps, 1e-14,
                   f"f(x) = cos(x) - {scale!r} x, fp(x) = -sin(x) - {scale!r}, x0 = {x0!r}, "
                   f"n_steps = {n_steps}"))
    shift = float(rng.uniform(-3.0, 3.0))
    x0 = shift + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 1.2))  # converges (< 1.39)
    n_steps = int(rng.integers(2, 8))
    cases.append((problems.ref("atan.f", shift=shift), problems.ref("atan.fp", shift=shift), x0,
                  n_steps, 1e-14, f"f(x) = atan(x - {shift!r}), fp(x) = 1 / (1 + (x - {shift!r})"
                                  f"^2), x0 = {x0!r}, n_steps = {n_steps}"))
    for f, fp, x0, n_steps, floor, inputs in cases:
        expected = newton_path(f, fp, x0, n_steps)
        check_iterates(submission.newton_iterates(f, fp, x0, n_steps), expected, inputs, floor)


# -- question 3: secant --------------------------------------------------------------------------

@graded(1, question=3, public=True)
def test_secant_lesson_cubic(submission):
    """secant: the lesson's cubic x^3 - 2x - 5 from x0 = 2, x1 = 3 (root and count)"""
    f, _ = poly_refs(LESSON)
    root = bracketed_root(f, 2.0, 3.0)
    outcome, xs, fs, _ = secant_loop(f, 2.0, 3.0)
    invariant(outcome == "root" and count_is_decided(fs, TOL, poly_noise(LESSON, xs[-1])),
              "the lesson's secant count (6) is decided")
    check_root_result(submission.secant(f, 2.0, 3.0), label="secant", f=f, root=root,
                      slope=3 * root ** 2 - 2, xs=xs, fs=fs, tol=TOL,
                      inputs="f(x) = x^3 - 2x - 5, x0 = 2.0, x1 = 3.0")


@graded(2, question=3)
def test_secant_random_polynomials(submission, rng):
    """secant: roots and exact iteration counts on random polynomials with simple roots"""
    for _ in range(4):
        coeffs, x0, x1, root, xs, fs = secant_case(rng)
        f, fp = poly_refs(coeffs)
        check_root_result(submission.secant(f, x0, x1), label="secant", f=f, root=root,
                          slope=fp(root), xs=xs, fs=fs, tol=TOL,
                          inputs=f"{poly_text(coeffs, derivative=False)}, x0 = {x0!r}, x1 = {x1!r}")


@graded(1, question=3)
def test_secant_tol_max_iter_and_divergence(submission, rng):
    """secant: honours tol and max_iter, returns (x1, 0) at a root, RuntimeError on divergence"""
    for _ in range(2):
        tol = float(10.0 ** rng.uniform(-9.0, -3.0))
        coeffs, x0, x1, root, xs, fs = secant_case(rng, tol)
        f, fp = poly_refs(coeffs)
        inputs = f"{poly_text(coeffs, derivative=False)}, x0 = {x0!r}, x1 = {x1!r}, tol = {tol!r}"
        count = len(xs) - 1
        check_root_result(submission.secant(f, x0, x1, tol=tol, max_iter=count + 1),
                          label="secant", f=f, root=root, slope=fp(root), xs=xs, fs=fs, tol=tol,
                          inputs=f"{inputs}, max_iter = {count + 1}")
        expect_raises(lambda: submission.secant(f, x0, x1, tol=tol, max_iter=count),
                      "RuntimeError", what="secant (max_iter iterations without |f(x1)| < tol)",
                      inputs=f"{inputs}, max_iter = {count} (the loop's last index tests "
                             f"x1 = {xs[-2]!r}, where |f| = {abs(fs[-2]):.3g} >= tol)")
    # x1 is a root (dyadic roots: f(x1) == 0 exactly): no update.
    coeffs, roots = random_polynomial(rng, dyadic=True)
    f, _ = poly_refs(coeffs)
    x1 = float(roots[int(rng.integers(len(roots)))])
    x0 = x1 + float(rng.uniform(0.1, 0.3))
    invariant(f(x1) == 0.0, "f vanishes exactly at a dyadic root")
    inputs = f"{poly_text(coeffs, derivative=False)}, x0 = {x0!r}, x1 = {x1!r} (a root: f(x1) = 0)"
    got_root, iters = unpack(submission.secant(f, x0, x1), 2, what="secant(...)", inputs=inputs)
    assert_true(as_int(iters, what="the iteration count returned by secant", inputs=inputs) == 0,
                f"secant for {inputs}: returned iters = {iters}, expected 0: the loop's first "
                "test |f(x1)| < tol succeeds before any update.")
    assert_scalar_close(got_root, x1, rtol=0, atol=0, what="the root returned by secant",
                        inputs=inputs, why="no update is made: the root is x1 itself")
    # cbrt: secant steps overshoot the root at 0 further and further.
    f = problems.ref("cbrt.f")
    for _ in range(1000):
        x0 = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 5.0))
        x1 = x0 * float(rng.uniform(0.3, 0.8))
        outcome, xs, fs, denominators = secant_loop(f, x0, x1)
        # Far from any tie: |f| never near tol, no denominator near 0, no huge iterate.
        if (outcome == "max_iter" and min(abs(v) for v in fs) > 1e3 * TOL
                and min(abs(d) for d in denominators) > 1e-6
                and max(abs(x) for x in xs) < 1e100):
            break
    else:
        raise DrawFailed("could not draw a diverging secant case")
    expect_raises(lambda: submission.secant(f, x0, x1), "RuntimeError",
                  what="secant on a diverging iteration",
                  inputs=f"f(x) = cbrt(x), x0 = {x0!r}, x1 = {x1!r}, max_iter = 100 (|x1| "
                         f"reaches {max(abs(x) for x in xs):.3g})")


@graded(1, question=3)
def test_secant_zero_denominator(submission, rng):
    """secant: raises RuntimeError (not ZeroDivisionError) when f(x1) == f(x0)"""
    cases = []
    coeffs, _ = random_polynomial(rng)
    f, _ = poly_refs(coeffs)
    for _ in range(1000):
        x0 = float(rng.uniform(-3.0, 3.0))
        if abs(f(x0)) > 1e-3:
            break
    cases.append((f, x0, x0, f"{poly_text(coeffs, derivative=False)}, x0 = x1 = {x0!r}"))
    # An even polynomial: Horner's rule gives f(-t) == f(t) bit for bit.
    b, c = float(rng.uniform(-3.0, 3.0)), float(rng.uniform(0.5, 3.0))
    coeffs = np.array([1.0, 0.0, b, 0.0, c])
    f, _ = poly_refs(coeffs)
    for _ in range(1000):
        t = float(rng.uniform(0.5, 2.0))
        if abs(f(t)) > 1e-3:
            break
    cases.append((f, -t, t, f"f(x) = x^4 + {b!r} x^2 + {c!r}, x0 = {-t!r}, x1 = {t!r} "
                            "(f(x0) == f(x1))"))
    f, _ = poly_refs([1.0, 0.0, -1.0])
    cases.append((f, -1.25, 2.0, "f(x) = x^2 - 1, x0 = -1.25, x1 = 2.0 (the first update gives "
                                 "x2 = -2.0 exactly, and f(-2) == f(2))"))
    for f, x0, x1, inputs in cases:
        outcome, _, _, _ = secant_loop(f, x0, x1)
        invariant(outcome == "zero denominator", "an exact zero denominator")
        expect_raises(lambda: submission.secant(f, x0, x1), "RuntimeError",
                      what="secant with a zero denominator f(x1) - f(x0)", inputs=inputs)


# -- question 4: convergence_order ---------------------------------------------------------------

def check_order_formula(submission, errors, inputs=None):
    expected = order_formula(errors)
    # A ratio of two logarithms of ratios at least e^0.5 apart: any algebraically equal form
    # (log differences, np.diff) agrees to about 1e-14 relative.
    assert_scalar_close(submission.convergence_order(errors), expected, rtol=1e-12, atol=0,
                        what="convergence_order(errors)",
                        inputs=inputs or f"errors = {describe(np.asarray(errors, dtype=float))}",
                        why="q = log(e[k+1]/e[k]) / log(e[k]/e[k-1]) from the last three "
                            "positive errors")


@graded(1, question=4, public=True)
def test_order_examples(submission):
    """convergence_order: small published-style sequences (quadratic, linear, a trailing zero)"""
    for errors in ([1e-1, 1e-2, 1e-4, 1e-8], [0.5, 0.25, 0.125, 0.0625],
                   [1e-1, 1e-2, 1e-4, 1e-8, 0.0]):
        check_order_formula(submission, np.array(errors))


@graded(1, question=4)
def test_order_formula(submission, rng):
    """convergence_order: the formula on the last three positive errors of random sequences"""
    for k in range(5):
        n = int(rng.integers(4, 11))
        # log-ratios at least 0.5 in magnitude, mostly decreasing (errors may also grow)
        steps = rng.uniform(0.5, 6.0, n - 1) * np.where(rng.random(n - 1) < 0.85, -1.0, 1.0)
        errors = np.exp(rng.uniform(-3.0, 1.0) + np.concatenate([[0.0], np.cumsum(steps)]))
        # zeros (iterates that hit the root exactly) are dropped first: put some in, the last
        # entry included in some sequences
        for _ in range(int(rng.integers(0, 3))):
            errors = np.insert(errors, int(rng.integers(0, len(errors) + 1)), 0.0)
        if k % 2:
            errors = np.append(errors, 0.0)
        check_order_formula(submission, errors.tolist() if k == 4 else errors)


def newton_order_sequence(rng):
    """Errors |x_k - r| of Newton's iterates at a simple root r, in the asymptotic regime:
    e_{k+1} = C e_k^2 (C = f''(r) / 2f'(r)) within 3% over the last two steps, cut where the
    errors would reach the rounding level. Dyadic roots make r and the errors exact."""
    for _ in range(1000):
        coeffs, roots = random_polynomial(rng, dyadic=True)
        r, gap = pick_root(rng, roots)
        slope = np.polyval(np.polyder(coeffs), r)
        C = abs(np.polyval(np.polyder(coeffs, 2), r) / (2.0 * slope))
        if C < 0.3:  # near an inflection point the e^3 term competes (order 3 at f'' = 0)
            continue
        e0 = min(float(rng.uniform(0.02, 0.15)) / C, 0.35 * gap)
        f, fp = poly_refs(coeffs)
        x = r + float(rng.choice([-1.0, 1.0])) * e0
        errors = [abs(x - r)]
        cut = 1e-9 * max(1.0, abs(r))
        while len(errors) < 12:
            x = x - f(x) / fp(x)
            if abs(x - r) < cut:
                break
            errors.append(abs(x - r))
        e = np.array(errors)
        if len(e) < 3:
            continue
        ratios = e[-2:] / (C * e[-3:-1] ** 2)
        if np.all(np.abs(ratios - 1.0) < 0.03):
            return coeffs, r, e
    raise DrawFailed("could not draw a Newton error sequence")


def secant_order_sequence(rng):
    """Errors of secant iterates at a simple root, started on the asymptotic manifold
    C e1 = (C e0)^phi (else the estimate approaches phi only slowly, as (0.38)^k) and in the
    regime e_{k+1} = C e_k e_{k-1} within 3% at every step, cut above the rounding level."""
    for _ in range(1000):
        coeffs, roots = random_polynomial(rng, dyadic=True)
        r, gap = pick_root(rng, roots)
        slope = np.polyval(np.polyder(coeffs), r)
        C = abs(np.polyval(np.polyder(coeffs, 2), r) / (2.0 * slope))
        if C < 0.3:
            continue
        s = float(rng.uniform(0.01, 0.08))
        if s / C > 0.35 * gap:
            continue
        f, _ = poly_refs(coeffs)
        x0 = r + float(rng.choice([-1.0, 1.0])) * s / C
        x1 = r + float(rng.choice([-1.0, 1.0])) * s ** PHI / C
        errors = [abs(x0 - r), abs(x1 - r)]
        cut = 1e-9 * max(1.0, abs(r))
        while len(errors) < 16:
            denominator = f(x1) - f(x0)
            x0, x1 = x1, x1 - f(x1) * (x1 - x0) / denominator
            if abs(x1 - r) < cut:
                break
            errors.append(abs(x1 - r))
        e = np.array(errors)
        if len(e) < 4:
            continue
        ratios = e[2:] / (C * e[1:-1] * e[:-2])
        if np.all(np.abs(ratios - 1.0) < 0.03):
            return coeffs, r, e
    raise DrawFailed("could not draw a secant error sequence")


def double_root_sequence(rng):
    """Errors of Newton's iterates at a double root r of (x - r)^2 g(x): e_{k+1} = e_k / 2 up
    to O(e_k); cut at 1e-4 (the rounding level there is about 1e-8)."""
    for _ in range(1000):
        coeffs, roots = random_polynomial(rng, dyadic=True)
        r, gap = pick_root(rng, roots)
        coeffs = np.polymul(coeffs, [1.0, -r])
        f, fp = poly_refs(coeffs)
        x = r + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.35)) * gap
        errors = [abs(x - r)]
        cut = 1e-4 * max(1.0, abs(r))
        while len(errors) < 40:
            x = x - f(x) / fp(x)
            if abs(x - r) < cut:
                break
            errors.append(abs(x - r))
        e = np.array(errors)
        if len(e) >= 4 and np.all(np.abs(e[-3:] / e[-4:-1] - 0.5) < 0.005):
            return coeffs, r, e
    raise DrawFailed("could not draw a double-root error sequence")


@graded(1, question=4)
def test_order_newton_sequences(submission, rng):
    """convergence_order: about 2 for Newton at simple roots, about 1 at a double root"""
    # The estimate from three errors of a finite sequence is only approximate. In the regime
    # checked when drawing (e_{k+1} / (C e_k^2) within 3% of 1) it is within 0.07 of 2 by the
    # algebra (q = (2u + log r1 r2) / (u + log r1) with u = log(C e) < -1.9), within 0.03 of 1
    # at a double root (ratios within 1% of 1/2); measured over 5000 draws: 0.008 and 0.003.
    # 0.15 is generous, and far from the reciprocal of the order (0.5).
    for _ in range(2):
        coeffs, r, errors = newton_order_sequence(rng)
        assert_scalar_close(submission.convergence_order(errors), 2.0, rtol=0, atol=0.15,
                            what="convergence_order of Newton's errors at a simple root",
                            inputs=f"errors = {describe(errors)} (Newton on the polynomial "
                                   f"with coefficients {coeff_text(coeffs)}, root {r!r})",
                            why="Newton converges quadratically at a simple root")
    coeffs, r, errors = double_root_sequence(rng)
    assert_scalar_close(submission.convergence_order(errors), 1.0, rtol=0, atol=0.15,
                        what="convergence_order of Newton's errors at a double root",
                        inputs=f"errors = {describe(errors)} (Newton on the polynomial with "
                               f"coefficients {coeff_text(coeffs)}, double root {r!r})",
                        why="Newton converges linearly at a double root")


@graded(1, question=4)
def test_order_secant_sequences(submission, rng):
    """convergence_order: about 1.618 for the secant method at simple roots"""
    # As above; started on the asymptotic manifold and within the drawn regime, the estimate
    # is within 0.02 of phi over 5000 draws.
    for _ in range(2):
        coeffs, r, errors = secant_order_sequence(rng)
        assert_scalar_close(submission.convergence_order(errors), PHI, rtol=0, atol=0.15,
                            what="convergence_order of the secant method's errors",
                            inputs=f"errors = {describe(errors)} (the secant method on the "
                                   f"polynomial with coefficients {coeff_text(coeffs)}, "
                                   f"root {r!r})",
                            why="the secant method converges with order (1 + sqrt 5)/2")
