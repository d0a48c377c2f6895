"""Keyboards of the care flows. Labels are translated with ``t``; callback data is typed
(``handlers.common.callbacks``)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.domain.care import USUAL_INTERVALS, CareCategory, VisitOutcome
from gridbot.domain.org import Category, Person
from gridbot.handlers.common.callbacks import CareCallback, CareListCallback, CareStepCallback
from gridbot.handlers.common.types import Translate
from gridbot.services.care import CareBoard, CareCard
from gridbot.services.notices import N_

Rows = list[list[InlineKeyboardButton]]
PER_ROW = 2
CATEGORY_LABELS = {
    CareCategory.ELDERLY_ALONE: N_("Elderly living alone"),
    CareCategory.EMPTY_NEST: N_("Empty-nest elderly"),
    CareCategory.DISABLED: N_("Person with a disability"),
    CareCategory.LEFT_BEHIND_CHILD: N_("Left-behind child"),
    CareCategory.SERIOUSLY_ILL: N_("Seriously ill or dependent"),
    CareCategory.LOW_INCOME: N_("Low-income household"),
    CareCategory.OTHER: N_("Other"),
}
OUTCOME_LABELS = {VisitOutcome.NORMAL: N_("All well"), VisitOutcome.NEEDS_HELP: N_("Needs help")}


def _markup(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def _pairs(buttons: list[InlineKeyboardButton]) -> Rows:
    return [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]


def on_person(label: str, action: str, care_id: int) -> InlineKeyboardButton:
    data = CareCallback(action=action, care_id=care_id).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def on_list(label: str, action: str, grid: str, page: int = 0) -> InlineKeyboardButton:
    data = CareListCallback(action=action, grid=grid, page=page).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def step(label: str, name: str, value: str = "") -> InlineKeyboardButton:
    data = CareStepCallback(step=name, value=value).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def cancel_row(t: Translate) -> list[InlineKeyboardButton]:
    return [step(t("Cancel"), "cancel")]


def board(found: CareBoard, t: Translate, locale: str) -> InlineKeyboardMarkup | None:
    """A button per person (⚠️ when overdue), paging, and 添加 Add for the grid leader; or
    a button per grid to choose from."""
    if found.grids:
        return _markup([[on_list(g.name_in(locale), "list", g.code)] for g in found.grids])
    names = [
        on_person(f"{'⚠️ ' if e.overdue else ''}{e.person.name}", "open", e.person.id or 0)
        for e in found.entries
    ]
    rows = _pairs(names)
    code = found.grid.code if found.grid else ""
    paging = []
    if found.page > 0:
        paging.append(on_list(t("« Previous"), "list", code, found.page - 1))
    if found.page + 1 < found.pages:
        paging.append(on_list(t("Next »"), "list", code, found.page + 1))
    rows.append(paging)
    if found.can_manage and found.grid:
        rows.append([on_list(t("Add a care person"), "add", found.grid.code)])
    return _markup(rows) if any(rows) else None


def card(shown: CareCard, t: Translate) -> InlineKeyboardMarkup | None:
    care_id = shown.person.id or 0
    rows: Rows = []
    if shown.may_visit:
        rows.append([on_person(t("Record the visit"), "visit", care_id)])
    if shown.may_manage:
        rows.append(
            [
                on_person(t("Change the worker"), "worker", care_id),
                on_person(t("Change the interval"), "interval", care_id),
            ]
        )
        rows.append([on_person(t("Remove from the list"), "remove", care_id)])
    if shown.may_list:
        rows.append([on_list(t("« Back to the list"), "list", shown.grid.code)])
    return _markup(rows) if rows else None


def categories(t: Translate) -> InlineKeyboardMarkup:
    buttons = [step(t(label), "cat", value) for value, label in CATEGORY_LABELS.items()]
    return _markup([*_pairs(buttons), cancel_row(t)])


def intervals(t: Translate) -> InlineKeyboardMarkup:
    buttons = [step(t("Every %(days)s days", days=d), "every", str(d)) for d in USUAL_INTERVALS]
    return _markup([*_pairs(buttons), cancel_row(t)])


def workers(people: Sequence[Person], t: Translate) -> InlineKeyboardMarkup:
    buttons = [step(p.name, "to", str(p.id)) for p in people if p.id is not None]
    return _markup([*_pairs(buttons), cancel_row(t)])


def skip(t: Translate) -> InlineKeyboardMarkup:
    return _markup([[step(t("Skip"), "skip"), *cancel_row(t)]])


def cancel_only(t: Translate) -> InlineKeyboardMarkup:
    return _markup([cancel_row(t)])


def confirm_remove(care_id: int, t: Translate) -> InlineKeyboardMarkup:
    row = [
        on_person(t("Yes, remove"), "removed", care_id),
        on_person(t("Keep on the list"), "open", care_id),
    ]
    return _markup([row])


def outcomes(t: Translate) -> InlineKeyboardMarkup:
    buttons = [step(t(label), "outcome", value) for value, label in OUTCOME_LABELS.items()]
    return _markup([buttons, cancel_row(t)])


def after_visit(t: Translate) -> InlineKeyboardMarkup:
    return _markup(
        [
            [
                step(t("Raise a case"), "raise", "issue"),
                step(t("Post a micro-wish"), "raise", "wish"),
            ],
            [step(t("Finish"), "done")],
        ]
    )


def case_categories(found: Sequence[Category], locale: str, t: Translate) -> InlineKeyboardMarkup:
    names = [(c.name_en if locale == "en" and c.name_en else c.name, c.code) for c in found]
    return _markup([*_pairs([step(name, "rcat", code) for name, code in names]), cancel_row(t)])
