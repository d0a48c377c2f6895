"""Reading ``[period] [unit]`` after /stats, /rank, /export, /chart and /digest."""

from __future__ import annotations

from gridbot.services.context import Actor


def period_and_unit(actor: Actor | None, args: str | None) -> tuple[str | None, str | None]:
    """(period, unit code) in either order: the first word that is a unit's code (as typed,
    or in capitals) is the unit; the other words are the period, which the use case reads
    (and refuses with the forms it may take). None for what was not given."""
    words = (args or "").split()
    tree = actor.tree if actor is not None else None
    if tree is not None:
        for at, word in enumerate(words):
            code = word if word in tree else word.upper()
            if code in tree:
                return " ".join(words[:at] + words[at + 1 :]) or None, code
    return " ".join(words) or None, None
