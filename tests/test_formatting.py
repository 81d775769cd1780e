"""The text of values quoted in feedback: readable, short for large arrays, and recognisably
floats or integers (autograder.formatting, used by checks.describe)."""

import numpy as np

from autograder.checks import describe
from autograder.formatting import array_text, number_text


def test_floats_keep_ten_significant_digits_and_look_like_floats():
    assert number_text(1 / 3) == "0.3333333333"
    assert number_text(2.0) == "2.0" and number_text(-7.0) == "-7.0"
    assert number_text(1e-7) == "1e-07" and number_text(6.02e23) == "6.02e+23"
    assert array_text(np.array([np.nan, np.inf, -np.inf, 0.5])) == "[nan, inf, -inf, 0.5]"


def test_arrays_show_their_nesting_and_integer_and_boolean_items():
    assert array_text(np.array([[1.0, 2.5], [3.0, -4.0]])) == "[[1.0, 2.5], [3.0, -4.0]]"
    assert array_text(np.arange(3)) == "[0, 1, 2]"
    assert array_text(np.array([True, False])) == "[True, False]"
    assert array_text(np.array(3.5)) == "3.5"
    assert array_text(np.zeros((2, 0))) == "[[], []]"


def test_large_arrays_show_the_first_and_last_items_of_each_axis():
    text = array_text(np.arange(100.0).reshape(10, 10))
    assert text.startswith("[[0.0, 1.0, 2.0, ..., 7.0, 8.0, 9.0], [10.0,")
    assert text.endswith("[90.0, 91.0, 92.0, ..., 97.0, 98.0, 99.0]]")
    assert text.count("...") == 7  # one per shown row, and one for the rows left out
    assert array_text(np.arange(20.0)).count("...") == 0  # at the threshold: all of it


def test_describe_names_the_shape_and_keeps_messages_short():
    assert describe(np.array([1.0, 2.0])) == "array([1.0, 2.0]) of shape (2,)"
    assert describe(np.array(2.0)) == "0-d array(2.0)"
    assert describe(0.1 + 0.2) == "0.30000000000000004"  # a scalar is quoted in full
    long = describe(np.random.default_rng(0).standard_normal((50, 50)))
    assert len(long) <= 300 and long.endswith("...")
