"""Multiple-choice questions from long answers, built for a whole question bank in linear time.

Each card's right option is the gist of its answer, if the gist passes the fairness gate
(`mcq_gate`). Three distractors are other cards' gists of the same form (definition, list or short
term), of a similar length and in the same script, found through an index (the same section first,
then cards sharing rare terms, then neighbours in the deck or the bank) rather than by comparing all
pairs. A distractor never comes from a card asking the same thing in other words (similar question,
or the same term in brackets), never mentions or defines the question's subject or a term containing
it (it could be right too), and is never a near-duplicate of another option. Options are picked with a
seeded RNG so that neither the most question-like nor the longest option tends to be the right one.
A card without three such distractors is flashcard-only, with the reason recorded.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from bot.core.content.gist import gist_of
from bot.core.content.giveaways import Asked, most_similar_share
from bot.core.content.markdown import WORD, terms
from bot.core.content.mcq_gate import FAIR, Verdict, card_verdict, completeness_verdict, option_verdict
from bot.core.content.model import Card
from bot.core.content.option_text import cjk_share, key
from bot.core.content.question_kind import asked_count, question_kind
from bot.core.content.question_shape import question_shape

OPTION_COUNT = 4
SHORTLIST = 6  # distractors are drawn from this many fitting candidates, so a card is not always asked alike
ECHOING = 2
GIVEAWAY_ECHO = 1  # the right option alone sharing this many question terms gives itself away
NEAR_DUPLICATE = 80  # rapidfuzz ratio (0-100) at or above which two gists say the same thing
SAME_QUESTION = 80  # ... at or above which two questions ask the same thing
SCRIPT_MIX = 0.5  # a wrong option's share of Chinese letters differs at most this much from the right one's
LENGTH_BAND = 2.5  # a distractor is at most this many times longer or shorter than the right option
NEIGHBOURS = 6  # cards on either side in the same deck that are always candidates
RARE_TERMS = 10  # a card's rarest terms used to look up candidates in the index
POSTINGS_CAP = 64  # a term shared by more cards than this says nothing about the topic
TERM_CANDIDATES = 10  # cards sharing the most rare terms taken as candidates
EXAMINED_CAP = 60  # candidates checked per card at most
TOPIC_MIN = 4  # a term on at most this many cards (or a TOPIC_SHARE-th of a big bank) names a topic
TOPIC_SHARE = 15
REUSE_CAP = 5  # a gist is among the first three of at most this many shortlists, unless a card needs it
REUSE_PENALTY = 1.5  # affinity a candidate loses for each shortlist it is already on
LIST_ITEM = 12  # `随机梯度下降、Adam, NAG, etc`: three or more items this short make a list
_LIST_SEPARATOR = re.compile(r"；|; ")
_ITEM_SEPARATOR = re.compile(r"、|, ")  # not `，`: it joins the clauses of a Chinese sentence

GIVE_AWAY = Verdict(
    False,
    "give_away",
    "the right option repeats the question's words and no fair distractor comes close: it would be picked unread",
)
NO_DISTRACTORS = Verdict(
    False, "no_distractors", "fewer than three fair distractors of the same form, length and language"
)


@dataclass(frozen=True, slots=True)
class Choices:
    """A multiple-choice question: the options in display order and the index of the right one."""

    options: tuple[str, ...]
    correct: int


def giveaway_share(questions: Iterable[tuple[str, Choices]]) -> float:
    """Share of questions whose right option is the one most similar to the question (ties count 1/k)."""
    return most_similar_share(Asked(q, c.options, c.correct) for q, c in questions)


class _Profile:
    __slots__ = (
        "asked", "card", "cjk", "deck_position", "form", "gist", "gist_key", "gist_lower", "gist_terms",
        "index_terms", "items", "kind", "length", "question_key", "question_terms", "script", "subject_grams", "subjects",
        "usable_as_distractor", "verdict",
    )  # fmt: skip

    def __init__(self, card: Card, deck_position: int) -> None:
        self.card = card
        self.deck_position = deck_position
        shape = question_shape(card.question)
        whole = gist_of(card.answer, card.question, keep_subject=shape.choice or shape.multi_part)
        self.gist = whole.text
        gist = self.gist or ""
        self.gist_key = key(gist)
        self.gist_lower = gist.lower()
        self.gist_terms = terms(gist)
        self.question_terms = terms(card.question)
        self.index_terms = self.question_terms | self.gist_terms
        self.question_key = key(shape.text)
        self.subjects = shape.subjects + tuple(
            g for g in _answer_glosses(card.answer) if g not in shape.subjects
        )
        self.subject_grams = frozenset(
            gram for subject in self.subjects for gram in _trigrams(subject) if gram not in _GENERIC_GRAMS
        )
        self.cjk = cjk_share(gist)
        self.script = "zh" if self.cjk > 0.15 else "en"  # as `_script`
        self.length = len(gist)
        self.form = _form(gist, self.script)
        self.items = _items(gist) if self.form == "list" else 1
        self.kind = question_kind(shape.text)
        self.asked = asked_count(shape.text)
        option = option_verdict(self.gist, card.question)
        whole_answer = completeness_verdict(whole.problem, shape.text, self.items, self.asked)
        if whole.problem == "partial_list":
            option = whole_answer  # no option at all is made of a list cut short
        self.verdict = card_verdict(
            self.gist, card.question, shape, option, (self.gist_terms, self.question_terms)
        )
        if self.verdict.ok:
            self.verdict = whole_answer
        # only an option that is a whole answer in itself, and says something, can stand as a distractor;
        # one naming the term its own card asks about (`域对抗训练(…)是一种…`) is ruled out by that name
        self.usable_as_distractor = (
            option.ok
            and whole.problem is None
            and self.verdict.rule != "tautology"
            and not any(_mentions(self, subject) for subject in self.subjects)
        )


class ChoiceMaker:
    """Makes the multiple-choice questions of a question bank: `prepare()` builds all of them up front
    (do it in a worker thread); otherwise each card's is built on first use."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = list(cards)
        self._by_id = {card.id: index for index, card in enumerate(self._cards)}
        self._profiles: list[_Profile] | None = None
        self._shortlists: dict[str, tuple[int, ...]] = {}
        # per card: the best sets of distractors for each place of the right option by length
        self._plans: dict[str, tuple[tuple[tuple[int, ...], ...], ...]] = {}
        self._give_aways: set[str] = set()
        self._uses: Counter[str] = Counter()  # shortlists each gist is on, to spread wrong options
        self.pairs_examined = 0  # candidate pairs looked at, for tests that the build stays linear
        self.candidates_scored = 0

    def prepare(self) -> None:
        """Build every card's distractor shortlist, and how it picks from it, now."""
        for card in self._cards:
            self._shortlist(card.id)
        for card in self._cards:
            self._plans_for(card.id)

    @property
    def prepared(self) -> bool:
        """True once every card's multiple choice is built."""
        return len(self._shortlists) == len(self._by_id)

    def gist(self, card_id: str) -> str | None:
        return self._profile(card_id).gist

    def verdict(self, card_id: str) -> Verdict:
        """Whether the card has a multiple-choice question, and if not, which rule it failed."""
        profile = self._profile(card_id)
        if not profile.verdict.ok:
            return profile.verdict
        if len(self._shortlist(card_id)) >= OPTION_COUNT - 1:
            return FAIR
        return GIVE_AWAY if card_id in self._give_aways else NO_DISTRACTORS

    def is_flashcard_only(self, card_id: str) -> bool:
        return not self.verdict(card_id).ok

    def choices(self, card_id: str, seed: int | str) -> Choices | None:
        """The card's multiple-choice question for this seed, or None for a flashcard-only card."""
        shortlist = self._shortlist(card_id)
        if len(shortlist) < OPTION_COUNT - 1:
            return None
        profiles = self._all_profiles()
        me = profiles[self._by_id[card_id]]
        rng = random.Random(f"{seed}:{card_id}")
        candidates = [profiles[i] for i in shortlist]
        picked = _balanced(candidates, self._plans_for(card_id), rng)
        options = [me.gist or "", *(p.gist or "" for p in picked)]
        order = list(range(OPTION_COUNT))
        rng.shuffle(order)
        return Choices(tuple(options[i] for i in order), order.index(0))

    def _plans_for(self, card_id: str) -> tuple[tuple[tuple[int, ...], ...], ...]:
        """The same for every seed, and most of a question's cost: worked out once per card."""
        plans = self._plans.get(card_id)
        if plans is None:
            shortlist = self._shortlist(card_id)
            profiles = self._all_profiles()
            me = profiles[self._by_id[card_id]]
            if len(shortlist) < OPTION_COUNT - 1:
                plans = ()
            else:
                plans = _balanced_plans(me, [profiles[i] for i in shortlist])
            self._plans[card_id] = plans
        return plans

    # -- building ---------------------------------------------------------------------------------

    def _all_profiles(self) -> list[_Profile]:
        if self._profiles is None:
            positions: Counter[str] = Counter()
            profiles = []
            for card in self._cards:
                profiles.append(_Profile(card, positions[card.deck]))
                positions[card.deck] += 1
            self._profiles = profiles
            self._build_index()
        return self._profiles

    def _profile(self, card_id: str) -> _Profile:
        return self._all_profiles()[self._by_id[card_id]]

    def _build_index(self) -> None:
        assert self._profiles is not None
        self._deck_lists: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        echoes: dict[str, list[int]] = {}
        for index, profile in enumerate(self._profiles):
            self._deck_lists.setdefault(profile.card.deck, []).append(index)
            if not profile.usable_as_distractor:
                continue
            for term in profile.index_terms:
                postings.setdefault(term, []).append(index)
            for term in profile.gist_terms:
                echoes.setdefault(term, []).append(index)
        self._postings = {term: ids for term, ids in postings.items() if len(ids) <= POSTINGS_CAP}
        self._gist_keys = [profile.gist_key for profile in self._profiles]
        # terms few cards share name a topic: a wrong option from another chapter must share one of them
        topical = min(POSTINGS_CAP, max(TOPIC_MIN, len(self._profiles) // TOPIC_SHARE))
        self._topic_terms = frozenset(term for term, ids in postings.items() if len(ids) <= topical)
        # gists by the terms they contain: distractors that echo a question's words as its right option does
        self._echoes = {term: ids for term, ids in echoes.items() if len(ids) <= POSTINGS_CAP}

    def _shortlist(self, card_id: str) -> tuple[int, ...]:
        cached = self._shortlists.get(card_id)
        if cached is not None:
            return cached
        # all at once, in card order: how often a gist is already a wrong option steers the next picks,
        # so a card's options must not depend on which card was asked first
        for card in self._cards:
            if card.id not in self._shortlists:
                self._build_shortlist(card.id)
        return self._shortlists[card_id]

    def _build_shortlist(self, card_id: str) -> None:
        profiles = self._all_profiles()
        me_index = self._by_id[card_id]
        me = profiles[me_index]
        picked: list[int] = []
        if me.verdict.ok:
            # beyond SHORTLIST, keep looking for up to ECHOING candidates as like the question as the right
            # option is, so that the most question-like option need not be the right one
            right_echo = len(me.question_terms & me.gist_terms)
            echoing = 0
            for other_index in self._candidates(me_index):
                self.pairs_examined += 1
                other = profiles[other_index]
                if self._uses[other.gist_key] >= REUSE_CAP and len(picked) >= OPTION_COUNT - 1:
                    continue  # the same few wrong options in many questions are soon known to be wrong
                echoes = len(me.question_terms & other.gist_terms) >= max(right_echo, 1)
                if len(picked) >= SHORTLIST and not echoes:
                    continue
                if (
                    self._fits(me, other)
                    and self._on_topic(me, other)
                    and all(_apart(other, profiles[p]) for p in picked)
                ):
                    picked.append(other_index)
                    echoing += echoes
                    if len(picked) >= SHORTLIST and echoing >= ECHOING:
                        break
            best_echo = max((len(me.question_terms & profiles[p].gist_terms) for p in picked), default=0)
            if picked and right_echo >= GIVEAWAY_ECHO and right_echo > best_echo:
                self._give_aways.add(card_id)
                picked = []
        if len(picked) < OPTION_COUNT - 1:
            picked = []
        self._uses.update(profiles[i].gist_key for i in picked[: OPTION_COUNT - 1])
        self._shortlists[card_id] = tuple(picked)

    def _candidates(self, me_index: int) -> Iterator[int]:
        """Candidate distractors, best first: the deck's neighbours and cards sharing rare terms, ranked by
        affinity; then, for a deck too small or too uniform, neighbours among all cards in the same script."""
        assert self._profiles is not None
        profiles = self._profiles
        me = profiles[me_index]
        found: set[int] = set()
        deck = self._deck_lists[me.card.deck]
        start = max(me.deck_position - NEIGHBOURS, 0)
        found.update(deck[start : me.deck_position + NEIGHBOURS + 1])
        postings = self._postings
        rare = sorted((len(ids), term) for term in me.index_terms if (ids := postings.get(term)))
        sharing: Counter[int] = Counter()
        for _, term in rare[:RARE_TERMS]:
            sharing.update(postings[term])
        found.update(i for i, _ in sharing.most_common(TERM_CANDIDATES + 1))
        echoing: Counter[int] = Counter()
        for term in sorted(me.question_terms):  # sorted: a set of strings iterates in a per-process order
            echoing.update(self._echoes.get(term, ()))
        found.update(i for i, _ in echoing.most_common(TERM_CANDIDATES + 1))
        found.discard(me_index)
        usable = [i for i in found if _may_fit(me, profiles[i])]
        self.candidates_scored += len(found)
        echo = len(me.question_terms & me.gist_terms)
        uses, keys = self._uses, self._gist_keys
        usable.sort(
            key=lambda i: (
                -_affinity(me, profiles[i], sharing[i], echoing[i], echo) + REUSE_PENALTY * uses[keys[i]],
                i,
            )
        )
        yield from usable[:EXAMINED_CAP]
        # fallbacks (only reached when the above fall short): more of the same deck, by position (bounded
        # work); never an unrelated deck, whose options would be ruled out as off-topic
        for step in _steps(len(deck)):
            other = deck[(me.deck_position + step) % len(deck)]
            if other not in found and other != me_index:
                yield other

    def _on_topic(self, me: _Profile, other: _Profile) -> bool:
        """Same deck, or sharing a term few cards have: not ruled out at a glance as off-topic."""
        if other.card.deck == me.card.deck:
            return True  # a deck is one course or one topic
        return bool(me.index_terms & other.index_terms & self._topic_terms)

    @staticmethod
    def _fits(me: _Profile, other: _Profile) -> bool:
        if not _may_fit(me, other):
            return False
        if set(me.subjects) & set(other.subjects):
            return False  # the same term asked about in other words
        for subject in me.subjects:
            if _mentions(other, subject) or any(
                subject in theirs or theirs in subject for theirs in other.subjects
            ):
                return False  # mentions, or defines a term containing, what the question asks about
        if any(_mentions(me, theirs) for theirs in other.subjects):
            return False  # the right option is put in terms of the distractor's term (GCN: `一种基于图神经网络的…`),
            # so the distractor's definition (of the wider term: `一种处理图结构数据的神经网络`) is true as well
        if any(gram in other.gist_key for gram in me.subject_grams & other.subject_grams):
            return (
                False  # a closely related term (学习率调度, 自适应学习率) whose definition could be right too
            )
        if fuzz.ratio(me.gist_key, other.gist_key) >= NEAR_DUPLICATE:
            return False
        # questions alike in wording but naming different terms (`rock type 0`, `rock type 1`) ask different things
        named_apart = bool(me.subjects) and bool(other.subjects)
        return named_apart or fuzz.ratio(me.question_key, other.question_key) < SAME_QUESTION


def _apart(one: _Profile, other: _Profile) -> bool:
    """Two wrong options that say different things: not near-duplicates, not answers about the same term
    (two wordings of `模型压缩`), not definitions of close terms (`学习率调度`, `自适应学习率`)."""
    if set(one.subjects) & set(other.subjects):
        return False
    if any(
        gram in other.gist_key or gram in one.gist_key for gram in one.subject_grams & other.subject_grams
    ):
        return False
    return fuzz.ratio(one.gist_key, other.gist_key) < NEAR_DUPLICATE


def _may_fit(me: _Profile, other: _Profile) -> bool:
    """The cheap checks: a whole answer in itself, to the same kind of question, of the same form, script
    and mix of Chinese and Latin letters, of a similar length and (for a list) as many items."""
    if not other.usable_as_distractor or other.form != me.form or other.script != me.script:
        return False
    if other.kind != me.kind or abs(other.cjk - me.cjk) > SCRIPT_MIX:
        return False
    if me.form == "list" and (abs(other.items - me.items) > 1 or other.items < (me.asked or 0)):
        return False  # `List at least four ways…`: a wrong option of two items is ruled out by counting
    mine, theirs = me.length or 1, other.length or 1
    return theirs <= mine * LENGTH_BAND and mine <= theirs * LENGTH_BAND


def _items(gist: str) -> int:
    pieces = _LIST_SEPARATOR.split(gist)
    return len(pieces) if len(pieces) >= 2 else len(_ITEM_SEPARATOR.split(gist))


_GLOSS = re.compile(r"[（(]([^（()）]{2,60})[)）]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
# pieces of many terms' names (`卷积神经网络`, `图神经网络`): sharing them does not make two terms close
_GENERIC_GRAMS = frozenset(
    run[i : i + 3]
    for run in ("神经网络", "机器学习", "深度学习", "学习方法", "网络模型")
    for i in range(len(run) - 2)
)


def _answer_glosses(answer: str) -> tuple[str, ...]:
    """Names the answer's opening gives the term in brackets: `（Recurrent Neural Network，RNN）` -> `rnn`, …"""
    names = []
    for gloss in _GLOSS.findall(answer[:80]):
        for piece in re.split(r"[，,、/]", gloss):
            name = key(piece)
            if (len(name) >= 3 if name.isascii() else len(name) >= 2) and len(name) <= 30:
                names.append(name)
    return tuple(names)


def _trigrams(subject: str) -> set[str]:
    return {run[i : i + 3] for run in _CJK_RUN.findall(subject) for i in range(len(run) - 2)}


def _steps(size: int) -> list[int]:
    """Offsets 1, -1, 2, -2, ... up to 4 * NEIGHBOURS, within a list of `size` items."""
    reach = min(4 * NEIGHBOURS, max(size // 2, 1))
    return [sign * step for step in range(1, reach + 1) for sign in (1, -1)]


def _mentions(profile: _Profile, subject: str) -> bool:
    if subject.isascii() and len(subject) <= 5:
        return subject in {word.lower() for word in WORD.findall(profile.gist_lower)}
    return subject in profile.gist_key


def _form(gist: str, script: str) -> str:
    """`list` (heads of a list answer), `term` (a few words) or `definition` (a sentence)."""
    if len(_LIST_SEPARATOR.split(gist)) >= 2:
        return "list"
    items = _ITEM_SEPARATOR.split(gist)
    if len(items) >= 3 and all(len(item) <= LIST_ITEM for item in items):
        return "list"  # `随机梯度下降、Adam, NAG, etc`
    short = len(key(gist)) <= 10 if script == "zh" else len(gist.split()) <= 4
    return "term" if short else "definition"


def _affinity(me: _Profile, other: _Profile, shared: int, theirs: int, echo: int) -> float:
    """How good a distractor `other` would be for `me`: same deck and section, `shared` rare terms,
    `theirs` words of the question in its gist (against `echo` in the right option's), similar length."""
    score = 3.0 if other.card.deck == me.card.deck else 0.0
    for mine, its in zip(me.card.section, other.card.section, strict=False):
        if mine != its:
            break
        score += 1.0
    score += 0.6 * min(shared, RARE_TERMS)
    # distractors that echo the question as much as the right option does, so that echoing gives nothing
    # away, and that are on the question's topic: they share its words, which makes them plausible
    score += 6.0 * min(theirs, 2 * echo) / echo if echo else 2.0 * min(theirs, 2)
    longer = max(me.length, other.length, 1)
    score -= 1.5 * abs(me.length - other.length) / longer
    return score


def _balanced_plans(me: _Profile, shortlist: list[_Profile]) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """For each place the right option may take by length (0 = shortest of the four), the sets of three
    shortlisted distractors that fit best: the same for every seed, so worked out once per card.

    A definition often repeats a word of its question and no distractor may; so wherever the shortlist
    allows, some distractor echoes the question at least as much as the right option does, and the right
    option's place by length is a random draw. Among equal choices, better-fitting candidates win.
    (Similarity is `giveaways.overlap`, read off the profiles' terms rather than worked out again.)"""
    right = len(me.question_terms & me.gist_terms)
    similarity = [len(me.question_terms & p.gist_terms) for p in shortlist]
    # how much each candidate adds to the count of options longer than the right one (a tie: half)
    longer_than_me = [
        1.0 if p.length > me.length else 0.5 if p.length == me.length else 0.0 for p in shortlist
    ]
    wants = range(OPTION_COUNT)
    best = [math.inf] * OPTION_COUNT
    plans: list[list[tuple[int, ...]]] = [[] for _ in wants]
    for combo in combinations(range(len(shortlist)), OPTION_COUNT - 1):
        a, b, c = combo
        echo_a, echo_b, echo_c = similarity[a], similarity[b], similarity[c]
        # the right option alone most like the question is a cue; sharing the top with k others, 1/(1+k)
        if right >= echo_a and right >= echo_b and right >= echo_c:
            cue = 10 * (1 / (1 + (echo_a == right) + (echo_b == right) + (echo_c == right)))
        else:
            cue = 0.0
        longer = longer_than_me[a] + longer_than_me[b] + longer_than_me[c]
        order = 0.05 * (a + b + c)
        for want_length in wants:
            cost = cue + abs(longer - want_length) + order
            if cost < best[want_length]:
                best[want_length] = cost
                plans[want_length] = [combo]
            elif cost == best[want_length]:
                plans[want_length].append(combo)
    return tuple(map(tuple, plans))


def _balanced(
    shortlist: list[_Profile], plans: tuple[tuple[tuple[int, ...], ...], ...], rng: random.Random
) -> tuple[_Profile, ...]:
    """Three distractors from the shortlist, chosen so that picking the option most like the question, or
    the longest one, does not find the right one more often than chance: the right option's place by
    length is drawn, then one of the best sets for it (see `_balanced_plans`)."""
    best = rng.choice(plans[rng.randrange(OPTION_COUNT)])
    return tuple(shortlist[i] for i in best)
