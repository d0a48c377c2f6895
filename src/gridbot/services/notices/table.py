"""Who hears about a case, and how: one table from each case event to its notices.

Every transition of the lifecycle (and every reminder or call-up, which are case events
too) is looked up here by the kind of case and the event's action. Each ``Notice`` names
its audience, its template, its keyboard, and whether the case's photo (or a map pin) goes
with it. Group audiences get only what a group may see: number, category, status and a
masked summary, never a name, phone or address (``audience.public_context``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.lifecycle import CaseAction
from gridbot.services.notices.keyboards import (
    Keyboard,
    approver_keyboard,
    assignee_keyboard,
    claim_keyboard,
    follow_keyboard,
    follow_up_keyboard,
    fulfil_keyboard,
    open_card_keyboard,
    posted_keyboard,
    rating_keyboard,
)

A = CaseAction
# A deadline chase leaves case events of its own; they change no status. So do the end of
# the loop's reminders: to rate (resolved, not rated), to visit (回访 due, then late).
REMIND = "remind"
CALL_UP = "call_up"
RATE_REMIND = "rate_remind"
FOLLOW_UP_DUE = "follow_up_due"
FOLLOW_UP_LATE = "follow_up_late"
# A new case sent up at once: nobody on duty for it on its grid can be reached by the bot.
GRID_UNREACHABLE = "grid_unreachable"


class Audience(Enum):
    """Who a notice goes to. The first ones are people, the last two group chats."""

    REPORTER = "reporter"
    ASSIGNEE = "assignee"  # whoever holds the case now
    HANDLER = "handler"  # whoever works on it now: a wish's claimant, else the assignee
    CLAIMANT = "claimant"
    LAPSED_CLAIMANT = "lapsed_claimant"  # details["claimant"]: a claim that expired
    SECRETARY = "secretary"  # the grid's branch secretary, else the community's
    GRID_LEADER = "grid_leader"  # the grid's on-duty leaders
    VISITOR = "visitor"  # details["visitor"]: who is to do a follow-up visit (回访)
    WHISTLER = "whistler"  # the dispatcher who last whistled the case
    CALLED = "called"  # details["called"]: the next person up the chain
    WISH_HELPERS = "wish_helpers"  # party members and volunteers of the grid
    PUBLIC_GROUP = "public_group"  # the residents' group of a public case (public_group.py)
    WORKER_GROUPS = "worker_groups"  # the grid's worker groups (案件 lines only)

    @property
    def is_group(self) -> bool:
        return self in (Audience.PUBLIC_GROUP, Audience.WORKER_GROUPS)

    @property
    def is_resident_side(self) -> bool:
        """Residents, and the volunteers among them, and the groups they read: never
        messaged in their quiet hours about what they did not just do."""
        return self in RESIDENT_SIDE


RESIDENT_SIDE = frozenset(
    {
        Audience.REPORTER,
        Audience.CLAIMANT,
        Audience.LAPSED_CLAIMANT,
        Audience.WISH_HELPERS,
        Audience.PUBLIC_GROUP,
    }
)


def case_photo(case: Case, event: CaseEvent) -> str | None:
    return case.photos[0] if case.photos else None


def event_photo(case: Case, event: CaseEvent) -> str | None:
    return event.attachments[0] if event.attachments else None


@dataclass(frozen=True)
class Notice:
    audience: Audience
    template: str
    keyboard: Callable[[Case], Keyboard] | None = None
    photo: Callable[[Case, CaseEvent], str | None] | None = None
    pin: bool = False  # a map pin of the case's place after the message
    to_actor: bool = False  # also when the recipient made the change themselves
    names: bool = False  # the template names the actor (``by``) and the holder (``assignee``)
    reporter: bool = False  # the template shows the reporter's contact (``reporter``)


UPDATE = "notices/case_update.html.j2"
GROUP_UPDATE = "notices/group_case_update.html.j2"
GROUP_OFFER = "notices/group_wish_offered.html.j2"
R, G = Audience.REPORTER, Audience.PUBLIC_GROUP

TO_REPORTER = (Notice(R, UPDATE),)
TO_GROUP = (Notice(G, GROUP_UPDATE, follow_keyboard),)
TO_BOTH = (*TO_REPORTER, *TO_GROUP)
# A case in new hands: its card to the new holder, a copy to the branch secretary, a line to
# the grid's worker groups.
HANDED_OVER = (
    Notice(
        Audience.ASSIGNEE,
        "notices/case_handed_over.html.j2",
        assignee_keyboard,
        case_photo,
        pin=True,
        to_actor=True,
        names=True,
    ),
    Notice(Audience.SECRETARY, "notices/case_cc.html.j2", names=True),
    Notice(Audience.WORKER_GROUPS, "notices/worker_group_line.html.j2"),
)
# One short line, with the case number and nothing personal, to the grid's Party branch
# secretary as a case of the grid is resolved, reopened, or overdue.
SECRETARY_LINE = Notice(Audience.SECRETARY, "notices/secretary_line.html.j2")
# Back in the handler's hands after an unsatisfied rating or a failed follow-up (重办), and
# the grid's leader and secretary hear of it.
REOPENED = (
    Notice(Audience.HANDLER, "notices/case_reopened.html.j2", open_card_keyboard),
    Notice(Audience.GRID_LEADER, "notices/secretary_line.html.j2"),
    SECRETARY_LINE,
)
# The reporter is asked to rate what was done, with the handler's note and photo.
RATE_IT = Notice(R, "notices/rate_request.html.j2", rating_keyboard, event_photo)
WISH_OFFERED = (
    # Every helper, the approver too if they are one: they may take it up themselves.
    Notice(
        Audience.WISH_HELPERS,
        "notices/wish_offered.html.j2",
        claim_keyboard,
        case_photo,
        to_actor=True,
    ),
    Notice(G, GROUP_OFFER, claim_keyboard),
)

ISSUE_NOTICES: Mapping[str, tuple[Notice, ...]] = {
    A.SUBMIT: (
        Notice(R, "notices/case_submitted.html.j2", to_actor=True),
        Notice(G, "notices/group_case_posted.html.j2", posted_keyboard),
    ),
    A.ASSIGN: HANDED_OVER,
    A.ACCEPT: TO_BOTH,
    A.REPORT_FOR_DUTY: (
        Notice(Audience.WHISTLER, "notices/reported_for_duty.html.j2", to_actor=True, names=True),
        *TO_BOTH,
    ),
    A.PROGRESS: TO_REPORTER,
    A.RESOLVE: (RATE_IT, *TO_GROUP, SECRETARY_LINE),
    A.ESCALATE: (*HANDED_OVER, *TO_BOTH),
    A.WHISTLE: (*HANDED_OVER, *TO_BOTH),
    A.TRANSFER: (*HANDED_OVER, *TO_REPORTER),
    A.REJECT: TO_BOTH,
    A.CANCEL: (Notice(Audience.HANDLER, "notices/case_withdrawn.html.j2"), *TO_BOTH),
    A.ADD_INFO: (Notice(Audience.HANDLER, "notices/case_info_added.html.j2", photo=event_photo),),
    A.URGE: (Notice(Audience.ASSIGNEE, "worker/urged.html.j2", open_card_keyboard, names=True),),
    A.CLOSE: TO_BOTH,
    A.RATE_SATISFIED: TO_GROUP,
    A.RATE_BASIC: TO_GROUP,
    A.RATE_UNSATISFIED: (*REOPENED, *TO_GROUP),
    A.FOLLOW_UP_RECURRED: (*REOPENED, *TO_BOTH),
    REMIND: (Notice(Audience.ASSIGNEE, "notices/reminder.html.j2"), SECRETARY_LINE),
    CALL_UP: (Notice(Audience.CALLED, "notices/call_up.html.j2", names=True),),
    RATE_REMIND: (Notice(R, "notices/rate_request.html.j2", rating_keyboard),),
    FOLLOW_UP_DUE: (
        Notice(
            Audience.VISITOR, "notices/follow_up_due.html.j2", follow_up_keyboard, reporter=True
        ),
    ),
    FOLLOW_UP_LATE: (Notice(Audience.GRID_LEADER, "notices/follow_up_late.html.j2"),),
    GRID_UNREACHABLE: (Notice(Audience.GRID_LEADER, "notices/grid_unreachable.html.j2"),),
}
WISH_NOTICES: Mapping[str, tuple[Notice, ...]] = {
    A.SUBMIT: (Notice(R, "notices/wish_submitted.html.j2", to_actor=True),),
    # A wish waits for its grid's branch secretary, who gets it to approve.
    A.ASSIGN: (
        Notice(
            Audience.ASSIGNEE, "notices/wish_for_approval.html.j2", approver_keyboard, case_photo
        ),
    ),
    A.APPROVE: (*TO_REPORTER, *WISH_OFFERED),
    A.REJECT: TO_REPORTER,
    A.CLAIM: (
        Notice(
            Audience.CLAIMANT,
            "notices/wish_claimed.html.j2",
            fulfil_keyboard,
            to_actor=True,
            reporter=True,
        ),
        *TO_BOTH,
    ),
    A.RELEASE: TO_REPORTER,
    A.EXPIRE_CLAIM: (
        Notice(Audience.LAPSED_CLAIMANT, "notices/wish_claim_expired.html.j2"),
        *TO_REPORTER,
        *WISH_OFFERED,
    ),
    A.FULFIL: (RATE_IT, *TO_GROUP),
    A.CONFIRM: (Notice(Audience.CLAIMANT, "notices/wish_points.html.j2", to_actor=True), *TO_GROUP),
    # Rated by its poster: satisfied earns the claimant their points; unsatisfied gives the
    # wish back to them, and the grid's leader and secretary hear of it.
    A.RATE_SATISFIED: (
        Notice(Audience.CLAIMANT, "notices/wish_points.html.j2", to_actor=True),
        *TO_GROUP,
    ),
    A.RATE_BASIC: (
        Notice(Audience.CLAIMANT, "notices/wish_points.html.j2", to_actor=True),
        *TO_GROUP,
    ),
    A.RATE_UNSATISFIED: (*REOPENED, *TO_GROUP),
    A.CLOSE: (*TO_REPORTER, *TO_GROUP),
    RATE_REMIND: (Notice(R, "notices/rate_request.html.j2", rating_keyboard),),
    A.CANCEL: (Notice(Audience.HANDLER, "notices/case_withdrawn.html.j2"), *TO_REPORTER),
}


def notices_for(case: Case, event: CaseEvent) -> tuple[Notice, ...]:
    """What ``event`` on ``case`` tells whom (nothing for an action the table leaves out)."""
    table = WISH_NOTICES if case.is_wish else ISSUE_NOTICES
    return table.get(event.action, ())
