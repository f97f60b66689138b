"""How well the key-point grader agrees with the labelled answers in `tests/graded_answers.yaml` (and, with
`--answers tests/graded_answers_blind.yaml`, `graded_answers_blind2.yaml`, `graded_answers_blind3.yaml`,
`graded_answers_blind4.yaml` or `graded_answers_blind5.yaml`, the sets written blind).

Per card the set has a good answer in other words, a partial one, a wrong-but-on-topic one, a correct
answer in the other language (`cross`, labelled good) and a negated one (`negated`, labelled wrong); a bare list of key terms (`keywords`, or when a card has none
the reference's own six heaviest terms) should be proposed Hard at most.
Printed per half (`calibration`: the thresholds were set on it; `heldout`: only checked): the share of
cards graded good > partial > wrong, good >= 60, wrong <= 40, how often the proposed rating matches the
label (good: Good or Easy, partial: Hard, wrong: Again; declining to propose counts as no match),
how often the grader declined, and p95 latency.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import yaml

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "graded_answers.yaml"
BLIND = LABELLED.with_name("graded_answers_blind.yaml")  # written blind, checked only
BLIND2 = LABELLED.with_name("graded_answers_blind2.yaml")  # a second blind set, for the remaining 30 cards
BLIND3 = LABELLED.with_name("graded_answers_blind3.yaml")  # two more authors, 60 cards, harder wrong answers
BLIND4 = LABELLED.with_name("graded_answers_blind4.yaml")  # one more author, 30 random cards
BLIND5 = LABELLED.with_name("graded_answers_blind5.yaml")  # one more author, 30 random cards, written last
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
AGREES = {
    "good": {GOOD, EASY},
    "partial": {HARD},
    "wrong": {AGAIN},
    "cross": {GOOD, EASY},
    "negated": {AGAIN},
}


def labelled_cards(path: Path = LABELLED) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]


def reference_keywords(grader, card, count: int = 6) -> str:
    """The reference's own heaviest key terms as a bare list, spelled as the reference spells them: the
    answer a learner who memorised keywords would give (when the labelled set has no `keywords`)."""
    wanted = sorted(
        {c: w for point in grader.points(card) for c, w in point.weights.items()}.items(),
        key=lambda cw: -cw[1],
    )[:count]
    spelled = []
    for concept, _ in wanted:
        for word in grader.lexicon.words(card.answer):
            mentions = grader.lexicon.mentions(word)
            if word.strip() and mentions and mentions[0].concept == concept:
                spelled.append(word.strip())
                break
        else:
            spelled.append(concept)
    return " ".join(spelled) if len(spelled) >= 3 else ""


def evaluate(grader, cards_by_id: dict, labelled: list[dict]) -> dict:
    """Grade every labelled answer; return the figures (shares as percentages)."""
    timings: list[float] = []
    ordered = good_60 = wrong_40 = agree = declined = cross_ok = cross_60 = negated_40 = 0
    keyword_lists = keywords_capped = 0
    answers = 0
    misses: list[str] = []
    for entry in labelled:
        card = cards_by_id[entry["card"]]
        grades = {}
        for label in ("good", "partial", "wrong", "cross", "negated"):
            started = time.perf_counter()
            grades[label] = grader.grade(card, entry[label])
            timings.append(time.perf_counter() - started)
        scores = {label: grade.score for label, grade in grades.items()}
        ordered += scores["good"] > scores["partial"] > scores["wrong"]
        good_60 += scores["good"] >= 60
        wrong_40 += scores["wrong"] <= 40
        for label in ("good", "partial", "wrong"):
            answers += 1
            proposal = grades[label].proposed
            declined += proposal is None
            agree += proposal in AGREES[label]
        cross = grades["cross"]
        cross_ok += cross.proposed is None or cross.proposed in AGREES["cross"]
        cross_60 += cross.score >= 60
        negated_40 += scores["negated"] <= 40
        keywords = entry.get("keywords") or reference_keywords(grader, card)
        if keywords:
            keyword_grade = grader.grade(card, keywords)
            keyword_lists += 1
            keywords_capped += keyword_grade.proposed is None or keyword_grade.proposed <= HARD
            scores["keywords"] = keyword_grade.score
        if not scores["good"] > scores["partial"] > scores["wrong"] or scores["negated"] > 40:
            misses.append(f"{entry['card']} " + " ".join(f"{k}={v}" for k, v in scores.items()))
    cards = len(labelled) or 1
    timings.sort()

    def share(count: int, total: int = cards) -> float:
        return round(100 * count / (total or 1), 1)

    return {
        "cards": len(labelled),
        "ordered_pct": share(ordered),
        "good_ge_60_pct": share(good_60),
        "wrong_le_40_pct": share(wrong_40),
        "proposal_agreement_pct": share(agree, answers),
        "declined_pct": share(declined, answers),
        "cross_language_not_again_pct": share(cross_ok),
        "cross_language_ge_60_pct": share(cross_60),
        "negated_le_40_pct": share(negated_40),
        **(
            {"keyword_lists_at_most_hard_pct": share(keywords_capped, keyword_lists)} if keyword_lists else {}
        ),
        "p50_ms": round(1000 * statistics.median(timings), 3) if timings else 0,
        "p95_ms": round(1000 * timings[int(0.95 * len(timings))], 3) if timings else 0,
        "misses": misses,
    }


def main() -> None:
    """`python -m bench.grading_bench [--answers PATH] [--misses]`: grade a labelled set written elsewhere
    (same fields as tests/graded_answers.yaml, `split` and `keywords` optional) against the bundled cards."""
    from bot.core.content import load_content
    from bot.core.grading import KeyPointGrader

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--answers", type=Path, default=LABELLED)
    parser.add_argument("--misses", action="store_true", help="also list the cards graded out of order")
    options = parser.parse_args()
    report = load_content([Path(__file__).resolve().parent.parent / "content"])
    cards = [card for deck in report.decks for card in deck.cards if card.answer]
    grader = KeyPointGrader(cards)
    figures = evaluate(grader, {card.id: card for card in cards}, labelled_cards(options.answers))
    misses = figures.pop("misses")
    print(json.dumps(figures, ensure_ascii=False))
    if options.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
