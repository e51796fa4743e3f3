"""``ClosedOnExit``: the one way a resource that must be closed is also a ``with`` block.

Run storage, its background writer and a workspace's location processes each hold something
outside Python (connections, a thread, child processes); leaving the block closes them
whether it ended normally or by an exception, and the exception is never swallowed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Self


class ClosedOnExit(ABC):
    @abstractmethod
    def close(self) -> None:
        """Release what the object holds; called when its ``with`` block ends."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
