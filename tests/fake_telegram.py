"""A fake Telegram Bot API server (aiohttp on 127.0.0.1) for running the real python-telegram-bot Application.

It serves getMe, getUpdates (long polling), sendMessage, sendDocument, editMessageText, answerCallbackQuery,
getChatMember, getFile, setMyCommands, setWebhook and deleteWebhook, and file downloads under
`/file/bot<token>/` (`files` holds their bytes by file id); records every call with its decoded
parameters (an uploaded file as {"filename", "data"}); and can be told to fail the next calls of a method
(429 with retry_after, 403, 5xx).
Like Telegram, it refuses a message whose text is empty or longer than 4,096 UTF-16 code units once
its HTML is parsed.
As Telegram does, a getUpdates call ends a long poll still waiting for the same token with 409 Conflict
(two processes polling one token).
python-telegram-bot sends form-encoded parameters with nested objects as JSON strings.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.conftest import serve_on_loopback, wait_until

BOT_ID = 7000001
BOT_USERNAME = "StudyTestBot"
TEXT_LIMIT = 4096  # UTF-16 code units, counted after the HTML entities are parsed


class BadRequest(Exception):
    """A Bot API method refuses its parameters (400 Bad Request)."""


def visible_text(text: str) -> str:
    """What a member sees of a message sent with parse_mode HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_text(params: dict) -> None:
    visible = visible_text(str(params.get("text", "")))
    if not visible.strip():
        raise BadRequest("Bad Request: message text is empty")
    if utf16_units(visible) > TEXT_LIMIT:
        raise BadRequest("Bad Request: message is too long")


CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-TOKEN"
    calls: list[Call] = field(default_factory=list)
    admins: set[int] = field(default_factory=set)
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    _updates: list[dict] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _failures: dict[str, list[tuple[int, str, dict]]] = field(default_factory=dict)
    _ids = itertools.count(1)
    _message_ids = itertools.count(100)
    _runner: web.AppRunner | None = None
    _long_poll: asyncio.Event | None = None  # set to end the waiting getUpdates with 409
    port: int = 0

    # --- server ------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner, self.port = await serve_on_loopback(app)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        self.downloads.append(file_id)
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        failures = self._failures.get(method)
        if failures:
            status, description, extra = failures.pop(0)
            body = {"ok": False, "error_code": status, "description": description, **extra}
            return web.json_response(body, status=status)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        try:
            result = await handler(params)
        except BadRequest as exc:
            return web.json_response({"ok": False, "error_code": 400, "description": str(exc)}, status=400)
        except _ApiError as exc:
            body = {"ok": False, "error_code": exc.status, "description": exc.description}
            return web.json_response(body, status=exc.status)
        if isinstance(result, dict) and "message_id" in result:
            params["_message_id"] = result["message_id"]  # what the bot was told it sent
        return web.json_response({"ok": True, "result": result})

    # --- scripting ---------------------------------------------------------------------------------

    def fail_next(self, method: str, status: int, description: str, retry_after: int | None = None) -> None:
        extra = {"parameters": {"retry_after": retry_after}} if retry_after is not None else {}
        self._failures.setdefault(method, []).append((status, description, extra))

    def push(self, update: dict) -> None:
        update["update_id"] = next(self._ids)
        self._updates.append(update)
        self._new_update.set()

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict]:
        return [
            c.params for c in self.calls
            if c.method == method and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]  # fmt: skip

    async def wait_for(
        self, method: str, count: int = 1, chat_id: int | None = None, timeout: float = 10
    ) -> list[dict]:
        return await wait_until(
            lambda: self.sent(method, chat_id),
            lambda found: len(found) >= count,
            f"{count} {method}",
            timeout,
        )

    async def wait_until_quiet(
        self, method: str, chat_id: int | None = None, quiet: float = 0.5
    ) -> list[dict]:
        """Every call of `method` once the bot has made at least one and then none for `quiet` seconds."""
        found = await self.wait_for(method, chat_id=chat_id)
        while True:
            await asyncio.sleep(quiet)
            now = self.sent(method, chat_id)
            if len(now) == len(found):
                return now
            found = now

    # --- Bot API methods ---------------------------------------------------------------------------

    async def _api_getMe(self, _: dict) -> dict:
        return {
            "id": BOT_ID, "is_bot": True, "first_name": "Study Bot", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False,
        }  # fmt: skip

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset", 0) or 0)
        timeout = min(float(params.get("timeout", 0) or 0), 1.0)
        if self._long_poll is not None:
            self._long_poll.set()  # a second consumer: Telegram ends the older long poll with 409
        ended = self._long_poll = asyncio.Event()
        try:
            pending = [u for u in self._updates if u["update_id"] >= offset]
            if not pending and timeout:
                self._new_update.clear()
                waiters = [
                    asyncio.ensure_future(self._new_update.wait()),
                    asyncio.ensure_future(ended.wait()),
                ]
                await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    waiter.cancel()
                if ended.is_set():
                    raise _ApiError(409, CONFLICT)
                pending = [u for u in self._updates if u["update_id"] >= offset]
            return pending
        finally:
            if self._long_poll is ended:
                self._long_poll = None

    async def _api_sendMessage(self, params: dict) -> dict:
        _check_text(params)
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": _chat(chat_id), "from": _bot_user(), "text": params.get("text", ""),
        }  # fmt: skip

    async def _api_sendPhoto(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        photo = [{"file_id": "photo-1", "file_unique_id": "u1", "width": 800, "height": 500}]
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": _chat(chat_id),
                "from": _bot_user(), "photo": photo}  # fmt: skip

    async def _api_sendDocument(self, params: dict) -> dict:
        document = params.get("document") or {}
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": _chat(int(params["chat_id"])),
                "from": _bot_user(), "document": {"file_id": "sent-1", "file_unique_id": "s1",
                                                   "file_name": document.get("filename", "file")}}  # fmt: skip

    async def _api_getFile(self, params: dict) -> dict:
        file_id = params["file_id"]
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}"}  # fmt: skip

    async def _api_editMessageText(self, params: dict) -> dict:
        _check_text(params)
        return {
            "message_id": int(params["message_id"]), "date": int(time.time()),
            "chat": _chat(int(params["chat_id"])), "from": _bot_user(), "text": params.get("text", ""),
        }  # fmt: skip

    async def _api_getChatMember(self, params: dict) -> dict:
        user_id = int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if user_id in self.admins:
            return {"status": "creator", "user": user, "is_anonymous": False}
        return {"status": "member", "user": user}


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        raw = await request.json()
    else:
        raw = dict(await request.post())
    decoded: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, web.FileField):
            decoded[key] = {"filename": value.filename, "data": value.file.read()}
            continue
        if isinstance(value, str) and value[:1] in "[{":
            try:
                decoded[key] = json.loads(value)
                continue
            except json.JSONDecodeError:
                pass
        decoded[key] = value
    return decoded


def _chat(chat_id: int) -> dict:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": "Study group"}


def _bot_user() -> dict:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Study Bot", "username": BOT_USERNAME}


def user(user_id: int, name: str, language: str = "en") -> dict:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}


def command(chat_id: int, sender: dict, text: str, message_id: int = 1) -> dict:
    length = len(text.split(" ", 1)[0])
    return {
        "message": {
            "message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id), "from": sender,
            "text": text, "entities": [{"type": "bot_command", "offset": 0, "length": length}],
        }
    }  # fmt: skip


def document(chat_id: int, sender: dict, file_id: str, file_name: str, size: int, caption: str | None = None,
             message_id: int = 1) -> dict:  # fmt: skip
    """A message carrying a file (with an optional caption, such as `/upload`)."""
    message = {
        "message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id), "from": sender,
        "document": {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": file_name, "file_size": size},
    }  # fmt: skip
    if caption is not None:
        message["caption"] = caption
        message["caption_entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(caption.split(" ")[0])}
        ]
    return {"message": message}


def reply_command(chat_id: int, sender: dict, text: str, replied: dict, message_id: int = 2) -> dict:
    """A command sent as a reply to an earlier message (`/upload` in answer to a file)."""
    update = command(chat_id, sender, text, message_id)
    update["message"]["reply_to_message"] = replied["message"]
    return update


def click(chat_id: int, sender: dict, data: str, message_id: int) -> dict:
    return {
        "callback_query": {
            "id": f"cq-{time.monotonic_ns()}", "from": sender, "chat_instance": str(chat_id), "data": data,
            "message": {
                "message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id), "from": _bot_user(),
                "text": "question",
            },
        }
    }  # fmt: skip


@contextlib.asynccontextmanager
async def serving(adapter: Any, telegram: FakeTelegram):
    """Run a TelegramAdapter against the fake until the block ends: it is polling when the block starts."""
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    await telegram.wait_for("getUpdates")
    try:
        yield adapter
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
