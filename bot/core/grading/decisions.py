"""Decisions: what a question asks to decide, as the reference decides it, and how an answer decides it.

Some questions are answered by a decision before any reasons: a yes or no (`verdicts.py`), the values
asked for (`values.py`), which of two things (`picks.py`), a full name (`names.py`). Key terms cannot see
any of them. Each decision the reference makes is a key point of its own, which the grader weighs as
much as the reference's weightiest: decided the same way it covers that point, decided the other way it
counts against it (`-CONTRADICTION_PENALTY`), and an answer that decides the question wrong earns at most
`VERDICT_CAP` whatever else it says. One decided right, with nothing wrong, is at least partly right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.grading.names import as_written, name_credit
from bot.core.grading.picks import picked
from bot.core.grading.terms import Mention
from bot.core.grading.values import compare, spelled
from bot.core.grading.verdicts import given

CONTRADICTION_PENALTY = 0.5  # a decision made the other way counts this much below nothing


@dataclass(frozen=True, slots=True)
class Pick:
    """The two things a "which one" question offers (the concepts naming each), the one the reference picks
    (0 or 1) and the reference's clause that picks it (`L-infinite`)."""

    offered: tuple[frozenset[str], ...]
    side: int
    clause: str


@dataclass(frozen=True, slots=True)
class Decisions:
    """What the reference decides: its yes (+1) or no (-1) and how it writes it, the values asked for, the
    pick, the full names (words per acronym), and each as the learner reads it (and a model grader gets
    it), in the order scored (`texts`)."""

    verdict: tuple[int, str] | None
    values: dict[str, float]
    pick: Pick | None
    names: dict[str, tuple[str, ...]]
    texts: tuple[str, ...]

    @classmethod
    def of(
        cls,
        verdict: tuple[int, str] | None,
        values: dict[str, float],
        pick: Pick | None,
        names: dict[str, tuple[str, ...]],
        reference: str,
    ) -> Decisions:
        """The decisions, their texts written out once (a full name as `reference` writes it)."""
        texts = (
            *([verdict[1]] if verdict is not None else []),
            *([spelled(values)] if values else []),
            *([pick.clause] if pick is not None else []),
            *(
                ["; ".join(f"{acronym}: {as_written(reference, acronym)}" for acronym in names)]
                if names
                else []
            ),
        )
        return cls(verdict, values, pick, names, texts)


@dataclass(frozen=True, slots=True)
class Decided:
    """How an answer decides: a credit per decision (-0.5 to 1, in the order of `Decisions.texts`), whether
    it makes any decision (`answered`), whether it makes one the wrong way (`wrong_way`), and whether it
    gives at least one value asked for and none wrong (`valued`)."""

    credits: tuple[float, ...]
    answered: bool
    wrong_way: bool
    valued: bool

    @property
    def all_right(self) -> bool:
        return bool(self.credits) and all(credit == 1.0 for credit in self.credits)


def decide(
    decisions: Decisions,
    answer: str,
    mentions: Callable[[str], Sequence[Mention]],
    stem: Callable[[str], str],
) -> Decided:
    """The credit the answer earns for each decision the reference makes."""
    credits: list[float] = []
    answered = wrong_way = False
    if decisions.verdict is not None:  # "Can we…?" answered 可以 / 不行
        said = given(answer)
        yes = decisions.verdict[0]
        credits.append(1.0 if said == yes else -CONTRADICTION_PENALTY if said == -yes else 0.0)
        answered, wrong_way = said is not None, said is not None and said != yes
    right = wrong = 0
    if decisions.values:  # "What is N and K?": a share for each value given right, against it for each wrong
        right, wrong = compare(decisions.values, answer)
        credits.append(max(-CONTRADICTION_PENALTY, (right - wrong) / len(decisions.values)))
        answered = answered or right > 0
        wrong_way = wrong_way or bool(wrong and not right)
    if decisions.pick is not None:  # "L2 or L∞, which one is stricter?"
        chosen = picked(answer, decisions.pick.offered, mentions)
        chose = None if chosen is None else chosen[0]
        credits.append(
            0.0 if chose is None else 1.0 if chose == decisions.pick.side else -CONTRADICTION_PENALTY
        )
        answered = answered or chose is not None
        wrong_way = wrong_way or (chose is not None and chose != decisions.pick.side)
    if decisions.names:  # "What is the full name of MAML?": the share of the name's words, word by word
        credit, misnamed = name_credit(decisions.names, answer, stem)
        credits.append(max(-CONTRADICTION_PENALTY, credit))
        wrong_way = wrong_way or misnamed
    return Decided(tuple(credits), answered, wrong_way, bool(right and not wrong))
