"""Shared fixtures: one warm fork server for the whole test run, and grading helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.sandbox.judge import ForkServer

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "tests" / "submissions"


@pytest.fixture(scope="session")
def server():
    with ForkServer(plots=True) as fork_server:
        yield fork_server


def cases(assignment: str) -> dict:
    path = SUBMISSIONS / assignment / "cases.json"
    return json.loads(path.read_text()) if path.exists() else {"correct": [], "wrong": []}
