from __future__ import annotations

from gridbot.bot.send_limits import ChatLimits
from gridbot.domain.messaging import ChatKind

GROUP, PRIVATE = ChatKind.GROUP, ChatKind.PRIVATE


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_21st_group_message_within_a_minute_waits_for_the_first_to_leave_the_window() -> None:
    now = Ticker()
    limits = ChatLimits(now=now)
    for second in range(20):
        now.t = 1000.0 + second
        assert limits.wait_time(-1, GROUP) == 0
        limits.record(-1)
    now.t = 1019.5
    assert limits.wait_time(-1, GROUP) == 40.5
    now.t = 1060.0
    assert limits.wait_time(-1, GROUP) == 0
    limits.record(-1)
    assert limits.wait_time(-1, GROUP) == 1.0  # the window slides: the 2nd call leaves at 1061


def test_private_chats_get_one_message_per_interval() -> None:
    now = Ticker()
    limits = ChatLimits(private_interval=1.0, now=now)
    limits.record(5)
    now.t += 0.25
    assert limits.wait_time(5, PRIVATE) == 0.75
    assert limits.wait_time(6, PRIVATE) == 0  # other chats are not held up
    now.t += 0.75
    assert limits.wait_time(5, PRIVATE) == 0


def test_a_paused_chat_waits_out_the_pause_whatever_its_history() -> None:
    now = Ticker()
    limits = ChatLimits(now=now)
    limits.pause(5, 3)
    assert limits.wait_time(5, PRIVATE) == 3
    now.t += 3
    assert limits.wait_time(5, PRIVATE) == 0


def test_a_migrated_group_keeps_its_window_under_the_new_id() -> None:
    now = Ticker()
    limits = ChatLimits(group_limit=2, group_window=10, now=now)
    limits.record(-1)
    limits.record(-1)
    limits.move(-1, -100)
    assert limits.wait_time(-100, GROUP) == 10
    assert limits.wait_time(-1, GROUP) == 0


def test_idle_chats_are_forgotten() -> None:
    now = Ticker()
    limits = ChatLimits(group_window=60, now=now)
    limits.record(5)
    now.t += 61
    limits.forget_idle()
    assert limits._calls == {}
