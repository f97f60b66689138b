"""Personal study: FSRS flashcards over simulated days, grading by key points, confirm and override, stats."""

from __future__ import annotations

import random
import struct
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.messages import ChatKind, Reply
from bot.core.service import StudyService
from bot.core.study import StudySettings
from tests.conftest import BOTH_STORES, Chat

STORE_BACKENDS = BOTH_STORES


@pytest.fixture
def me(bank, store, clock) -> Chat:
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    service = StudyService(
        bank, store, clock=clock, rng=random.Random(2), study=StudySettings(fuzz_intervals=False)
    )
    return Chat(service, chat_id="dm-ann", kind=ChatKind.PRIVATE)


def action(reply: Reply, label_start: str) -> str:
    return next(
        b.action for row in reply.buttons for b in row if b.label.lstrip("✓ ").startswith(label_start)
    )


async def study_one(chat: Chat, rating: str) -> tuple[str, Reply]:
    """Show the next card, reveal it and rate it; returns the card's question and the rating reply."""
    shown = (await chat.say("Ann", "/study"))[0]
    assert shown.text.startswith("🃏 **Flashcard**"), shown.text
    question = shown.text.split("\n\n")[1]
    revealed = (await chat.click("Ann", action(shown, "Show answer")))[0]
    assert "**Reference answer**" in revealed.text
    rated = (await chat.click("Ann", action(revealed, rating)))[0]
    return question, rated


async def test_a_new_user_studies_25_cards_over_several_days(me, clock):
    first_day = []
    for _ in range(20):
        question, rated = await study_one(me, "Good")
        assert rated.text.startswith("Saved: Good.")
        first_day.append(question)
    assert len(set(first_day)) == 20
    # a 21st card the same day: nothing is due yet and the new-card limit is met
    limit = (await me.say("Ann", "/study"))[0]
    assert limit.text.startswith("🎉 All due reviews done, and you have met today's 20 new cards.")
    clock.advance(days=1)
    second_day = [(await study_one(me, "Good"))[0] for _ in range(25)]
    assert set(first_day) <= set(second_day)  # yesterday's cards come back first, as reviews
    assert len(set(second_day) - set(first_day)) == 5  # then new cards (20 reviews + 5 new)
    stats = (await me.say("Ann", "/stats"))[0]
    assert "Last 30 days: 45 reviews, 100% recalled · study streak 2 days" in stats.text


async def test_again_brings_a_card_back_sooner_than_easy(me, clock):
    again_question, again = await study_one(me, "Again")
    easy_question, easy = await study_one(me, "Easy")
    assert "comes back in" in again.text and "comes back in" in easy.text
    user = await me.service.store.ensure_user("test", "ann", "Ann")
    states = sorted((await me.service.store.study_states(user.id)).values(), key=lambda s: s.due_at)
    assert states[0].due_at - clock.now() <= timedelta(minutes=10) < states[1].due_at - clock.now()
    clock.advance(minutes=30)  # the "Again" card is due now, before any new card
    shown = (await me.say("Ann", "/study"))[0]
    assert shown.text.split("\n\n")[1] == again_question != easy_question


async def test_an_answer_in_my_own_words_is_graded_then_confirmed_or_overridden(me, clock):
    shown = (await me.say("Ann", "/study"))[0]
    card = next(c for c in me.service.bank.cards_with_prefix("") if f"**{c.question}**" in shown.text)
    graded = (await me.say("Ann", f"/answer {card.answer}"))[0]
    assert graded.text.startswith("📝 Score: **100/100** (graded by key points)")
    assert "Proposed rating: **Easy**" in graded.text
    proposed = next(b for row in graded.buttons for b in row if b.label.startswith("✓"))
    assert proposed.label == "✓ Easy"
    override = action(graded, "Hard")
    rated = (await me.click("Ann", override))[0]
    assert rated.text.startswith("Saved: Hard.")
    again = (await me.click("Ann", proposed.action))[0]
    assert again.text.startswith("You already rated this card; nothing changed.")
    score = (await me.say("Ann", "/score"))[0].text
    assert "5 points" in score  # a graded answer earns points scaled by its score (100% of 5)


async def test_bad_answers_and_foreign_ratings_change_nothing(me, store):
    assert (await me.say("Ann", "/answer something")).pop().text.startswith("Answer the open question")
    shown = (await me.say("Ann", "/study"))[0]
    assert (await me.say("Ann", "/answer  ?!。…"))[0].text.startswith("There's nothing to grade")
    assert (await me.say("Ann", "/answer " + "很长" * 3000))[0].text.startswith("That answer is too long")
    bob = Chat(me.service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    stolen = (await bob.click("Bob", action(shown, "Show answer")))[0]
    assert stolen.text.startswith("That card isn't waiting for you.")
    assert (await me.click("Ann", "sr:999999:3"))[0].text.startswith("That card isn't waiting for you.")
    user = await store.ensure_user("test", "ann", "Ann")
    assert await store.study_states(user.id) == {}


async def test_studying_in_a_group_is_private_to_the_member(bank, store, clock):
    service = StudyService(bank, store, clock=clock, rng=random.Random(2))
    group = Chat(service)
    shown = (await group.say("Ann", "/study"))[0]
    assert shown.private
    revealed = (await group.click("Ann", action(shown, "Show answer")))[0]
    assert revealed.private
    assert (await group.click("Ben", action(shown, "Show answer")))[0].text.startswith(
        "That card isn't waiting"
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def test_stats_come_with_a_png_chart(me):
    await study_one(me, "Good")
    stats = (await me.say("Ann", "/stats"))[0]
    assert stats.text.startswith("📈 **Ann's progress**")
    assert "59 new · 1 learning" in stats.text or "1 learning" in stats.text
    assert png_size(stats.image) == (900, 620)


async def test_reminders_nudge_only_when_cards_are_due(me, clock):
    from bot.core.daily import DailyQuestions, DailyScheduler
    from tests.test_daily import FakePoster

    assert (await me.say("Ann", "/remind 20:00 Europe/Berlin"))[0].text.startswith(
        "⏰ I'll remind you at 20:00"
    )
    poster = FakePoster()
    scheduler = DailyScheduler(DailyQuestions(me.service.bank, me.service.store), me.service.store, clock,
                               {"test": poster}, reminders=me.service.reminders)  # fmt: skip
    clock.current = datetime(2026, 11, 2, 19, 5, tzinfo=UTC)  # 20:05 in Berlin: nothing due yet
    await scheduler.tick()
    assert poster.sent == []
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await study_one(me, "Good")
    clock.current = datetime(2026, 11, 3, 19, 5, tzinfo=UTC)
    await scheduler.tick()
    assert [reply.text for _, reply in poster.sent] == ["⏰ You have 1 card due for review."]
    assert (await me.say("Ann", "/remind off"))[0].text == "⏰ Reminders are off."
    group = Chat(me.service)
    assert (await group.say("Ann", "/remind 08:00"))[0].text.startswith("Reminders are private")
