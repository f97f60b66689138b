"""Which requests the core answers privately in a group, known before the answer exists.

A Discord deferral fixes the visibility of the reply that follows it, so an adapter that must defer
a slow command asks here first. It mirrors the replies the commands build: studying, grading,
progress, reminders and quiz answers are the member's own; everything else is for the chat (a short
refusal may still come back private: adapters handle that exception).
"""

from __future__ import annotations

from bot.core.actions import parse_action
from bot.core.command_line import command_name
from bot.core.messages import ChatKind, Request

PRIVATE_COMMANDS = frozenset({"study", "answer", "stats", "remind"})
PRIVATE_ACTIONS = frozenset({"a", "sv", "sw", "sr", "sn"})


def replies_privately(request: Request) -> bool:
    """Whether the reply to `request` is meant for the requesting member alone."""
    if request.chat_kind != ChatKind.GROUP:
        return False
    if request.action is not None:
        action = parse_action(request.action)
        return action is None or action.kind in PRIVATE_ACTIONS  # forged data gets a private notice
    return command_name(request) in PRIVATE_COMMANDS
