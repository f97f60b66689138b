"""Live rounds through the service and the round scheduler, with a clock the test moves and a recording poster."""

from __future__ import annotations

import random

from bot.core.messages import ChatKind, Reply
from bot.core.rounds import RoundScheduler, speed_points
from bot.core.service import StudyService
from tests.conftest import BOTH_STORES, Chat, FakeClock, open_store

STORE_BACKENDS = BOTH_STORES


class Recorder:
    """A platform that keeps what the scheduler posts and edits."""

    name = "test"

    def __init__(self) -> None:
        self.posts: list[Reply] = []
        self.edits: list[Reply] = []

    async def post(self, target: str, reply: Reply) -> str:
        if reply.edit_message_id is not None:
            self.edits.append(reply)
            return reply.edit_message_id
        self.posts.append(reply)
        return f"m{len(self.posts)}"


async def answer(chat: Chat, user: str, reply: Reply, right: bool) -> list[Reply]:
    post = await chat.service.store.get_post(reply.post_id)
    option = post.correct if right else (post.correct + 1) % len(post.options)
    return await chat.click(user, reply.buttons[0][option].action)


def game(service: StudyService, clock: FakeClock) -> tuple[Chat, Recorder, RoundScheduler]:
    recorder = Recorder()
    chat = Chat(service)
    return chat, recorder, RoundScheduler(service.rounds, clock, {"test": recorder})


async def test_a_round_of_five_with_three_players_moves_on_early_and_ends_with_standings(service, clock):
    chat, recorder, scheduler = game(service, clock)
    [first] = await chat.say("Alice", "/round 5")
    assert first.text.startswith("🎯 **Live round**: 5 questions, 30 s each.")
    assert "**Question 1/5**" in first.text and "⏳ about 30 s left" in first.text
    await service.message_sent(first.post_id, "m0")

    clock.advance(seconds=1)
    [locked] = await answer(chat, "Alice", first, right=True)
    assert locked.notice_only and locked.private
    assert locked.text.startswith("🔒 Got it, Alice: ") and locked.text.endswith(
        ". Results when the question closes."
    )
    clock.advance(seconds=1)
    await answer(chat, "Bob", first, right=True)
    await answer(chat, "Cat", first, right=False)
    assert (await scheduler.tick()).posted == 0  # everyone answered, but not 5 s yet
    clock.advance(seconds=3)
    assert (await scheduler.tick()).posted == 1  # 5 s: everyone who plays has answered, so it moves on
    second = recorder.posts[-1]
    assert "📊 **Question 1/5**" in second.text and "The right answer:" in second.text
    # Alice answered with 29 of 30 s left, Bob with 28: 5 points each plus a speed bonus
    assert "Right: Alice (+9), Bob (+9) · 3 answered" in second.text
    assert "Top 3: 🥇 Alice 9 · 🥈 Bob 9 · 🥉 Cat 0" in second.text
    assert "**Question 2/5**" in second.text and second.buttons[0][0].action.startswith("ra:")

    # question 2: Cat does not answer, so it runs its full time, with a countdown edited every 10 s at most
    await answer(chat, "Alice", second, right=True)
    await answer(chat, "Bob", second, right=False)
    for _ in range(29):
        clock.advance(seconds=1)
        await scheduler.tick()
    assert [edit.text.rsplit("\n", 1)[-1] for edit in recorder.edits] == [
        "⏳ about 20 s left", "⏳ about 10 s left",
    ]  # fmt: skip
    assert len(recorder.posts) == 1  # still question 2
    clock.advance(seconds=1)
    await scheduler.tick()
    assert recorder.edits[-1].text.endswith("⏱ Time's up.") and not recorder.edits[-1].buttons
    third = recorder.posts[-1]
    assert "Right: Alice (+10)" in third.text and "**Question 3/5**" in third.text

    late = await answer(chat, "Cat", second, right=True)
    assert late[0].text == "This round question is closed."
    for reply in (third, None, None):
        current = reply or recorder.posts[-1]
        for name in ("Alice", "Bob", "Cat"):
            await answer(chat, name, current, right=name != "Cat")
        clock.advance(seconds=6)
        await scheduler.tick()
    final = recorder.posts[-1]
    assert (
        "📊 **Question 5/5**" in final.text and "🏁 **Round over**: standings after 5 questions" in final.text
    )
    lines = final.text.split("🏁", 1)[1].splitlines()
    assert lines[1].startswith("🥇 Alice: ") and "5/5 right" in lines[1]
    assert lines[3].startswith("🥉 Cat: 0 points · 0/5 right")
    assert final.buttons[0][0].label == "🔁 Play again"
    assert await service.store.running_round(1) is None

    board = (await chat.say("Cat", "/leaderboard"))[0].text
    assert "1. Alice:" in board and "Cat: 0 points (0/4)" in board

    # play again: a new round of 5; cards answered today in this chat earn nothing (no farming)
    [again] = await chat.click("Bob", final.buttons[0][0].action)
    assert "**Question 1/5**" in again.text


async def test_the_speed_bonus_rule():
    from datetime import timedelta

    window = timedelta(seconds=30)
    assert speed_points(5, window, window) == 10
    assert speed_points(5, timedelta(seconds=24), window) == 9
    assert speed_points(5, timedelta(seconds=5), window) == 5
    assert speed_points(5, timedelta(0), window) == 5


async def test_repeating_a_card_the_same_day_earns_no_points_in_a_round(bank, store, clock):
    service = StudyService(bank, store, clock=clock, rng=random.Random(3))
    chat, recorder, scheduler = game(service, clock)
    [quiz] = await chat.say("Alice", "/quiz")
    post = await store.get_post(quiz.post_id)
    await chat.click("Alice", f"a:{post.id}:{post.correct}")
    # a one-question round that happens to ask the same card (the only card of a one-card plan)
    service.bank.quizzable = lambda decks: [post.card_id]  # type: ignore[method-assign]
    try:
        [first] = await chat.say("Alice", "/round 1")
    finally:
        del service.bank.quizzable
    await answer(chat, "Alice", first, right=True)
    clock.advance(seconds=30)
    await scheduler.tick()
    assert "Right: Alice (+0)" in recorder.posts[-1].text


async def test_one_round_per_chat_and_only_the_starter_or_an_admin_stops_it(service, clock):
    chat, _, scheduler = game(service, clock)
    await chat.say("Alice", "/round 3")
    assert (await chat.say("Bob", "/round"))[0].text.startswith(
        "A round is already running here (question 1 of 3)"
    )
    refused = await chat.say("Bob", "/round stop")
    assert refused[0].text == "Only the member who started the round or an admin can stop it."
    chat.admins.add("Dan")
    [stopped] = await chat.say("Dan", "/round stop")
    assert stopped.text.startswith("⏹ Dan stopped the round.") and "🏁" in stopped.text
    assert (await chat.say("Alice", "/round stop"))[0].text.startswith("No round is running here")
    clock.advance(seconds=40)
    assert (await scheduler.tick()).posted == 0
    await chat.say("Alice", "/round 2")
    [mine] = await chat.say("Alice", "/round stop")
    assert mine.text.startswith("⏹ Alice stopped the round.")


async def test_round_time_is_for_admins_and_sets_the_window(service, clock):
    chat, _, _ = game(service, clock)
    assert (await chat.say("Bob", "/round time 20"))[
        0
    ].text == "Only the group's admins can change its settings."
    chat.admins.add("Alice")
    assert (await chat.say("Alice", "/round time 2"))[0].text.startswith(
        "Give the seconds per question, from 5"
    )
    assert (await chat.say("Alice", "/round time 20"))[
        0
    ].text == "Round questions here now take answers for 20 s."
    assert "for 20 s" in (await chat.say("Bob", "/round time"))[0].text
    [first] = await chat.say("Bob", "/round 2")
    assert "2 questions, 20 s each" in first.text


async def test_a_restart_mid_round_continues_it_or_closes_it_with_a_message(bank, database, clock):
    store = await open_store(database)
    service = StudyService(bank, store, clock=clock, rng=random.Random(5))
    chat, recorder, scheduler = game(service, clock)
    [first] = await chat.say("Alice", "/round 3")
    await answer(chat, "Alice", first, right=True)
    await store.close()

    clock.advance(seconds=40)  # the bot was down while question 1 ended: it continues
    store = await open_store(database)
    service = StudyService(bank, store, clock=clock, rng=random.Random(5))
    chat, recorder, scheduler = game(service, clock)
    assert (await scheduler.tick()).posted == 1
    assert "Right: Alice" in recorder.posts[-1].text and "**Question 2/3**" in recorder.posts[-1].text
    await store.close()

    clock.advance(minutes=30)  # down far longer: the round is closed with a message and its standings
    store = await open_store(database)
    service = StudyService(bank, store, clock=clock, rng=random.Random(5))
    chat, recorder, scheduler = game(service, clock)
    assert (await scheduler.tick()).interrupted == 1
    assert recorder.posts[-1].text.startswith("⚠️ The round was interrupted")
    assert "🥇 Alice" in recorder.posts[-1].text
    assert (await chat.say("Bob", "/round 1"))[0].text.startswith("🎯")
    await store.close()


async def test_the_console_plays_a_round_as_several_people(service, clock):
    import io

    from bot.adapters.console import ConsoleAdapter

    out = io.StringIO()
    console = ConsoleAdapter(service, output=out, user_name="Ann", locale="en_US.UTF-8", color=False)
    scheduler = RoundScheduler(service.rounds, clock, {"console": console})
    await console.handle_line("/round 2")
    await console.handle_line("a")
    await console.handle_line("/as Bob")
    await console.handle_line("b")
    await console.handle_line("/as Ann")
    await console.handle_line("c")  # Ann already answered
    clock.advance(seconds=5)
    await scheduler.tick()
    await console.handle_line("a")
    clock.advance(seconds=12)
    await scheduler.tick()  # Bob has not answered question 2: the countdown line is printed
    clock.advance(seconds=20)
    await scheduler.tick()
    text = out.getvalue()
    assert text.count("🔒 Got it") == 3 and "You already answered this question, Ann" in text
    assert "**Question 2/2**" not in text and "Question 2/2" in text
    assert "⏳ about 20 s left" in text
    assert "🏁 Round over" in text and "[1] 🔁 Play again" in text
    chat = await service.store.ensure_chat("console", "terminal", ChatKind.GROUP)
    assert await service.store.running_round(chat.id) is None
