"""/digest as use cases over the demo org: the preview's figures are compute_stats' own,
no digest ever carries personal data, publishing writes one message to each residents'
group under the unit (none to a workers' group or a group elsewhere) with the record of who
published what, once per preview; a refusal reads, writes and sends nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from gridbot.domain.case import Location, RatingValue
from gridbot.domain.digests import DigestSource
from gridbot.domain.errors import (
    DigestPublished,
    NoDigestGroups,
    NotBound,
    PermissionDenied,
    UnknownUnit,
    ValidationFailed,
)
from gridbot.domain.metrics import parse_period
from gridbot.domain.texts import public_summary
from gridbot.services.stats import compute_stats

from .conftest import (
    ADMIN,
    B03_GROUP,
    B05_GROUP,
    DISTRICT_SUPERVISOR,
    GROUPS,
    LEFT_GROUP,
    LY02_GROUP,
    NEIGHBOUR,
    PARK_GROUP,
    RESIDENT,
    SUPERVISOR,
    TZ,
    WORKER,
    WORKER_GROUP,
    ZB_GROUP,
    Town,
    counting,
)

LY = "DL-WX-LY"
# A public case whose text carries a phone number and runs past the public summary.
LONG = (
    "3号楼2单元门口的垃圾桶满了好几天没人清运，味道很大，联系电话 13900002001，"
    "晚上还有野猫翻垃圾，弄得满地都是，老人孩子进出很不方便，请尽快安排处理，谢谢"
)


async def some_cases(town: Town) -> None:
    """Three cases on 临月里第一网格 and one on 詹滨里: two resolved (one rated 满意), one
    public with a phone number in it, and a wish."""
    first = await town.resolved(
        public=True, text=LONG, location=Location(address="临月里3号楼2单元301")
    )
    await town.rate(RESIDENT, first.id, RatingValue.SATISFIED)
    await town.resolved(category_code="repair", text="5号楼楼道灯坏了")
    await town.report(NEIGHBOUR, text="楼下有人占道经营")
    await town.report(2004, text="小区门口井盖松动", category_code="safety")
    await town.wish(text="想请人帮忙修一下轮椅")


async def test_the_previews_figures_are_those_of_compute_stats(town: Town) -> None:
    await some_cases(town)
    town.clock.advance(hours=1)

    preview = await town.preview(SUPERVISOR)

    draft = preview.draft
    assert (draft.unit.code, draft.period.label) == ("DL-WX", "2026-03")  # this month so far
    async with town.db.reader() as uow:
        org = await town.ctx.org.current(uow)
        stats = await compute_stats(uow, org, draft.unit, draft.period, draft.now)
    assert draft.stats.figures == stats.figures
    assert (stats.figures.counts.received, stats.figures.counts.resolved) == (4, 2)
    assert draft.stats.wishes == stats.wishes
    text = draft.text
    assert "万新街道 向群众汇报" in text and "受理群众诉求 4 件 · 已办结 2 件" in text
    assert "解决率 50.0%" in text and "满意率 100.0%" in text
    assert "环境卫生：1 件" in text and "设施维修：1 件" in text
    assert "微心愿：收到 1 个，已实现 0 个" in text
    assert preview.last is None and draft.groups == ()


async def test_no_digest_carries_a_name_a_phone_an_address_or_a_whole_text(town: Town) -> None:
    await some_cases(town)
    await town.bind_groups()
    preview = await town.preview(SUPERVISOR, None, LY)
    published = await town.publish(preview)

    posted = [str(m.params["text"]) for chat in GROUPS for m in await town.group_posts(chat)]
    texts = [preview.draft.text, published.record.text, *posted]
    assert len(posted) == 3
    summary = public_summary(LONG)
    assert len(LONG) > 60 and summary.endswith("…") and "***" in summary
    for text in texts:
        assert summary in text  # the masked summary, as a group sees a public case
        for private in ("李桂兰", "13900002001", "临月里3号楼2单元301", LONG, "楼下有人占道经营"):
            assert private not in text


async def test_publishing_writes_one_message_per_residents_group_under_the_unit(
    town: Town,
) -> None:
    await some_cases(town)
    await town.bind_groups()
    preview = await town.preview(SUPERVISOR, "month", LY)
    assert set(preview.draft.groups) == {B03_GROUP, B05_GROUP, LY02_GROUP}

    published = await town.publish(preview)

    for chat in (B03_GROUP, B05_GROUP, LY02_GROUP):
        (message,) = await town.group_posts(chat)
        assert message.params["text"] == published.record.text
        assert message.not_before is None and message.chat_kind == "group"
    for chat in (ZB_GROUP, PARK_GROUP, WORKER_GROUP, LEFT_GROUP):
        assert await town.group_posts(chat) == []
    (record,) = await town.records()
    supervisor = await town.person_id(SUPERVISOR)
    assert (record.period_label, record.source, record.groups) == ("2026-03", "manual", 3)
    assert record.published_by == supervisor and record.published_at == town.clock.now()
    assert record.prepared_at == datetime.fromtimestamp(preview.stamp, TZ)
    again = await town.preview(SUPERVISOR, "month", LY)
    assert again.last is not None and again.last.groups == 3


async def test_a_second_tap_on_the_same_preview_is_refused_and_sends_nothing(
    town: Town,
) -> None:
    await some_cases(town)
    await town.bind_groups()
    preview = await town.preview(SUPERVISOR, None, LY)
    await town.publish(preview)
    before = len(await town.outbox())

    with pytest.raises(DigestPublished):
        await town.publish(preview)

    assert len(await town.outbox()) == before
    assert len(await town.records()) == 1
    # A new preview may be published: its figures are as of now.
    town.clock.advance(minutes=5)
    await town.publish(await town.preview(SUPERVISOR, None, LY))
    assert len(await town.group_posts(B03_GROUP)) == 2


async def test_a_digest_published_in_the_quiet_hours_waits_for_the_morning(town: Town) -> None:
    await some_cases(town)
    await town.bind_groups(B03_GROUP)
    town.at(2026, 3, 2, 22, 30)

    published = await town.publish(await town.preview(SUPERVISOR, None, LY))

    (message,) = await town.group_posts(B03_GROUP)
    assert message.not_before == datetime(2026, 3, 3, 8, 0, tzinfo=TZ)
    assert published.not_before == message.not_before


async def test_another_period_and_a_unit_in_either_order(town: Town) -> None:
    await some_cases(town)
    town.at(2026, 4, 1, 10)

    preview = await town.preview(SUPERVISOR, "上月", LY)

    assert (preview.draft.unit.code, preview.draft.period.label) == (LY, "2026-03")
    assert "受理群众诉求 3 件" in preview.draft.text
    empty = await town.preview(SUPERVISOR)
    assert empty.draft.period.label == "2026-04" and empty.draft.empty


@pytest.mark.parametrize("who", [RESIDENT, WORKER, ADMIN])
async def test_anyone_but_a_supervisor_is_refused_before_anything_is_read(
    town: Town, who: int
) -> None:
    town.ctx, opened = counting(town.ctx)
    with pytest.raises(PermissionDenied) as refused:
        await town.preview(who)
    assert refused.value.details["action"] == "publish_digest"
    assert opened == []


async def test_a_forged_tap_for_a_unit_outside_the_supervisors_is_refused(town: Town) -> None:
    await some_cases(town)
    await town.bind_groups()
    preview = await town.preview(DISTRICT_SUPERVISOR)  # the district's: not 宋涛's
    assert preview.draft.unit.code == "DL"
    town.ctx, opened = counting(town.ctx)

    with pytest.raises(PermissionDenied):
        await town.publish(preview, SUPERVISOR)
    with pytest.raises(PermissionDenied):
        await town.preview(SUPERVISOR, None, "DL")

    assert opened == [] and await town.records() == [] and await town.group_posts(B03_GROUP) == []


async def test_bad_requests_are_refused_and_change_nothing(town: Town) -> None:
    await town.bind_groups()
    preview = await town.preview(SUPERVISOR, None, LY)
    with pytest.raises(UnknownUnit):
        await town.preview(SUPERVISOR, None, "NOPE-1")
    with pytest.raises(ValidationFailed) as unreadable:
        await town.preview(SUPERVISOR, "next-year")
    assert unreadable.value.details["command"] == "digest"
    with pytest.raises(UnknownUnit):
        await town.publish(preview, unit_id=999999)
    with pytest.raises(ValidationFailed):
        await town.publish(preview, period="2026-13")
    with pytest.raises(ValidationFailed):
        await town.publish(preview, stamp=2**40)
    with pytest.raises(NotBound):
        await town.preview(9999)
    assert await town.records() == [] and await town.outbox(B03_GROUP) == []


async def test_a_unit_without_residents_groups_has_nothing_to_publish_to(town: Town) -> None:
    await town.bind_groups(WORKER_GROUP, LEFT_GROUP)
    preview = await town.preview(SUPERVISOR, None, "DL-WX-LY-01")
    assert preview.draft.groups == ()

    with pytest.raises(NoDigestGroups):
        await town.publish(preview)

    assert await town.records() == [] and await town.outbox(WORKER_GROUP) == []


def test_the_period_words_of_stats_name_the_same_periods() -> None:
    now = datetime(2026, 3, 2, 10, tzinfo=TZ)
    assert parse_period("上月", now, TZ).label == "2026-02"
    assert DigestSource("manual") == DigestSource.MANUAL
