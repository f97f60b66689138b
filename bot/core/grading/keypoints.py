"""KeyPointGrader: an answer in your own words against a card's reference, point by point.

Each key point's terms (concepts, see `terms.py`) weigh the square of their inverse document frequency over all
cards, so `梯度裁剪` counts for more than `模型`; terms the question already names weigh nothing, so
echoing the question earns nothing. A term counts as found when the answer mentions it (in any paired
spelling) with the same polarity as the reference: `不是限制梯度大小的方法` does not cover
`限制梯度大小`. A point is fully covered at `SATURATION` of its weight; the score is the average over
points (weighted by the square root of each point's weight) and proposes a rating.

The grade is marked unsure, and proposes nothing, when the evidence is thin: the answer has no
term the grader knows, the reference has fewer than `MIN_TERMS` key terms, the answer is in the other
language and few of the reference's terms have a pairing, or a very short answer meets a long
reference. An answer that is only a list of words (no sentence) is capped at Hard unless the reference
is itself a list of short items. An answer that covers a key point at least `PARTLY_COVERED` of the way,
contradicts none and names nothing from elsewhere in the notes scores at least `HARD_FROM`: it is partly
right, so Hard, not Again.
What a question asks to decide is scored first (`decisions.py`). A yes/no question's verdict ("Yes! …")
is a point of its own, met by a yes or no in either language (`verdicts.py`); the opposite verdict caps
the score at `VERDICT_CAP`. The values a question asks for
(`What is N and K` with the reference `N: 1623, K: 20`) are a point of their own too (`values.py`): an
answer that gives them and gets none right (the swapped `N is 20 and K is 1623`) earns at most the same cap.
So is the one of two things a "which one" question offers that the reference picks (`picks.py`): "L2 or
L∞, which one is stricter?" answered "L2" earns at most the cap too. The full names a question asks for
(`names.py`) are a point scored word by word, without saturating: half of `Model-Agnostic Meta-Learning`
is half the point. An answer naming another kind of data or network than a point does (CNN "for text",
`kinds.py`) answers that point the wrong way, and so does one that swaps the steps a point puts in order
("先实验再想解释" answered "先推导再实验", `orders.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.content import Card
from bot.core.grading.bindings import Bindings, bind, compared
from bot.core.grading.claims import Statement, closeness, contradicted, kin
from bot.core.grading.decisions import CONTRADICTION_PENALTY, Decisions, Pick, decide
from bot.core.grading.gave_up import says_dont_know
from bot.core.grading.glossary import glossary_groups
from bot.core.grading.grade import GOOD_FROM, HARD_FROM, Grade, Point
from bot.core.grading.kinds import EXAMPLE, Kinds, wrong_kinds
from bot.core.grading.names import asked_names
from bot.core.grading.orders import Order, orders
from bot.core.grading.orders import swapped as swapped_order
from bot.core.grading.pairs import mine_pairs
from bot.core.grading.picks import alternatives, picked
from bot.core.grading.points import reference_points, shorten
from bot.core.grading.senses import Senses
from bot.core.grading.terms import (
    WORD_CACHE,
    Lexicon,
    Mention,
    by_sentence,
    is_chinese,
    language,
    normalise_text,
)
from bot.core.grading.values import asked_values
from bot.core.grading.verdicts import asks_yes_or_no, opening

MAX_POINTS = 16
MAX_SHOWN = 5
SATURATION = 0.6  # share of a point's term weight at which it counts as fully covered
IDF_POWER = 2.0  # a term weighs idf ** IDF_POWER: above 1, rare terms count for more than common ones
EVERYDAY_WEIGHT = 0.6  # an everyday Chinese word (好像, 方便) weighs this much of a term of the field
EVERYDAY_RARITY, FIELD_RARITY = 7.0, 12.0  # ... by its rarity in jieba's corpus, ln(corpus / frequency)
PART_CREDIT = 0.5  # the answer names a word inside the reference's term (速度 for 速度快)
TRANSLATED_REACH = 0.25  # the weight of a term only the dictionary translates, until the answer names it
SENSE_CREDIT = 0.75  # the answer names a word of the same sense (巨大 or large for 大型), see senses.py
COVERED = 0.6  # a point is listed as covered at this much credit
PARTLY_COVERED = 0.45  # ... and an answer covering a point this far, nothing else wrong, is partly right
MIN_TERMS = 3  # fewer key terms in a reference: too little to grade
MIN_PAIRED_SHARE = 0.3  # an answer in the other language needs this share of the weight to be checkable
SHORT_ANSWER_TERMS = 2  # an answer with at most this many terms ...
LONG_REFERENCE_TERMS = 15  # ... against a reference with at least this many is too short to judge
# a point answered the wrong way (slow for fast) counts CONTRADICTION_PENALTY below nothing (decisions.py)
SPECIFIC_IDF = 2.5  # terms in more than about one card in ten are too common to say what a claim is about
FOREIGN_EACH, FOREIGN_CAP = 3, 15  # points off per specific term from elsewhere in the notes, at most
SAMENESS_CAP = 20  # the most an answer saying "the same" earns when the question asks how things differ
VERDICT_CAP = 20  # the most an answer saying "no" earns when the reference says "yes" (and the reverse)
_CLAUSE_END = re.compile(r"[。；;！？!?\n]|[,，](?=\s*(?:但|而|所以|因此|but|so)\b)")
_LIST_ITEMS = re.compile(r"[,，、;；/|\n]+")
_GRAMMAR = frozenset(
    "的 是 了 在 把 被 让 使 将 对 用 通过 可以 能 会 就 而 和 与 或 来 给 从 到 时 后 要 需要 如果 因为 所以 "
    "is are was be the a an to of by that which it can will when if so because with from for in on and or as".split()
)


@dataclass(frozen=True, slots=True)
class _Reading:
    """An answer as the grader reads it: each concept with the polarities it is mentioned in."""

    polarities: dict[str, set[bool]]
    claims: tuple[Statement, ...]
    language: str
    word_list: bool
    by_sense: dict[str, tuple[str, ...]]  # an English sense -> the answer's concepts that have it
    mentions: tuple[Mention, ...]  # in the order the answer names them
    breaks: tuple[int, ...]  # where each sentence's mentions end


class KeyPointGrader:
    def __init__(self, cards: Iterable[Card], synonyms: Iterable[Sequence[str]] = ()) -> None:
        cards = list(cards)
        self.lexicon = Lexicon(glossary_groups())
        self.lexicon.add_groups(synonyms)
        self.senses = Senses.shared()  # read the dictionary now (in the builder's worker thread)
        self._concept_senses: dict[str, frozenset[str]] = {}
        texts = [text for card in cards for text in (card.question, card.answer, card.explanation) if text]
        self.lexicon.learn_words(texts)
        # the fullest, tightest pairs first: `卷积神经网络（Convolutional Neural Network，CNN）` before a
        # looser `预训练卷积神经网络(CNN)` elsewhere, which then cannot give CNN a second translation
        mined = sorted(mine_pairs(texts, self.lexicon.words), key=lambda g: (-len(g), sum(map(len, g))))
        for group in mined:
            if self._fits(group):
                self.lexicon.add_groups([group])
        documents = [{m.concept for m in self.lexicon.mentions(f"{c.question}\n{c.answer}")} for c in cards]
        count = len(documents) or 1
        frequency: dict[str, int] = {}
        for concepts in documents:
            for concept in concepts:
                frequency[concept] = frequency.get(concept, 0) + 1
        self._idf = {concept: math.log((count + 1) / (df + 1)) + 1 for concept, df in frequency.items()}
        self._default_idf = math.log(count + 1) + 1
        # keyed by id and text: an uploaded deck replaced in place keeps its ids but may change the wording
        self._points: dict[tuple[str, str], tuple[Point, ...]] = {}
        self._asked: dict[tuple[str, str], frozenset[str]] = {}
        self._premises: dict[tuple[str, str], tuple[Statement, ...]] = {}
        self._own: dict[tuple[str, str], frozenset[str]] = {}
        self._languages: dict[tuple[str, str], str] = {}
        self._bindings: dict[tuple[str, str, str], Bindings] = {}
        self._verdicts: dict[tuple[str, str, str], tuple[int, str] | None] = {}  # read when points are built
        self._decisions: dict[tuple[str, str, str], Decisions] = {}  # the rest at a card's first answer
        self.kinds = Kinds(self.lexicon.mentions, forms=self.lexicon.members)  # after the mined pairs:
        # `CNN` is `卷积神经网络`
        self._point_kinds: dict[tuple[str, str], tuple[dict[int, frozenset[int]], ...]] = {}
        self._asked_kinds: dict[tuple[str, str], dict[int, frozenset[int]]] = {}
        self._orders: dict[tuple[str, str], tuple[tuple[Order, ...], ...]] = {}

    def _fits(self, group: tuple[str, ...]) -> bool:
        """A mined pair may not give a concept a second translation (the glossary and synonyms decide)."""
        for spelling in group:
            concept = self.lexicon.known(spelling)
            if concept is None:
                continue
            for other in group:
                crosses = is_chinese(other) != is_chinese(spelling)
                other_language = "zh" if is_chinese(other) else "en"
                if (
                    crosses
                    and other_language in self.lexicon.languages_of(concept)
                    and self.lexicon.known(other) != concept
                ):
                    return False
        return True

    # --- the reference -------------------------------------------------------------------------------

    def points(self, card: Card) -> tuple[Point, ...]:
        key = (card.id, card.answer)
        cached = self._points.get(key)
        if cached is None:
            cached = self._points[key] = self._build_points(card)
        return cached

    def rubric(self, card: Card) -> tuple[Point, ...]:
        """The key points as a model grader reads them: what the question asks to decide first (a yes or no,
        the values asked for, which of two, full names), then the points."""
        return (*(Point(text, {}) for text in self.decisions(card).texts), *self.points(card))

    def decisions(self, card: Card) -> Decisions:
        """What the question asks to decide, as the reference decides it (see `decisions.py`): a yes/no
        question's verdict (`verdicts.py`), the values asked for (`values.py`), which of two (`picks.py`),
        full names (`names.py`)."""
        key = (card.id, card.question, card.answer)
        cached = self._decisions.get(key)
        if cached is None:
            offered = alternatives(card.question, self.lexicon.mentions, self.lexicon.parts)
            choice = None if offered is None else picked(card.answer, offered, self.lexicon.mentions)
            cached = self._decisions[key] = Decisions.of(
                self.verdict(card),
                asked_values(card.question, card.answer),
                None if offered is None or choice is None else Pick(offered, *choice),
                asked_names(card.question, card.answer),
                card.answer,
            )
        return cached

    def verdict(self, card: Card) -> tuple[int, str] | None:
        """The yes (+1) or no (-1) that opens the reference to a yes/no question, as written (`Yes`), or None."""
        key = (card.id, card.question, card.answer)
        if key not in self._verdicts:
            found = opening(card.answer) if asks_yes_or_no(card.question) else None
            self._verdicts[key] = None if found is None else found[:2]
        return self._verdicts[key]

    def values(self, card: Card) -> dict[str, float]:
        """The numbers the reference gives the names the question asks about."""
        return self.decisions(card).values

    def pick(self, card: Card) -> Pick | None:
        """The one of two things a "which one" question offers that the reference picks."""
        return self.decisions(card).pick

    def names(self, card: Card) -> dict[str, tuple[str, ...]]:
        """The words of each full name a "full name" question asks for."""
        return self.decisions(card).names

    def point_kinds(self, card: Card) -> tuple[dict[int, frozenset[int]], ...]:
        """Per key point, the members of each kind it names (see `kinds.py`)."""
        key = (card.id, card.answer)
        cached = self._point_kinds.get(key)
        if cached is None:
            texts = [point.text for point in self.points(card)]
            cached = self._point_kinds[key] = self.kinds.of_points(texts, self.lexicon.mentions)
        return cached

    def orders(self, card: Card) -> tuple[tuple[Order, ...], ...]:
        """Per key point, the steps it puts in order (see `orders.py`)."""
        key = (card.id, card.answer)
        cached = self._orders.get(key)
        if cached is None:
            cached = self._orders[key] = tuple(
                orders(point.text, self.lexicon.read, self._specific) for point in self.points(card)
            )
        return cached

    def asked_kinds(self, card: Card) -> dict[int, frozenset[int]]:
        """The members of each kind the question names: an answer need not repeat them."""
        key = (card.id, card.question)
        cached = self._asked_kinds.get(key)
        if cached is None:
            cached = self._asked_kinds[key] = self.kinds.named(self.lexicon.mentions(card.question))
        return cached

    def asked(self, card: Card) -> frozenset[str]:
        """The concepts the question names: an answer earns nothing for repeating them."""
        key = (card.id, card.question)
        cached = self._asked.get(key)
        if cached is None:
            cached = self._asked[key] = frozenset(m.concept for m in self.lexicon.mentions(card.question))
        return cached

    def premise(self, card: Card) -> tuple[Statement, ...]:
        """What the question takes as given on sameness: "what is the difference" says they differ. The
        statement is about nothing in particular, so any "they are the same" in the answer meets it."""
        key = (card.id, card.question)
        cached = self._premises.get(key)
        if cached is None:
            statements = self.lexicon.read(card.question)[1]
            cached = self._premises[key] = tuple(
                Statement(s.axis, s.pole, frozenset()) for s in statements if s.axis == "sameness"
            )
        return cached

    def bindings(self, card: Card) -> Bindings:
        """Which of the reference's subjects each of its terms is said of (see `bindings.py`)."""
        key = (card.id, card.question, card.answer)
        cached = self._bindings.get(key)
        if cached is None:
            read = [(point.text, self.lexicon.mentions(point.text)) for point in self.points(card)]
            words = [self.lexicon.stem(word) for word in self.lexicon.words(normalise_text(card.question))]
            subjects = compared(card.question, words, self.lexicon.mentions)
            cached = bind(read, self.lexicon.mentions, subjects, self._specific)
            cached = self._bindings[key] = self._labels_as_compared(cached, subjects)
        return cached

    def _labels_as_compared(self, bindings: Bindings, subjects: tuple[str, ...]) -> Bindings:
        """Items labelled `ML:` and `Meta:` under "compare machine learning and meta-learning": an answer
        names the things compared, so each counts as the label it shortens to (its initials, or one of its
        words)."""
        if not bindings.active or not subjects:
            return bindings
        aliases = dict(bindings.aliases)
        for short_names in (lambda words: set(words), lambda words: {"".join(word[0] for word in words)}):
            for subject in subjects:  # a word of its name first (meta), then its initials (ml)
                if subject in aliases:
                    continue
                taken = {aliases[other] for other in subjects if other in aliases}
                forms = [form.split() for form in self.lexicon.members(subject) if " " in form]
                found = {label for words in forms for label in short_names(words) if label in bindings.own}
                if len(found - taken) == 1:
                    aliases[subject] = (found - taken).pop()
        return Bindings(aliases, bindings.own, bindings.of_point) if aliases != bindings.aliases else bindings

    def _build_points(self, card: Card) -> tuple[Point, ...]:
        asked = self.asked(card)
        points: list[Point] = []
        verdict = self.verdict(card)
        for number, text in enumerate(reference_points(card.answer)):
            weights: dict[str, float] = {}
            negated: set[str] = set()
            if number == 0 and verdict is not None:  # the verdict is a point of its own (`grade`)
                text = (opening(text) or (0, "", text))[2]
            mentions, claims = self.lexicon.read(text)
            for mention in mentions:
                if mention.concept in asked or mention.concept in weights:
                    continue
                idf = self._idf.get(mention.concept, self._default_idf)
                weights[mention.concept] = idf**IDF_POWER * self._termhood(mention.concept)
                if mention.negated:
                    negated.add(mention.concept)
            if weights:
                points.append(Point(text, weights, frozenset(negated), tuple(claims)))
            if len(points) == MAX_POINTS:
                break
        return tuple(points)

    def _termhood(self, concept: str) -> float:
        """Everyday Chinese words weigh less than the field's terms, however rare they are in the notes:
        `好像`, `方便`, `保持` (jieba's corpus has them once in 22,000 words or more often) weigh
        `EVERYDAY_WEIGHT`, words rarer than once in 160,000 (`梯度`, `鲁棒性`) weigh fully, and those
        between in proportion to the logarithm of their frequency. A term with an English spelling
        (paired, in the glossary, or English) is the field's own and weighs fully."""
        forms = self.lexicon.members(concept)
        if not all(map(is_chinese, forms)):
            return 1.0
        rarity = min(self.lexicon.rarity(form) for form in forms)
        return min(1.0, max(EVERYDAY_WEIGHT, (rarity - EVERYDAY_RARITY) / (FIELD_RARITY - EVERYDAY_RARITY)))

    def _foreign(self, card: Card, reading: _Reading) -> set[str]:
        """Specific terms of the notes the answer names that neither the reference nor the question does."""
        key = (card.id, card.question + "\n" + card.answer)
        own = self._own.get(key)
        if own is None:
            own = {c for point in self.points(card) for c in point.weights} | self.asked(card)
            verdict = self.verdict(card)
            if verdict is not None:  # "yes" to a reference that says "Yes!"
                own |= {mention.concept for mention in self.lexicon.mentions(verdict[1])}
            own |= {part for concept in list(own) for part in self.lexicon.parts(concept)}
            own = self._own[key] = frozenset(own)
        spoken = self._language_of(card)
        if reading.language != spoken:
            return set()  # an answer in the other language: its unpaired terms may well be translations
        return {
            c
            for c in reading.polarities
            if c in self._idf
            and self._specific(c)
            and c not in own
            and spoken in self.lexicon.languages_of(c)
            and not any(self._same_sense(mine, c) for mine in own)  # 归类 where the reference says 分类
        }  # a term the reference's language has no spelling for may be a translation the grader cannot pair

    def _examples(self, answer: str) -> set[str]:
        """The terms an answer gives as examples (比如剪枝, such as pruning): up to the end of the clause."""
        found: set[str] = set()
        for match in EXAMPLE.finditer(answer):
            clause = _CLAUSE_END.split(answer[match.end() :], maxsplit=1)[0]
            found.update(mention.concept for mention in self.lexicon.mentions(clause))
        return found

    def _language_of(self, card: Card) -> str:
        key = (card.id, card.answer)
        found = self._languages.get(key)
        if found is None:
            found = self._languages[key] = language(card.answer)
        return found

    def _specific(self, concept: str) -> bool:
        """Rarer than the everyday words of the notes (模型, 训练, 数据): says what a claim is about."""
        return self._idf.get(concept, self._default_idf) >= SPECIFIC_IDF

    # --- the answer ----------------------------------------------------------------------------------

    def _read(self, answer: str, asked: frozenset[str]) -> _Reading:
        polarities: dict[str, set[bool]] = {}
        mentions, claims, breaks = self.lexicon.read_sentences(answer)
        for mention in mentions:
            polarities.setdefault(mention.concept, set()).add(mention.negated)
            if (
                mention.concept not in asked
            ):  # 网络剪枝 also names 剪枝 (but echoing the question names nothing)
                for part in self.lexicon.parts(mention.concept):
                    polarities.setdefault(part, set()).add(mention.negated)
        by_sense: dict[str, list[str]] = {}
        for concept in polarities:
            for sense in self.senses_of(concept):
                by_sense.setdefault(sense, []).append(concept)
        return _Reading(
            polarities,
            tuple(claims),
            language(answer),
            self._word_list(answer),
            {sense: tuple(concepts) for sense, concepts in by_sense.items()},
            tuple(mentions),
            tuple(breaks),
        )

    def _word_list(self, text: str) -> bool:
        """Words without a sentence: three or more terms, four or more short phrases (`教师模型, 学生模型,
        软标签, 知识迁移`), six or more bare words (three if Chinese, which puts no spaces in a sentence), and not one grammatical word. A name of a few words (`Contrastive Language-Image Pre-training`) is not a list,
        nor are phrases joining terms (`限制梯度大小，避免梯度爆炸，训练稳定`)."""
        text = normalise_text(text)
        items = [item.strip() for item in _LIST_ITEMS.split(text) if item.strip()]
        words = text.split()
        listed = (
            (len(items) >= 3 and all(self._bare(item) for item in items))
            or (len(items) >= 4 and all(_short_item(item) for item in items))
            or (len(words) >= 6 and all(len(word) <= 16 for word in words))
            or (len(words) >= 3 and language(text) == "zh" and all(len(word) <= 16 for word in words))
        )
        return listed and not any(word.strip() in _GRAMMAR for word in self.lexicon.words(text))

    def _found(self, concept: str, negated: bool, reading: _Reading) -> float:
        """1 when the answer names the concept with the reference's polarity; half for a part of it."""
        if negated in reading.polarities.get(concept, ()):
            return 1.0
        parts = self.lexicon.parts(concept)
        if self._sensed(concept, negated, reading):
            return SENSE_CREDIT
        if parts and any(negated in reading.polarities.get(part, ()) for part in parts):
            return PART_CREDIT
        return 0.0

    def _claimed(self, concept: str, point: Point, reading: _Reading) -> float:
        """`SENSE_CREDIT` for a polar term of the reference (困难, 大型) that the answer says another way, as a
        claim about something the point names and only that way (很难训练: difficulty +1 about 训练); else 0."""
        claim = self.lexicon.claim_of(concept)
        if claim is None:
            return 0.0
        if any(s.axis == claim[0] and s.pole != claim[1] for s in point.claims):
            return 0.0  # not a point that goes both ways (大型 to 小型): either pole would meet it
        topic = {t for s in point.claims if s.axis == claim[0] for t in s.about} or point.weights.keys()
        matching = [s for s in reading.claims if s.axis == claim[0] and s.about & topic]
        if not matching:  # else 模型变小 (size) says what 降低模型大小 (change) says
            axes = kin(claim[0])
            matching = [s for s in reading.claims if s.axis in axes and s.about & topic]
        said = {s.pole for s in matching}
        if said == {1, -1}:  # both ways: the clause saying most of the point's things ("小网络很难训练好，
            # 大模型更容易优化" for "smaller network is more difficult to learn": 网络 and 训练 against 模型)
            closest = max(closeness(s, topic) for s in matching)
            said = {s.pole for s in matching if closeness(s, topic) == closest}
        return SENSE_CREDIT if said == {claim[1]} else 0.0  # one way only: 难 and 不难 say nothing

    def senses_of(self, concept: str) -> frozenset[str]:
        """What a concept means in English stems: its English spellings and its Chinese ones' senses."""
        found = self._concept_senses.get(concept)
        if found is None:
            forms = self.lexicon.members(concept)
            stems = {form for form in forms if not is_chinese(form) and " " not in form}
            if all(map(is_chinese, forms)):  # a term the glossary or the notes translate keeps their words
                for form in forms:
                    stems.update(self.senses.of(form))
            found = frozenset(stems)
            if len(self._concept_senses) < WORD_CACHE:  # answers name ever new words; the first ones
                self._concept_senses[concept] = found
        return found

    def _sensed(self, concept: str, negated: bool, reading: _Reading) -> bool:
        """The answer names another word of the same sense, with the reference's polarity."""
        return any(
            negated in reading.polarities[other] and self._same_sense(concept, other)
            for sense in self.senses_of(concept)
            for other in reading.by_sense.get(sense, ())
        )

    def _same_sense(self, concept: str, other: str) -> bool:
        """Two terms of one meaning: a translation (large, 大型), or two Chinese words with an English sense
        and a character in common (归类 and 分类, 特点 and 特征, 数目 and 数量). Without a shared character
        the gloss is a pun more often than not (感受 and 检测 both "sense", 参数 and 加权 "weight")."""
        if other == concept or self.senses_of(concept).isdisjoint(self.senses_of(other)):
            return False
        ours = [form for form in self.lexicon.members(concept) if is_chinese(form)]
        theirs = [form for form in self.lexicon.members(other) if is_chinese(form)]
        return not ours or not theirs or any(not set(a).isdisjoint(b) for a in ours for b in theirs)

    def _translatable(self, concept: str, language: str) -> bool:
        """The dictionary gives the concept a spelling in that language: an English sense of a Chinese
        word, or a Chinese word with this English word among its senses."""
        if language == "en":
            return any(is_chinese(form) for form in self.lexicon.members(concept)) and bool(
                self.senses_of(concept)
            )
        return language == "zh" and not self.senses.english.isdisjoint(self.senses_of(concept))

    def _doubt(
        self,
        reading: _Reading,
        concepts: dict[str, float],
        paired: dict[str, float],
        score: int,
        answered: bool,
    ) -> str | None:
        """Why the evidence is too thin to propose a rating (see the module docstring), or None. `answered`:
        the answer gives the yes or no a yes/no question asks, the evidence a bare "Yes!" needs."""
        if answered and len(concepts) < MIN_TERMS:
            return None
        if not answered and not any(
            c in self._idf
            or self.lexicon.languages_of(c) == {"zh", "en"}
            or any(self._same_sense(mine, c) for mine in concepts)
            for c in reading.polarities
        ):
            return "unread"  # not one word the notes, the glossary or the dictionary's senses know
        if len(concepts) < MIN_TERMS:
            return "thin"
        if len(paired) < MIN_TERMS or sum(paired.values()) < MIN_PAIRED_SHARE * sum(concepts.values()):
            return "language"
        if (
            len(reading.polarities) <= SHORT_ANSWER_TERMS
            and len(concepts) >= LONG_REFERENCE_TERMS
            and score < HARD_FROM
        ):
            return "short"
        return None

    def _bare(self, item: str) -> bool:
        """One term (`知识蒸馏`, `knowledge distillation`) or at most two plain words."""
        if len(self.lexicon.mentions(item)) <= 1:
            return True
        return not is_chinese(item) and len(item.split()) <= 2

    def grade(self, card: Card, answer: str) -> Grade:
        if says_dont_know(answer):  # "不知道", "no idea": nothing to judge, and certainly Again; the reply
            return Grade(0, (), (), "key points", gave_up=True)  # shows the whole reference below
        points = self.points(card)
        reading = self._read(answer, self.asked(card))

        def reach(concept: str) -> float:
            """How fully the answer could name this concept: 1 for a spelling in the answer's language, or
            when it names the concept or a word of the same sense (negated or not); `TRANSLATED_REACH` when
            only the dictionary has a spelling in the answer's language (庞大 can be said "huge", but an
            answer in English may well say it otherwise); 0 when nothing does."""
            if reading.language in self.lexicon.languages_of(concept) or concept in reading.polarities:
                return 1.0
            if self._sensed(concept, False, reading) or self._sensed(concept, True, reading):
                return 1.0
            return TRANSLATED_REACH if self._translatable(concept, reading.language) else 0.0

        concepts = {concept: weight for point in points for concept, weight in point.weights.items()}
        reached = {concept: reach(concept) for concept in concepts}  # once per concept, not per point
        paired = {concept: weight for concept, weight in concepts.items() if reached[concept] == 1.0}
        credits: list[tuple[Point, float, float]] = []  # point, credit 0-1, importance
        everything = [claim for point in points for claim in point.claims]
        bindings = self.bindings(card)
        swapped = (
            bindings.swapped(by_sentence(reading.mentions, reading.breaks), self._specific)
            if bindings.active
            else set()
        )
        other_kinds = wrong_kinds(
            self.point_kinds(card),
            self.kinds.named(reading.mentions),
            self.asked_kinds(card),
        )
        point_orders = self.orders(card)
        answer_order: list[tuple[Order, ...]] = []

        def answer_orders() -> tuple[Order, ...]:  # read once, and only for a reference that gives an order
            if not answer_order:
                answer_order.append(orders(answer, self.lexicon.read, self._specific))
            return answer_order[0]

        for index, point in enumerate(points):
            weights = {c: w * reached[c] for c, w in point.weights.items() if reached[c]}
            if not weights:
                continue
            found = sum(
                w * (self._found(c, c in point.negated, reading) or self._claimed(c, point, reading))
                for c, w in weights.items()
            )
            credit = min(1.0, found / sum(weights.values()) / SATURATION)
            if contradicted(point.claims, reading.claims, self._specific, elsewhere=everything):
                credit = -CONTRADICTION_PENALTY  # 速度快 against 速度慢: the point is answered the wrong way
            elif swapped and bindings.of_point[index] & swapped:
                credit = -CONTRADICTION_PENALTY  # 经验重放 said to start with easy tasks: the items swapped
            elif index in other_kinds:
                credit = -CONTRADICTION_PENALTY  # CNN said to be for text: another member of the same kind
            elif point_orders[index] and swapped_order(point_orders[index], answer_orders()):
                credit = -CONTRADICTION_PENALTY  # 先实验再想解释 said 先推导再实验: the steps swapped
            credits.append((point, credit, math.sqrt(sum(weights.values()))))
        # what the question asks to decide (yes or no, the values asked for, which of two, full names) weighs
        # as much as the weightiest point: right, it covers that point; the other way, it counts against it
        decisions = self.decisions(card)
        decided = decide(decisions, answer, self.lexicon.mentions, self.lexicon.stem)
        if decided.credits:
            weightiest = max((weight for _, _, weight in credits), default=1.0)
            credits[:0] = [
                (Point(text, {}), credit, weightiest)
                for text, credit in zip(decisions.texts, decided.credits, strict=True)
            ]
        importance = sum(weight for _, _, weight in credits)
        score = max(0, round(100 * sum(c * w for _, c, w in credits) / importance)) if importance else 0
        foreign = self._foreign(card, reading)
        if foreign:  # (only then are the answer's examples read)
            foreign -= self._examples(answer)
        if (
            foreign
        ):  # an answer about something else (dropout for attention) loses up to 15, less when it covers more
            score = max(
                0, round(score - min(FOREIGN_CAP, FOREIGN_EACH * len(foreign)) * 2 * (1 - score / 100))
            )
        if (
            score < HARD_FROM
            and not foreign
            and (any(credit >= PARTLY_COVERED for _, credit, _ in credits) or decided.valued)
            and all(credit >= 0 for _, credit, _ in credits)
        ) or (
            score < HARD_FROM and decided.all_right
        ):  # a key point (or a value asked) answered, nothing contradicted, nothing from elsewhere, or what
            # the question asks to decide decided right (whatever else it says): partly right
            score = HARD_FROM + score // 10  # (the order among such answers kept)
        if contradicted(self.premise(card), reading.claims, self._specific, anywhere=True):
            score = min(score, SAMENESS_CAP)  # "they are the same" to "how do they differ?"
        if decided.wrong_way:  # "no" to a question the notes answer "yes", N and K swapped, L2 for L∞: wrong
            score = min(score, VERDICT_CAP)

        unsure = (
            None if decided.wrong_way else self._doubt(reading, concepts, paired, score, decided.answered)
        )
        capped = reading.word_list and not (_is_list_of_terms(points) or self._word_list(card.answer))
        if capped:
            score = min(score, GOOD_FROM - 1)
        covered = [shorten(p.text) for p, credit, _ in credits if credit >= COVERED]
        missed = sorted(
            ((1 - credit) * weight, index, p.text)
            for index, (p, credit, weight) in enumerate(credits)
            if credit < COVERED
        )
        missed.sort(key=lambda item: (-item[0], item[1]))
        return Grade(
            score,
            tuple(covered[:MAX_SHOWN]),
            tuple(shorten(text) for _, _, text in missed[:MAX_SHOWN]),
            "key points",
            unsure=unsure,
            capped=capped,
        )


def _short_item(item: str) -> bool:
    """A phrase too short to say anything: up to 6 Chinese characters or 3 English words."""
    return len(item) <= 6 if is_chinese(item) else len(item.split()) <= 3


def _is_list_of_terms(points: Sequence[Point]) -> bool:
    """A reference that is itself a list of short items (`Network Pruning`, `Knowledge Distillation`)."""
    sizes = sorted(len(point.weights) for point in points)
    return len(sizes) >= 3 and sizes[len(sizes) // 2] <= 3
