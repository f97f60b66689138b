"""The mistakes drill (/review) across quiz, daily and study answers, and weak topics in /stats."""

from __future__ import annotations

from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer
from tests.conftest import BOTH_STORES, Chat

STORE_BACKENDS = BOTH_STORES


def wrong_option(reply, post) -> str:
    return reply.buttons[0][(post.correct + 1) % len(post.options)].action


async def test_mistakes_from_quiz_daily_and_study_most_recent_first_and_a_right_answer_removes_one(
    quiz_service, store, clock
):
    service = quiz_service
    chat = Chat(service)
    chat.admins.add("Alice")
    reply, quiz = await chat.quiz("Alice")
    await chat.click("Alice", wrong_option(reply, quiz))
    clock.advance(minutes=1)
    [daily] = await chat.say("Alice", "/daily now")
    daily_post = await store.get_post(daily.post_id)
    assert daily_post.mode == "daily"
    await chat.click("Alice", wrong_option(daily, daily_post))
    clock.advance(minutes=1)
    bank = service.bank
    deck = next(d for d in bank.decks if bank.choices.choices(d.cards[0].id, 0) is not None)
    shown = (await chat.say("Alice", f"/study {deck.id}"))[0]
    revealed = (await chat.click("Alice", shown.buttons[0][0].action))[0]
    again = revealed.buttons[0][0]
    assert again.label == "Again"
    await chat.click("Alice", again.action)
    score_before = (await chat.say("Alice", "/score"))[0].text

    drill = service.drill
    mistakes = await drill.open_mistakes((await store.ensure_user("test", "alice", "Alice")).id)
    assert mistakes == [deck.cards[0].id, daily_post.card_id, quiz.card_id]  # most recent first

    [first] = await chat.say("Alice", "/review")
    assert first.private and first.text.startswith("🔁 **Mistakes drill** for Alice · 3 to go")
    assert deck.cards[0].question in first.text
    card_id, seed = first.buttons[0][0].action.split(":")[1:3]
    right = bank.choices.choices(card_id, int(seed)).correct
    [done] = await chat.click("Alice", first.buttons[0][right].action)
    assert done.text.startswith("✅ Right: off your mistakes list (2 left). No points in the drill.")
    assert done.buttons[0][0].label == "Next mistake"
    [second] = await chat.click("Alice", done.buttons[0][0].action)
    assert "2 to go" in second.text and daily_post.card_id == second.buttons[0][0].action.split(":")[1]
    other = bank.choices.choices(daily_post.card_id, int(second.buttons[0][0].action.split(":")[2])).correct
    [kept] = await chat.click("Alice", second.buttons[0][(other + 1) % 4].action)
    assert kept.text.startswith("❌ Not yet: it stays on your list (2 left).")
    # Bob cannot answer Alice's drill card for her
    [refused] = await chat.click("Bob", second.buttons[0][other].action)
    assert refused.text.startswith("That card is not on your mistakes list")
    assert (await chat.say("Alice", "/score"))[0].text == score_before  # the drill earns no points

    for _ in range(2):
        [card] = await chat.say("Alice", "/review")
        card_id, seed = card.buttons[0][0].action.split(":")[1:3]
        await chat.click("Alice", card.buttons[0][bank.choices.choices(card_id, int(seed)).correct].action)
    [empty] = await chat.say("Alice", "/review")
    assert empty.text == "🎉 No mistakes left to review. Keep learning with /study."
    # a quiz card answered wrong again is back on the list
    clock.advance(minutes=1)
    await store.record_answer(
        NewAnswer(1, 1, quiz.card_id, None, "quiz", "A", False, 0, clock.now(), clock.now(), None)
    )
    assert "1 to go" in (await chat.say("Alice", "/review"))[0].text


async def seed_history(service, store, clock, user: str, chat_id: int) -> dict[str, list[str]]:
    """Answers in three sections: the first 1 of 4 right, the second 3 of 3, the third 2 of 4."""
    bank = service.bank
    by_section: dict[str, list[str]] = {}
    for card_id in bank.quizzable(None):
        by_section.setdefault(service.drill.sections.of_card[card_id].key, []).append(card_id)
    chosen = [key for key, cards in by_section.items() if len(cards) >= 4][:3]
    user_ref = await store.ensure_user("test", user.lower(), user)
    plan = [(chosen[0], 4, 1), (chosen[1], 3, 3), (chosen[2], 4, 2)]
    for key, count, right in plan:
        for index, card_id in enumerate(by_section[key][:count]):
            clock.advance(seconds=10)
            await store.record_answer(NewAnswer(user_ref.id, chat_id, card_id, None, "quiz", "A", index < right,
                                                5 if index < right else 0, clock.now(), clock.now(),
                                                clock.now().date().isoformat()))  # fmt: skip
    return {"weakest": by_section[chosen[0]], "keys": chosen}


async def test_stats_names_the_weakest_sections_and_drills_one(quiz_service, store, clock):
    service = quiz_service
    chat = Chat(service)
    group = await store.ensure_chat("test", "group-1", ChatKind.GROUP)
    seeded = await seed_history(service, store, clock, "Alice", group.id)
    [stats] = await chat.say("Alice", "/stats")
    labels = [service.drill.sections.by_key[key].label for key in seeded["keys"]]
    part = stats.text.split("🎯 **Weakest sections** (of 3 with enough answers):", 1)[1]
    assert part.strip().splitlines() == [
        f"1. {labels[0]}: 25% (1/4)", f"2. {labels[2]}: 50% (2/4)", f"3. {labels[1]}: 100% (3/3)",
    ]  # fmt: skip
    drill_buttons = [row[0] for row in stats.buttons]
    assert [b.action for b in drill_buttons] == [f"rn:{seeded['keys'][0]}", f"rn:{seeded['keys'][2]}"]
    [drill] = await chat.click("Alice", drill_buttons[0].action)
    assert "3 to go" in drill.text  # only that section's three wrong cards
    assert drill.buttons[0][0].action.split(":")[1] in seeded["weakest"][1:4]


async def test_stats_group_is_for_admins_and_shows_weak_sections_cards_and_participation(
    quiz_service, store, clock
):
    service = quiz_service
    chat = Chat(service)
    group = await store.ensure_chat("test", "group-1", ChatKind.GROUP)
    await seed_history(service, store, clock, "Alice", group.id)
    await seed_history(service, store, clock, "Bob", group.id)
    assert (await chat.say("Bob", "/stats group"))[
        0
    ].text == "Only the group's admins can see the group's statistics."
    chat.admins.add("Carol")
    [report] = await chat.say("Carol", "/stats group")
    assert report.text.startswith("👥 **This group over 30 days**\nAnswered this week: 2 of 2 members")
    assert "**Weakest sections**\n1. " in report.text and ": 25% (2/8)" in report.text
    assert "**Most missed cards**" in report.text and "0% (0/2)" in report.text
    clock.advance(days=40)
    [later] = await chat.say("Carol", "/stats group")
    assert "Answered this week: 0 of 2 members" in later.text and "Not enough answers yet" in later.text
    private = Chat(service, chat_id="dm", kind=ChatKind.PRIVATE)
    assert (await private.say("Carol", "/stats group"))[0].text.startswith("`/stats group` is for groups.")


async def test_a_new_learner_is_told_when_sections_will_appear(service):
    [stats] = await Chat(service).say("Newbie", "/stats")
    assert "🎯 Accuracy per section appears once a section has 3 answers or reviews." in stats.text
    assert stats.image is not None
