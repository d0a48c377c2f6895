"""/tasks: my open cases, soonest deadline first, the overdue ones marked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.errors import NotBound
from gridbot.services.workflow import (
    AcceptCase,
    MyTasks,
    ResolveCase,
    accept_case,
    my_tasks,
    resolve_case,
)

from .conftest import LEADER, WORKER, Desk


async def test_tasks_are_ordered_by_the_deadline_that_matters_now(desk: Desk) -> None:
    safety = await desk.report(category="safety", text="楼道堆放电动车电池")  # accept in 1 h
    env = await desk.report()  # accept in 2 h
    other = await desk.report(category="other", text="其他问题")  # accept in 8 h
    await desk.run(accept_case, AcceptCase, WORKER, other.id)  # resolve in 120 h
    done = await desk.report(text="已解决的问题")
    await desk.run(accept_case, AcceptCase, WORKER, done.id)
    await desk.run(resolve_case, ResolveCase, WORKER, done.id, "好了")
    desk.clock.advance(minutes=90)

    tasks = await desk.run(my_tasks, MyTasks, WORKER)

    assert [t.case.number for t in tasks] == [safety.number, env.number, other.number]
    assert [t.overdue for t in tasks] == [True, False, False]
    assert [t.due for t in tasks] == [safety.respond_by, env.respond_by, other.resolve_by]
    assert [t.category_name for t in tasks] == ["安全隐患", "环境卫生", "其他"]
    assert tasks[0].category_name_en == "Safety hazard"
    assert tasks[0].waiting and not tasks[2].waiting


async def test_a_resolve_deadline_passed_marks_an_accepted_case_overdue(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    assert case.resolve_by is not None
    desk.clock.at = case.resolve_by + timedelta(seconds=1)

    (task,) = await desk.run(my_tasks, MyTasks, WORKER)

    assert task.overdue and task.due == case.resolve_by


async def test_someone_with_no_cases_has_no_tasks_and_a_stranger_is_told(desk: Desk) -> None:
    await desk.report()

    assert await desk.run(my_tasks, MyTasks, LEADER) == []
    with pytest.raises(NotBound):
        await desk.run(my_tasks, MyTasks, 777)
