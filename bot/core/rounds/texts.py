"""How a live round reads in a chat: questions with a countdown, per-question results, standings."""

from __future__ import annotations

from bot.core import i18n, views
from bot.core.messages import Button, Reply
from bot.core.ports import QuizPost
from bot.core.question_bank import QuestionBank
from bot.core.rounds.model import LiveRound, RoundLine

MEDALS = ("🥇", "🥈", "🥉")


def intro_text(live: LiveRound, quiz_points: int) -> str:
    return i18n.text("round_intro", live.language, count=live.total, seconds=live.seconds, points=quiz_points)


def question_text(bank: QuestionBank, live: LiveRound, post: QuizPost, number: int) -> str:
    """The question without its countdown line (the part that stays the same while it runs)."""
    card = bank.card(post.card_id)
    assert card is not None
    language = live.language
    options = "\n".join(f"**{views.LETTERS[i]}.** {option}" for i, option in enumerate(post.options))
    heading = i18n.text(
        "round_question", language, number=number, total=live.total, deck=views.where(bank, card)
    )
    return f"{heading}\n\n**{card.question}**\n\n{options}"


def question_reply(
    body: str, live: LiveRound, post: QuizPost, seconds_left: int | None, *, edit_of: str | None = None
) -> Reply:
    """The question message: `body` (results before it, the question) and a countdown, or closed."""
    language = live.language
    if seconds_left is None:
        return Reply(
            f"{body}\n\n{i18n.text('round_time_up', language)}", edit_message_id=edit_of, post_id=post.id
        )
    countdown = i18n.text("round_countdown", language, seconds=seconds_left)
    buttons = (tuple(Button(views.LETTERS[i], f"ra:{post.id}:{i}") for i in range(len(post.options))),)
    return Reply(f"{body}\n\n{countdown}", buttons, edit_message_id=edit_of, post_id=post.id)


def results_text(
    live: LiveRound, post: QuizPost, number: int, right: list[tuple[str, int]], answered: int,
    top: list[RoundLine], shown: int,
) -> str:  # fmt: skip
    language = live.language
    lines = [
        i18n.text("round_results", language, number=number, total=live.total),
        views.right_option(post, language),
    ]
    if right:
        names = ", ".join(f"{name} (+{points})" for name, points in right[:shown])
        more = len(right) - shown
        if more > 0:
            names += " " + i18n.text("round_more", language, more=more)
        lines.append(i18n.text("round_right", language, names=names, answered=answered))
    else:
        lines.append(
            i18n.text("round_nobody" if answered else "round_no_players", language, answered=answered)
        )
    if top:
        lines.append(
            i18n.text("round_top", language, board=" · ".join(_short(line, i) for i, line in enumerate(top)))
        )
    return "\n".join(lines)


def standings_reply(live: LiveRound, board: list[RoundLine], title_key: str, prefix: str = "") -> Reply:
    language = live.language
    played = min(live.asked, live.total)  # a stopped or interrupted round counts the questions it reached
    lines = [i18n.text(title_key, language, count=played)]
    if not board:
        lines.append(i18n.text("round_no_players", language))
    for index, line in enumerate(board):
        place = MEDALS[index] if index < len(MEDALS) else f"{index + 1}."
        lines.append(
            i18n.text(
                "round_standing", language, place=place, name=line.name, points=line.points, right=line.right,
                total=played, seconds=f"{line.average_seconds:.1f}",
            )
        )  # fmt: skip
    text = "\n".join(lines)
    if prefix:
        text = f"{prefix}\n\n{text}"
    return Reply(text, ((Button(i18n.text("round_again", language), f"rp:{live.id}"),),))


def _short(line: RoundLine, index: int) -> str:
    return f"{MEDALS[index] if index < len(MEDALS) else index + 1} {line.name} {line.points}"
