"""Where each dependency written in YAML came from, so that a typo'd key is reported at the
typo itself (``etl_tables[2].deps[0]``), not at the ``name:`` of the item that declared it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assetloom.defs import Definitions
from assetloom.yaml.source import YamlDocument

#: The fields whose string value names the asset a YAML item declares.
ITEM_NAME_FIELDS = ("name", "key", "asset_key")

KeyPath = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class DeclaredItem:
    """A mapping under ``attributes`` that names an asset: where its name is, and the item."""

    name_path: KeyPath
    path: KeyPath
    value: dict[str, Any]


def declared_items(document: YamlDocument) -> dict[str, DeclaredItem]:
    """Every item under ``attributes`` with a name field, by that name (the first wins)."""
    items: dict[str, DeclaredItem] = {}
    stack: list[tuple[KeyPath, Any]] = [(("attributes",), (document.value or {}).get("attributes"))]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for field in ITEM_NAME_FIELDS:
                name = value.get(field)
                if isinstance(name, str):
                    items.setdefault(name, DeclaredItem((*path, field), path, value))
                    break
            stack.extend(((*path, k), v) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value) if isinstance(v, dict | list))
    return items


def locate_deps(defs: Definitions, document: YamlDocument, items: dict[str, DeclaredItem]) -> None:
    """Give each dependency of an asset built from ``document`` the position of the string
    that wrote it, searched for under the item that declared the asset. Dependencies not
    written there (computed by ``build_defs``, rendered from a template) keep no location."""
    positions = document.positions
    for assets_def in defs.assets:
        for spec in assets_def.specs:
            item = items.get(spec.key.to_user_string()) or items.get(spec.key.name)
            if item is None or not spec.deps:
                continue
            written = _strings_under(item.path, item.value)
            located = tuple(
                dep.with_location(positions.location(written[text]))
                if (text := dep.asset_key.to_user_string()) in written
                else dep
                for dep in spec.deps
            )
            # Specs are fresh from build_defs and not yet in any graph (as set_source_location).
            object.__setattr__(spec, "deps", located)


def _strings_under(path: KeyPath, value: Any) -> dict[str, KeyPath]:
    """Every string leaf under ``value`` and the path of its first occurrence."""
    found: dict[str, KeyPath] = {}
    stack: list[tuple[KeyPath, Any]] = [(path, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            found.setdefault(node, here)
        elif isinstance(node, dict):
            stack.extend(((*here, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))))
    return found
