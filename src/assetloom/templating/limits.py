"""How much a template may compute: the limits, and the budget one document's render spends.

Every hook of the sandbox (calls, attribute and item lookups, operators, filters, each loop
iteration, each printed chunk) spends from the budget, which checks the clock. So a template
stops within one bounded step of its time limit — cooperatively, with no thread or signal —
and sizes are checked before anything big is built.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, Final

from assetloom.errors import LoomError, SourceLocation, TemplateError

__all__ = ["RenderBudget", "TemplateLimits", "active_budget", "spending"]

SETTINGS_PREFIX: Final = "template_"


@dataclass(frozen=True, slots=True)
class TemplateLimits:
    """Bounds on rendering; each is ``[tool.assetloom] template_<name>``."""

    #: characters one template may print, and the weight of any value it builds
    max_output: int = 1_000_000
    #: seconds to render all the templates of one document
    timeout: float = 1.0
    #: loop iterations in one document
    max_iterations: int = 100_000
    #: numbers in one ``range(...)``
    max_range: int = 10_000
    #: bits of an integer built by ``*`` or ``**``
    max_int_bits: int = 14_000

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> TemplateLimits:
        """The limits set in ``[tool.assetloom]``, the defaults for the others."""
        given: dict[str, Any] = {}
        for field in fields(cls):
            key = SETTINGS_PREFIX + field.name
            if key not in settings:
                continue
            value = settings[key]
            kind = float if field.name == "timeout" else int
            if isinstance(value, bool) or not isinstance(value, int | kind) or value <= 0:
                raise LoomError(
                    f"[tool.assetloom] {key}: expected a positive "
                    f"{'number' if kind is float else 'integer'}, got {value!r}",
                    location=SourceLocation("pyproject.toml"),
                )
            given[field.name] = kind(value)
        return cls(**given)


class RenderBudget:
    """What one document's templates have spent: time, loop iterations, printed characters,
    and the environment variables they read (whose values error messages must not show)."""

    __slots__ = ("deadline", "emitted", "env_read", "iterations", "limits")

    def __init__(self, limits: TemplateLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.timeout
        self.iterations = 0
        self.emitted = 0
        self.env_read: set[str] = set()

    @property
    def exhausted(self) -> bool:
        """Out of time or iterations: nothing more of the document is worth rendering."""
        return (
            self.iterations > self.limits.max_iterations or time.monotonic() > self.deadline
        )

    def tick(self) -> None:
        """One step of work: fails once the document's time is up."""
        if time.monotonic() > self.deadline:
            raise TemplateError(
                f"template rendering took longer than {self.limits.timeout:g} s "
                "(template_timeout)"
            )

    def iterate(self) -> None:
        """One loop iteration."""
        self.iterations += 1
        if self.iterations > self.limits.max_iterations:
            raise TemplateError(
                f"template loops ran more than {self.limits.max_iterations:,} iterations "
                "(template_max_iterations)"
            )
        self.tick()

    def emit(self, characters: int) -> None:
        """``characters`` printed by the template being rendered."""
        self.emitted += characters
        if self.emitted > self.limits.max_output:
            raise TemplateError(
                f"template output exceeds {self.limits.max_output:,} characters "
                "(template_max_output)"
            )
        self.tick()


_ACTIVE: Final[ContextVar[RenderBudget | None]] = ContextVar(
    "assetloom_render_budget", default=None
)


def active_budget() -> RenderBudget | None:
    """The budget of the render in progress in this thread or task (None while compiling)."""
    return _ACTIVE.get()


@contextmanager
def spending(budget: RenderBudget) -> Iterator[RenderBudget]:
    """Make ``budget`` the one the sandbox's hooks spend from, for the block's duration."""
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)
