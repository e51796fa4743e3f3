"""DefsFolderComponent: a folder whose ``defs.yaml`` post-processes everything below it."""

from __future__ import annotations

from assetloom.components.component import Component, ComponentLoadContext
from assetloom.components.resolvable import Model, Resolvable
from assetloom.defs import Definitions


class DefsFolderComponent(Component, Model, Resolvable):
    """Loads the folder's contents as any folder would; its `post_processing` applies to every
    asset defined below the folder (e.g. to set a group or tags for a whole subtree)."""

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        return Definitions()  # the loader walks the folder's children itself
