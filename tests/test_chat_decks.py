"""Groups bring their own notes: uploads stored per chat, seen only there, replaced, removed and exported."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import random
import zipfile
from datetime import timedelta
from pathlib import PurePosixPath

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.core.content.formats import parse_bytes
from bot.core.messages import Attachment, ChatKind, Reply
from bot.core.own_decks import UploadLimits
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from tests.conftest import BOTH_STORES, Chat, open_store, option_action
from tests.test_daily import FakePoster, Group

STORE_BACKENDS = BOTH_STORES

_ROCKS = (
    "a sandstone made of sediment grains cemented by silica over long periods",
    "a limestone built of sediment from shells and coral in warm shallow seas",
    "a shale formed of sediment so fine that it splits into thin flat sheets",
    "a conglomerate of sediment with rounded pebbles held in a sandy matrix",
    "a coal seam of sediment from buried swamp plants squeezed by heat",
    "an evaporite of sediment left behind when salty lake water dried out",
    "a chert of sediment rich in microscopic silica skeletons from the deep ocean",
    "a mudstone of sediment deposited by slow rivers on wide flood plains",
)
# eight cards whose answers are real, distinct answers of one form, so each can be a fair multiple choice
GEOLOGY = "\n".join(
    ["#separator:Comma", "#deck:Geology basics"]
    + [f"What is rock type {n}?,Rock type {n} is {rock}." for n, rock in enumerate(_ROCKS)]
)


def attach(file_name: str, data: bytes, size: int | None = None) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(file_name, len(data) if size is None else size, download)


async def upload(chat: Chat, user: str, file_name: str, data: bytes, args: str = "") -> str:
    request = dataclasses.replace(
        chat.request(user, command="upload", args=args), attachment=attach(file_name, data)
    )
    return "\n".join(reply.text for reply in await chat.service.handle(request))


@pytest.fixture
def fresh_service(seed_report, store, clock) -> StudyService:
    # every test gets its own bank: uploads change which decks a chat sees
    return StudyService(QuestionBank(seed_report), store, clock=clock, rng=random.Random(3))


@pytest.fixture
def group(fresh_service) -> Chat:
    chat = Chat(fresh_service, chat_id="geology-club")
    chat.admins.add("Ada")
    return chat


async def test_an_admin_uploads_a_csv_and_only_that_chat_sees_its_cards(group, fresh_service):
    reply = await upload(group, "Ada", "geology.csv", GEOLOGY.encode())
    assert reply.startswith(
        "✅ Deck **Geology basics** (`geology`) added for this chat: 8 cards, 8 with multiple"
    )
    decks = (await group.say("Ann", "/decks"))[0].text
    assert "6. 📎 Geology basics · 8 cards (uploaded here)" in decks

    assert "What is rock type 3?" in (await group.say("Ann", "/search rock type 3"))[0].text
    await group.say("Ada", "/decks use 6")
    reply, post = await group.quiz("Ann")
    assert "Geology basics" in reply.text and "rock type" in reply.text
    answered = await group.click("Ann", option_action(reply, post.correct))
    assert answered[0].notice.startswith("✅")
    study = (await group.say("Ann", "/study geology"))[0].text
    assert "What is rock type 0?" in study

    other = Chat(fresh_service, chat_id="history-club")
    assert (await other.say("Bob", "/search rock type"))[0].text.startswith("No card matches")
    assert (await other.say("Bob", f"/card {post.card_id}"))[0].text == f"There's no card `{post.card_id}`."
    assert "Geology" not in (await other.say("Bob", "/decks"))[0].text
    assert (await other.say("Bob", "/study geology"))[0].text.startswith("I don't know the deck geology")
    for _ in range(12):  # every card this chat is asked comes from the bundled decks
        question, _ = await other.quiz("Bob")
        assert "rock type" not in question.text and "Geology" not in question.text
    assert (await other.say("Bob", "/start"))[0].text.count("116 cards") == 1


async def test_members_who_are_not_admins_cannot_upload_in_a_group_but_anyone_can_in_private(
    group, fresh_service
):
    refused = await upload(group, "Ann", "geology.csv", GEOLOGY.encode())
    assert refused == "Only the group's admins can change its settings."
    assert fresh_service.bank.own_decks(await group_chat_id(group)) == []
    private = Chat(fresh_service, chat_id="ann", kind=ChatKind.PRIVATE)
    assert (await upload(private, "Ann", "geology.csv", GEOLOGY.encode())).startswith(
        "✅ Deck **Geology basics**"
    )


async def group_chat_id(chat: Chat) -> int:
    state = await chat.service.store.ensure_chat(chat.platform, chat.chat_id, chat.kind)
    return state.id


async def test_uploading_the_same_name_again_replaces_the_deck_and_keeps_ids_and_history(
    group, fresh_service
):
    await upload(group, "Ada", "geology.csv", GEOLOGY.encode())
    await group.say("Ada", "/decks use 6")
    reply, post = await group.quiz("Ann")
    await group.click("Ann", option_action(reply, post.correct))
    before = (await group.say("Ann", "/score"))[0].text
    old_ids = {card.id for card in fresh_service.bank.own_decks(await group_chat_id(group))[0].cards}

    edited = GEOLOGY.replace("of sediment", "of old sediment").replace(
        "What is rock type 7?,", "What is a brand new rock?,"
    )
    replaced = await upload(group, "Ada", "geology.csv", edited.encode())
    assert replaced.startswith("✅ Deck **Geology basics** (`geology`) replaced: 8 cards")
    assert "7 unchanged questions keep their history" in replaced
    new_ids = {card.id for card in fresh_service.bank.own_decks(await group_chat_id(group))[0].cards}
    assert len(old_ids & new_ids) == 7
    assert (await group.say("Ann", "/score"))[0].text == before
    if post.card_id in new_ids:
        assert "old sediment" in (await group.say("Ann", f"/card {post.card_id}"))[0].text
    assert (await group.say("Ann", "/decks"))[0].text.count("📎") == 1


async def test_removing_a_deck_asks_first_and_keeps_the_scores(group, fresh_service):
    await upload(group, "Ada", "geology.csv", GEOLOGY.encode())
    await group.say("Ada", "/decks use 6")
    reply, post = await group.quiz("Ann")
    await group.click("Ann", option_action(reply, post.correct))
    score = (await group.say("Ann", "/score"))[0].text

    assert "is a bundled deck; only decks uploaded" in (await group.say("Ada", "/decks remove 1"))[0].text
    ask = (await group.say("Ada", "/decks remove 6"))[0]
    assert ask.text.startswith("Remove the deck **Geology basics** (8 cards) from this chat?")
    confirm, cancel = ask.buttons[0]
    assert (await group.click("Ann", confirm.action))[
        0
    ].text == "Only the group's admins can change its settings."
    assert (await group.click("Ada", cancel.action))[0].text == "Nothing removed."
    assert "📎" in (await group.say("Ann", "/decks"))[0].text
    assert (await group.click("Ada", confirm.action))[0].text == "🗑 Deck **Geology basics** removed."
    decks = (await group.say("Ann", "/decks"))[0].text
    assert "Geology" not in decks and decks.count("✅") == 6  # back to every bundled deck
    assert (await group.say("Ann", "/score"))[0].text == score
    assert await fresh_service.store.chat_decks() == []


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("collection.anki2", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(80):
            member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "data", "expected"),
    [
        ("slides.pdf", b"%PDF-1.7", "I can't read .pdf files."),
        ("notes.md", b"", "That file is empty."),
        ("notes.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "❌ notes.md was not added: looks like a binary file"),
        ("notes.md", "题目：什么？\n答案：这".encode("gbk"), "❌ notes.md was not added: line 1: not UTF-8 text"),
        ("deck.apkg", b"not a zip at all", "❌ deck.apkg was not added: this is not an Anki package (not a zip"),
        ("deck.apkg", zip_bytes({"readme.txt": b"hi"}), "this zip archive is not an Anki package"),
        ("deck.apkg", zip_bomb(), "a zip bomb?"),
        ("deck.apkg", zip_bytes({"collection.anki2": b"garbage"}), "is not an SQLite database"),
        ("notes.md", b"Just a sentence without any question.", "no questions found in it"),
        ("big.csv", b"q,a\n" * 600_000, "That file is over 2 MB"),
        ("many.tsv", "".join(f"Q{n}\tA{n}\n" for n in range(5001)).encode(), "5001 cards, over the limit of 5000"),
    ],
    ids=["pdf", "empty", "binary-md", "gbk", "not-zip", "zip-not-anki", "zip-bomb", "bad-sqlite", "no-cards",
         "too-big", "too-many-cards"],
)  # fmt: skip
async def test_bad_files_get_one_clear_sentence_and_change_nothing(
    group, fresh_service, file_name, data, expected
):
    reply = await upload(group, "Ada", file_name, data)
    assert expected in reply
    assert "✅" not in reply
    assert fresh_service.bank.own_decks(await group_chat_id(group)) == []
    assert await fresh_service.store.chat_decks() == []


async def test_upload_limits_per_minute_and_per_chat(seed_report, store, clock):
    service = StudyService(
        QuestionBank(seed_report), store, clock=clock, upload_limits=UploadLimits(max_decks=2, per_minute=3)
    )
    chat = Chat(service, chat_id="busy", kind=ChatKind.PRIVATE)
    assert (await upload(chat, "Ann", "a.csv", GEOLOGY.encode())).startswith("✅")
    assert (await upload(chat, "Ann", "b.csv", GEOLOGY.encode())).startswith("✅")
    assert (await upload(chat, "Ann", "c.csv", GEOLOGY.encode())).startswith(
        "This chat already has 2 uploaded decks"
    )
    assert (await upload(chat, "Ann", "a.csv", GEOLOGY.encode())).startswith(
        "This chat uploaded 3 files in the last"
    )
    clock.advance(minutes=1, seconds=1)
    assert (await upload(chat, "Ann", "a.csv", GEOLOGY.encode())).startswith(
        "✅ Deck **Geology basics** (`a`) replaced"
    )
    named = await upload(chat, "Ann", "c.csv", GEOLOGY.encode(), args="pretraining-research-talk-notes")
    assert named.startswith("This chat already has 2")
    await chat.say("Ann", "/decks remove 7")
    ask = (await chat.say("Ann", "/decks remove 7"))[0]
    await chat.click("Ann", ask.buttons[0][0].action)
    clash = await upload(chat, "Ann", "c.csv", GEOLOGY.encode(), args="pretraining-research-talk-notes")
    assert clash.startswith("A bundled deck is already called pretraining-research-talk-notes")


async def test_uploaded_decks_are_loaded_again_at_start(seed_report, database, clock):
    store = await open_store(database)
    first = StudyService(QuestionBank(seed_report), store, clock=clock)
    chat = Chat(first, chat_id="geology-club")
    chat.admins.add("Ada")
    await upload(chat, "Ada", "geology.csv", GEOLOGY.encode(), args="rocks")
    await store.close()

    store = await open_store(database)
    again = StudyService(QuestionBank(seed_report), store, clock=clock)
    assert await again.own_decks.load_all() == 1
    decks = (await Chat(again, chat_id="geology-club").say("Ann", "/decks"))[0].text
    assert "📎 Geology basics · 8 cards" in decks
    assert "Geology" not in (await Chat(again, chat_id="other").say("Ann", "/decks"))[0].text
    await store.close()


async def test_the_daily_question_can_come_from_the_groups_own_deck(group):
    await upload(group, "Ada", "geology.csv", GEOLOGY.encode())
    assert (await group.say("Ada", "/daily set 09:00 UTC geology"))[0].text.startswith("📅")
    question = (await group.say("Ada", "/daily now"))[0].text
    assert "rock type" in question


async def test_export_sends_an_anki_package_or_tsv_that_imports_back_to_the_same_cards(group, fresh_service):
    await upload(group, "Ada", "geology.csv", GEOLOGY.encode())
    deck = fresh_service.bank.own_decks(await group_chat_id(group))[0]
    [package] = await group.say("Ann", "/export")
    assert package.document is not None and package.document.file_name == "geology.apkg"
    assert package.text.startswith("📦 **Geology basics**: 8 cards for Anki (geology.apkg)")
    [table] = await group.say("Ann", "/export geology csv")
    assert table.document is not None and table.document.file_name == "geology.tsv"
    for document in (package.document, table.document):
        suffix = PurePosixPath(document.file_name).suffix
        back = parse_bytes(document.data, suffix=suffix, name="geology", source=document.file_name)
        assert [(c.id, c.question, c.answer) for c in back.cards] == [
            (c.id, c.question, c.answer) for c in deck.cards
        ]
    bundled: Reply = (await group.say("Ann", "/export 1 csv"))[0]
    assert (
        bundled.document is not None and bundled.document.file_name == "hung-yi-lee-ml-course-questions.tsv"
    )
    assert (await group.say("Ann", "/export nonsense"))[0].text.startswith(
        "Use `/export <deck number or name>"
    )


async def test_the_console_uploads_a_local_file_and_saves_an_export(fresh_service, tmp_path):
    notes = tmp_path / "geology.csv"
    notes.write_text(GEOLOGY)
    reader = asyncio.StreamReader()
    reader.feed_data(f"/upload {notes}\n/upload {tmp_path / 'missing.csv'}\n/export geology csv\n".encode())
    reader.feed_eof()
    out = io.StringIO()
    adapter = ConsoleAdapter(
        fresh_service, reader=reader, output=out, user_name="Ann", locale="en", color=False
    )
    adapter.image_dir = tmp_path
    await adapter.run()
    output = out.getvalue()
    assert "✅ Deck Geology basics (geology) added for this chat: 8 cards" in output.replace(
        "**", ""
    ).replace("`", "")
    assert f"There is no file {tmp_path / 'missing.csv'} on this machine." in output
    assert f"(file saved to {tmp_path / 'geology.tsv'})" in output
    assert (tmp_path / "geology.tsv").read_text().startswith("#separator:tab")


async def test_obsidian_front_matter_tag_and_uploaded_markdown_reads_as_cards(group):
    notes = "---\ntags: [flashcards, biology]\n---\nMitosis::cell division\n\nThe ==nucleus== holds DNA.\n"
    reply = await upload(group, "Ada", "cells.md", notes.encode())
    assert "2 cards" in reply


async def test_two_uploads_at_once_in_one_chat_both_arrive(group, fresh_service):
    first, second = await asyncio.gather(
        upload(group, "Ada", "rocks.csv", GEOLOGY.encode()),
        upload(
            group, "Ada", "minerals.tsv", "".join(f"Mineral {n}?\tA crystal {n}\n" for n in range(5)).encode()
        ),
    )
    assert first.startswith("✅") and second.startswith("✅")
    owned = fresh_service.bank.own_decks(await group_chat_id(group))
    assert sorted(deck.id for deck in owned) == ["minerals", "rocks"]


async def test_the_scheduler_posts_a_week_of_daily_questions_from_the_groups_own_deck_and_their_results(
    seed_report, store, clock
):
    poster = FakePoster()
    club = Group(QuestionBank(seed_report), store, clock, poster, chat_id="geology-club")
    reply = await upload(club.chat, "Admin", "geology.csv", GEOLOGY.encode())
    assert reply.startswith("✅")
    await club.subscribe("09:00", "UTC", "geology")
    await club.run_until(clock.now() + timedelta(days=7))
    questions = poster.questions("geology-club")
    assert len(questions) == 7 and all("What is rock type" in q.text for q in questions)
    assert len({q.text.split("**")[3] for q in questions}) == 7  # no card twice while the deck lasts
    assert all("Rock type" in result.text for result in poster.results("geology-club"))


async def test_the_upload_reply_shows_the_first_ten_warnings_with_their_lines_then_how_many_more(group):
    rows = (
        "#separator:Comma\n" + "".join(f"lonely cell {n}\n" for n in range(12)) + "What is basalt?,A rock\n"
    )
    reply = await upload(group, "Ada", "rocks.csv", rows.encode())
    assert reply.startswith("✅ Deck **Rocks** (`rocks`) added for this chat: 1 card, ")
    warnings = reply.split("⚠️ Warnings:\n", 1)[1].splitlines()
    assert warnings[0] == "• 2: a row with one column (front, back needed); skipped"
    assert warnings[9].startswith("• 11: ") and warnings[10] == "… and 2 more"
