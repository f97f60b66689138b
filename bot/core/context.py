"""What every command handler knows about the request it serves: who, where, in which language and zone."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core import i18n
from bot.core.messages import Request
from bot.core.ports import ChatState, UserRef


@dataclass(frozen=True, slots=True)
class CommandContext:
    request: Request
    user: UserRef
    chat: ChatState
    language: str
    zone: ZoneInfo  # the chat's time zone (its daily question's, else the configured default)

    def t(self, key: str, **values: object) -> str:
        return i18n.text(key, self.language, **values)
