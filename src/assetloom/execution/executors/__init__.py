"""Executors decide where and when each step of a plan runs; ``step.py`` decides what running
one means, so every executor gives the same results."""
