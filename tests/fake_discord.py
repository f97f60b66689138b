"""A fake Discord gateway and REST API (aiohttp on 127.0.0.1) for running the real discord.py client.

The gateway says HELLO, answers IDENTIFY with READY and GUILD_CREATE, acknowledges heartbeats and
delivers the INTERACTION_CREATE events a test injects. The REST side serves login, command sync,
interaction callbacks, webhook follow-ups and message edits, serves attachments (`attachments` holds their
bytes; the URL is the fake's own, as Discord's CDN would be), records every call (files sent as
`body["_files"]`), and can be told to
fail the next calls of a route (a 429 with a JSON body and a `Via` header, as Discord sends them, so
discord.py retries instead of taking it for a ban; or a 403 Missing Permissions).
It keeps Discord's documented rule for deferrals: the first follow-up (or edit of the original) after
a "thinking" deferral (callback type 5) replaces the loading message and keeps the deferral's
visibility, whatever ephemeral flag it carries; later follow-ups are messages of their own.
`sent_messages()` lists every message the bot created or edited, with its `allowed_mentions` and the
visibility it really got.
Sharding as Discord does it: IDENTIFY's `shard` field ([shard_id, shard_count]) is checked (a bad one is
closed with 4010 Invalid shard), each connection gets READY and GUILD_CREATE for its own guilds only, and a
guild's events go to the connection of shard `(guild_id >> 22) % shard_count` (direct messages to shard 0).
Known traps: discord.py reads JSON only when Content-Type is exactly `application/json`; members need
`flags` and interactions `attachment_size_limit` in 2.7.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.conftest import serve_on_loopback, wait_until

APP_ID = 880000000000000001
BOT_ID = 880000000000000001
GUILD_ID = 880000000000000100
CHANNEL_ID = 880000000000000200
MANAGE_GUILD = 1 << 5
EVERYONE = str((1 << 11) | (1 << 10))  # send messages, view channel

_snowflakes = itertools.count(900000000000000000)


def snowflake() -> str:
    return str(next(_snowflakes))


@dataclass
class Call:
    method: str
    path: str
    body: Any
    status: int = 200
    visible_flags: int | None = None  # a follow-up that replaced a deferral: the deferral's flags


@dataclass
class Sent:
    """One message the bot created or edited: where (`kind`), what it sent, and who can see it."""

    kind: str  # "callback", "followup", "edit original", "channel", "channel edit"
    data: dict
    ephemeral: bool

    @property
    def allowed_mentions(self) -> dict | None:
        return self.data.get("allowed_mentions")


@dataclass
class FakeDiscord:
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, dict] = field(default_factory=dict)
    connections: int = 0
    attachments: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    guild_ids: list[int] = field(default_factory=lambda: [GUILD_ID])  # the servers the bot is in
    identifies: list[dict] = field(default_factory=list)  # every IDENTIFY payload, in order
    deliveries: list[tuple[int, str]] = field(default_factory=list)  # (shard id, event) of each dispatch
    _shards: dict[int, web.WebSocketResponse] = field(default_factory=dict)  # the live connection per shard
    _shard_count: int = 1
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequence: itertools.count = field(default_factory=lambda: itertools.count(1))
    _failures: list[tuple[str, str, int, dict]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _identified: asyncio.Event = field(default_factory=asyncio.Event)
    _thinking: dict[str, int] = field(default_factory=dict)  # interaction token -> deferral flags, until used
    port: int = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        self._runner, self.port = await serve_on_loopback(app)

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def _attachment(self, request: web.Request) -> web.Response:
        attachment_id = request.match_info["id"]
        if attachment_id not in self.attachments:
            return web.Response(status=404)
        self.downloads.append(attachment_id)
        return web.Response(body=self.attachments[attachment_id], content_type="application/octet-stream")

    def attachment(self, file_name: str, data: bytes, size: int | None = None) -> dict:
        """Store a file as the fake CDN would and return the attachment object an interaction resolves to."""
        attachment_id = snowflake()
        self.attachments[attachment_id] = data
        return {
            "id": attachment_id, "filename": file_name, "size": len(data) if size is None else size,
            "url": f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{file_name}",
            "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{file_name}",
            "content_type": "text/csv",
        }  # fmt: skip

    @property
    def gateway(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # --- scripting ----------------------------------------------------------------------------------

    def fail_next(self, method: str, path_pattern: str, status: int, body: dict) -> None:
        self._failures.append((method, path_pattern, status, body))

    async def wait_identified(self, timeout: float = 15) -> None:
        await asyncio.wait_for(self._identified.wait(), timeout)
        self._identified.clear()

    async def interact(self, payload: dict) -> None:
        await self._dispatch("INTERACTION_CREATE", payload)

    def requests(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.search(pattern, c.path)]

    async def wait_for(self, method: str, pattern: str, count: int = 1, timeout: float = 10) -> list[Call]:
        return await wait_until(
            lambda: self.requests(method, pattern), lambda found: len(found) >= count, f"{count} {method} {pattern}",
            timeout,
        )  # fmt: skip

    def replies_to(self, interaction: dict) -> list[dict]:
        """Every message body the bot sent in answer to an interaction (callback data and follow-ups); a
        follow-up that replaced a deferral shows the flags it really got."""
        token = interaction["token"]
        found = []
        for call in self.calls:
            if token not in call.path or not isinstance(call.body, dict) or call.status >= 400:
                continue
            if call.path.endswith("/callback") and call.body.get("type") in (4, 7):  # a message, or its edit
                files = {"_files": call.body["_files"]} if "_files" in call.body else {}
                found.append({**(call.body.get("data") or {}), **files})
            elif call.method == "POST" and "/webhooks/" in call.path:
                found.append(
                    call.body if call.visible_flags is None else {**call.body, "flags": call.visible_flags}
                )
        return found

    def calls_for(self, interaction: dict) -> list[Call]:
        """Every REST call the bot made for one interaction (its callback, follow-ups and edits)."""
        return [call for call in self.calls if interaction["token"] in call.path]

    def sent_messages(self) -> list[Sent]:
        """Every message the bot created or edited, with the visibility Discord gave it."""
        found = []
        for call in self.calls:
            if call.status >= 400 or not isinstance(call.body, dict):
                continue
            body, path = call.body, call.path
            if path.endswith("/callback") and body.get("type") in (4, 7):
                data = body.get("data") or {}
                found.append(Sent("callback", data, bool(data.get("flags", 0) & 64)))
            elif "/webhooks/" in path and call.method == "POST":
                flags = body.get("flags", 0) if call.visible_flags is None else call.visible_flags
                found.append(Sent("followup", body, bool(flags & 64)))
            elif "/webhooks/" in path and call.method == "PATCH":
                flags = call.visible_flags or 0
                found.append(Sent("edit original", body, bool(flags & 64)))
            elif re.fullmatch(r"/channels/\d+/messages", path) and call.method == "POST":
                found.append(Sent("channel", body, False))
            elif re.fullmatch(r"/channels/\d+/messages/\d+", path) and call.method == "PATCH":
                found.append(Sent("channel edit", body, False))
        return found

    # --- gateway ------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        self.connections += 1
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif data["op"] == 2:
                self.identifies.append(data["d"])
                shard_id, shard_count = data["d"].get("shard", [0, 1])
                if not 0 <= shard_id < shard_count or (self._shards and shard_count != self._shard_count):
                    await socket.close(code=4010, message=b"Invalid shard")
                    break
                self._shard_count = shard_count
                self._shards[shard_id] = socket
                mine = [g for g in self.guild_ids if shard_of(g, shard_count) == shard_id]
                await self._send(socket, "READY", {
                    "v": 10, "user": bot_user(), "guilds": [{"id": str(g), "unavailable": True} for g in mine],
                    "session_id": f"session-{self.connections}", "resume_gateway_url": self.gateway,
                    "application": {"id": str(APP_ID), "flags": 0}, "shard": [shard_id, shard_count],
                })  # fmt: skip
                for guild_id in mine:
                    await self._send(socket, "GUILD_CREATE", guild(guild_id))
                self._identified.set()
        if socket in self._sockets:
            self._sockets.remove(socket)
        for shard_id, live in list(self._shards.items()):
            if live is socket:
                del self._shards[shard_id]
        return socket

    async def _send(self, socket: web.WebSocketResponse, event: str, data: dict) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._sequence), "d": data})

    async def _dispatch(self, event: str, data: dict) -> None:
        assert self._sockets, "no client is connected"
        guild_id = data.get("guild_id")
        shard_id = shard_of(int(guild_id), self._shard_count) if guild_id else 0
        assert shard_id in self._shards, f"no connection runs shard {shard_id} of {self._shard_count}"
        self.deliveries.append((shard_id, event))
        await self._send(self._shards[shard_id], event, data)

    async def wait_shards(self, shard_ids: set[int], timeout: float = 15) -> None:
        await wait_until(
            lambda: set(self._shards), lambda live: shard_ids <= live, f"shards {shard_ids}", timeout
        )

    # --- REST ---------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                body = json.loads(str(form.get("payload_json", "{}")))
                files = [value for value in form.values() if isinstance(value, web.FileField)]
                if files:
                    body["_files"] = [{"filename": f.filename, "data": f.file.read()} for f in files]
            else:
                raw = await request.text()
                body = json.loads(raw) if raw else None
        call = Call(request.method, path, body)
        self.calls.append(call)
        for index, (method, pattern, status, error) in enumerate(self._failures):
            if method == request.method and re.search(pattern, path):
                del self._failures[index]
                call.status = status
                headers = {"Via": "1.1 google"} if status == 429 else {}
                return _json(error, status, headers)
        data, call.status = self._route(request.method, path, body, request.query, call)
        return _json(data, call.status)

    def _route(self, method: str, path: str, body: Any, query: Any, call: Call) -> tuple[Any, int]:
        if path == "/users/@me":
            return bot_user(), 200
        if path == "/oauth2/applications/@me":
            return application(), 200
        if method == "PUT" and path.endswith("/commands"):
            return [{**command, "id": snowflake(), "application_id": str(APP_ID), "version": "1",
                     "default_member_permissions": command.get("default_member_permissions")}
                    for command in body], 200  # fmt: skip
        if path.endswith("/callback"):
            kind = body["type"]
            interaction_id = path.split("/")[2]
            result: dict[str, Any] = {"interaction": {
                "id": interaction_id, "type": 2, "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            }}  # fmt: skip
            token = path.split("/")[3]
            if kind in (4, 7):
                message = self._store_message(body.get("data") or {}, key=f"original:{token}")
                result["interaction"]["response_message_id"] = message["id"]
                result["resource"] = {"type": kind, "message": message}
            elif kind == 5:  # "the bot is thinking…": a loading message that the first follow-up replaces
                flags = (body.get("data") or {}).get("flags", 0) & 64
                self._thinking[token] = flags
                self._store_message({"flags": flags | 128}, key=f"original:{token}")
                result["resource"] = {"type": kind}
            else:
                result["resource"] = {"type": kind}
            return result, 200
        if path.endswith("/messages/@original"):
            token = path.split("/")[3]
            message = self.messages.get(f"original:{token}") or self._store_message(
                {}, key=f"original:{token}"
            )
            if method == "PATCH":
                if token in self._thinking:
                    call.visible_flags = self._thinking.pop(token)
                message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
            return message, 200
        if method == "POST" and path.startswith("/webhooks/"):
            token = path.split("/")[3]
            if token in self._thinking:  # Discord: this follow-up edits the deferral, ephemeral flag ignored
                call.visible_flags = self._thinking.pop(token)
                message = self.messages[f"original:{token}"]
                message.update(
                    {k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components")}
                )
                message["flags"] = call.visible_flags
                return message, 200
            return self._store_message(body or {}), 200
        if method == "POST" and re.fullmatch(r"/channels/\d+/messages", path):
            return self._store_message(body or {}), 200
        edit = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)
        if edit and method == "PATCH":
            message = self.messages.get(edit.group(2)) or self._store_message({})
            message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
            return message, 200
        return {"message": f"no fake for {method} {path}", "code": 0}, 404

    def _store_message(self, data: dict, key: str | None = None) -> dict:
        message = message_payload(data)
        self.messages[message["id"]] = message
        if key:
            self.messages[key] = message
        return message


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule for which shard receives a guild's events."""
    return (guild_id >> 22) % shard_count


def guild_on_shard(shard_id: int, shard_count: int) -> int:
    """A guild id (snowflake) whose events Discord sends to `shard_id` of `shard_count`."""
    timestamp = 200_000_000_000 + shard_id
    timestamp += (shard_id - timestamp) % shard_count
    return (timestamp << 22) | 100


def channel_of(guild_id: int) -> int:
    return CHANNEL_ID if guild_id == GUILD_ID else guild_id + 1


def _json(data: Any, status: int, headers: dict | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def bot_user() -> dict:
    return {"id": str(BOT_ID), "username": "StudyBot", "discriminator": "0", "global_name": None, "avatar": None,
            "bot": True, "flags": 0, "public_flags": 0, "mfa_enabled": False, "verified": True}  # fmt: skip


def person(user_id: int, name: str) -> dict:
    return {"id": str(user_id), "username": name.lower(), "discriminator": "0", "global_name": name, "avatar": None,
            "public_flags": 0}  # fmt: skip


def application() -> dict:
    return {
        "id": str(APP_ID), "name": "StudyBot", "description": "", "icon": None, "rpc_origins": [],
        "bot_public": True, "bot_require_code_grant": False, "owner": person(1, "Owner"), "team": None,
        "verify_key": "00", "flags": 0, "summary": "", "interactions_endpoint_url": None,
    }  # fmt: skip


def guild(guild_id: int = GUILD_ID) -> dict:
    channel_id = channel_of(guild_id)
    return {
        "id": str(guild_id), "name": "Study group", "icon": None, "owner_id": "1", "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": [{"id": str(guild_id), "name": "@everyone", "permissions": EVERYONE, "position": 0, "color": 0,
                   "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
        "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "system_channel_flags": 0,
        "channels": [{"id": str(channel_id), "type": 0, "name": "study", "position": 0, "guild_id": str(guild_id),
                      "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None}],
        "threads": [], "members": [], "member_count": 3, "large": False, "unavailable": False,
        "stage_instances": [], "guild_scheduled_events": [], "premium_tier": 0, "preferred_locale": "en-US",
        "nsfw_level": 0, "premium_progress_bar_enabled": False, "joined_at": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip


def message_payload(data: dict) -> dict:
    return {
        "id": snowflake(), "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID), "type": 0,
        "content": data.get("content", ""), "author": bot_user(), "embeds": data.get("embeds", []),
        "components": data.get("components", []), "attachments": [], "mentions": [], "mention_roles": [],
        "pinned": False, "mention_everyone": False, "tts": False, "timestamp": "2026-11-02T09:00:00+00:00",
        "edited_timestamp": None, "flags": data.get("flags", 0),
    }  # fmt: skip


def _interaction(kind: int, user: dict, data: dict, *, permissions: int = 0, locale: str = "en-US",
                 message: dict | None = None, in_guild: bool = True, guild_id: int = GUILD_ID) -> dict:  # fmt: skip
    channel_id = channel_of(guild_id)
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": interaction_id, "application_id": str(APP_ID), "type": kind, "data": data,
        "token": f"token-{interaction_id}", "version": 1, "locale": locale, "app_permissions": "0",
        "entitlements": [], "attachment_size_limit": 8388608, "context": 0 if in_guild else 1,
        "authorizing_integration_owners": {"0": str(guild_id)} if in_guild else {"1": user["id"]},
    }  # fmt: skip
    if in_guild:
        payload.update({
            "guild_id": str(guild_id), "guild_locale": "en-US", "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 0, "name": "study", "guild_id": str(guild_id), "position": 0,
                        "permission_overwrites": [], "nsfw": False, "parent_id": None},
            "member": {"user": user, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False,
                       "mute": False, "flags": 0, "pending": False, "nick": None,
                       "permissions": str(int(EVERYONE) | permissions)},
        })  # fmt: skip
    else:
        payload.update({"user": user, "channel_id": user["id"],
                        "channel": {"id": user["id"], "type": 1, "recipients": [user]}})  # fmt: skip
    if message is not None:
        payload["message"] = message
    return payload


def slash(name: str, user: dict, options: dict[str, str] | None = None, **kwargs: Any) -> dict:
    data = {"id": snowflake(), "name": name, "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()]}  # fmt: skip
    return _interaction(2, user, data, **kwargs)


def slash_with_file(name: str, user: dict, attachment: dict, options: dict[str, str] | None = None,
                    **kwargs: Any) -> dict:  # fmt: skip
    """A slash command whose `file` option is an attachment (type 11), resolved as Discord sends it."""
    data = {"id": snowflake(), "name": name, "type": 1,
            "options": [{"name": "file", "type": 11, "value": attachment["id"]},
                        *({"name": k, "type": 3, "value": v} for k, v in (options or {}).items())],
            "resolved": {"attachments": {attachment["id"]: attachment}}}  # fmt: skip
    return _interaction(2, user, data, **kwargs)


def button(custom_id: str, user: dict, message: dict, **kwargs: Any) -> dict:
    return _interaction(3, user, {"custom_id": custom_id, "component_type": 2}, message=message, **kwargs)
