"""The example project's component classes."""
