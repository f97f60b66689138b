"""What adapters hand to the core (a Request) and what they get back (Replies): plain data, no platform types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

ACTION_MAX_BYTES = 64  # Telegram's callback_data limit; Discord's custom_id (100) is looser


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a command. The core checks its name and size first, then calls `download`."""

    file_name: str
    size: int | None  # as the platform announced it; None when unknown
    download: Callable[[], Awaitable[bytes]] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Document:
    """A file the bot sends (an exported deck)."""

    file_name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Request:
    """One thing a user did: a command with arguments, or a click on a button (`action`)."""

    platform: str
    chat_id: str
    user_id: str
    user_name: str
    chat_kind: ChatKind = ChatKind.PRIVATE
    locale: str | None = None
    command: str | None = None
    args: str = ""
    action: str | None = None
    message_id: str | None = None  # the message the button sat on, when known
    channel_id: str | None = (
        None  # where to post later (a Discord channel inside a guild chat); default chat_id
    )
    # whether the user may change this chat's group settings: denied unless the adapter checked
    is_admin: bool = False
    local_commands: tuple[str, ...] = ()  # commands the adapter handles itself (console: as, quit), for /help
    attachment: Attachment | None = None  # a file sent with the command (`/upload`)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > ACTION_MAX_BYTES:
            raise ValueError(f"button action over {ACTION_MAX_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send (or an edit of `edit_message_id`), with light Markdown (`**bold**`, `` `code` ``).

    `notice` is a short line for platforms that can show one to the clicking user alone (a Telegram
    toast); `private` asks that only the requesting user sees the reply (ephemeral on Discord); a
    platform without private replies in groups addresses it to the user instead, unless it is
    `notice_only` (a quiz answer, which must not spoil the question, or a short refusal), which such
    a platform shows only as the notice.
    `post_id` marks a quiz question: the adapter reports the sent message's id back to the core.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit_message_id: str | None = None
    notice: str | None = None
    private: bool = False
    notice_only: bool = False
    post_id: int | None = None
    image: bytes | None = None  # a PNG to show with the text where the platform takes images
    document: Document | None = None  # a file to send with the text (an exported deck)
