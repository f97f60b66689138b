"""MistakesDrill: `/review` serves the cards you answered wrong and have not answered right since.

Sources: wrong quiz, daily, round and graded study answers, and flashcards rated Again; most recent
first, as multiple choice (cards without a multiple-choice question are left out). A right answer here
takes the card off the list and earns no points, so the drill cannot farm the leaderboard. In groups
the drill is private, like /study. `rn:<section>` (from /stats) limits it to one section.
"""

from __future__ import annotations

import random

from bot.core import views
from bot.core.context import CommandContext
from bot.core.messages import Button, ChatKind, Reply
from bot.core.ports import Clock
from bot.core.question_bank import QuestionBank
from bot.core.review.model import ReviewStore, Sections

ANY = "-"  # no section filter, in button actions


class MistakesDrill:
    def __init__(
        self, bank: QuestionBank, store: ReviewStore, clock: Clock, sections: Sections, rng: random.Random
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.sections = sections
        self.rng = rng

    async def command(self, context: CommandContext, _: str) -> list[Reply]:
        return await self.next_card(context, ANY)

    def chat_bank(self, context: CommandContext) -> QuestionBank:
        """The bank as this chat sees it (its uploaded decks too), with their sections known."""
        bank = self.bank.for_chat(context.chat.id)
        self.sections.include(bank)
        return bank

    async def open_mistakes(
        self, user_id: int, section: str = ANY, bank: QuestionBank | None = None
    ) -> list[str]:
        """The user's open mistakes that can be asked as multiple choice in `bank`, most recent first."""
        bank = bank or self.bank
        found = []
        for card_id, _ in await self.store.mistakes(user_id):
            if section != ANY and getattr(self.sections.of_card.get(card_id), "key", None) != section:
                continue
            if bank.card(card_id) is not None and bank.choices.choices(card_id, 0) is not None:
                found.append(card_id)
        return found

    async def next_card(self, context: CommandContext, key: str) -> list[Reply]:
        """`key`: a section (or ANY), and after a colon the card just drilled, which waits its turn: a card
        answered wrong again is the most recent mistake, and "Next mistake" must not ask it straight back."""
        section, _, drilled = key.partition(":")
        private = context.chat.kind == ChatKind.GROUP
        bank = self.chat_bank(context)
        if section != ANY and section not in self.sections.by_key:
            return [views.refusal(context.t("bad_action"))]
        cards = await self.open_mistakes(context.user.id, section, bank)
        if drilled and len(cards) > 1 and cards[0] == drilled:
            cards = [*cards[1:], drilled]
        if not cards:
            key = "review_empty" if section == ANY else "review_empty_section"
            label = self.sections.by_key[section].label if section != ANY else ""
            return [Reply(context.t(key, section=label) if label else context.t(key), private=private)]
        card_id = cards[0]
        seed = self.rng.randrange(10**9)
        made = bank.choices.choices(card_id, seed)
        card = bank.card(card_id)
        assert made is not None and card is not None
        options = "\n".join(f"**{views.LETTERS[i]}.** {option}" for i, option in enumerate(made.options))
        heading = context.t("review_title", name=context.user.display_name, left=len(cards),
                            where=views.where(bank, card))  # fmt: skip
        buttons = (
            tuple(
                Button(views.LETTERS[i], f"rv:{card_id}:{seed}:{i}:{section}")
                for i in range(len(made.options))
            ),
        )
        return [Reply(f"{heading}\n\n**{card.question}**\n\n{options}", buttons, private=private)]

    async def answer(self, context: CommandContext, rest: str) -> list[Reply]:
        """`rv:<card>:<seed>:<option>:<section>`: the drill's multiple choice regenerated from its seed."""
        parts = rest.split(":")
        if len(parts) != 4 or not (parts[1].isdigit() and parts[2].isdigit()):
            return [views.refusal(context.t("bad_action"))]
        card_id, seed, option, section = parts[0], int(parts[1]), int(parts[2]), parts[3]
        bank = self.chat_bank(context)
        made = bank.choices.choices(card_id, seed) if bank.card(card_id) else None
        if made is None or not 0 <= option < len(made.options):
            return [views.refusal(context.t("bad_action"))]
        if card_id not in await self.open_mistakes(context.user.id, bank=bank):
            return [views.refusal(context.t("review_not_yours"))]
        correct = option == made.correct
        await self.store.record_drill(context.user.id, card_id, correct, self.clock.now())
        left = len(await self.open_mistakes(context.user.id, section, bank))
        verdict = context.t("review_right" if correct else "review_wrong", left=left)
        card = bank.card(card_id)
        assert card is not None
        right = context.t(
            "right_option", letter=views.LETTERS[made.correct], option=made.options[made.correct]
        )
        text = f"{verdict}\n\n{right}\n\n{views.answer_body(card, context.language)}"
        buttons = ((Button(context.t("review_next"), f"rn:{section}:{card_id}"),),) if left else ()
        private = context.chat.kind == ChatKind.GROUP
        return [Reply(text, buttons, notice=verdict, private=private)]
