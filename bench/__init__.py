"""Timing scripts for the renderers; run from the repository root, never from the tests."""
