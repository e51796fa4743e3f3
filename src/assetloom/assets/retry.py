"""Retrying a failed asset: the declarative ``RetryPolicy`` and the ``RetryRequested`` an asset
raises to ask for a retry itself."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass


class Backoff(enum.Enum):
    """How the delay grows with the attempt number ``n`` (1 for the first retry):
    ``LINEAR`` waits ``n * delay``, ``EXPONENTIAL`` waits ``(2**n - 1) * delay``."""

    LINEAR = "LINEAR"
    EXPONENTIAL = "EXPONENTIAL"


class Jitter(enum.Enum):
    """Randomness added after the backoff, so retries of many steps do not all wake at once:
    ``FULL`` waits a random fraction of the backed-off delay, ``PLUS_MINUS`` adds up to
    ``delay`` either way (never below zero)."""

    FULL = "FULL"
    PLUS_MINUS = "PLUS_MINUS"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry a failing asset up to ``max_retries`` times, waiting ``delay`` seconds before
    each retry, modulated by ``backoff`` and ``jitter``."""

    max_retries: int = 1
    delay: float | None = None
    backoff: Backoff | None = None
    jitter: Jitter | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("RetryPolicy(max_retries=...) must be 0 or more")
        if (self.backoff or self.jitter) and not self.delay:
            raise ValueError("RetryPolicy needs a `delay` for `backoff` or `jitter` to modulate")

    def delay_before(self, attempt: int, *, rand: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based); ``rand`` in [0, 1)
        replaces the random draw (for tests)."""
        return retry_delay(self.delay, attempt, self.backoff, self.jitter, rand)


def retry_delay(
    delay: float | None,
    attempt: int,
    backoff: Backoff | None = None,
    jitter: Jitter | None = None,
    rand: float | None = None,
) -> float:
    """The documented delay formula, shared by RetryPolicy and RetryRequested."""
    if not delay:
        return 0.0
    if backoff is Backoff.LINEAR:
        waited = attempt * delay
    elif backoff is Backoff.EXPONENTIAL:
        waited = (2**attempt - 1) * delay
    else:
        waited = delay
    draw = random.random() if rand is None else rand
    if jitter is Jitter.FULL:
        waited = draw * waited
    elif jitter is Jitter.PLUS_MINUS:
        waited = waited + (2 * draw * delay) - delay
    return max(0.0, waited)


class RetryRequested(Exception):
    """Raise from an asset to have it retried (up to ``max_retries`` times, waiting
    ``seconds_to_wait`` before each retry), whatever its RetryPolicy says."""

    def __init__(self, max_retries: int = 1, seconds_to_wait: float | None = None) -> None:
        super().__init__(f"retry requested (max_retries={max_retries})")
        self.max_retries = max_retries
        self.seconds_to_wait = seconds_to_wait


class Failure(Exception):
    """Raise from an asset to fail it with a description and metadata; with
    ``allow_retries=False`` its RetryPolicy is not consulted."""

    def __init__(
        self,
        description: str | None = None,
        metadata: dict[str, object] | None = None,
        allow_retries: bool = True,
    ) -> None:
        super().__init__(description or "the asset reported a failure")
        self.description = description
        self.metadata = dict(metadata or {})
        self.allow_retries = allow_retries
