"""Weak topics: accuracy per section (the documents' chapters, parts and headings) for a user's /stats, with
buttons to drill the weakest; and `/stats group` for admins: the group's weakest sections and cards over
30 days, and how many members answered this week."""

from __future__ import annotations

from datetime import timedelta

from bot.core import views
from bot.core.context import CommandContext
from bot.core.daily_time import period_start
from bot.core.messages import Button, ChatKind, Reply
from bot.core.ports import Clock
from bot.core.question_bank import QuestionBank
from bot.core.review.model import ReviewStore, Sections, SectionScore

LEAST_ANSWERS = 3  # a section needs this many answers before its accuracy says anything
WEAKEST = 3
GROUP_DAYS = 30
GROUP_CARDS = 5
CARD_LEAST_ANSWERS = 2
BUTTON_LABEL = 40


class WeakTopics:
    def __init__(self, bank: QuestionBank, store: ReviewStore, clock: Clock, sections: Sections) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.sections = sections

    async def for_user(self, user_id: int, chat_id: int | None = None) -> list[SectionScore]:
        """A user's accuracy per section, weakest first, over the cards `chat_id` sees (its uploaded decks
        too, and no other chat's)."""
        results = await self.store.user_card_results(user_id)
        if chat_id is not None:
            bank = self.bank.for_chat(chat_id)
            self.sections.include(bank)
            results = {
                card_id: result for card_id, result in results.items() if bank.card(card_id) is not None
            }
        return self.sections.scores(results, LEAST_ANSWERS)

    async def drillable(self, user_id: int, chat_id: int | None = None) -> set[str]:
        """The sections holding an open mistake the drill can ask in that chat (only multiple-choice cards)."""
        bank = self.bank if chat_id is None else self.bank.for_chat(chat_id)
        found = set()
        for card_id, _ in await self.store.mistakes(user_id):
            section = self.sections.of_card.get(card_id)
            askable = bank.card(card_id) is not None and bank.choices.choices(card_id, 0) is not None
            if section is not None and askable:
                found.add(section.key)
        return found

    def stats_part(
        self, context: CommandContext, scores: list[SectionScore], drillable: set[str] | None = None
    ) -> tuple[list[str], tuple[tuple[Button, ...], ...]]:
        """The lines /stats adds (the weakest sections by name) and one drill button per weak section that
        has something to drill (`drillable`: section keys; None: every section with a wrong answer)."""
        if not scores:
            return [context.t("weak_none", least=LEAST_ANSWERS)], ()
        lines = [context.t("weak_title", sections=len(scores))]
        weakest = scores[:WEAKEST]
        for index, score in enumerate(weakest, start=1):
            lines.append(_line(context, index, score))
        buttons = tuple(
            (Button(context.t("weak_drill", section=_short(score.section.label)), f"rn:{score.section.key}"),)
            for score in weakest
            if score.right < score.answered and (drillable is None or score.section.key in drillable)
        )
        return lines, buttons

    async def group(self, context: CommandContext) -> list[Reply]:
        if context.chat.kind != ChatKind.GROUP:
            return [Reply(context.t("weak_group_only"))]
        if not context.request.is_admin:
            return [views.refusal(context.t("weak_group_admins"))]
        now = self.clock.now()
        bank = self.bank.for_chat(context.chat.id)
        self.sections.include(bank)
        results = await self.store.chat_card_results(context.chat.id, now - timedelta(days=GROUP_DAYS))
        week = period_start("week", now, context.zone)
        players, members = await self.store.chat_participants(
            context.chat.id, week.isoformat() if week else ""
        )
        lines = [context.t("weak_group_title", days=GROUP_DAYS)]
        lines.append(context.t("weak_group_players", players=players, members=members))
        scores = self.sections.scores(results, LEAST_ANSWERS)
        if not scores:
            lines.append(context.t("weak_group_none", least=LEAST_ANSWERS))
            return [Reply("\n".join(lines))]
        lines.append(context.t("weak_group_sections"))
        lines += [_line(context, index, score) for index, score in enumerate(scores[:WEAKEST], start=1)]
        cards = [
            (right / answered, -answered, card_id, right, answered)
            for card_id, (right, answered) in results.items()
            if answered >= CARD_LEAST_ANSWERS and right < answered and bank.card(card_id) is not None
        ]
        if cards:
            lines.append(context.t("weak_group_cards"))
            for _, _, card_id, right, answered in sorted(cards)[:GROUP_CARDS]:
                card = bank.card(card_id)
                assert card is not None
                accuracy = round(100 * right / answered)
                question = card.question if len(card.question) <= 80 else card.question[:79] + "…"
                lines.append(context.t("weak_group_card", card_id=card_id, question=question,
                                       accuracy=accuracy, right=right, answered=answered))  # fmt: skip
        return [Reply("\n".join(lines))]


def _line(context: CommandContext, index: int, score: SectionScore) -> str:
    return context.t(
        "weak_line", number=index, section=score.section.label, accuracy=round(100 * score.accuracy),
        right=score.right, answered=score.answered,
    )  # fmt: skip


def _short(label: str) -> str:
    """A section's last part, short enough for a button."""
    tail = label.rsplit(" / ", 1)[-1]
    return tail if len(tail) <= BUTTON_LABEL else tail[: BUTTON_LABEL - 1] + "…"
