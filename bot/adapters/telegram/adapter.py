"""TelegramAdapter: runs a python-telegram-bot Application and translates updates to and from the core.

- Every core command is a Telegram command (`/quiz`, `/quiz@OurBot`), registered with setMyCommands
  in English and Chinese. Buttons are inline keyboards; a click is answered with a toast first.
- In groups, a member's answer is shown to that member only (the toast), so one click does not spoil
  the question; the question's "show the answer" button reveals it to everyone and closes it.
- Outgoing messages go through PTB's AIORateLimiter (30/s overall, 20/min per group), which retries a
  429 after `retry_after` (or, given one, a limiter shared by several processes: shared_limits.py); a 403 marks the chat inactive; network errors are retried with backoff.
- Settings commands in groups are checked against getChatMember: only admins may change them.
- A document sent with the caption `/upload [name]`, or a `/upload` reply to a document, is handed to the
  core as an attachment; the core downloads it (getFile, then the file from `base_file_url`) only after
  its checks. Exported decks go out with sendDocument.
- Polling allows one consumer per token: lasting 409 Conflicts from getUpdates (another process polls the
  same token) stop the adapter with PollingConflictError (polling.py) instead of two processes stealing
  each other's updates.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.adapters.telegram.polling import ConflictWatch, PollingConflictError, skip_final_poll
from bot.adapters.telegram.render import split_messages
from bot.adapters.telegram.send_gate import GatedRateLimiter
from bot.config import TelegramConfig
from bot.core import i18n
from bot.core.command_line import command_name
from bot.core.messages import Attachment, ChatKind, Reply, Request
from bot.core.ports import ChatUnreachable
from bot.core.service import StudyService

log = logging.getLogger(__name__)
PLATFORM = "telegram"
TOAST_LIMIT = 200
SEND_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5
WEBHOOK_PATH = "telegram-webhook"
UPLOAD_CAPTION = re.compile(r"^/upload(@\w+)?(\s|$)", re.IGNORECASE)
T = TypeVar("T")


def default_rate_limiter() -> AIORateLimiter:
    """Telegram's flood limits kept in this process: 30 messages/s, 20/min per group, 3 retries after a 429."""
    return AIORateLimiter(overall_max_rate=30, group_max_rate=20, max_retries=3)


class TelegramAdapter:
    name = PLATFORM
    gates_sends = True  # a daily send is marked as begun inside the rate limiter (send_gate.py)

    def __init__(
        self,
        service: StudyService,
        token: str,
        config: TelegramConfig | None = None,
        *,
        webhook_secret: str | None = None,
        backoff_seconds: float = BACKOFF_SECONDS,
        rate_limiter: BaseRateLimiter | None = None,
    ) -> None:
        self.service = service
        self.config = config or TelegramConfig()
        self.webhook_secret = webhook_secret
        self.backoff_seconds = backoff_seconds
        self.application = (
            Application.builder()
            .token(token)
            .base_url(self.config.base_url)
            .base_file_url(file_url(self.config))
            .rate_limiter(GatedRateLimiter(rate_limiter or default_rate_limiter()))
            .concurrent_updates(True)
            .build()
        )
        self.application.add_handler(CommandHandler(service.commands, self._on_command))
        self.application.add_handler(
            MessageHandler(
                filters.Document.ALL & filters.CaptionRegex(UPLOAD_CAPTION), self._on_upload_caption
            )
        )
        self.application.add_handler(CallbackQueryHandler(self._on_button))
        # a reply to one of the bot's messages is an answer in your own words (`/answer …` without typing it)
        self.application.add_handler(
            MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, self._on_reply_answer)
        )
        self.application.add_handler(ChatMemberHandler(self._on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        self.application.add_error_handler(self._on_error)

    @property
    def connected(self) -> bool:
        updater = self.application.updater
        return self.application.running and updater is not None and updater.running

    # --- lifecycle -------------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Serve until `stop` is set (or the task is cancelled), inside the caller's event loop."""
        stop = stop or asyncio.Event()
        application = self.application
        conflicts = ConflictWatch()
        async with application:
            try:
                await self._register_commands()
                await application.start()
                updater = application.updater
                assert updater is not None
                if self.config.mode == "webhook":
                    await updater.start_webhook(
                        listen=self.config.listen,
                        port=self.config.port,
                        url_path=WEBHOOK_PATH,
                        webhook_url=self.config.webhook_url,
                        secret_token=self.webhook_secret,
                        allowed_updates=Update.ALL_TYPES,
                    )
                else:
                    await updater.start_polling(
                        timeout=self.config.poll_timeout, allowed_updates=Update.ALL_TYPES,
                        error_callback=conflicts.on_error,
                    )  # fmt: skip
                log.info("telegram: running as @%s (%s)", application.bot.username, self.config.mode)
                stopped = asyncio.ensure_future(stop.wait())
                await asyncio.wait({stopped, conflicts.lasting}, return_when=asyncio.FIRST_COMPLETED)
                stopped.cancel()
                if conflicts.lasting.done():
                    skip_final_poll(updater)
                    raise PollingConflictError(conflicts.lasting.result().message)
            finally:
                if application.updater and application.updater.running:
                    await application.updater.stop()
                if application.running:
                    await application.stop()

    async def _register_commands(self) -> None:
        for language in i18n.LANGUAGES:
            commands = [
                BotCommand(name, i18n.text(f"command_{name}", language)) for name in self.service.commands
            ]
            await self._call(
                lambda commands=commands, language=language: self.application.bot.set_my_commands(
                    commands, language_code=None if language == "en" else language
                )
            )

    # --- incoming --------------------------------------------------------------------------------------

    async def _on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        head, _, args = message.text.partition(" ")
        request = self._request(update, command=head, args=args.strip())
        replied = message.reply_to_message
        if command_name(request) == "upload" and replied is not None and replied.document is not None:
            request = dataclasses.replace(request, attachment=self._attachment(replied))
        replies = await self.service.handle(await self._with_admin_check(request))
        await self._deliver(update, replies, reply_to=message.message_id)

    async def _on_upload_caption(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A file sent with the caption `/upload [name]`: commands in captions are not bot commands to PTB."""
        message = update.effective_message
        if message is None or message.document is None:
            return
        _, _, args = (message.caption or "").partition(" ")
        request = self._request(update, command="upload", args=args.strip())
        request = dataclasses.replace(request, attachment=self._attachment(message))
        replies = await self.service.handle(await self._with_admin_check(request))
        await self._deliver(update, replies, reply_to=message.message_id)

    def _attachment(self, message: Message) -> Attachment:
        document = message.document
        assert document is not None
        bot = self.application.bot

        async def download() -> bytes:
            telegram_file = await bot.get_file(document.file_id)
            return bytes(await telegram_file.download_as_bytearray())

        return Attachment(document.file_name or "file", document.file_size, download)

    async def _on_reply_answer(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        replied = message.reply_to_message if message else None
        if (
            message is None
            or replied is None
            or replied.from_user is None
            or replied.from_user.id != self.application.bot.id
        ):
            return
        request = await self._with_admin_check(
            self._request(update, command="answer", args=message.text or "")
        )
        replies = await self.service.handle(request)
        await self._deliver(update, replies, reply_to=message.message_id)

    async def _on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        button_message = query.message.message_id if query.message else None
        request = await self._with_admin_check(
            self._request(
                update, action=query.data, message_id=None if button_message is None else str(button_message)
            )
        )
        replies = await self.service.handle(request)  # the answer is committed before any feedback
        notice = next((reply.notice for reply in replies if reply.notice), None)
        await self._call(lambda: query.answer(text=_toast(notice)), chat_id=None)
        await self._deliver(update, replies, reply_to=button_message, from_button=True)

    async def _on_membership(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None:
            return
        if change.new_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            log.warning("telegram: removed from chat %s; marking it inactive", change.chat.id)
            await self.service.chat_unreachable(PLATFORM, str(change.chat.id))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: error while handling %s", update, exc_info=context.error)

    def _request(
        self, update: Update, *, command: str | None = None, args: str = "", action: str | None = None,
        message_id: str | None = None,
    ) -> Request:  # fmt: skip
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        return Request(
            platform=PLATFORM,
            chat_id=str(chat.id),
            user_id=str(user.id),
            user_name=user.full_name or user.username or str(user.id),
            chat_kind=ChatKind.PRIVATE if chat.type == ChatType.PRIVATE else ChatKind.GROUP,
            locale=user.language_code,
            command=command,
            args=args,
            action=action,
            message_id=message_id,
        )

    async def _with_admin_check(self, request: Request) -> Request:
        """The request with `is_admin` set: true in a private chat, getChatMember's word in a group (asked
        only for settings commands and buttons; anything else keeps the default, not an admin)."""
        if request.chat_kind != ChatKind.GROUP:
            return dataclasses.replace(request, is_admin=True)
        if not self.service.changes_settings(request):
            return request
        member = await self._call(
            lambda: self.application.bot.get_chat_member(int(request.chat_id), int(request.user_id)),
            chat_id=request.chat_id,
        )
        admin = member is not None and member.status in (
            ChatMemberStatus.OWNER,
            ChatMemberStatus.ADMINISTRATOR,
        )
        return dataclasses.replace(request, is_admin=admin)

    # --- outgoing --------------------------------------------------------------------------------------

    async def post(self, target: str, reply: Reply) -> str:
        """Post unprompted (the daily question, its results, a round's questions), or edit a message the bot
        posted (`edit_message_id`: a round's countdown); the schedulers retry or skip what raises here."""
        bot = self.application.bot
        parts = split_messages(reply.text)
        markup = _keyboard(reply)
        message: Message | None = None
        for index, part in enumerate(parts):
            try:
                if reply.edit_message_id is not None:
                    await bot.edit_message_text(
                        part, chat_id=int(target), message_id=int(reply.edit_message_id),
                        parse_mode=ParseMode.HTML, reply_markup=markup,
                    )  # fmt: skip
                    return reply.edit_message_id
                message = await bot.send_message(
                    int(target),
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if index == len(parts) - 1 else None,
                )
            except Forbidden as exc:
                raise ChatUnreachable(exc.message) from exc
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    raise ChatUnreachable(exc.message) from exc
                raise
        if message is None:
            raise ValueError("nothing to post: the reply has no visible text")
        return str(message.message_id)

    async def _deliver(
        self, update: Update, replies: list[Reply], *, reply_to: int | None = None, from_button: bool = False
    ) -> None:
        chat = update.effective_chat
        assert chat is not None
        in_group = chat.type != ChatType.PRIVATE
        for reply in replies:
            if from_button and reply.notice_only and in_group:
                continue  # shown to the clicking member alone, as the toast
            delivered = await self._send_reply(
                chat.id, reply, reply_to if reply.private and in_group else None
            )
            if not delivered:
                return  # the chat is unreachable: nothing more goes to it

    async def _send_reply(self, chat_id: int, reply: Reply, reply_to: int | None) -> bool:
        bot = self.application.bot
        if reply.document is not None:
            send_file = functools.partial(
                bot.send_document, chat_id, reply.document.data, filename=reply.document.file_name,
                reply_to_message_id=reply_to, allow_sending_without_reply=True,
            )  # fmt: skip
            if await self._call(send_file, chat_id=str(chat_id)) is None:
                return False
        if reply.image is not None:
            photo = functools.partial(bot.send_photo, chat_id, reply.image, reply_to_message_id=reply_to)
            if await self._call(photo, chat_id=str(chat_id)) is None:
                return False
        parts = split_messages(reply.text)
        markup = _keyboard(reply)
        if reply.edit_message_id is not None and len(parts) == 1:
            edit = functools.partial(
                bot.edit_message_text, parts[0], chat_id=chat_id, message_id=int(reply.edit_message_id),
                parse_mode=ParseMode.HTML, reply_markup=markup,
            )  # fmt: skip
            return await self._call(edit, chat_id=str(chat_id)) is not None
        sent: Message | None = None
        for index, part in enumerate(parts):
            send = functools.partial(
                bot.send_message, chat_id, part, parse_mode=ParseMode.HTML,
                reply_markup=markup if index == len(parts) - 1 else None,
                reply_to_message_id=reply_to, allow_sending_without_reply=True,
            )  # fmt: skip
            sent = await self._call(send, chat_id=str(chat_id))
            if sent is None:
                return False
        if reply.post_id is not None and sent is not None:
            await self.service.message_sent(reply.post_id, str(sent.message_id))
        return True

    async def _call(self, send: Callable[[], Awaitable[T]], chat_id: str | None = None) -> T | None:
        """One Bot API call: 403 marks the chat inactive, 429 and network errors are retried with backoff."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return await send()
            except Forbidden as exc:
                log.warning(
                    "telegram: chat %s refuses the bot (%s); marking it inactive", chat_id, exc.message
                )
                if chat_id is not None:
                    await self.service.chat_unreachable(PLATFORM, chat_id)
                return None
            except RetryAfter as exc:  # the rate limiter already retried; wait as told and try again
                wait = (
                    exc.retry_after.total_seconds()
                    if hasattr(exc.retry_after, "total_seconds")
                    else exc.retry_after
                )
                log.warning("telegram: flood limit, retrying after %ss (attempt %d)", wait, attempt)
                await asyncio.sleep(float(wait))
            except BadRequest as exc:
                log.error("telegram: request refused for chat %s: %s", chat_id, exc.message)
                return None
            except NetworkError as exc:
                if attempt == SEND_ATTEMPTS:
                    log.error("telegram: giving up after %d network errors: %s", attempt, exc)
                    return None
                delay = self.backoff_seconds * 2 ** (attempt - 1)
                log.warning("telegram: network error (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
            except TelegramError as exc:
                log.error("telegram: %s", exc)
                return None
        return None


def file_url(config: TelegramConfig) -> str:
    """Where the Bot API serves downloads: set, or derived from base_url (`…/bot` -> `…/file/bot`)."""
    if config.base_file_url:
        return config.base_file_url
    base = config.base_url.rstrip("/")
    head, _, last = base.rpartition("/")
    return f"{head}/file/{last}" if head else f"{base}/file/bot"


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.action) for button in row]
            for row in reply.buttons
        ]
    )


def _toast(notice: str | None) -> str | None:
    if not notice:
        return None
    text = notice.replace("**", "")
    return text if len(text) <= TOAST_LIMIT else text[: TOAST_LIMIT - 1] + "…"
