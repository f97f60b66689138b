"""Scores, period leaderboards (today, week, month, all, in the group's time zone) and daily streaks
(the current one and the longest, over the last STREAK_HISTORY daily questions)."""

from __future__ import annotations

from bot.core.context import CommandContext
from bot.core.daily_time import PERIODS, period_start
from bot.core.messages import Reply
from bot.core.ports import Clock, ScoreLine, Store

STREAK_HISTORY = 400  # daily questions looked back at when counting a streak
_PERIOD_WORDS = {"today": "today", "day": "today", "今天": "today", "今日": "today", "week": "week", "本周": "week",
                 "month": "month", "本月": "month", "all": "all", "总榜": "all", "": "all"}  # fmt: skip


class Standings:
    def __init__(self, store: Store, clock: Clock, size: int = 10) -> None:
        self.store = store
        self.clock = clock
        self.size = size

    async def streaks(self, chat_id: int, user_ids: list[int]) -> dict[int, int]:
        """Consecutive daily questions each user answered in the chat, counting back from the latest.

        Today's question does not break a streak while it is still open. Days are the group's own local
        dates, so a member travelling across time zones keeps their streak."""
        return {
            user_id: current for user_id, (current, _) in (await self.streak_runs(chat_id, user_ids)).items()
        }

    async def streak_runs(self, chat_id: int, user_ids: list[int]) -> dict[int, tuple[int, int]]:
        """(current streak, longest streak) per user; see `streaks`."""
        history = await self.store.daily_history(chat_id, STREAK_HISTORY)
        answered = await self.store.daily_answered(chat_id, user_ids, [post_id for _, post_id, _ in history])
        runs = {}
        for user_id in user_ids:
            current, longest, run, counting = 0, 0, 0, True
            for index, (_, post_id, closed) in enumerate(history):
                if (user_id, post_id) in answered:
                    run += 1
                elif index == 0 and not closed:
                    continue
                else:
                    counting, longest, run = False, max(longest, run), 0
                if counting:
                    current = run
            runs[user_id] = (current, max(longest, run))
        return runs

    async def score(self, context: CommandContext, _: str) -> list[Reply]:
        line, players = await self.store.score(context.chat.id, context.user.id)
        if line is None:
            return [Reply(context.t("score_none", name=context.user.display_name))]
        accuracy = round(100 * line.correct / line.answered) if line.answered else 0
        points = context.t("n_points", count=line.points)
        text = context.t(
            "score", name=context.user.display_name, points=points, correct=line.correct,
            answered=line.answered, accuracy=accuracy, rank=line.rank, players=players,
        )  # fmt: skip
        streak, longest = (await self.streak_runs(context.chat.id, [context.user.id]))[context.user.id]
        if streak:
            text += context.t("score_streak", days=streak)
        if longest:
            text += context.t("score_longest", days=longest)
        return [Reply(text)]

    async def leaderboard(self, context: CommandContext, args: str) -> list[Reply]:
        period = _PERIOD_WORDS.get(args.strip().lower())
        if period is None or period not in PERIODS:
            return [Reply(context.t("leaderboard_usage"))]
        since = period_start(period, self.clock.now(), context.zone)
        if since is None:
            top = await self.store.leaderboard(context.chat.id, self.size)
        else:
            top = await self.store.period_leaderboard(context.chat.id, since.isoformat(), self.size, period)
        if not top:
            return [Reply(context.t("leaderboard_empty"))]
        title = (
            context.t("leaderboard_title")
            if period == "all" and not args.strip()
            else context.t("leaderboard_period", period=context.t(f"period_{period}"))
        )
        mine: ScoreLine | None = None
        if all(line.user_id != context.user.id for line in top):
            if since is None:
                mine, _ = await self.store.score(context.chat.id, context.user.id)
            else:
                mine, _ = await self.store.period_score(
                    context.chat.id, context.user.id, since.isoformat(), period
                )
        streaks = await self.streak_runs(context.chat.id, [line.user_id for line in top])
        lines = [title]
        for line in top:
            points = context.t("n_points", count=line.points)
            entry = context.t(
                "leaderboard_line", rank=line.rank, name=line.display_name, points=points,
                correct=line.correct, answered=line.answered,
            )  # fmt: skip
            current, longest = streaks.get(line.user_id, (0, 0))
            if current:
                entry += " " + context.t("streak", days=current)
            if longest:
                entry += " " + context.t("streak_longest", days=longest)
            if line.user_id == context.user.id:
                entry += " ⬅"
            lines.append(entry)
        if mine is not None:
            points = context.t("n_points", count=mine.points)
            lines += ["", context.t("leaderboard_you", rank=mine.rank, points=points)]
        return [Reply("\n".join(lines))]
