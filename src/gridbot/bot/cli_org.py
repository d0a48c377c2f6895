"""`gridbot org import|show|link`: the admin's view of the organisation (docs/org-file.md)."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from gridbot.bot.app import build_context
from gridbot.bot.orgfile import OrgFileError, read_org_file
from gridbot.bot.startup import load_settings, migrate
from gridbot.domain.errors import DomainError
from gridbot.domain.org import OrgUnit, Person, Role
from gridbot.domain.orgtree import OrgTree
from gridbot.services.context import Context
from gridbot.services.orgimport import ImportOrg, ImportReport, OrgSpec, Tally, import_org
from gridbot.services.ports import UnitOfWork
from gridbot.storage.database import Database

T = TypeVar("T")
SHOWN_RESIDENTS = 10  # per unit; a real grid has hundreds


def new_token() -> str:
    return secrets.token_urlsafe(9)  # 12 characters of [A-Za-z0-9_-], fit for deep links


def bot_username() -> str | None:
    """From BOT_USERNAME (environment or .env), optional: without it only the payloads are
    printed."""
    return load_settings().bot_username


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    head, tail = (3, 4) if len(phone) >= 9 else (1, 2)
    return phone[:head] + "*" * (len(phone) - head - tail) + phone[-tail:]


def _with_context(work: Callable[[Context], Awaitable[T]]) -> T:
    """Run ``work`` on the database of the settings, migrated to the latest schema."""

    async def main() -> T:
        settings = load_settings()
        await asyncio.to_thread(migrate, settings.database_url)
        db = Database(settings.database_url)
        try:
            return await work(build_context(settings, db))
        finally:
            await db.dispose()

    return asyncio.run(main())


def _reading(work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    async def read(ctx: Context) -> T:
        async with ctx.reading() as uow:
            return await work(uow)

    return _with_context(read)


def import_command(args: argparse.Namespace) -> int:
    try:
        spec = read_org_file(args.file).to_spec()
    except OrgFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was imported", file=sys.stderr)
        return 1

    async def work(ctx: Context) -> ImportReport:
        return await import_org(ImportOrg(spec, new_token), ctx)

    try:
        report = _with_context(work)
    except (DomainError, SQLAlchemyError) as error:
        print(f"import failed, nothing was changed: {error}", file=sys.stderr)
        return 1
    _print_report(report, _spec_summary(spec))
    return 0


def _spec_summary(spec: OrgSpec) -> str:
    roles = sum(len(p.roles) for p in spec.people)
    counts = f"{len(spec.units)} units, {len(spec.categories)} categories, {roles} roles"
    return f"{counts}, {len(spec.care)} care persons"


def _print_report(report: ImportReport, summary: str) -> None:
    def line(kind: str, tally: Tally) -> str:
        counts = f"{tally.created} created, {tally.updated} updated"
        return f"  {kind}: {counts}, {tally.unchanged} unchanged"

    print(f"imported {summary}")
    print(line("units", report.units))
    print(line("categories", report.categories))
    print(line("people", report.people))
    print(line("care persons", report.care))
    if report.invites:
        print(f"invites ({len(report.invites)}): send each person their link")
    username = bot_username()
    for invite in report.invites:
        link = f"  https://t.me/{username}?start=inv_{invite.code}" if username else ""
        print(f"  {invite.name}: inv_{invite.code}{link}")


def show_command(args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> list[str] | None:
        tree = OrgTree(await uow.org.list_units())
        if args.code is not None and args.code not in tree:
            return None
        roots = [tree.get(args.code)] if args.code else [u for u in tree if u.parent_code is None]
        shown = [(root, [root, *tree.descendants(root.code)]) for root in roots]
        codes = {unit.code for _, units in shown for unit in units} if args.code else None
        holders, residents = await uow.orgfile.holders(codes, SHOWN_RESIDENTS)
        by_unit: dict[str, dict[Role, list[Person]]] = {}
        for code, role, person in holders:
            by_unit.setdefault(code, {}).setdefault(role, []).append(person)
        lines: list[str] = []
        for root, units in shown:
            for unit in units:
                depth = len(tree.ancestors(unit.code)) - len(tree.ancestors(root.code))
                lines += _unit_lines(unit, depth, by_unit.get(unit.code, {}), residents)
        return lines

    lines = _reading(work)
    if lines is None:
        print(f"unknown unit code {args.code}", file=sys.stderr)
        return 1
    print("\n".join(lines) if lines else "no units yet: run `gridbot org import FILE`")
    return 0


def _unit_lines(
    unit: OrgUnit, depth: int, holders: dict[Role, list[Person]], residents: Mapping[str, int]
) -> list[str]:
    indent = "  " * depth
    kind = f", {unit.kind}" if unit.kind else ""
    english = f" / {unit.name_en}" if unit.name_en else ""
    lines = [f"{indent}{unit.code} {unit.name}{english} ({unit.level}{kind})"]
    for role in [*(r for r in Role if r != Role.RESIDENT), Role.RESIDENT]:
        shown = holders.get(role, [])
        lines += [f"{indent}  · {role}: {_person(p)}" for p in shown]
        more = residents.get(unit.code, 0) - len(shown) if role == Role.RESIDENT else 0
        if more > 0:
            lines.append(f"{indent}  · {role}: … and {more} more")
    return lines


def _person(person: Person) -> str:
    department = f" ({person.department})" if person.department else ""
    who = [f"tg {person.telegram_id}" if person.telegram_id else "invite pending"]
    phone = mask_phone(person.phone)
    if phone:
        who.append(phone)
    return f"{person.name}{department} [{', '.join(who)}]"


def link_command(args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> OrgUnit | None:
        return await uow.org.get_unit(args.code)

    unit = _reading(work)
    if unit is None:
        print(f"unknown unit code {args.code}", file=sys.stderr)
        return 1
    username = bot_username()
    print(f"{unit.code} {unit.name} ({unit.level})")
    print(f"join as a resident: /start j_{unit.join_token}")
    if username:
        print(f"  https://t.me/{username}?start=j_{unit.join_token}")
    print(f"bind a group: b_{unit.bind_token}")
    if username:
        print(f"  https://t.me/{username}?startgroup=b_{unit.bind_token}")
    else:
        print("(set BOT_USERNAME to print the t.me links)")
    return 0
