"""`stats`: a user's progress per deck (new, learning, due today, mastered), recent reviews and accuracy,
their study streak, and a PNG chart of reviews per day and mastery per deck.

Mastered means FSRS stability of at least `mastered_stability_days` (21 by default): the scheduler
expects the user still to recall the card three weeks after the last review.

The chart is drawn off the event loop, in one worker thread (the first one also imports matplotlib,
about a second): other users' commands keep being answered while it renders, and charts render one
at a time because matplotlib is not thread-safe.
"""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.context import CommandContext
from bot.core.daily_time import local_date
from bot.core.messages import ChatKind, Reply
from bot.core.ports import Clock, Store
from bot.core.question_bank import QuestionBank

CHART_SIZE = (800, 500)  # pixels
DAYS = 30
_CHART_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats-chart")  # threads start on use


@dataclass(frozen=True, slots=True)
class DeckProgress:
    title: str
    new: int
    learning: int
    due_today: int
    mastered: int
    total: int


class Progress:
    def __init__(self, bank: QuestionBank, store: Store, clock: Clock, mastered_days: float) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.mastered_days = mastered_days

    async def stats(self, context: CommandContext, _: str) -> list[Reply]:
        now = self.clock.now()
        today = local_date(now, context.zone)
        end_of_day = datetime.combine(today + timedelta(days=1), time(0), tzinfo=context.zone)
        states = await self.store.study_states(context.user.id)
        decks: list[DeckProgress] = []
        for deck in self.bank.for_chat(context.chat.id).decks:
            mine = [states[card.id] for card in deck.cards if card.id in states]
            decks.append(
                DeckProgress(
                    deck.title,
                    new=len(deck.cards) - len(mine),
                    learning=sum(1 for s in mine if s.state in (1, 3)),
                    due_today=sum(1 for s in mine if s.due_at < end_of_day),
                    mastered=sum(1 for s in mine if (s.stability or 0) >= self.mastered_days),
                    total=len(deck.cards),
                )
            )
        reviews = await self.store.reviews_since(context.user.id, now - timedelta(days=DAYS))
        per_day: dict[str, int] = {}
        for review in reviews:
            per_day[review.local_day] = per_day.get(review.local_day, 0) + 1
        accuracy = round(100 * sum(1 for r in reviews if r.rating >= 3) / len(reviews)) if reviews else 0
        streak = _streak(set(per_day), today)
        lines = [context.t("stats_title", name=context.user.display_name)]
        studied = [deck for deck in decks if deck.total - deck.new] or decks
        for deck in studied:
            lines.append(
                context.t("stats_deck", title=deck.title, new=deck.new, learning=deck.learning,
                          due=deck.due_today, mastered=deck.mastered, total=deck.total)
            )  # fmt: skip
        lines.append(
            context.t("stats_reviews", reviews=context.t("n_reviews", count=len(reviews)), accuracy=accuracy,
                      streak=context.t("n_days", count=streak))
        )  # fmt: skip
        image = await asyncio.get_running_loop().run_in_executor(_CHART_THREAD, chart, per_day, today, decks)
        return [Reply("\n".join(lines), private=context.chat.kind == ChatKind.GROUP, image=image)]


def _streak(days: set[str], today: date) -> int:
    """Consecutive days with a review, ending today (or yesterday, if today has none yet)."""
    day = today if today.isoformat() in days else today - timedelta(days=1)
    count = 0
    while day.isoformat() in days:
        count += 1
        day -= timedelta(days=1)
    return count


def chart(per_day: dict[str, int], today: date, decks: list[DeckProgress]) -> bytes:
    """Reviews per day over the last DAYS days, and the mastered share of each deck, as a PNG."""
    # imported here: matplotlib costs ~50 MB and a second at start-up, and only /stats needs it.
    # The object API (no pyplot) needs no display and keeps no global state.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    width, height = CHART_SIZE
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    left, right = figure.subplots(1, 2)
    days = [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    left.bar(range(DAYS), [per_day.get(day.isoformat(), 0) for day in days], color="#4c72b0")
    left.set_title("Reviews per day")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_xticks([0, DAYS // 2, DAYS - 1], [days[0].strftime("%m-%d"), days[DAYS // 2].strftime("%m-%d"),
                    days[-1].strftime("%m-%d")])  # fmt: skip
    shares = [100 * deck.mastered / deck.total if deck.total else 0 for deck in decks]
    right.barh(range(len(decks)), shares, color="#55a868")
    right.set_yticks(range(len(decks)), [f"deck {i + 1}" for i in range(len(decks))])
    right.set_xlim(0, 100)
    right.set_title("Mastered (%)")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
