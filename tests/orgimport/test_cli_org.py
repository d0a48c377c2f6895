"""`gridbot org import|show|link` through the real CLI entry point and a temp SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gridbot.bot.cli import main
from gridbot.bot.cli_org import mask_phone

DEMO = str(Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml")


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("BOT_USERNAME", raising=False)
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        names = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {n: sorted(connection.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}


def test_import_twice_reports_then_changes_nothing(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "import", DEMO]) == 0
    first = capsys.readouterr().out
    before = dump(db_file)
    assert main(["org", "import", DEMO]) == 0
    second = capsys.readouterr().out

    assert "units: 12 created, 0 updated, 0 unchanged" in first
    assert "people: 31 created" in first
    assert "units: 0 created, 0 updated, 12 unchanged" in second
    assert "people: 0 created, 0 updated, 31 unchanged" in second
    assert "care persons: 3 created" in first and "3 care persons" in first
    assert "care persons: 0 created, 0 updated, 3 unchanged" in second
    invite = next(line for line in first.splitlines() if "许文" in line)
    assert invite.strip().startswith("许文: inv_")
    assert invite in second.splitlines()
    assert dump(db_file) == before


def test_invites_come_with_a_link_when_the_bot_username_is_known(
    db_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@gridbot_demo_bot")
    assert main(["org", "import", DEMO]) == 0
    invite = next(line for line in capsys.readouterr().out.splitlines() if "许文" in line)
    code = invite.split("inv_")[1].split()[0]
    assert invite.endswith(f"https://t.me/gridbot_demo_bot?start=inv_{code}")


def test_a_bad_file_exits_1_names_every_problem_and_changes_nothing(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "import", DEMO]) == 0
    before = dump(db_file)
    bad = tmp_path / "bad-org.yaml"
    bad.write_text(
        Path(DEMO)
        .read_text(encoding="utf-8")
        .replace("name: 临月里第一网格", "name: 改了名")
        .replace("parent: DL-WX-LY-01}", "parent: DL-XX}", 1)
        .replace("telegram_id: 1003", "telegram_id: 1001"),
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["org", "import", str(bad)]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    problems = err.splitlines()
    assert problems[0] == "bad-org.yaml:11: unit DL-WX-LY-01-B03: unknown parent DL-XX"
    assert problems[1].startswith("bad-org.yaml:")
    assert "telegram_id 1001 already used by 张伟" in problems[1]
    assert problems[-1] == "2 problem(s); nothing was imported"
    assert dump(db_file) == before


def test_show_prints_the_whole_tree_with_people_and_masked_phones(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["org", "import", DEMO])
    capsys.readouterr()

    assert main(["org", "show"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "DL 东丽区 / Dongli District (district)"
    assert "  DL-WX 万新街道 / Wanxin Subdistrict (street)" in lines
    assert (
        "      DL-WX-ZB-02 东丽开发区产业园区网格 / Dongli Development Zone Industrial Park Grid"
        " (grid, dedicated)"
    ) in lines
    assert "        · grid_worker: 张伟 [tg 1001, 138****1001]" in lines
    assert lines.count("        · grid_guide: 徐强 (police) [tg 1011, 138****1011]") == 3
    assert "        · grid_worker: 许文 [invite pending, 138****1025]" in lines
    assert not any("13800001001" in line for line in lines)


def test_show_code_limits_the_tree_to_a_subtree(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["org", "import", DEMO])
    capsys.readouterr()

    assert main(["org", "show", "DL-WX-LY-02"]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "DL-WX-LY-02 临月里第二网格 / Linyueli Grid 2 (grid, residential)",
        "  · grid_worker: 李娜 [tg 1003]",
        "  · grid_leader: 刘洋 [tg 1004]",
        "  · grid_guide: 徐强 (police) [tg 1011, 138****1011]",
        "  DL-WX-LY-02-B12 临月里12号楼 / Linyueli Building 12 (building)",
        "    · resident: 张秀梅 [tg 2003]",
    ]


def test_link_prints_the_payloads_and_with_a_username_the_links(
    db_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["org", "import", DEMO])
    capsys.readouterr()

    assert main(["org", "link", "DL-WX-LY-01"]) == 0
    plain = capsys.readouterr().out.splitlines()
    monkeypatch.setenv("BOT_USERNAME", "gridbot_demo_bot")
    assert main(["org", "link", "DL-WX-LY-01"]) == 0
    linked = capsys.readouterr().out.splitlines()

    join = plain[1].removeprefix("join as a resident: /start ")
    bind = plain[2].removeprefix("bind a group: ")
    assert join.startswith("j_") and bind.startswith("b_") and join[2:] != bind[2:]
    assert linked == [
        "DL-WX-LY-01 临月里第一网格 (grid)",
        f"join as a resident: /start {join}",
        f"  https://t.me/gridbot_demo_bot?start={join}",
        f"bind a group: {bind}",
        f"  https://t.me/gridbot_demo_bot?startgroup={bind}",
    ]


def test_the_username_may_come_from_dotenv_like_every_setting(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    main(["org", "import", DEMO])
    capsys.readouterr()
    (tmp_path / ".env").write_text("BOT_USERNAME=@gridbot_env_bot\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["org", "link", "DL-WX-LY-01"]) == 0
    linked = capsys.readouterr().out.splitlines()
    assert linked[2].startswith("  https://t.me/gridbot_env_bot?start=j_")


@pytest.mark.parametrize("command", ["show", "link"])
def test_an_unknown_code_exits_1_with_a_message(
    command: str, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["org", "import", DEMO])
    capsys.readouterr()

    assert main(["org", command, "DL-NOPE"]) == 1

    out, err = capsys.readouterr()
    assert (out, err) == ("", "unknown unit code DL-NOPE\n")


def test_phones_are_masked_in_the_middle() -> None:
    assert mask_phone("13800000001") == "138****0001"
    assert mask_phone("12345") == "1**45"
    assert mask_phone(None) is None
