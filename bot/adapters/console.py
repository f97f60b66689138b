"""The console adapter: the bot as a chat in the terminal, no tokens needed.

Lines from standard input (typed or piped) are commands (`/quiz`), button presses (type a button's
label: `A`, `b`, `1`) or `/as NAME` to play as another person. Buttons are shown as `[A] [B] …`.
`/upload PATH [name]` adds a file on this machine (`~` expanded, quoted if it has spaces) as the chat's own deck;
exported decks are saved to files.
It stops cleanly at end of input, on `/quit`, or when the run is stopped (SIGINT/SIGTERM). A closed
or unreadable standard input (`study-bot run < /dev/null` under docker or systemd) is end of input.
Every line it prints itself goes through i18n, in the chat's language.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import getpass
import logging
import os
import re
import shlex
import stat
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.core import i18n, views
from bot.core.messages import Attachment, Button, ChatKind, Reply, Request
from bot.core.service import StudyService

log = logging.getLogger(__name__)
PLATFORM = "console"
CHAT_ID = "terminal"
LOCAL_COMMANDS = ("as", "quit")  # handled here, listed by /help
MAX_LINE_BYTES = 64 * 1024  # a longer line is answered "too long" and skipped
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`\n]+)`")
_ITALIC = re.compile(r"(?<![*A-Za-z0-9])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![*A-Za-z0-9])")  # CJK may touch it
_FENCE = re.compile(r"^\s*```.*$\n?", re.MULTILINE)
_TOO_LONG = object()
_PUMPS: set[asyncio.Task[None]] = set()


class ConsoleAdapter:
    name = PLATFORM

    def __init__(
        self,
        service: StudyService,
        *,
        reader: asyncio.StreamReader | None = None,
        output: TextIO | None = None,
        user_name: str | None = None,
        locale: str | None = None,
        color: bool | None = None,
    ) -> None:
        self.service = service
        self._reader = reader
        self._out = output or sys.stdout
        self.user_name = views.echo(user_name or default_user_name())
        self.locale = locale if locale is not None else (os.environ.get("LC_ALL") or os.environ.get("LANG"))
        self._color = color if color is not None else self._out.isatty()
        self._buttons: dict[str, str] = {}
        self._sent = 0
        self.image_dir = Path(tempfile.gettempdir())

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        reader = self._reader or await _stdin_reader()
        if reader is None:  # no standard input to read (`<&-`, `< /dev/null`): the console does not start
            log.info("console: standard input is closed or empty; the console chat does not start")
            await self._say("console_no_input")
            return
        lines = _LineReader(reader, MAX_LINE_BYTES)
        await self._say("console_banner", name=self.user_name)
        read_any = False
        while not stop.is_set():
            raw = await _until_stopped(lines.next(), stop)
            if raw is None:  # end of input, or the run was stopped
                break
            read_any = True
            if raw is _TOO_LONG:
                await self._say("console_too_long", limit=MAX_LINE_BYTES // 1024)
                continue
            assert isinstance(raw, bytes)
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            if _command_word(line) in ("quit", "exit"):
                break
            try:
                await self.handle_line(line)
            except Exception:
                log.exception("console: failed to handle %r", views.echo(line))
                await self._say("console_failed")
        if not read_any and not stop.is_set():
            await self._say("console_no_input")
        else:
            await self._say("console_bye")

    async def handle_line(self, line: str) -> None:
        if _command_word(line) == "as":
            name = views.echo(line.split(maxsplit=1)[1]) if len(line.split(maxsplit=1)) > 1 else ""
            if not name:
                await self._say("console_as_usage")
                return
            self.user_name = name
            await self._say("console_renamed", name=name)
            return
        action = self._buttons.get(line.lower())
        if action is not None:
            await self._send(self._request(action=action))
        elif line.startswith("/"):
            command, _, args = line[1:].partition(" ")
            request = self._request(command=command, args=args)
            if command.lower() == "remind":  # reminders are private: each player's own chat at this terminal
                language = await self.service.language(request)
                request = dataclasses.replace(
                    request,
                    chat_id=f"{CHAT_ID}:{request.user_id}",
                    chat_kind=ChatKind.PRIVATE,
                    locale=language,
                )
            if (
                command.lower() == "upload" and args.strip()
            ):  # `/upload notes.csv [name]`: a file on this machine
                path_text, name = _path_and_name(args)
                attachment = _local_file(Path(path_text).expanduser())
                if attachment is None:
                    await self._say("console_no_file", path=views.echo(path_text))
                    return
                request = dataclasses.replace(request, args=name, attachment=attachment)
            await self._send(request)
        elif len(line) == 1 and line.isalpha():
            await self._send(self._request(command="answer", args=line))
        else:
            await self._say("console_hint")

    def _request(self, *, command: str | None = None, args: str = "", action: str | None = None) -> Request:
        return Request(
            platform=PLATFORM,
            chat_id=CHAT_ID,
            user_id=self.user_name.casefold(),
            user_name=self.user_name,
            chat_kind=ChatKind.GROUP,  # a shared table: /as lets several people play at one terminal
            locale=self.locale,
            command=command,
            args=args,
            action=action,
            local_commands=LOCAL_COMMANDS,
            is_admin=True,  # whoever sits at the terminal owns this chat's settings
        )

    async def post(self, target: str, reply: Reply) -> str:
        """The schedulers' messages (daily question, results, round questions), printed into the terminal chat;
        an edit (a round's countdown) prints only its last line."""
        if reply.edit_message_id is not None:
            self._print(self._style(reply.text.rsplit("\n", 1)[-1]))
            return reply.edit_message_id
        await self._show(reply, report_post=False)
        return f"console-{self._sent}"

    async def _send(self, request: Request) -> None:
        for reply in await self.service.handle(request):
            await self._show(reply)

    async def _show(self, reply: Reply, report_post: bool = True) -> None:
        self._sent += 1
        self._print("")
        self._print(self._style(reply.text))
        if reply.image is not None:  # a terminal shows no pictures: the chart goes to a file
            path = self.image_dir / f"study-bot-{_file_safe(self.user_name)}-{self._sent}.png"
            path.write_bytes(reply.image)
            await self._say("console_chart_saved", path=path)
        if reply.document is not None:  # an exported deck: saved beside the charts
            path = self.image_dir / reply.document.file_name
            path.write_bytes(reply.document.data)
            await self._say("console_file_saved", path=path)
        if reply.buttons:
            self._buttons = {}
            for row in reply.buttons:
                shown = []
                for button in row:
                    key = _key(button, self._buttons)
                    self._buttons[key.lower()] = button.action
                    shown.append(_button_text(button, key))
                self._print("  " + "  ".join(shown))
        if reply.post_id is not None and report_post:
            await self.service.message_sent(reply.post_id, f"console-{self._sent}")

    def _style(self, text: str) -> str:
        """Light Markdown for a terminal: bold as bold (or plain), code and italics without their marks."""
        text = _FENCE.sub("", text)
        text = _CODE.sub(r"\1", text)
        text = _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if self._color else m.group(1), text)
        return _ITALIC.sub(r"\1", text)

    async def _say(self, key: str, **values: object) -> None:
        """One of the console's own lines, in the language the chat's replies come in."""
        language = await self.service.language(self._request())
        self._print(i18n.text(key, language, **values))

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


def default_user_name() -> str:
    """Who is at the terminal: the OS user name, else "Player"."""
    try:
        return getpass.getuser() or "Player"
    except Exception:  # no USER/LOGNAME and no passwd entry (a bare container)
        return "Player"


def _command_word(line: str) -> str:
    """`/AS Bob` -> `as`; `/ask x` -> `ask`; not a command -> ``."""
    if not line.startswith("/"):
        return ""
    return line[1:].split(maxsplit=1)[0].lower() if line[1:].strip() else ""


def _file_safe(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name.casefold())[:40] or "player"


def _path_and_name(args: str) -> tuple[str, str]:
    """`notes.md my-name`, `"my notes.md" my-name` or `'my notes.md'`: the path (quoted if it has spaces)
    and the rest."""
    try:
        words = shlex.split(args)
    except ValueError:  # an unclosed quote: take the words as they are
        words = args.split()
    return (words[0], " ".join(words[1:])) if words else ("", "")


def _local_file(path: Path) -> Attachment | None:
    if not path.is_file():
        return None

    async def read() -> bytes:
        return await asyncio.to_thread(path.read_bytes)

    return Attachment(path.name, path.stat().st_size, read)


def _key(button: Button, taken: dict[str, str]) -> str:
    """What to type for a button: a number in its label (`✅ 3 Deck`), its last word when short (`A`),
    else a free number."""
    words = button.label.split()
    numbers = [word for word in words if word.isascii() and word.isdigit()]
    last = words[-1] if words else ""
    for candidate in (numbers[0] if numbers else "", last):
        usable = candidate and len(candidate) <= 3 and candidate.isascii() and candidate.isalnum()
        if usable and candidate.lower() not in taken:
            return candidate
    number = 1
    while str(number) in taken:
        number += 1
    return str(number)


def _button_text(button: Button, key: str) -> str:
    """`[A]` for a button labelled just `A`; `[3] ✅ Deck` for `✅ 3 Deck`; `[1] Again` otherwise."""
    if button.label == key:
        return f"[{key}]"
    rest = button.label.split()
    if key in rest:
        rest.remove(key)
    return f"[{key}] {' '.join(rest)}" if rest else f"[{key}]"


class _LineReader:
    """Lines from a StreamReader, where a line longer than `limit` bytes comes back as `_TOO_LONG` once
    (asyncio's own readline raises on it and leaves the rest of the line to be read as the next one)."""

    def __init__(self, reader: asyncio.StreamReader, limit: int) -> None:
        self._reader = reader
        self._limit = limit
        self._buffer = bytearray()
        self._dropping = False  # inside an overlong line: discard up to its end

    async def next(self) -> bytes | object | None:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                if self._dropping or len(line) > self._limit:
                    self._dropping = False
                    return _TOO_LONG
                return line
            if len(self._buffer) > self._limit:
                self._buffer.clear()
                self._dropping = True
            try:
                chunk = await self._reader.read(64 * 1024)
            except (OSError, ValueError) as exc:  # an unreadable standard input is the end of it
                log.info("console: standard input cannot be read (%s); treating it as end of input", exc)
                chunk = b""
            if not chunk:
                if self._dropping:
                    self._dropping = False
                    return _TOO_LONG
                if self._buffer:
                    line = bytes(self._buffer)
                    self._buffer.clear()
                    return line
                return None
            self._buffer += chunk


async def _until_stopped(reading, stop: asyncio.Event) -> bytes | object | None:
    """The next line, or None as soon as `stop` is set (SIGTERM must not wait for a line that never comes)."""
    read = asyncio.ensure_future(reading)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if read.done():
        return read.result()
    read.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await read
    return None


def _write_only(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # not a POSIX system: a failing read still ends the input
        return False
    try:
        return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
    except OSError:
        return True


async def _stdin_reader() -> asyncio.StreamReader | None:
    """Standard input as a StreamReader, or None when there is none (closed).

    Pipes, sockets and terminals are read without a thread (so a stop never waits on a blocked read);
    anything else (a regular file, /dev/null, which epoll refuses) through a thread, where a read
    never blocks for long. A read that fails is end of input."""
    try:
        fd = sys.stdin.fileno() if sys.stdin is not None else -1
        mode = os.fstat(fd).st_mode if fd >= 0 else None
    except (OSError, ValueError):
        mode = None
    if mode is None or _write_only(fd) or (stat.S_ISCHR(mode) and not os.isatty(fd)):
        return None  # closed, unreadable, or /dev/null (docker, systemd): no chat will come from it
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_LINE_BYTES * 2)
    pollable = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or (stat.S_ISCHR(mode) and os.isatty(fd))
    if pollable:
        try:
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
            return reader
        except (ValueError, OSError) as exc:
            log.info("console: cannot poll standard input (%s); reading it in a thread", exc)

    async def pump() -> None:
        try:
            while chunk := await asyncio.to_thread(os.read, fd, 64 * 1024):
                reader.feed_data(chunk)
        except OSError as exc:
            log.info("console: standard input cannot be read (%s); treating it as end of input", exc)
        reader.feed_eof()

    task = loop.create_task(pump())
    _PUMPS.add(task)  # the loop keeps only a weak reference to tasks
    task.add_done_callback(_PUMPS.discard)
    return reader
