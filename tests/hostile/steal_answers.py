"""f tries to read the hidden suite and the reference solution and answer with them."""
import importlib.util

SUITE = "__SUITE__"
SOLUTION = "__SOLUTION__"


def f(x):
    with open(SUITE) as fh:
        fh.read()
    spec = importlib.util.spec_from_file_location("stolen", SOLUTION)
    stolen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stolen)
    return stolen.f(x)
