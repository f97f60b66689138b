"""Button actions: what a button carries (`a:12:3`, `sr:7:4`, `dk:1f2e3d4c`, `dr:1f2e3d4c`, `ra:5:2`, `rn:-`, `rn:-:3f2a9c81d0`) and the one strict parser for it.

Button data comes back from the platform and can be forged, so it is parsed strictly: a known kind,
the right number of fields, ids of ASCII digits that fit in SQLite's INTEGER (`"²".isdigit()` is true
and a 25-digit id overflows), deck keys of 8 lowercase hex digits. Anything else is not an action
and gets the ordinary "this button is out of date" reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
_NUMBER = re.compile(r"(?:0|[1-9][0-9]{0,18})")  # ASCII only: re's [0-9] is not \d
_DECK_KEY = re.compile(r"[0-9a-f]{8}")
_SECTION = re.compile(r"[0-9a-f]{8}|-")  # a section key, or "-" for any section
_CARD_ID = re.compile(r"[0-9a-f]{6,16}")
# kind -> how many numbers follow it; "dk" takes a deck key instead, "dr" a deck key or nothing (cancel)
_NUMBERS = {"a": 2, "r": 1, "sv": 1, "sw": 1, "sr": 2, "sn": 0, "ra": 2, "rp": 1}


@dataclass(frozen=True, slots=True)
class Action:
    kind: str
    numbers: tuple[int, ...] = ()
    key: str = ""


def parse_action(data: str | None) -> Action | None:
    """The action a button carries, or None when the data is not one the bot ever made."""
    if not data:
        return None
    kind, *fields = data.split(":")
    if kind in ("dk", "dr"):
        if len(fields) == 1 and (_DECK_KEY.fullmatch(fields[0]) or (kind == "dr" and not fields[0])):
            return Action(kind, key=fields[0])
        return None
    if kind == "rn":  # the mistakes drill's next card: rn:<section>[:<card id just drilled, asked last>]
        if (
            len(fields) in (1, 2)
            and _SECTION.fullmatch(fields[0])
            and all(map(_CARD_ID.fullmatch, fields[1:]))
        ):
            return Action(kind, key=":".join(fields))
        return None
    if kind == "rv":  # a drill answer: rv:<card id>:<seed>:<option>:<section>
        if len(fields) != 4 or not _CARD_ID.fullmatch(fields[0]) or not _SECTION.fullmatch(fields[3]):
            return None
        numbers = _numbers(fields[1:3])
        return None if numbers is None else Action(kind, numbers, key=":".join(fields))
    if _NUMBERS.get(kind) != len(fields):
        return None
    numbers = _numbers(fields)
    return None if numbers is None else Action(kind, numbers)


def _numbers(fields: list[str]) -> tuple[int, ...] | None:
    numbers = []
    for field in fields:
        if not _NUMBER.fullmatch(field) or int(field) > MAX_ID:
            return None
        numbers.append(int(field))
    return tuple(numbers)
