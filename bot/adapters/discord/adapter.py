"""DiscordAdapter: a discord.py client with an app-command tree, translating interactions for the core.

- Every core command is a slash command with typed, described options and English and Chinese
  (zh-CN, zh-TW) descriptions; commands are synced at start, to one server or globally. No
  privileged intent (message content, members) is needed: everything arrives as an interaction.
- No message the bot sends can ping anyone (`AllowedMentions.none()` on the client and on every send):
  card text, a search echo or a member called `@everyone` on the leaderboard stay plain text.
- Quiz questions are embeds with one button per option. Buttons are persistent: their custom_id is
  `sb:<core action>` and one DynamicItem, registered at start, parses it back, so a click on
  yesterday's question still works after a restart.
- A member's answer is an ephemeral reply; the channel only sees a revealed answer.
- Replies fit Discord's limits (2,000 characters a message, 4,096 an embed description): long ones
  go out as several messages. Interactions are acknowledged in time: work taking longer than
  ACK_SECONDS is deferred, then followed up. Discord fixes a reply's visibility at the deferral (the
  first follow-up after a "thinking" deferral replaces it and keeps its visibility), so the deferral
  is ephemeral exactly when the core's reply will be private (bot.core.visibility).
- Settings commands carry `default_permissions(manage_guild)` and are checked again at run time.
- `/deck-upload file:<attachment> [name]` hands the attachment to the core, which downloads it (from the
  attachment's URL) only after its checks; `/export` replies with the deck as a file.
- Rate limits are left to discord.py; a missing permission is told to the user and logged; command
  errors get a clear reply instead of "the application did not respond".
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
from typing import Any, Literal

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.adapters.paging import split_paragraphs
from bot.config import DiscordConfig
from bot.core import i18n
from bot.core.messages import Attachment, ChatKind, Document, Reply, Request
from bot.core.ports import ChatUnreachable
from bot.core.service import StudyService
from bot.core.visibility import replies_privately

log = logging.getLogger(__name__)
PLATFORM = "discord"
MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096
ACK_SECONDS = 2.0  # Discord wants an acknowledgement within 3 s
CUSTOM_ID_PREFIX = "sb:"
EMBED_COLOUR = discord.Colour.blurple()
NO_MENTIONS = discord.AllowedMentions.none()
_THINKING = "study-bot:thinking-ephemeral"  # Interaction.extras key: the visibility of a pending deferral
_CHINESE = (discord.Locale.chinese, discord.Locale.taiwan_chinese)


def _text(key: str) -> app_commands.locale_str:
    """An English command text that the translator turns into Chinese for zh-CN and zh-TW clients."""
    return app_commands.locale_str(i18n.text(key, "en"), key=key)


class StudyTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or locale not in _CHINESE:
            return None
        return i18n.text(key, "zh")


class StudyButton(discord.ui.DynamicItem[discord.ui.Button], template=r"sb:(?P<action>\S{1,64})"):
    """Every button the bot shows: its custom_id is `sb:` + the core's action, parsed back after restarts."""

    def __init__(self, action: str, label: str = "?", row: int | None = None) -> None:
        style = (
            discord.ButtonStyle.secondary if action.startswith(("r:", "dk:")) else discord.ButtonStyle.primary
        )
        super().__init__(
            discord.ui.Button(label=label[:80], custom_id=CUSTOM_ID_PREFIX + action, style=style, row=row)
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any
    ) -> StudyButton:
        return cls(match["action"], label=item.label or "?")

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        assert isinstance(client, StudyClient)
        await client.adapter.on_button(interaction, self.action)


class AnswerModal(discord.ui.Modal):
    """A text box for answering a flashcard in your own words; submitting it is `/answer <text>`."""

    def __init__(self, adapter: DiscordAdapter, interaction: discord.Interaction) -> None:
        language = i18n.language_for_locale(str(interaction.locale))
        super().__init__(title=i18n.text("study_write", language)[:45], timeout=600)
        self.adapter = adapter
        self.text = discord.ui.TextInput(
            label=i18n.text("option_answer", language)[:45],
            style=discord.TextStyle.paragraph,
            max_length=4000,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.adapter.on_command(interaction, "answer", self.text.value)


class StudyClient(discord.Client):
    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        # no privileged intents; and no pings, whatever a card, a search or a member's name contains
        super().__init__(intents=discord.Intents.default(), allowed_mentions=NO_MENTIONS, **options)
        self.adapter = adapter
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = adapter.on_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        self.add_dynamic_items(StudyButton)
        await self.tree.set_translator(StudyTranslator())
        self.adapter.add_commands(self.tree)
        if not self.adapter.config.syncs_commands:
            log.info("discord: slash commands are synced by another process (the one running shard 0)")
            return
        guild = discord.Object(self.adapter.config.guild_id) if self.adapter.config.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info(
            "discord: %d slash commands synced %s",
            len(synced),
            f"to guild {guild.id}" if guild else "globally",
        )


class ShardedStudyClient(StudyClient, discord.AutoShardedClient):
    """The same client over a slice of the shards (`shard_ids` of `shard_count`); other processes run the rest."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(self.adapter.config.identify_spacing_seconds)


class DiscordAdapter:
    name = PLATFORM

    def __init__(
        self, service: StudyService, token: str, config: DiscordConfig | None = None,
        *, http_trace: aiohttp.TraceConfig | None = None,
    ) -> None:  # fmt: skip
        self.service = service
        self.token = token
        self.config = config or DiscordConfig()
        self.http_trace = http_trace  # sees every REST request (metrics)
        self.client: StudyClient | None = None

    @property
    def connected(self) -> bool:
        """READY received and every gateway connection (each shard's) open right now."""
        client = self.client
        if client is None or not client.is_ready() or client.is_closed():
            return False
        if isinstance(client, discord.AutoShardedClient):
            return all(not shard.is_closed() for shard in client.shards.values())
        return client.ws is not None and client.ws.open

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Connect and serve until `stop` is set."""
        stop = stop or asyncio.Event()
        # discord.py reads these two class attributes when it connects: a self-hosted proxy or a test server
        if self.config.api_base:
            discord.http.Route.BASE = self.config.api_base.rstrip("/")
        if self.config.gateway:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.config.gateway)
        self.client = self._client()
        async with self.client:
            runner = asyncio.create_task(self.client.start(self.token))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if runner in done:
                runner.result()  # a login failure surfaces here
            await self.client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await runner

    def _client(self) -> StudyClient:
        options: dict[str, Any] = {"http_trace": self.http_trace} if self.http_trace else {}
        if not self.config.shard_count:
            return StudyClient(self, **options)
        shard_ids = list(self.config.shard_ids) or None
        log.info("discord: running shards %s of %d", shard_ids or "all", self.config.shard_count)
        return ShardedStudyClient(self, shard_count=self.config.shard_count, shard_ids=shard_ids, **options)

    # --- slash commands --------------------------------------------------------------------------------

    def add_commands(self, tree: app_commands.CommandTree) -> None:
        adapter = self

        @tree.command(name="help", description=_text("command_help"))
        async def help_command(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "help")

        @tree.command(name="quiz", description=_text("command_quiz"))
        async def quiz(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "quiz")

        @tree.command(name="round", description=_text("command_round"))
        @app_commands.describe(questions=_text("option_round_questions"), decks=_text("option_decks"))
        async def round_command(
            interaction: discord.Interaction, questions: app_commands.Range[int, 1, 50] | None = None,
            decks: str | None = None,
        ) -> None:  # fmt: skip
            words = [str(questions) if questions else "", decks or ""]
            await adapter.on_command(interaction, "round", " ".join(word for word in words if word))

        @tree.command(name="round-stop", description=_text("command_round_stop"))
        async def round_stop(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "round", "stop")

        @tree.command(name="round-time", description=_text("command_round_time"))
        @app_commands.describe(seconds=_text("option_round_seconds"))
        @app_commands.default_permissions(manage_guild=True)
        async def round_time(
            interaction: discord.Interaction, seconds: app_commands.Range[int, 5, 600]
        ) -> None:
            await adapter.on_command(interaction, "round", f"time {seconds}")

        @tree.command(name="score", description=_text("command_score"))
        async def score(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "score")

        @tree.command(name="leaderboard", description=_text("command_leaderboard"))
        async def leaderboard(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "leaderboard")

        @tree.command(name="decks", description=_text("command_decks"))
        async def decks(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "decks")

        @tree.command(name="decks-use", description=_text("command_decks_use"))
        @app_commands.describe(decks=_text("option_decks"))
        @app_commands.default_permissions(manage_guild=True)
        async def decks_use(interaction: discord.Interaction, decks: str) -> None:
            words = decks.split()
            await adapter.on_command(interaction, "decks", "all" if words == ["all"] else f"use {decks}")

        @tree.command(name="deck-upload", description=_text("command_upload"))
        @app_commands.describe(file=_text("option_file"), name=_text("option_deck_name"))
        @app_commands.default_permissions(manage_guild=True)
        async def deck_upload(
            interaction: discord.Interaction, file: discord.Attachment, name: str | None = None
        ) -> None:
            await adapter.on_command(
                interaction, "upload", name or "", attachment=Attachment(file.filename, file.size, file.read)
            )

        @tree.command(name="deck-remove", description=_text("command_deck_remove"))
        @app_commands.describe(deck=_text("option_deck"))
        @app_commands.default_permissions(manage_guild=True)
        async def deck_remove(interaction: discord.Interaction, deck: str) -> None:
            await adapter.on_command(interaction, "decks", f"remove {deck}")

        @tree.command(name="export", description=_text("command_export"))
        @app_commands.describe(deck=_text("option_deck"), format=_text("option_format"))
        async def export(
            interaction: discord.Interaction, deck: str | None = None, format: Literal["apkg", "csv"] = "apkg"
        ) -> None:
            await adapter.on_command(interaction, "export", " ".join(part for part in (deck, format) if part))

        @tree.command(name="search", description=_text("command_search"))
        @app_commands.describe(words=_text("option_words"))
        async def search(interaction: discord.Interaction, words: app_commands.Range[str, 1, 100]) -> None:
            await adapter.on_command(interaction, "search", words)

        @tree.command(name="card", description=_text("command_card"))
        @app_commands.describe(card_id=_text("option_card_id"))
        async def card(interaction: discord.Interaction, card_id: app_commands.Range[str, 4, 20]) -> None:
            await adapter.on_command(interaction, "card", card_id)

        @tree.command(name="daily", description=_text("command_daily"))
        @app_commands.describe(
            action=_text("option_daily_action"), time=_text("option_daily_time"),
            timezone=_text("option_daily_zone"), decks=_text("option_decks"),
        )  # fmt: skip
        async def daily(
            interaction: discord.Interaction,
            action: Literal["set", "status", "now", "off"],
            time: str | None = None,
            timezone: str | None = None,
            decks: str | None = None,
        ) -> None:
            words = [action, *(part for part in (time, timezone, decks) if part)]
            await adapter.on_command(interaction, "daily", " ".join(words))

        @tree.command(name="study", description=_text("command_study"))
        @app_commands.describe(deck=_text("option_deck"))
        async def study(interaction: discord.Interaction, deck: str | None = None) -> None:
            await adapter.on_command(interaction, "study", deck or "")

        @tree.command(name="answer", description=_text("command_answer"))
        @app_commands.describe(text=_text("option_answer"))
        async def answer(interaction: discord.Interaction, text: app_commands.Range[str, 1, 4000]) -> None:
            await adapter.on_command(interaction, "answer", text)

        @tree.command(name="stats", description=_text("command_stats"))
        async def stats(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "stats")

        @tree.command(name="review", description=_text("command_review"))
        async def review(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "review")

        @tree.command(name="stats-group", description=_text("command_stats_group"))
        @app_commands.default_permissions(manage_guild=True)
        async def stats_group(interaction: discord.Interaction) -> None:
            await adapter.on_command(interaction, "stats", "group")

        @tree.command(name="remind", description=_text("command_remind"))
        @app_commands.describe(time=_text("option_remind_time"), timezone=_text("option_daily_zone"))
        async def remind(interaction: discord.Interaction, time: str, timezone: str | None = None) -> None:
            await adapter.on_command(
                interaction, "remind", " ".join(part for part in (time, timezone) if part)
            )

        @tree.command(name="lang", description=_text("command_lang"))
        @app_commands.describe(language=_text("option_language"))
        @app_commands.default_permissions(manage_guild=True)
        async def lang(interaction: discord.Interaction, language: Literal["zh", "en"]) -> None:
            await adapter.on_command(interaction, "lang", language)

    # --- incoming --------------------------------------------------------------------------------------

    def _request(
        self, interaction: discord.Interaction, *, command: str | None = None, args: str = "",
        action: str | None = None,
    ) -> Request:  # fmt: skip
        in_guild = interaction.guild_id is not None
        return Request(
            platform=PLATFORM,
            chat_id=f"guild:{interaction.guild_id}" if in_guild else f"dm:{interaction.user.id}",
            user_id=str(interaction.user.id),
            user_name=interaction.user.display_name,
            chat_kind=ChatKind.GROUP if in_guild else ChatKind.PRIVATE,
            locale=str(interaction.locale),
            command=command,
            args=args,
            action=action,
            message_id=str(interaction.message.id) if interaction.message else None,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            # checked again here, whatever default_permissions the server's admins configured
            is_admin=not in_guild or interaction.permissions.manage_guild,
        )

    async def on_command(
        self,
        interaction: discord.Interaction,
        command: str,
        args: str = "",
        attachment: Attachment | None = None,
    ) -> None:
        request = dataclasses.replace(
            self._request(interaction, command=command, args=args), attachment=attachment
        )
        replies = await self._handle_in_time(interaction, request)
        await self._respond(interaction, replies)

    async def on_button(self, interaction: discord.Interaction, action: str) -> None:
        if action.startswith("sw:"):  # "answer in my words": Discord has a text box for that
            await interaction.response.send_modal(AnswerModal(self, interaction))
            return
        try:
            replies = await self._handle_in_time(interaction, self._request(interaction, action=action))
            await self._respond(interaction, replies)
        except Exception as exc:
            await self.on_command_error(interaction, app_commands.AppCommandError(str(exc)), exc)

    async def _handle_in_time(self, interaction: discord.Interaction, request: Request) -> list[Reply]:
        """The core's replies; if they take longer than ACK_SECONDS, the interaction is deferred first."""
        work = asyncio.ensure_future(self.service.handle(request))
        done, _ = await asyncio.wait({work}, timeout=ACK_SECONDS)
        if not done:
            private = replies_privately(request)
            if interaction.type == discord.InteractionType.component and not private:
                await interaction.response.defer()  # a public click: the reply is a new message or an edit
            else:
                await interaction.response.defer(ephemeral=private, thinking=True)
                interaction.extras[_THINKING] = private
        return await work

    async def on_command_error(
        self,
        interaction: discord.Interaction,
        error: app_commands.AppCommandError,
        cause: BaseException | None = None,
    ) -> None:
        cause = cause or getattr(error, "original", None) or error
        log.error("discord: %s failed", interaction.data, exc_info=cause)
        language = i18n.language_for_locale(str(interaction.locale))
        key = "missing_permissions" if isinstance(cause, discord.Forbidden) else "command_failed"
        with contextlib.suppress(discord.HTTPException):
            await self._send(interaction, content=i18n.text(key, language), ephemeral=True)

    # --- outgoing --------------------------------------------------------------------------------------

    async def post(self, target: str, reply: Reply) -> str:
        """Post unprompted into a channel (the daily question, its results); the scheduler retries errors."""
        client = self.client
        if client is None or client.is_closed() or client.user is None:
            raise ConnectionError("the Discord client is not logged in yet")
        try:
            channel = client.get_channel(int(target)) or await client.fetch_channel(int(target))
            if not isinstance(channel, discord.abc.Messageable):
                raise ChatUnreachable(f"channel {target} cannot take messages")
            view = _view(reply)
            if reply.edit_message_id is not None:  # a round's countdown: edit the question in place
                embed = discord.Embed(description=reply.text[:EMBED_LIMIT], colour=EMBED_COLOUR)
                await channel.get_partial_message(int(reply.edit_message_id)).edit(embed=embed, view=view)
                return reply.edit_message_id
            if reply.post_id is not None:
                embed = discord.Embed(description=reply.text[:EMBED_LIMIT], colour=EMBED_COLOUR)
                message = (
                    await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
                    if view
                    else await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
                )
                return str(message.id)
            pages = split_paragraphs(reply.text, MESSAGE_LIMIT)
            for index, page in enumerate(pages):
                last_view = view if index == len(pages) - 1 else None
                message = (
                    await channel.send(page, view=last_view, allowed_mentions=NO_MENTIONS)
                    if last_view
                    else await channel.send(page, allowed_mentions=NO_MENTIONS)
                )
            return str(message.id)
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChatUnreachable(str(exc)) from exc

    async def _respond(self, interaction: discord.Interaction, replies: list[Reply]) -> None:
        for reply in replies:
            try:
                await self._deliver(interaction, reply)
            except discord.Forbidden as exc:
                log.warning("discord: missing permission in channel %s: %s", interaction.channel_id, exc.text)
                language = i18n.language_for_locale(str(interaction.locale))
                with contextlib.suppress(discord.HTTPException):
                    await self._send(
                        interaction, content=i18n.text("missing_permissions", language), ephemeral=True
                    )
                return

    async def _deliver(self, interaction: discord.Interaction, reply: Reply) -> None:
        view = _view(reply)
        if reply.post_id is not None:  # a quiz question: one embed with its buttons
            embed = discord.Embed(description=reply.text[:EMBED_LIMIT], colour=EMBED_COLOUR)
            message = await self._send(interaction, embed=embed, view=view)
            if message is not None:
                await self.service.message_sent(reply.post_id, str(message.id))
            return
        pages = split_paragraphs(reply.text, MESSAGE_LIMIT)
        if reply.edit_message_id is not None and len(pages) == 1 and interaction.message is not None:
            if interaction.response.is_done():
                await interaction.message.edit(content=pages[0], view=view, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.edit_message(
                    content=pages[0], view=view, allowed_mentions=NO_MENTIONS
                )
            return
        for index, page in enumerate(pages):
            last = index == len(pages) - 1
            await self._send(
                interaction, content=page, view=view if last else None, ephemeral=reply.private,
                image=reply.image if index == 0 else None,
                document=reply.document if index == 0 else None,
            )  # fmt: skip

    async def _send(
        self, interaction: discord.Interaction, *, content: str | None = None, embed: discord.Embed | None = None,
        view: discord.ui.View | None = None, ephemeral: bool = False, image: bytes | None = None,
        document: Document | None = None,
    ) -> discord.Message | None:  # fmt: skip
        kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
        if image is not None:
            kwargs["file"] = discord.File(io.BytesIO(image), filename="stats.png")
        if document is not None:
            kwargs["file"] = discord.File(io.BytesIO(document.data), filename=document.file_name)
        if content is not None:
            kwargs["content"] = content
        if embed is not None:
            kwargs["embed"] = embed
        if view is not None:
            kwargs["view"] = view
        if not interaction.response.is_done():
            response = await interaction.response.send_message(**kwargs)
            # discord.py 2.7 returns the sent message: no second request to fetch it
            return response.resource if isinstance(response.resource, discord.InteractionMessage) else None
        thinking_ephemeral = interaction.extras.pop(_THINKING, None)
        if thinking_ephemeral is not None and thinking_ephemeral != ephemeral:
            # this follow-up would replace the deferral and take its visibility: settle the deferral with
            # a short note first, so the reply goes out as a message of its own with the right visibility
            language = i18n.language_for_locale(str(interaction.locale))
            note = i18n.text("sent_privately" if ephemeral else "sent_to_channel", language)
            await interaction.edit_original_response(content=note, allowed_mentions=NO_MENTIONS)
        return await interaction.followup.send(wait=True, **kwargs)


def _view(reply: Reply) -> discord.ui.View | None:
    if not reply.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(reply.buttons[:5]):
        for button in row[:5]:
            view.add_item(StudyButton(button.action, button.label, row=row_number))
    return view
