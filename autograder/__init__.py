"""Sandboxed autograder for the lesson 'Advanced Optimization Algorithms and Learning Rate
Schedules'."""

__version__ = "0.1.0"
