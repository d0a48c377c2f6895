"""Domain errors. Each carries a stable ``code`` that the bot turns into a translated message."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain refused a request. Nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or self.code)
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class ValidationFailed(DomainError):
    code = "validation_failed"


class NoAssignee(DomainError):
    code = "no_assignee"


class NobodyReachable(NoAssignee):
    """People are on duty for a new case on its grid, but the bot cannot reach any of them
    (no Telegram account, blocked, never started): the case goes up a level at once."""


class NotBound(DomainError):
    """The person is not bound to any grid."""

    code = "not_bound"


class RateLimited(DomainError):
    code = "rate_limited"


class UnknownLink(NotFound):
    """A join link, invite or bind link that names nothing (mistyped, or from another bot)."""

    code = "unknown_link"


class InviteTaken(PermissionDenied):
    """The invite was already accepted from another Telegram account."""

    code = "invite_taken"


class AccountInUse(PermissionDenied):
    """An org file's invite opened from a Telegram account that already belongs to someone
    with staff roles or cases: the account is never moved off them by a link."""

    code = "account_in_use"


class NotJoinable(ValidationFailed):
    """Residents join grids and buildings only; groups are bound to them only."""

    code = "not_joinable"


class UnknownUnit(NotFound):
    code = "unknown_unit"


class GroupNotBound(DomainError):
    code = "group_not_bound"


class AlreadyClaimed(IllegalTransition):
    """Someone else claimed the wish first."""

    code = "already_claimed"


class NotAwaitingRating(IllegalTransition):
    """A rating of a case that is not waiting for one: rated already (``rated``), closed
    unrated, or being handled again."""

    code = "not_awaiting_rating"


class NoFollowUpDue(IllegalTransition):
    """A follow-up visit (回访) recorded for a case that has none due: done already, or the
    case is not closed."""

    code = "no_follow_up"


class PatrolUnderWay(IllegalTransition):
    """The person already has an open patrol."""

    code = "patrol_under_way"


class NoPatrol(IllegalTransition):
    """The person has no open patrol to end."""

    code = "no_patrol"


class UrgedRecently(RateLimited):
    """督办 again by the same person, on the same case, within ``overdue.URGE_INTERVAL``."""

    code = "urged_recently"


class NotOverdue(IllegalTransition):
    """督办 from the overdue list of a case that is no longer overdue: accepted or resolved
    in time meanwhile, or closed."""

    code = "not_overdue"


class InviteExpired(PermissionDenied):
    """An administrator's invitation opened after it expired."""

    code = "invite_expired"


class DigestPublished(IllegalTransition):
    """The digest of this preview was published already (a second tap): sent once."""

    code = "digest_published"


class NoDigestGroups(DomainError):
    """No residents' group is bound under the unit, so a digest would reach nobody."""

    code = "no_digest_groups"


class NotResidentHere(PermissionDenied):
    """同样问题 from someone who does not live on the case's grid: only its residents count,
    one each."""

    code = "not_resident_here"


class TooManyMoves(RateLimited):
    """More grid-picker moves than ``gridpicker.MAX_MOVES`` within ``MOVES_WINDOW``."""

    code = "too_many_moves"
