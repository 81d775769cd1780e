"""Render the students' public tests: Otter test files (exception-based format) built from the
published examples (:mod:`autograder.public_examples`) and the reference solution.

The files are self-contained (numpy and Otter only): each test case evaluates one example's
expression in the student's namespace and compares the value with a literal computed here from
the reference. They are generated, deterministic and committed under
``assignments/<name>/tests/`` by ``python -m autograder.generate``.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np

from autograder import assignments, public_examples
from autograder.public_examples import Example


def question_of_functions(name: str) -> dict[str, int] | None:
    """Each contract function's question in the hidden suite (its first one), or None when the
    assignment has no suite yet."""
    from autograder import catalog

    try:
        tests = catalog.tests(name)
    except ImportError:
        return None
    found: dict[str, int] = {}
    for test in tests:
        found[test.function] = min(test.question, found.get(test.function, test.question))
    return found


def grouped_examples(name: str) -> dict[int, list[Example]]:
    """The examples of an assignment by question number, in question order."""
    questions = question_of_functions(name)
    if not questions:
        return {}
    grouped: dict[int, list[Example]] = {}
    for example in public_examples.examples(name):
        if example.function not in questions:
            raise ValueError(f"{name}: public example for {example.function!r}, which no test "
                             "of the hidden suite grades")
        grouped.setdefault(questions[example.function], []).append(example)
    return dict(sorted(grouped.items()))


def _namespace(name: str) -> tuple[dict, list[str]]:
    """The reference's namespace with the SETUP names, and those names."""
    setup_ns: dict = {"np": np}
    exec(compile(public_examples.setup(name), f"<setup of {name}>", "exec"), setup_ns)
    setup_names = sorted(k for k in setup_ns if k != "np" and not k.startswith("__"))
    namespace = dict(vars(assignments.reference(name)))
    namespace.update({k: setup_ns[k] for k in setup_names})
    namespace["np"] = np
    return namespace, setup_names


def expected_value(name: str, example: Example, namespace: dict | None = None):
    """The reference's value for an example (checked to be representable as a literal)."""
    if namespace is None:
        namespace, _ = _namespace(name)
    if example.raises:
        try:
            eval(example.call, dict(namespace))  # noqa: S307 - trusted reference code
        except Exception as exc:  # noqa: BLE001
            if example.raises not in [c.__name__ for c in type(exc).__mro__]:
                raise ValueError(f"{name}: {example.call} raised {type(exc).__name__}, "
                                 f"not {example.raises}") from exc
            return None
        raise ValueError(f"{name}: {example.call} did not raise {example.raises}")
    value = eval(example.call, dict(namespace))  # noqa: S307 - trusted reference code
    literal(value)  # fails early on values that cannot be embedded
    return value


def literal(value, indent: int = 0, rtol: float = 0.0, atol: float = 0.0) -> str:
    """Python source for a value: arrays as np.array (a matrix one row per line, the rows
    aligned for a literal that starts at column ``indent``), tuples kept, and floats rounded
    to the digits that the check's tolerance can see (see ``_float``)."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return _float(float(value), rtol, atol)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise ValueError(f"cannot embed an array of dtype {value.dtype}")
        if value.ndim < 2:
            return f"np.array({_nested(value.astype(float).tolist(), rtol, atol)})"
        rows = [_nested(row, rtol, atol) for row in value.astype(float).tolist()]
        return "np.array([" + (",\n" + " " * (indent + 10)).join(rows) + "])"
    if isinstance(value, tuple):
        if len(value) == 1:
            return f"({literal(value[0], indent + 1, rtol, atol)},)"
        return "(" + (",\n" + " " * (indent + 1)).join(literal(v, indent + 1, rtol, atol)
                                                      for v in value) + ")"
    raise ValueError(f"cannot embed a value of type {type(value).__name__}")


def _float(x: float, rtol: float = 0.0, atol: float = 0.0) -> str:
    """At most 12 significant digits, and only three more than the tolerance resolves: an
    iterative reference (SLSQP) ends in digits that depend on the CPU's BLAS kernels (the
    Sharpe example differs in its 11th digit between OpenBLAS's Haswell and SkylakeX kernels),
    and a committed test file must not change from one machine to the next. Rounding moves
    the expected value by at most a two-thousandth of the tolerance."""
    if math.isnan(x):
        return 'float("nan")'
    if math.isinf(x):
        return 'float("inf")' if x > 0 else '-float("inf")'
    digits = 12
    allowed = atol + rtol * abs(x)
    if x != 0 and allowed > 0:
        digits = min(12, max(6, math.ceil(-math.log10(allowed / abs(x))) + 3))
    return repr(float(f"{x:.{digits}g}"))


def _nested(items, rtol: float = 0.0, atol: float = 0.0) -> str:
    if isinstance(items, list):
        return "[" + ", ".join(_nested(i, rtol, atol) for i in items) + "]"
    return _float(float(items), rtol, atol)


def render(name: str) -> dict[str, str]:
    """``{"q1": source, ...}``: one Otter test file per question that has examples."""
    grouped = grouped_examples(name)
    if not grouped:
        return {}
    namespace, setup_names = _namespace(name)
    functions = {q: [] for q in grouped}
    for number, items in grouped.items():
        for example in items:
            if example.function not in functions[number]:
                functions[number].append(example.function)
    files = {}
    for number, items in grouped.items():
        files[f"q{number}"] = _render_file(name, number, functions[number], items, namespace,
                                           setup_names)
    return files


_HEADER = '''\
"""Public tests of question {number} of the {name} assignment: {functions}.

Run them in the notebook with grader.check("q{number}"), or on the .py file with
`otter check {name}.py -q q{number}`. Each test evaluates a published example with your
functions and compares the value with the reference solution's. They check these examples
only: the autograder's hidden tests check many more inputs and cases.

Generated by `python -m autograder.generate` (do not edit).
"""

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False

name = "q{number}"
'''

_HELPERS = '''

# -- how the examples are checked (the same in every test file) -------------------------------

def _namespace(env):
    namespace = dict(env)
    namespace.update({key: globals()[key] for key in _SETUP_NAMES})
    namespace["np"] = np
    return namespace


def _check(env, call, expected, rtol, atol):
    try:
        value = eval(call, _namespace(env))
    except NotImplementedError:
        raise AssertionError(f"{call} raised NotImplementedError: "
                             "write this function first.") from None
    except Exception as exc:
        raise AssertionError(f"{call} raised {type(exc).__name__}: {exc}") from None
    problem = _compare(value, expected, rtol, atol)
    if problem:
        raise AssertionError(f"{call}: {problem} (tolerance: rtol={rtol:g}, atol={atol:g})")


def _check_raises(env, call, exception):
    try:
        value = eval(call, _namespace(env))
    except NotImplementedError:
        raise AssertionError(f"{call} raised NotImplementedError: "
                             "write this function first.") from None
    except Exception as exc:
        if exception not in [c.__name__ for c in type(exc).__mro__]:
            raise AssertionError(f"{call} raised {type(exc).__name__}: {exc}; expected a "
                                 f"{exception}") from None
        return
    raise AssertionError(f"{call} returned {_show(value)}; expected it to raise {exception}")


def _compare(value, expected, rtol, atol, where=""):
    if isinstance(expected, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(expected):
            return f"expected a tuple of {len(expected)} values{where}, got {_show(value)}"
        for index, (v, e) in enumerate(zip(value, expected)):
            problem = _compare(v, e, rtol, atol, f" in element {index} of the result")
            if problem:
                return problem
        return None
    if isinstance(expected, bool):
        if not isinstance(value, (bool, np.bool_)) or bool(value) != expected:
            return f"expected {expected}{where}, got {_show(value)}"
        return None
    if isinstance(expected, int):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            return f"expected the integer {expected}{where}, got {_show(value)}"
        if int(value) != expected:
            return f"expected {expected}{where}, got {int(value)}"
        return None
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return f"expected {_show(expected)}{where}, got {_show(value)}, which is not numeric"
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        kind = "a scalar" if want.ndim == 0 else f"an array of shape {want.shape}"
        return f"expected {kind}{where}, got {_show(value)} (shape {got.shape})"
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if np.all(close):
        return None
    if want.ndim == 0:
        return f"expected {_show(expected)}{where}, got {_show(value)}"
    gaps = np.where(close, -1.0, np.nan_to_num(np.abs(got - want), nan=np.inf))
    index = np.unravel_index(np.argmax(gaps), want.shape)
    return (f"expected {_show(want)}{where}, got {_show(got)}; they differ most at index "
            f"{tuple(int(i) for i in index)}: {got[index]!r} instead of {want[index]!r}")


def _show(value):
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=10, separator=", ", threshold=60)
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
'''


def _render_file(name: str, number: int, functions: list[str], items: list[Example],
                 namespace: dict, setup_names: list[str]) -> str:
    parts = [_HEADER.format(number=number, name=name,
                            functions=", ".join(functions))]
    setup = public_examples.setup(name)
    if setup:
        parts.append("\n# -- the examples' data and helpers ------------------------------"
                     "----------------------------\n\n" + textwrap.dedent(setup).strip("\n")
                     + "\n")
    parts.append(f"\n_SETUP_NAMES = {tuple(setup_names)!r}\n")
    for index, example in enumerate(items, start=1):
        lines = ["", ""]
        if example.why:
            lines.extend(textwrap.wrap(f"{example.why}.", width=95,
                                       initial_indent="# Tolerance: ", subsequent_indent="# "))
        lines.append(f"@test_case(name={example.call!r}, hidden=False)")
        lines.append(f"def test_{index}(env):")
        if example.raises:
            expected_value(name, example, namespace)  # the reference must raise it too
            lines.append(f"    _check_raises(env, {example.call!r}, {example.raises!r})")
        else:
            value = expected_value(name, example, namespace)
            lines.append(f"    _check(env, {example.call!r},")
            lines.append(f"           {literal(value, 11, example.rtol, example.atol)},")
            lines.append(f"           rtol={example.rtol!r}, atol={example.atol!r})")
        parts.append("\n".join(lines) + "\n")
    parts.append(_HELPERS)
    return "".join(parts)
