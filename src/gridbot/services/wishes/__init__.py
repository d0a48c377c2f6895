"""Micro-wishes (微心愿) after they are posted: approval, claims, fulfilment, confirmation
and points, the board of a grid's leaders, and the expiry of claims."""

from gridbot.services.wishes.actions import (
    ApproveWish,
    CheckWishStep,
    ClaimWish,
    ConfirmWish,
    FulfilWish,
    RejectWish,
    WishCommand,
    approve_wish,
    check_wish_step,
    claim_wish,
    confirm_wish,
    fulfil_wish,
    points_of,
    reject_wish,
)
from gridbot.services.wishes.board import WishBoard, WishBoardOf, on_claim_expiry, pending_wishes

__all__ = [
    "ApproveWish",
    "CheckWishStep",
    "ClaimWish",
    "ConfirmWish",
    "FulfilWish",
    "RejectWish",
    "WishBoard",
    "WishBoardOf",
    "WishCommand",
    "approve_wish",
    "check_wish_step",
    "claim_wish",
    "confirm_wish",
    "fulfil_wish",
    "on_claim_expiry",
    "pending_wishes",
    "points_of",
    "reject_wish",
]
