"""What a group may read of a resident's words: domain.texts.mask_personal and
public_summary, table-tested on the spellings people really use."""

from __future__ import annotations

import pytest

from gridbot.domain.texts import mask_personal, public_summary

ISSUE_11 = (
    "我是李桂兰，电话13900002001，身份证号120110198001012345，住3号楼2单元501室，"
    "楼道灯坏了，联系王建华也可以"
)

HIDDEN = [
    ("13900002001", "13900002001"),
    ("139-0000-2001", "0000"),
    ("139 0000 2001", "0000"),
    ("138.0000.1009", "1009"),
    ("+86 139 0000 2001", "2001"),
    ("+8613900002001", "2001"),
    ("022-12345678", "12345678"),
    ("(022) 1234 5678", "5678"),
    ("一三九零零零零二零零一", "零零零零"),
    ("幺三九零零零零二零零幺", "零零零零"),
    ("１３９００００２００１", "2001"),
    ("１３９００００２００１", "２００１"),
    ("120110198001012345", "12345"),
    ("12011019800101234X", "234X"),
    ("12011019800101234x", "34x"),
    ("120110800101123", "0101123"),
    ("1201101980…", "1201101980"),
    ("津A12345", "A12345"),
    ("津A·12345", "12345"),
    ("津AD12345", "D12345"),
    ("京a f1234", "f1234"),
    ("微信lgl2001", "lgl2001"),
    ("微信号：lgl_2001", "lgl_2001"),
    ("vx: lgl2001", "lgl2001"),
    ("WX lgl2001", "lgl2001"),
    ("QQ 12345", "12345"),
    ("邮箱 lgl2001@example.com", "lgl2001"),
    ("3号楼2单元501室", "501"),
    ("3号楼2单元501室", "2单元"),
    ("501室", "501"),
    ("5-501", "501"),
    ("3-2-501", "501"),
    ("3号楼501", "501"),
    ("二单元", "二单元"),
    ("我是李桂兰，楼道灯坏了", "李桂兰"),
    ("我叫张三，楼道灯坏了", "张三"),
]


@pytest.mark.parametrize(("text", "secret"), HIDDEN)
def test_personal_data_is_masked_in_every_spelling(text: str, secret: str) -> None:
    masked = mask_personal(f"楼道灯坏了 {text} 请处理")
    assert secret not in masked
    assert "***" in masked


KEPT = [
    "3号楼楼道灯坏了三天了",
    "小区东门垃圾桶满了，下午5点还没清",
    "2号楼电梯停了",
    "我是业主，门口积水",
    "路灯坏了12盏",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_identifies_nobody_is_kept(text: str) -> None:
    assert mask_personal(text) == text


def test_the_building_stays_while_unit_and_room_go() -> None:
    masked = mask_personal("住3号楼2单元501室")
    assert masked.startswith("住3号楼")
    assert "501" not in masked and "2单元" not in masked


def test_names_the_bot_knows_are_masked_wherever_they_are() -> None:
    masked = mask_personal(ISSUE_11, names=["李桂兰", "王建华"])
    for secret in ("李桂兰", "王建华", "13900002001", "1201101980", "501", "2单元"):
        assert secret not in masked
    assert "3号楼" in masked and "楼道灯坏了" in masked


def test_the_issue_11_report_leaks_nothing_even_without_known_names() -> None:
    masked = mask_personal(ISSUE_11)
    for secret in ("李桂兰", "139", "1201101980", "2345", "501"):
        assert secret not in masked


def test_the_public_summary_masks_before_it_cuts() -> None:
    text = "楼道灯坏了" * 10 + "电话13900002001"
    line = public_summary(text, limit=58, names=())
    assert "1390" not in line and len(line) <= 58


def test_the_public_summary_is_one_line() -> None:
    assert public_summary("楼道灯\n坏了\t三天", names=["李桂兰"]) == "楼道灯 坏了 三天"
