"""assetloom: data pipelines declared as assets and generated from YAML by components."""
