"""The service layer: gridbot's use cases, one subpackage per feature.

Each use case takes one command (a frozen dataclass naming who acts and on what) and the
``Context`` (units of work, clock, time zone, notices); it opens, commits or rolls back its
own unit of work and returns what the caller renders. Jobs of the due scheduler take the
scheduler's unit of work instead, so their effects commit with the item's done mark. The
ports (``ports``) are what storage and the bot implement; ``notices`` turns case events into
outbox rows in the same transaction.
"""
