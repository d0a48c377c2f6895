"""The domain core: entities, state machines, routing, deadlines, permissions.

Imports the standard library only (enforced by tests/test_boundaries.py).
"""
