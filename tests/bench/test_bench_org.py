"""The benchmark's residents and the grid teams its reference bot tells of their cases.

The benchmark lives outside the package (``bench/``, shadowed here by this test folder), so
it is asked from a child process run in the repository, as ``make bench`` runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from .running import ROOT

TEAMS_BY_UNIT = """
import json
from bench.org import grid_teams, make_residents, read_demo_org
org = read_demo_org()
residents = make_residents(8, org)
teams = grid_teams(org, residents)
print(json.dumps({r.unit: teams[r.user_id] for r in residents}))
"""


def test_each_resident_is_told_to_their_grids_workers_leaders_and_work_group() -> None:
    found = subprocess.run(
        [sys.executable, "-c", TEAMS_BY_UNIT], cwd=ROOT, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    teams = json.loads(found.stdout)

    # A building of 临月里第一网格: its worker 张伟, its leader 王芳 and its bound work group.
    assert teams["DL-WX-LY-01-B03"] == [1001, 1002, -100101]
    # The grid itself: the same team.
    assert teams["DL-WX-LY-01"] == [1001, 1002, -100101]
    # 朝北一网格: worker 陈静 and leader 杨磊 (its second worker has no Telegram account);
    # no work group is bound there.
    assert teams["DL-WX-ZB-01"] == [1005, 1006]
    # A building of 朝北二网格 goes up to its grid.
    assert teams["DL-WX-ZB-02-A1"] == [1007, 1008]
