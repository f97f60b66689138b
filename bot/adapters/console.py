"""The console adapter: the bot as a chat in the terminal, no tokens needed.

Lines from standard input (typed or piped) are commands (`/quiz`), button presses (type a button's
label: `A`, `b`, `1`) or `/as NAME` to play as another person. Buttons are shown as `[A] [B] …`.
It stops cleanly at end of input or on `/quit`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.core.messages import Button, ChatKind, Reply, Request
from bot.core.service import StudyService

log = logging.getLogger(__name__)
PLATFORM = "console"
CHAT_ID = "terminal"
_BOLD = re.compile(r"\*\*(.+?)\*\*")


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
        self.user_name = user_name or os.environ.get("USER") or "you"
        self.locale = locale if locale is not None else (os.environ.get("LC_ALL") or os.environ.get("LANG"))
        self._color = color if color is not None else self._out.isatty()
        self._buttons: dict[str, str] = {}
        self._sent = 0
        self.image_dir = Path(tempfile.gettempdir())

    async def run(self, stop: asyncio.Event | None = None) -> None:
        reader = self._reader or await _stdin_reader()
        self._print(f"study-bot console: you are {self.user_name}. Type /help, /quit to leave.")
        while stop is None or not stop.is_set():
            raw = await reader.readline()
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            if line.lower() in ("/quit", "/exit"):
                break
            try:
                await self.handle_line(line)
            except Exception:
                log.exception("console: failed to handle %r", line)
                self._print("Something went wrong with that; see the log. Your earlier answers are saved.")
        self._print("Bye!")

    async def handle_line(self, line: str) -> None:
        if line.lower().startswith("/as"):
            name = line[3:].strip()
            if not name:
                self._print("Usage: /as NAME (play as another person, e.g. to try the leaderboard)")
                return
            self.user_name = name
            self._print(f"You are now {name}.")
            return
        action = self._buttons.get(line.lower())
        if action is not None:
            await self._send(self._request(action=action))
        elif line.startswith("/"):
            command, _, args = line[1:].partition(" ")
            await self._send(self._request(command=command, args=args))
        elif len(line) == 1 and line.isalpha():
            await self._send(self._request(command="answer", args=line))
        else:
            self._print("Type a command such as /quiz or /help, or a button's label.")

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
            path = self.image_dir / f"study-bot-{self.user_name.casefold()}-{self._sent}.png"
            path.write_bytes(reply.image)
            self._print(f"(chart saved to {path})")
        if reply.buttons:
            self._buttons = {}
            shown = []
            for button in (button for row in reply.buttons for button in row):
                key = _key(button, self._buttons)
                self._buttons[key.lower()] = button.action
                shown.append(f"[{key}]" if button.label.endswith(key) else f"[{key}] {button.label}")
            self._print("  " + "  ".join(shown))
        if reply.post_id is not None and report_post:
            await self.service.message_sent(reply.post_id, f"console-{self._sent}")

    def _style(self, text: str) -> str:
        return _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if self._color else m.group(1), text)

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


def _key(button: Button, taken: dict[str, str]) -> str:
    """What to type for a button: its label's last word when short (`A`, `✅ 3` -> `3`), else a free number."""
    last = button.label.split()[-1]
    if len(last) <= 3 and last.isascii() and last.isalnum() and last.lower() not in taken:
        return last
    number = 1
    while str(number) in taken:
        number += 1
    return str(number)


async def _stdin_reader() -> asyncio.StreamReader:
    """Standard input as a StreamReader: a pipe or terminal directly, a regular file through a thread."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (ValueError, OSError):  # e.g. `study-bot run < file`: regular files are not pipes

        async def pump() -> None:
            while line := await asyncio.to_thread(sys.stdin.buffer.readline):
                reader.feed_data(line)
            reader.feed_eof()

        asyncio.get_running_loop().create_task(pump())
    return reader
