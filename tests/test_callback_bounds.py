"""Every number in callback data is bounded: a forged id past a database INTEGER, negative,
or of thirty digits does not parse, so no handler sees it (the tap is answered "this button
is no longer active") and no query overflows."""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData

from gridbot.handlers.common import callbacks
from gridbot.handlers.common.callbacks import MAX_DB_INT, id_value

FORMATS = sorted(
    (
        kind
        for kind in vars(callbacks).values()
        if isinstance(kind, type) and issubclass(kind, CallbackData) and kind is not CallbackData
    ),
    key=lambda kind: kind.__name__,
)
NUMBERS = [
    (kind, name)
    for kind in FORMATS
    for name, field in kind.model_fields.items()
    if field.annotation is int
]


def packed(kind: type[CallbackData], **values: str) -> str:
    parts = [kind.__prefix__]
    for name in kind.model_fields:
        parts.append(values.get(name, "1" if (kind, name) in NUMBERS else "x"))
    return kind.__separator__.join(parts)


def test_every_format_has_its_numbers_found() -> None:
    assert len(NUMBERS) >= 15  # case ids, care ids, units, grids, pages, the digest's time


@pytest.mark.parametrize(("kind", "name"), NUMBERS, ids=lambda v: getattr(v, "__name__", v))
def test_a_number_in_range_parses(kind: type[CallbackData], name: str) -> None:
    parsed = kind.unpack(packed(kind, **{name: str(MAX_DB_INT)}))
    assert getattr(parsed, name) == MAX_DB_INT


@pytest.mark.parametrize(("kind", "name"), NUMBERS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("forged", ["-1", "9" * 30, str(2**63)])
def test_a_number_out_of_range_does_not_parse(
    kind: type[CallbackData], name: str, forged: str
) -> None:
    with pytest.raises(ValueError):
        kind.unpack(packed(kind, **{name: forged}))


@pytest.mark.parametrize(("kind", "name"), [n for n in NUMBERS if n[1] != "at"])
def test_an_id_past_a_postgresql_integer_does_not_parse(
    kind: type[CallbackData], name: str
) -> None:
    with pytest.raises(ValueError):
        kind.unpack(packed(kind, **{name: str(MAX_DB_INT + 1)}))


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("12", 12),
        (str(MAX_DB_INT), MAX_DB_INT),
        (str(MAX_DB_INT + 1), -1),
        ("9" * 30, -1),
        ("", -1),
        ("-3", -1),
        ("abc", -1),
        ("²", -1),  # a digit to str.isdigit, not to int()
        ("١٢", -1),  # Arabic-Indic digits
    ],
)
def test_a_number_in_a_text_field_names_nothing_unless_it_is_a_database_id(
    value: str, number: int
) -> None:
    assert id_value(value) == number
