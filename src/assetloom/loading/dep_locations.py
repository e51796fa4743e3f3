"""Where a dependency written in YAML came from, so that a typo'd key is reported at the typo
itself (``etl_tables[2].deps[0]``), not at the ``name:`` of the item that declared the asset.

Looked up on demand, for the few dependencies an error is about: the file is read again
(the parse cache makes that cheap) and nothing is recorded while loading, which therefore
pays nothing for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from assetloom.errors import LoomError, SourceLocation
from assetloom.yaml.parse_cache import ParseCache
from assetloom.yaml.source import YamlDocument, read_yaml_documents

#: The fields whose string value names the asset a YAML item declares.
ITEM_NAME_FIELDS = ("name", "key", "asset_key")

KeyPath = tuple[Any, ...]


class DeclaredItem(NamedTuple):
    """A mapping under ``attributes`` that names an asset: where its name is, and the item.
    (A NamedTuple: one is made per YAML item of every load.)"""

    name_path: KeyPath
    path: KeyPath
    value: dict[str, Any]


def declared_items(document: YamlDocument) -> dict[str, DeclaredItem]:
    """Every item under ``attributes`` with a name field, by that name (the first wins)."""
    items: dict[str, DeclaredItem] = {}
    stack: list[tuple[KeyPath, Any]] = [(("attributes",), (document.value or {}).get("attributes"))]
    containers = (dict, list)
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for field in ITEM_NAME_FIELDS:
                name = value.get(field)
                if isinstance(name, str):
                    if name not in items:
                        items[name] = DeclaredItem((*path, field), path, value)
                    break
            for key, child in value.items():
                if isinstance(child, containers):
                    stack.append(((*path, key), child))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, containers):
                    stack.append(((*path, index), child))
    return items


class DepLocator:
    """``locator(asset_location, "dep")``: where ``dep`` is written under the YAML item at
    ``asset_location``, or ``None`` (a Python asset, a dependency computed by ``build_defs``
    or rendered from a template)."""

    def __init__(self, project_root: Path, parse_cache: ParseCache | None = None) -> None:
        self.project_root = project_root
        self.parse_cache = parse_cache

    def __call__(self, asset_location: SourceLocation | None, dep: str) -> SourceLocation | None:
        if asset_location is None or not asset_location.path.endswith((".yaml", ".yml")):
            return None
        try:
            documents = read_yaml_documents(
                self.project_root / asset_location.path, asset_location.path, self.parse_cache
            )
        except (LoomError, OSError):
            return None
        for document in documents:
            for item in declared_items(document).values():
                if document.positions.location(item.name_path) == asset_location:
                    written = _strings_under(item.path, item.value, skip=item.name_path)
                    return document.positions.location(written[dep]) if dep in written else None
        return None


def _strings_under(path: KeyPath, value: Any, *, skip: KeyPath) -> dict[str, KeyPath]:
    """Every string leaf under ``value`` (but the one at ``skip``) and the path of its first
    occurrence."""
    found: dict[str, KeyPath] = {}
    stack: list[tuple[KeyPath, Any]] = [(path, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str) and here != skip:
            found.setdefault(node, here)
        elif isinstance(node, dict):
            stack.extend(((*here, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))))
    return found
