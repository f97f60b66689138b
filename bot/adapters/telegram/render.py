"""Light Markdown from the core as Telegram HTML, split into messages under Telegram's length limit.

Everything is escaped first (answers contain `<`, `>`, `&`, code and tables); then `**bold**`,
`` `code` `` and fenced code blocks become `<b>`, `<code>` and `<pre>`. Text is split between
paragraphs (bot.adapters.paging) and each part is rendered on its own, so every message is valid
HTML by itself. Telegram counts a message's length in UTF-16 code units (an emoji or a mathematical
letter is two), so parts are measured that way; an empty code block is left out, and a part with
nothing visible is not sent at all (Telegram refuses empty messages).
"""

from __future__ import annotations

import html
import re

from bot.adapters.paging import split_paragraphs

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
    if not "".join(lines).strip():
        return ""  # Telegram refuses an empty <pre></pre>
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


def utf16_length(text: str) -> int:
    """A string's length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_messages(markdown: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The text as HTML messages of at most `limit` UTF-16 units each (the HTML, so the visible text is
    shorter still), split between paragraphs where possible; none of them empty (maybe no message)."""
    pieces = split_paragraphs(markdown, limit, measure=lambda piece: utf16_length(to_html(piece)))
    rendered = (to_html(piece).strip("\n") for piece in pieces)
    return [part for part in rendered if _TAG.sub("", part).strip()]


_TAG = re.compile(r"<[^>]*>")
