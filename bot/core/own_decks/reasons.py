"""Why an upload was refused, in the chat's language.

The content parser explains itself in English (the same sentences serve `study-bot content check`); the
reasons a chat meets most are recognised here by their wording and said in the chat's language. English
chats get the parser's sentence unchanged, and so does any chat for a reason not listed here.
"""

from __future__ import annotations

import re

from bot.core.context import CommandContext

_REASONS = (
    (re.compile(r"looks like a binary file\b.*"), "upload_reason_binary"),
    (re.compile(r"line (?P<line>\d+): not UTF-8 text\b.*"), "upload_reason_not_utf8"),
    (re.compile(r"this is not an Anki package\b.*"), "upload_reason_not_apkg"),
    (re.compile(r"this zip archive is not an Anki package\b.*"), "upload_reason_zip_not_apkg"),
    (re.compile(r".*\bzip bomb\b.*"), "upload_reason_zip_bomb"),
    (re.compile(r"this package uses Anki's newer compressed format\b.*"), "upload_reason_apkg_new_format"),
    (re.compile(r"the (compressed )?Anki (collection|package)\b.*"), "upload_reason_apkg_damaged"),
)


def refusal_reason(context: CommandContext, message: str) -> str:
    """The parser's reason `message`, as the chat reads it."""
    if context.language == "en":
        return message
    for pattern, key in _REASONS:
        found = pattern.fullmatch(message)
        if found:
            return context.t(key, **{k: v for k, v in found.groupdict().items() if v is not None})
    return message
