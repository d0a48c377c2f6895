"""Use cases build callback strings without aiogram; they must match the handlers' classes."""

from __future__ import annotations

from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.services.notices.keyboards import case_callback


def test_domain_case_callbacks_unpack_as_handler_callbacks() -> None:
    packed = case_callback("affected", 123456)
    assert packed == CaseCallback(action="affected", case_id=123456).pack()
    assert CaseCallback.unpack(packed) == CaseCallback(action="affected", case_id=123456)


def test_longest_case_callback_fits_telegrams_64_bytes() -> None:
    assert len(case_callback("follow_up_recurred", 2**53).encode()) <= 64
