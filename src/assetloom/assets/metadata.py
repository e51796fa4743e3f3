"""``MetadataValue``: a metadata entry that says how to show its value (a URL, markdown,
a path...). Plain values work as metadata too; wrapping one only records its kind."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from assetloom.assets.key import AssetKey, CoercibleToAssetKey


@dataclass(frozen=True, slots=True)
class MetadataValue:
    """A metadata value of a known ``kind``; build one with the static constructors
    (``MetadataValue.url("https://...")``, ``MetadataValue.int(3)``, ...)."""

    kind: str
    value: Any

    @staticmethod
    def text(text: str) -> MetadataValue:
        return MetadataValue("text", text)

    @staticmethod
    def int(value: int) -> MetadataValue:
        return MetadataValue("int", value)

    @staticmethod
    def float(value: float) -> MetadataValue:
        return MetadataValue("float", value)

    @staticmethod
    def bool(value: bool) -> MetadataValue:
        return MetadataValue("bool", value)

    @staticmethod
    def json(data: Any) -> MetadataValue:
        return MetadataValue("json", data)

    @staticmethod
    def md(markdown: str) -> MetadataValue:
        return MetadataValue("md", markdown)

    @staticmethod
    def url(url: str) -> MetadataValue:
        return MetadataValue("url", url)

    @staticmethod
    def path(path: str | os.PathLike[str]) -> MetadataValue:
        return MetadataValue("path", os.fspath(path))

    @staticmethod
    def notebook(path: str | os.PathLike[str]) -> MetadataValue:
        return MetadataValue("notebook", os.fspath(path))

    @staticmethod
    def python_artifact(python_artifact: Any) -> MetadataValue:
        name = f"{python_artifact.__module__}.{python_artifact.__qualname__}"
        return MetadataValue("python_artifact", name)

    @staticmethod
    def timestamp(value: Any) -> MetadataValue:
        """A point in time: seconds since the epoch, or a timezone-aware datetime."""
        seconds = value.timestamp() if hasattr(value, "timestamp") else value
        return MetadataValue("timestamp", seconds)

    @staticmethod
    def asset(asset_key: CoercibleToAssetKey) -> MetadataValue:
        return MetadataValue("asset", AssetKey.from_coercible(asset_key))

    @staticmethod
    def dagster_run(run_id: str) -> MetadataValue:
        return MetadataValue("run", run_id)

    @staticmethod
    def null() -> MetadataValue:
        return MetadataValue("null", None)

    def __str__(self) -> str:
        return str(self.value)
