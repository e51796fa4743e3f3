"""Workspaces: several code locations, each loaded in its own process, joined into one graph
and run together (``workspace.yaml``; see README, "Code locations")."""
