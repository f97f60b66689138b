"""A group-commit batch of answers as one PostgreSQL statement: `INSERT … SELECT FROM unnest(…)` with one
array per column, so the statement text (and its prepared plan) is the same for every batch size.

As on SQLite, a batch is split into independent groups (bot/storage/sqlite/answers.py), so each row's
repeat check and the one-answer-per-post rule see exactly what a one-answer statement would have seen.

Several processes may record answers at once, and the repeat check ("this user already answered this card
here today") reads only what is committed when its statement starts. So a batch first takes a transaction
advisory lock per (user, chat, card) it writes (`LOCK_ANSWER_KEYS`), in ascending key order so two batches
never wait on each other in a cycle: a second process's answer to the same card waits for the first one's
COMMIT, and its INSERT, a new statement with a new snapshot, then sees it and earns nothing.
"""

from __future__ import annotations

import hashlib

from bot.core.ports import NewAnswer
from bot.storage.sqlite.rows import to_ms

INSERT_ANSWERS = """
INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at, local_day)
SELECT v.user_id, v.chat_id, v.card_id, v.post_id, v.mode, v.answer, v.correct,
       CASE WHEN EXISTS (
           SELECT 1 FROM attempts a
           WHERE a.user_id = v.user_id AND a.chat_id = v.chat_id AND a.card_id = v.card_id AND a.created_at >= v.since
       ) THEN 0 ELSE v.points END,
       v.created_at, v.local_day
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::integer[],
            $8::integer[], $9::bigint[], $10::text[], $11::bigint[])
     AS v (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at, local_day, since)
ON CONFLICT (post_id, user_id) DO NOTHING
RETURNING user_id, chat_id, card_id, points
"""


LOCK_ANSWER_KEYS = """
SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, n) ORDER BY n
"""


def answer_lock_keys(answers: list[NewAnswer]) -> list[int]:
    """One signed 64-bit advisory-lock key per distinct (user, chat, card), ascending."""
    keys = set()
    for a in answers:
        digest = hashlib.blake2b(
            f"answer:{a.user_id}:{a.chat_id}:{a.card_id}".encode(), digest_size=8
        ).digest()
        keys.add(int.from_bytes(digest, "big", signed=True))
    return sorted(keys)


def insert_arguments(answers: list[NewAnswer]) -> list[list]:
    """The eleven column arrays for INSERT_ANSWERS."""
    columns: list[list] = [[] for _ in range(11)]
    for a in answers:
        values = (a.user_id, a.chat_id, a.card_id, a.post_id, a.mode, a.answer, int(a.correct), a.points,
                  to_ms(a.at), a.local_day, to_ms(a.repeat_since))  # fmt: skip
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    return columns
