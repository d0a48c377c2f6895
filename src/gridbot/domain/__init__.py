"""The domain: gridbot's pure model.

Entities and value objects (org units, people and roles, cases and their events), the case
lifecycle as transition tables, policy (who may do what), routing, deadlines, the org tree,
and the domain errors. Standard library only: no async, no I/O, no storage, nothing of
Telegram's (message templates and the Bot API belong to the service layer's notices). Time
comes in as a value. tests/test_boundaries.py keeps it so.
"""
