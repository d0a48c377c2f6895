"""The org file's care section (重点人群): read into care persons whose worker is a person of
the file, every problem named by its line; imported idempotently, matched by ledger ref or
by name on the grid."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from demo_town import context
from gridbot.bot.orgfile import OrgFileError, parse_org_text
from gridbot.domain.care import CareCategory
from gridbot.domain.messaging import DueKind
from gridbot.services.orgimport import ImportOrg, ImportReport, import_org
from gridbot.storage.database import Database

ORG = """\
units:
  - {code: DL, name: 东丽区, level: district}
  - {code: DL-WX, name: 万新街道, level: street, parent: DL}
  - {code: DL-WX-LY, name: 临月里社区, level: community, parent: DL-WX}
  - {code: DL-WX-LY-01, name: 临月里第一网格, level: grid, parent: DL-WX-LY}
  - {code: DL-WX-LY-02, name: 临月里第二网格, level: grid, parent: DL-WX-LY}
people:
  - name: 张伟
    phone: "13800000001"
    roles: [{role: grid_worker, unit: DL-WX-LY-01}]
  - name: 王芳
    telegram_id: 1002
    roles: [{role: grid_leader, unit: DL-WX-LY-01}]
  - name: 李娜
    phone: "13800000003"
    roles: [{role: grid_worker, unit: DL-WX-LY-02}]
  - name: 李娜
    telegram_id: 1033
    roles: [{role: grid_worker, unit: DL-WX-LY-01}]
care:
"""  # the care section starts on line 20


def problems(care: str) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        parse_org_text(ORG + care, "org.yaml")
    return caught.value.problems


def test_a_care_section_becomes_care_persons_with_their_workers() -> None:
    org = parse_org_text(
        ORG
        + "  - name: 赵桂英\n"
        + "    grid: DL-WX-LY-01\n"
        + "    category: elderly_alone\n"
        + "    worker: 张伟\n"
        + "    interval_days: 7\n"
        + "    address: 5号楼2单元301\n"
        + '    phone: "13900003001"\n'
        + "    ref: 1001\n"
        + "    last_visit: 2026-02-27\n"
        + "  - {name: 孙小明, grid: DL-WX-LY-01, category: left_behind_child,"
        + ' worker: "13800000001", interval_days: 14}\n'
        + "  - {name: 钱卫国, grid: DL-WX-LY-01, category: other, worker: 1002,"
        + " interval_days: 30, last_visit: '2026-02-01'}\n"
        + "  - {name: 周奶奶, grid: DL-WX-LY-01, category: other, worker: 1033,"
        + " interval_days: 30}\n",
        "org.yaml",
    )
    granny, child, veteran, other = org.to_spec().care
    assert (granny.name, granny.grid_code, granny.category) == (
        "赵桂英",
        "DL-WX-LY-01",
        CareCategory.ELDERLY_ALONE,
    )
    assert (granny.worker, granny.interval_days, granny.address, granny.phone) == (
        0,
        7,
        "5号楼2单元301",
        "13900003001",
    )
    assert (granny.ref, granny.last_visit) == ("1001", date(2026, 2, 27))
    assert (child.worker, child.ref, child.last_visit) == (0, None, None)  # by phone
    assert (veteran.worker, veteran.last_visit) == (1, date(2026, 2, 1))  # by telegram_id
    assert other.worker == 3
    assert org.care[1].line == 30


def test_every_problem_of_the_care_section_is_named_by_its_line() -> None:
    found = problems(
        "  - {name: 赵桂英, grid: DL-WX-XX, category: elderly_alone, worker: 张伟,"
        " interval_days: 7}\n"  # 19
        "  - {name: 孙小明, grid: DL-WX-LY, category: vip, worker: 张伟, interval_days: 0}\n"
        "  - {name: 钱卫国, grid: DL-WX-LY-01, category: other, worker: 李娜, interval_days: 7}\n"
        "  - {name: 周奶奶, grid: DL-WX-LY-01, category: other, worker: 高峰, interval_days: 7,"
        " phone: 13900000000, last_visit: yesterday}\n"
        "  - {name: 吴爷爷, grid: DL-WX-LY-02, category: other, worker: 张伟, interval_days: 7.5,"
        " ref: A1}\n"
        "  - {name: 郑奶奶, grid: DL-WX-LY-01, category: other, worker: 王芳, interval_days: 7,"
        " ref: A1, extra: 1}\n"
        "  - {name: 赵桂英, grid: DL-WX-XX, category: other, worker: 王芳, interval_days: 7}\n"
        "  - {name: 冯爷爷, grid: DL-WX-LY-01, category: other, interval_days: 7}\n"
    )
    assert found == [
        # What the shape of an entry shows, first:
        "org.yaml:24: care 周奶奶: last_visit must be a date like 2026-02-27",
        "org.yaml:26: care 郑奶奶: unknown key 'extra' (known: name, grid, category, worker,"
        " interval_days, address, phone, ref, last_visit)",
        "org.yaml:28: care 冯爷爷: missing worker",
        # Then the rules, entry by entry:
        "org.yaml:21: care 赵桂英: unknown grid DL-WX-XX",
        "org.yaml:22: care 孙小明: DL-WX-LY is a community, not a grid",
        "org.yaml:22: care 孙小明: unknown category vip (elderly_alone, empty_nest, disabled,"
        " left_behind_child, seriously_ill, low_income, other)",
        "org.yaml:22: care 孙小明: interval_days must be whole days from 1 to 90, not 0",
        "org.yaml:23: care 钱卫国: worker 李娜 is ambiguous (lines 14, 17): name them by their"
        " phone or telegram_id",
        "org.yaml:24: care 周奶奶: worker '高峰' is not among the people",
        'org.yaml:24: care 周奶奶: phone must be quoted text, like "13900000000"',
        "org.yaml:25: care 吴爷爷: interval_days must be whole days from 1 to 90, not 7.5",
        "org.yaml:25: care 吴爷爷: worker 张伟 is not a grid_worker, grid_leader or"
        " branch_secretary of DL-WX-LY-02",
        "org.yaml:27: care 赵桂英: unknown grid DL-WX-XX",
        # And what must be unique across entries:
        "org.yaml:26: care 郑奶奶: ref A1 already used on line 25",
        "org.yaml:27: care 赵桂英: same name on the same grid as on line 21: give each a ref"
        " to tell them apart",
    ]


def test_a_ref_is_unique_and_lengths_are_limited() -> None:
    found = problems(
        f"  - {{name: {'名' * 51}, grid: DL-WX-LY-01, category: other, worker: 张伟,"
        f" interval_days: 7, ref: A1, address: {'址' * 201}}}\n"
        "  - {name: 冯爷爷, grid: DL-WX-LY-01, category: other, worker: 张伟, interval_days: 7,"
        ' ref: A1, phone: "12-34"}\n'
    )
    assert [p.split(": ", 2)[2] for p in found] == [
        "a name is at most 50 characters",
        "an address is at most 200 characters",
        "phone 12-34 must be 5-20 digits",
        "ref A1 already used on line 21",
    ]


def tokens() -> itertools.count[int]:
    return itertools.count(1)


async def run_import(db: Database, care: str, at: datetime) -> ImportReport:
    spec = parse_org_text(ORG + care, "org.yaml").to_spec()
    numbers = tokens()
    ctx = context(db)
    ctx.clock.at = at  # type: ignore[attr-defined]
    return await import_org(ImportOrg(spec, lambda: f"t{next(numbers)}"), ctx)


GRANNY = (
    "  - {name: 赵桂英, grid: DL-WX-LY-01, category: elderly_alone, worker: 张伟,"
    " interval_days: 7, ref: A1, last_visit: 2026-02-27}\n"
)
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def test_an_import_schedules_the_next_visit_and_a_reimport_changes_nothing(
    database: Database,
) -> None:
    first = await run_import(database, GRANNY, MONDAY)
    second = await run_import(database, GRANNY, MONDAY.replace(day=4))
    assert (first.care.created, second.care.unchanged) == (1, 1)
    async with database.reader() as uow:
        (granny,) = await uow.care.of_grid("DL-WX-LY-01")
        assert granny.id is not None
        items = await uow.due.pending(DueKind.CARE_VISIT, str(granny.id))
    # The last visit on paper, Friday 27 February: the next is due Friday 6 March, 09:00.
    due = datetime(2026, 3, 6, 1, 0, tzinfo=UTC)
    assert granny.next_visit_at == due and granny.added_at == MONDAY
    assert [i.due_at for i in items] == [due]


async def test_a_reimport_moves_the_person_by_ref_and_keeps_a_later_visit_in_the_bot(
    database: Database,
) -> None:
    await run_import(database, GRANNY, MONDAY)
    async with database.uow() as uow:
        (granny,) = await uow.care.of_grid("DL-WX-LY-01")
        assert granny.id is not None
        granny.visited(datetime(2026, 3, 5, 3, 0, tzinfo=UTC), context(database).tz)
        await uow.care.update_person(granny)
        await uow.commit()
    moved = GRANNY.replace("DL-WX-LY-01", "DL-WX-LY-02").replace("worker: 张伟", "worker: 李娜")
    moved = moved.replace("worker: 李娜", 'worker: "13800000003"')
    report = await run_import(database, moved, MONDAY.replace(day=6))
    assert report.care.updated == 1
    async with database.reader() as uow:
        assert await uow.care.of_grid("DL-WX-LY-01") == []
        (now,) = await uow.care.of_grid("DL-WX-LY-02")
        items = await uow.due.pending(DueKind.CARE_VISIT, str(granny.id))
        li_na = await uow.people.find("李娜", "13800000003")
    assert now.id == granny.id and li_na is not None and now.worker_id == li_na.id
    # Visited in the bot on Thursday 5 March, after the paper's 27 February: due 12 March.
    due = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
    assert now.last_visit_at == datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
    assert now.next_visit_at == due and [i.due_at for i in items] == [due]
