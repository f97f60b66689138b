"""A group-commit batch of daily-send bookkeeping as one statement per kind: every "this send begins now"
of the batch in one `UPDATE … FROM unnest(…)`, every "sent / failed / retry later" in another (and the
sent messages' ids in a third), so a fan-out of thousands of groups costs a few round trips per batch
instead of one per row. Each row's result is what the one-row statement would have given: the rows of a
batch are distinct claims (a claim's send begins, and is marked, only after its previous step committed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.sqlite.rows import to_ms


@dataclass(frozen=True, slots=True)
class StartSend:
    daily_id: int
    instance: str
    at: datetime


@dataclass(frozen=True, slots=True)
class MarkDaily:
    daily_id: int
    state: str
    at: datetime
    message_id: str | None
    retry_at: datetime | None


START_SENDS = """
UPDATE daily_posts d SET send_started_at = v.at
FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS v (id, instance, at)
WHERE d.id = v.id AND d.claimed_by = v.instance AND d.state = 'sending' AND d.send_started_at IS NULL
RETURNING d.id
"""

MARK_DAILIES = """
UPDATE daily_posts d SET state = v.state, sent_at = CASE WHEN v.state = 'sent' THEN v.at ELSE d.sent_at END,
       retry_at = v.retry_at
FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[]) AS v (id, state, at, retry_at)
WHERE d.id = v.id
"""

SET_MESSAGE_IDS = """
UPDATE quiz_posts q SET message_id = v.message_id
FROM unnest($1::bigint[], $2::text[]) AS v (daily_id, message_id)
JOIN daily_posts d ON d.id = v.daily_id
WHERE q.id = d.post_id
"""


def start_arguments(starts: list[StartSend]) -> list[list]:
    return [[s.daily_id for s in starts], [s.instance for s in starts], [to_ms(s.at) for s in starts]]


def mark_arguments(marks: list[MarkDaily]) -> list[list]:
    return [
        [m.daily_id for m in marks],
        [m.state for m in marks],
        [to_ms(m.at) for m in marks],
        [None if m.retry_at is None else to_ms(m.retry_at) for m in marks],
    ]


def message_id_arguments(marks: list[MarkDaily]) -> list[list] | None:
    sent = [m for m in marks if m.message_id is not None]
    if not sent:
        return None
    return [[m.daily_id for m in sent], [m.message_id for m in sent]]
