"""Light Markdown from the core as Telegram HTML, split into messages under Telegram's length limit.

Everything is escaped first (answers contain `<`, `>`, `&`, code and tables); then `**bold**`,
`` `code` `` and fenced code blocks become `<b>`, `<code>` and `<pre>`. Text is split at paragraph
boundaries, and each part is rendered on its own, so every message is valid HTML by itself.
"""

from __future__ import annotations

import html
import re

MESSAGE_LIMIT = 4096
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[ \t]*$")


def to_html(markdown: str) -> str:
    """One block of light Markdown as Telegram HTML."""
    out: list[str] = []
    code: list[str] | None = None
    language = ""
    for line in markdown.split("\n"):
        fence = _FENCE.match(line.strip())
        if code is None and fence:
            code, language = [], fence.group(1)
            continue
        if code is not None:
            if line.strip() == "```":
                out.append(_pre(code, language))
                code = None
            else:
                code.append(line)
            continue
        out.append(_inline(line))
    if code is not None:  # a block cut by splitting: close it here
        out.append(_pre(code, language))
    return "\n".join(out)


def _pre(lines: list[str], language: str) -> str:
    body = html.escape("\n".join(lines), quote=False)
    if language:
        return f'<pre><code class="language-{html.escape(language)}">{body}</code></pre>'
    return f"<pre>{body}</pre>"


def _inline(line: str) -> str:
    parts = _CODE.split(line)  # odd indexes are code spans, left as they are inside <code>
    rendered = []
    for index, part in enumerate(parts):
        if index % 2:
            rendered.append(f"<code>{html.escape(part, quote=False)}</code>")
        else:
            rendered.append(_BOLD.sub(r"<b>\1</b>", html.escape(part, quote=False)))
    return "".join(rendered)


def split_messages(markdown: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The text as HTML messages of at most `limit` characters, split between paragraphs where possible."""
    blocks = _blocks(markdown)
    messages: list[str] = []
    current: list[str] = []
    for block in blocks:
        for piece in _fit_block(block, limit):
            candidate = "\n\n".join([*current, piece])
            if current and len(to_html(candidate)) > limit:
                messages.append(to_html("\n\n".join(current)))
                current = [piece]
            else:
                current.append(piece)
    if current:
        messages.append(to_html("\n\n".join(current)))
    return [message for message in messages if message.strip()] or [""]


def _blocks(markdown: str) -> list[str]:
    """Paragraphs, keeping a fenced code block whole even when it has blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if line.strip().startswith("```"):
            in_code = not in_code
        if not line.strip() and not in_code:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _fit_block(block: str, limit: int) -> list[str]:
    """A paragraph too long for one message, cut at line ends (or, for one huge line, anywhere)."""
    if len(to_html(block)) <= limit:
        return [block]
    fenced = block.lstrip().startswith("```")
    header = block.split("\n", 1)[0] if fenced else ""
    lines = block.split("\n")[1:-1] if fenced and block.rstrip().endswith("```") else block.split("\n")
    budget = limit - 64  # room for the <pre><code class=…> wrapper and escaping
    pieces: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            body = "\n".join(current)
            pieces.append(f"{header}\n{body}\n```" if fenced else body)
            current.clear()

    for line in lines:
        while len(html.escape(line, quote=False)) > budget:  # one enormous line: cut where it fits
            flush()
            cut = _fitting_prefix(line, budget)
            current.append(line[:cut])
            flush()
            line = line[cut:]
        if current and len(html.escape("\n".join([*current, line]), quote=False)) > budget:
            flush()
        current.append(line)
    flush()
    return [piece for piece in pieces if piece.strip()]


def _fitting_prefix(line: str, budget: int) -> int:
    """How many characters of `line` fit in `budget` once escaped (breaking after a space if one is near)."""
    used = 0
    for position, char in enumerate(line):
        used += len(html.escape(char, quote=False))
        if used > budget:
            space = line.rfind(" ", max(0, position - 200), position)
            return space + 1 if space > 0 else max(position, 1)
    return len(line)
