"""IO managers: where an asset's value goes after it runs, and where downstream assets read it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assetloom.assets.key import AssetKey
from assetloom.execution.run_claims import RunStoppedError, claimed, deleted_during_run


@runtime_checkable
class IOManager(Protocol):
    """Stores each asset's value and loads it for downstream assets. ``materialize`` takes one
    as ``io_manager=`` or, as in Dagster, as the resource named ``io_manager``."""

    def handle_output(self, key: AssetKey, value: Any) -> None: ...

    def load_input(self, key: AssetKey) -> Any: ...

    def has_output(self, key: AssetKey) -> bool: ...


class InMemoryIOManager:
    """Values live for the length of one ``materialize`` call."""

    def __init__(self) -> None:
        self.values: dict[AssetKey, Any] = {}

    def handle_output(self, key: AssetKey, value: Any) -> None:
        self.values[key] = value

    def load_input(self, key: AssetKey) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise LookupError(
                f"no value for `{key.to_user_string()}` in this run; "
                "select it too, or use a persistent IO manager"
            ) from None

    def has_output(self, key: AssetKey) -> bool:
        return key in self.values


class FilesystemIOManager:
    """Values pickled under ``base_dir/<key parts>``, so a later run can read them."""

    def __init__(self, base_dir: str | os.PathLike[str]) -> None:
        self.base_dir = Path(base_dir)

    def _path(self, key: AssetKey) -> Path:
        # Append the suffix: ``with_suffix`` would map `orders.v1` and `orders.v2` to one file.
        return self.base_dir.joinpath(*key.path[:-1], f"{key.name}.pickle")

    @property
    def _marker(self) -> Path:
        return self.base_dir / ".assetloom-storage"

    @contextmanager
    def claim_for_run(self, run_id: str) -> Iterator[None]:
        """Mark the folder as this run's, so that its deletion mid-run stops the run."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._marker.touch()
        with claimed(self._marker):
            yield

    def _check_not_deleted(self) -> None:
        if deleted_during_run(self._marker):
            raise RunStoppedError(
                f"{self.base_dir} was deleted during the run; the values of earlier steps are gone"
            )

    def handle_output(self, key: AssetKey, value: Any) -> None:
        self._check_not_deleted()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp")
        import pickle  # here: an in-process run keeps its values in memory

        try:
            with tmp.open("wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            tmp.unlink(missing_ok=True)
            raise TypeError(
                f"the value of `{key.to_user_string()}` ({type(value).__name__}) cannot be "
                f"stored: {error}"
            ) from error
        tmp.replace(path)

    def load_input(self, key: AssetKey) -> Any:
        self._check_not_deleted()
        path = self._path(key)
        if not path.exists():
            raise LookupError(f"`{key.to_user_string()}` has not been materialized yet (no {path})")
        import pickle

        with path.open("rb") as fh:
            return pickle.load(fh)

    def has_output(self, key: AssetKey) -> bool:
        return self._path(key).exists()
