"""How a request names its command and verb: one normalisation shared by the settings check and the handlers.

`/Daily@StudyBot SET 09:00` is the command `daily` with the verb `set`: names are case-insensitive, so
the admin check and the command that runs must agree on them, or a capital letter slips past the check.
"""

from __future__ import annotations

from bot.core.messages import Request


def command_name(request: Request) -> str:
    """`/Quiz@StudyBot` -> `quiz`."""
    return (request.command or "").strip().lstrip("/").split("@", 1)[0].casefold()


def verb_and_rest(args: str) -> tuple[str, str]:
    """`SET 09:00 UTC` -> (`set`, `09:00 UTC`): the first word, case-folded, and what follows it."""
    words = args.split(maxsplit=1)
    if not words:
        return "", ""
    return words[0].casefold(), words[1].strip() if len(words) > 1 else ""
