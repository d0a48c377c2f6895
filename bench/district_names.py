"""Names of the synthetic district: its streets (Dongli's real ones), made-up community
names with their codes' initials, grid names, and people's names and phone numbers."""

from __future__ import annotations

import random
from typing import Any

STREETS = (
    ("ZGZ", "张贵庄街道"), ("FNC", "丰年村街道"), ("WX", "万新街道"), ("WXJ", "无瑕街道"),
    ("XL", "新立街道"), ("HM", "华明街道"), ("JZ", "金钟街道"), ("JLC", "军粮城街道"),
    ("JQ", "金桥街道"), ("DLH", "东丽湖街道"), ("HX", "华新街道"),
)  # fmt: skip
DEMO_COMMUNITIES = (("LY", "临月里"), ("ZB", "詹滨里"))  # on 万新街道, as in the demo org
SYLLABLES = tuple(
    zip(
        "临月詹滨新安和平康宁丰泰华明金钟东湖欣嘉春秀兴盛福顺景泽瑞晨雅清润翠阳光惠丽祥馨",
        "LYZBXAHPKNFTHMJZDHXJCXXSFSJZRCYQRCYGHLXX",
        strict=True,
    )
)
SUFFIXES = ("里", "园", "苑", "村", "家园", "花园", "新城", "庄")
DEDICATED = ("产业园区", "物流园", "商务楼宇", "商贸市场", "科技园")
FIRST_TELEGRAM_ID = 700_000_000
NUMERALS = "一二三四五六七八九十"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红兰凤玉梅文斌海波宁晨欣怡浩然宇轩子涵雨萱思远佳琪俊博"  # noqa: E501


def community_name(rng: random.Random, street: str, index: int, taken: set[str]) -> tuple[str, str]:
    """(name stem, code initials) of a street's community, unique in the street (临月里,
    LY); the demo's two communities come first on 万新街道."""
    if street == "WX" and index < len(DEMO_COMMUNITIES):
        initials, stem = DEMO_COMMUNITIES[index]
    else:
        while True:
            (a, ia), (b, ib) = rng.sample(SYLLABLES, 2)
            stem, initials = f"{a}{b}{rng.choice(SUFFIXES)}", f"{ia}{ib}"
            if stem not in taken:
                break
    taken.add(stem)
    code, number = initials, 2
    while code in taken:
        code, number = f"{initials}{number}", number + 1
    taken.add(code)
    return stem, code


def numeral(number: int) -> str:
    """1..99 in Chinese numerals (第十二网格)."""
    if number <= 10:
        return NUMERALS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def person_row(person_id: int, rng: random.Random, department: str | None = None) -> dict[str, Any]:
    return {
        "id": person_id,
        "name": person_name(rng),
        "phone": phone(rng) if rng.random() < 0.6 else None,
        "telegram_id": FIRST_TELEGRAM_ID + person_id,
        "language": "en" if rng.random() < 0.005 else None,
        "invite_code": None,
        "department": department,
        "blocked_bot": rng.random() < 0.003,
    }
