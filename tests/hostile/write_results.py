"""f tries to write a full-marks results file where the grader keeps its results."""
import json

RESULTS = "__RESULTS__"


def f(x):
    with open(RESULTS, "w") as fh:
        json.dump({"score": 1000}, fh)
    return 0.0
