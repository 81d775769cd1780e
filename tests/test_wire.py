"""The parent-child message format: exact values, strict decoding, nothing executable."""

import json
import socket

import numpy as np
import pytest

from autograder import problems
from autograder.sandbox import wire


def roundtrip(value, **kwargs):
    return wire.decode(json.loads(json.dumps(wire.encode(value))), **kwargs)


def test_float_arrays_cross_exactly():
    x = np.random.default_rng(0).standard_normal((3, 4)) * 1e300
    back = roundtrip(x)
    assert back.dtype == np.float64 and back.shape == (3, 4)
    assert np.array_equal(back, x)
    assert np.array_equal(roundtrip(np.array([np.nan, np.inf, -0.0]))[2:], [-0.0])


def test_shapes_and_kinds_are_kept():
    assert roundtrip(np.float64(1.5)) == 1.5 and isinstance(roundtrip(np.float64(1.5)), np.floating)
    assert roundtrip(np.array(2.0)).shape == ()
    assert roundtrip(np.array([2.0])).shape == (1,)
    assert roundtrip((1, 2.0)) == (1, 2.0)
    assert roundtrip([1, 2]) == [1, 2]
    assert roundtrip({"x": np.ones(2), "success": True})["success"] is True


def test_read_only_arrays_for_the_child():
    arr = roundtrip(np.ones(3), read_only=True)
    with pytest.raises(ValueError):
        arr[0] = 2.0


def test_subclasses_and_liars_become_plain_data():
    class Lying(np.ndarray):
        def __eq__(self, other):
            return True

    assert type(roundtrip(np.zeros(2).view(Lying))) is np.ndarray

    class LyingFloat(float):
        def __eq__(self, other):
            return True

    assert type(roundtrip(LyingFloat(3.0))) is float
    assert isinstance(roundtrip(object()), wire.Unsupported)
    assert isinstance(roundtrip(np.array(["a"])), wire.Unsupported)
    assert isinstance(roundtrip(np.array([1j])), wire.Unsupported)


def test_functions_only_where_allowed():
    ref = problems.ref("rosenbrock.f", a=1.0, b=100.0)
    data = json.loads(json.dumps(wire.encode([ref])))
    with pytest.raises(wire.ProtocolError):
        wire.decode(data)  # the parent never builds functions from what the child sends
    (rebuilt,) = wire.decode(data, functions=True)
    x = np.array([0.3, -0.2])
    assert rebuilt(x) == ref(x)


@pytest.mark.parametrize("bad", [
    {"__nd__": {"dtype": "<f8", "shape": [3], "data": "AAAA"}},  # wrong length
    {"__nd__": {"dtype": "|O", "shape": [1], "data": ""}},  # object dtype
    {"__pickle__": "gASV"},
    {"a": 1, "b": 2, "c": 3},
])
def test_malformed_values_are_refused(bad):
    with pytest.raises(wire.ProtocolError):
        wire.decode(bad)


def test_framing_and_size_limit():
    a, b = socket.socketpair()
    with a, b:
        wire.send_message(a, {"value": wire.encode(np.arange(5.0))})
        assert np.array_equal(wire.decode(wire.recv_message(b)["value"]), np.arange(5.0))
        a.sendall(wire._HEADER.pack(wire.MAX_MESSAGE_BYTES + 1))
        with pytest.raises(wire.ProtocolError):
            wire.recv_message(b)
