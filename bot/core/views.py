"""How cards, questions and answers read in a chat: light Markdown built from core records."""

from __future__ import annotations

from bot.core import i18n
from bot.core.content import Card
from bot.core.messages import Button, Reply
from bot.core.ports import QuizPost
from bot.core.question_bank import QuestionBank

LETTERS = "ABCDEFGH"
ECHO_LIMIT = 100  # user input quoted back in a reply (a search query, an unknown command) is cut here


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """User input as quoted back to them: one line, at most `limit` characters (a 5,000-character query
    is not worth repeating in full, and a long name would swamp every message)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def where(bank: QuestionBank, card: Card) -> str:
    deck = bank.deck(card.deck)
    return place(deck.title if deck else card.deck, card.section)


def place(deck_title: str, section: tuple[str, ...]) -> str:
    """`Deck / Chapter / Part`; a document's top heading that is also its deck's title is named once
    (`My notes`, not `My notes / My notes`)."""
    if section and section[0].strip() == deck_title.strip():
        section = section[1:]
    return " / ".join(part for part in (deck_title, *section) if part)


def question_reply(
    bank: QuestionBank, post: QuizPost, language: str, *, reveal_button: bool, header: str | None = None
) -> Reply:
    """A multiple-choice question with one button per option (and, in groups, a reveal button)."""
    card = bank.card(post.card_id)
    assert card is not None
    options = "\n".join(f"**{LETTERS[i]}.** {option}" for i, option in enumerate(post.options))
    heading = header or i18n.text("quiz_question", language, deck=where(bank, card))
    text = f"{heading}\n\n**{card.question}**\n\n{options}\n\n{i18n.text('quiz_prompt', language)}"
    buttons: tuple[tuple[Button, ...], ...] = (
        tuple(Button(LETTERS[i], f"a:{post.id}:{i}") for i in range(len(post.options))),
    )
    if reveal_button:
        buttons += ((Button(i18n.text("reveal_button", language), f"r:{post.id}"),),)
    return Reply(text, buttons, post_id=post.id)


def answer_body(card: Card, language: str, limit: int | None = None) -> str:
    """The reference answer and explanation; past `limit` characters, cut with a pointer to `card <id>`."""
    answer = card.answer if limit is None else shorten(card.answer, limit, card.id, language)
    body = f"{i18n.text('reference_answer', language)}\n{answer}"
    if card.explanation:
        explanation = (
            card.explanation if limit is None else shorten(card.explanation, limit // 2, card.id, language)
        )
        body += f"\n\n{i18n.text('explanation', language)}\n{explanation}"
    return body


def shorten(text: str, limit: int, card_id: str, language: str) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    head = text[:cut].rstrip()
    if head.count("```") % 2:  # do not leave a code block open
        head += "\n```"
    return f"{head}\n… {i18n.text('read_more', language, card_id=card_id)}"


def right_option(post: QuizPost, language: str) -> str:
    return i18n.text(
        "right_option", language, letter=LETTERS[post.correct], option=post.options[post.correct]
    )


def refusal(text: str) -> Reply:
    """A short answer for the requesting user only: a toast where the platform has one, else a reply."""
    return Reply(text, notice=text, private=True, notice_only=True)
