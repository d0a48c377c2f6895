"""Fakes for the bot tests: a unit of work over dicts, and the Bot API faked at the session
boundary (like aiogram's tests/mocked_bot.py): every request is recorded and answered."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, Update, User

from gridbot.domain.org import OrgUnit, Person, RoleAssignment

BOT_USER = User(id=42, is_bot=True, first_name="gridbot", username="gridbot_test_bot")


class FakePeople:
    def __init__(self) -> None:
        self.people: dict[int, Person] = {}
        self.roles: list[RoleAssignment] = []

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        return next((p for p in self.people.values() if p.telegram_id == telegram_id), None)

    async def roles_of(self, person_id: int) -> Sequence[RoleAssignment]:
        return [r for r in self.roles if r.person_id == person_id]

    async def with_roles(
        self, telegram_id: int
    ) -> tuple[Person, Sequence[RoleAssignment], int] | None:
        person = await self.by_telegram_id(telegram_id)
        if person is None or person.id is None:
            return None
        return person, await self.roles_of(person.id), 0


class FakeOrg:
    def __init__(self) -> None:
        self.units: dict[str, OrgUnit] = {}

    async def revision(self) -> int:
        return len(self.units)

    async def list_units(self) -> Sequence[OrgUnit]:
        return sorted(self.units.values(), key=lambda u: (u.level.depth, u.code))

    async def get_unit(self, code: str) -> OrgUnit | None:
        return self.units.get(code)

    async def around(self, codes: Collection[str]) -> Sequence[OrgUnit]:
        found: dict[str, OrgUnit] = {}
        for code in codes:
            unit = self.units.get(code)
            while unit is not None and unit.code not in found:
                found[unit.code] = unit
                unit = self.units.get(unit.parent_code) if unit.parent_code else None
        return sorted(found.values(), key=lambda u: (u.level.depth, u.code))

    async def unit_by_token(self, token: str) -> OrgUnit | None:
        return next((u for u in self.units.values() if token in (u.join_token, u.bind_token)), None)


class FakeCategories:
    async def list_all(self) -> Sequence[object]:
        return []


class FakeUnitOfWork:
    """Only what the handlers under test read; shared state lives in the repositories."""

    def __init__(self, people: FakePeople, org: FakeOrg) -> None:
        self.people = people
        self.org = org
        self.categories = FakeCategories()
        self.committed = False

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        self.committed = True

    async def rollback(self) -> None:
        return None


class FakeStore:
    """People and units, and a factory of units of work over them."""

    def __init__(self) -> None:
        self.people = FakePeople()
        self.org = FakeOrg()

    def uow(self) -> Any:
        return FakeUnitOfWork(self.people, self.org)

    def reader(self) -> Any:
        return FakeUnitOfWork(self.people, self.org)

    def add_unit(self, unit: OrgUnit) -> OrgUnit:
        self.org.units[unit.code] = unit
        return unit

    def add_person(self, person: Person, *roles: tuple[str, str]) -> Person:
        person.id = len(self.people.people) + 1
        self.people.people[person.id] = person
        for role, unit_code in roles:
            self.people.roles.append(RoleAssignment(person.id, role, unit_code))  # type: ignore[arg-type]
        return person


class RecordingSession(BaseSession):
    """Records every Bot API call; answers sendMessage with a Message and others with True."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.failures: dict[type[TelegramMethod[Any]], Exception] = {}
        self._message_ids = 0

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        self.requests.append(method)
        if type(method) in self.failures:
            raise self.failures[type(method)]
        return self._result(method)  # type: ignore[no-any-return]

    def _result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, SendMessage):
            self._message_ids += 1
            chat = Chat(id=int(method.chat_id), type="private")
            return Message(
                message_id=self._message_ids, date=datetime.now(UTC), chat=chat, text=method.text
            )
        return True

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover
        yield b""

    def sent(self, method_type: type[TelegramMethod[Any]] = SendMessage) -> list[Any]:
        return [r for r in self.requests if isinstance(r, method_type)]


_update_ids = iter(range(1, 1_000_000))


def user_dict(user_id: int, language_code: str | None, first_name: str) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        user["language_code"] = language_code
    return user


def message_update(
    text: str | None = None,
    *,
    user_id: int = 1001,
    language_code: str | None = "zh-hans",
    first_name: str = "李",
    chat_type: str = "private",
    **content: Any,
) -> Update:
    """A message update; ``content`` adds other message fields (a sticker, a photo ...)."""
    chat_id = user_id if chat_type == "private" else -100_200
    message: dict[str, Any] = {
        "message_id": 7,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": chat_type, "title": None},
        "from": user_dict(user_id, language_code, first_name),
        **content,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return Update.model_validate({"update_id": next(_update_ids), "message": message})


def callback_update(
    data: str, *, user_id: int = 1001, language_code: str | None = "zh-hans"
) -> Update:
    user = user_dict(user_id, language_code, "李")
    return Update.model_validate(
        {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": "cb-1",
                "from": user,
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": 5,
                    "date": 1_700_000_000,
                    "chat": {"id": user_id, "type": "private"},
                    "from": BOT_USER.model_dump(),
                    "text": "earlier message",
                },
            },
        }
    )


STICKER = {
    "sticker": {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
