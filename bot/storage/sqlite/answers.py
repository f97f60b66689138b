"""Many answers in one INSERT statement: how a group-commit batch writes its answers in one thread hop.

A batch is split into statements whose answers are independent (no two share a post and user, nor a
user, chat and card), so each row's repeat check and uniqueness rule see exactly what the one-answer
statement would have seen; nearly every batch is a single statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.ports import NewAnswer, RecordedAnswer
from bot.storage.sqlite.rows import to_ms

_COLUMNS = 11  # values per answer in the VALUES list below
_INSERT = """
INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at, local_day)
SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7,
       CASE WHEN EXISTS (
           SELECT 1 FROM attempts a
           WHERE a.user_id = v.column1 AND a.chat_id = v.column2 AND a.card_id = v.column3 AND a.created_at >= v.column11
       ) THEN 0 ELSE v.column8 END,
       v.column9, v.column10
FROM (VALUES {rows}) AS v
WHERE true
ON CONFLICT (post_id, user_id) DO NOTHING
RETURNING user_id, chat_id, card_id, points
"""
_ROW = "(" + ", ".join(["?"] * _COLUMNS) + ")"


def independent_groups(answers: list[NewAnswer]) -> list[list[int]]:
    """The answers' indexes, in order, split so that no two in a group could affect each other's outcome;
    an answer goes to the group after the last one holding something it depends on."""
    groups: list[list[int]] = []
    keys: list[set[tuple]] = []
    for position, answer in enumerate(answers):
        mine = {("card", answer.user_id, answer.chat_id, answer.card_id)}
        if answer.post_id is not None:
            mine.add(("post", answer.post_id, answer.user_id))
        after = max((index for index, held in enumerate(keys) if held & mine), default=-1) + 1
        if after == len(groups):
            groups.append([])
            keys.append(set())
        groups[after].append(position)
        keys[after] |= mine
    return groups


def insert_statement(answers: list[NewAnswer]) -> tuple[str, list]:
    """The SQL and parameters recording `answers` (an independent group) in one statement."""
    params: list = []
    for a in answers:
        params += (a.user_id, a.chat_id, a.card_id, a.post_id, a.mode, a.answer, int(a.correct), a.points,
                   to_ms(a.at), a.local_day, to_ms(a.repeat_since))  # fmt: skip
    return _INSERT.format(rows=", ".join([_ROW] * len(answers))), params


def outcomes(answers: list[NewAnswer], returned: Iterable[tuple]) -> list[RecordedAnswer]:
    """Each answer's outcome from the rows the statement returned (a skipped second answer returns none)."""
    points = {(user_id, chat_id, card_id): awarded for user_id, chat_id, card_id, awarded in returned}
    result = []
    for a in answers:
        awarded = points.get((a.user_id, a.chat_id, a.card_id))
        result.append(RecordedAnswer(False, 0) if awarded is None else RecordedAnswer(True, awarded))
    return result
