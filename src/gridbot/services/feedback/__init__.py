"""The end of the loop: the reporter's rating (评价) and closing, the follow-up visit (回访),
and a worker's list of visits due (/visits)."""

from gridbot.services.feedback.follow_ups import (
    CheckFollowUp,
    RecordFollowUp,
    check_follow_up,
    follow_ups_due,
    on_follow_up,
    record_follow_up,
)
from gridbot.services.feedback.ratings import (
    CheckRating,
    CommentRating,
    RateCase,
    check_rating,
    comment_rating,
    ensure_rating_polls,
    on_rating_poll,
    rate_case,
    schedule_rating_poll,
)
from gridbot.services.feedback.visits import MyVisits, VisitsView, my_visits

__all__ = [
    "CheckFollowUp",
    "CheckRating",
    "CommentRating",
    "MyVisits",
    "RateCase",
    "RecordFollowUp",
    "VisitsView",
    "check_follow_up",
    "check_rating",
    "comment_rating",
    "ensure_rating_polls",
    "follow_ups_due",
    "my_visits",
    "on_follow_up",
    "on_rating_poll",
    "rate_case",
    "record_follow_up",
    "schedule_rating_poll",
]
