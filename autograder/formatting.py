"""Short, readable text for the numbers and arrays quoted in feedback.

Messages quote inputs and values all the time, but are read only when a check fails; the
text is built before every check, so it must be cheap. ``numpy.array2string`` costs about
0.3 ms per call (a third of a suite's own time); this formats each element with Python's
``format`` instead, summarising large arrays the way numpy does (first and last items of each
axis, with ``...`` between).
"""

from __future__ import annotations

import numpy as np


def number_text(value: float, digits: int = 10) -> str:
    """A float with up to ``digits`` significant digits; always recognisably a float."""
    text = format(value, f".{digits}g")
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def array_text(array: np.ndarray, *, digits: int = 10, threshold: int = 20,
               edge: int = 3) -> str:
    """Nested brackets with ``digits`` significant digits per element; an array of more
    than ``threshold`` elements shows only ``edge`` items at each end of each axis."""
    if array.ndim == 0:
        return _item_text(array[()], digits)
    summarise = array.size > threshold
    return _nested(array, digits, edge if summarise else None)


def _nested(array: np.ndarray, digits: int, edge: int | None) -> str:
    n = array.shape[0]
    cut = edge is not None and n > 2 * edge
    if array.ndim == 1:
        items = array.tolist()  # Python numbers: far cheaper to format than numpy scalars
        parts = [_item_text(x, digits) for x in (items[:edge] if cut else items)]
        if cut:
            parts += ["..."] + [_item_text(x, digits) for x in items[n - edge:]]
    else:
        rows = list(range(edge)) + [None] + list(range(n - edge, n)) if cut else range(n)
        parts = ["..." if k is None else _nested(array[k], digits, edge) for k in rows]
    return "[" + ", ".join(parts) + "]"


def _item_text(item, digits: int) -> str:
    if isinstance(item, np.generic):
        item = item.item()
    if isinstance(item, float):
        return number_text(item, digits)
    return repr(item)
