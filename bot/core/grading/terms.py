"""Key terms: the concepts a text mentions, in English or Chinese, and whether each is negated.

A text is normalised (Unicode NFKC for full-width letters, case-folded, hyphens and underscores as
spaces, `n't` as `not`), split into clauses at punctuation, and segmented by jieba without its HMM
(so unknown character runs fall apart into single characters instead of becoming "words" such as
`中负`). A Chinese word counts only when jieba's dictionary knows it (or it is a paired term) and it is
not a stop word; English words are stemmed with Snowball (`distillation` -> `distil`), stop words left
out, and runs of them matched against known multi-word terms (`knowledge distillation`). Every spelling
of a paired term (`知识蒸馏`, `knowledge distillation`, `KD`) maps to one concept, so either side
matches the other.

Every term of a clause that holds a negation (`不是/并非/不…/没有/无需/无关`, `not/no/never/without`)
is a negated mention; `而/但/从而/but/so/because/which` start a fresh stretch within the clause. After
"X 不是 A，而是 B" or "X is not A but B" the terms before the negation word (X) are affirmed, not denied.
A denial of a statement that holds a negation itself (`不是利用无需标注的数据`, `not … needs no labels`)
affirms what that negation denied.

jieba's prefix dictionary is built here from its dict.txt in plain Python (`read_dictionary`), not with
`Tokenizer.initialize()`: that loads a 9 MB marshal cache in one C call which holds the GIL for 150-200 ms,
so even in a worker thread it stalls the event loop; plain Python lets the interpreter switch to the loop
every few milliseconds. The result is the dictionary jieba's own `gen_pfdict` builds, entry for entry.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import jieba
import snowballstemmer

from bot.core.content.markdown import ENGLISH_STOP_WORDS
from bot.core.grading.claims import Claim, Statement, word_claim

jieba.setLogLevel(logging.WARNING)

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_ENGLISH_TOKEN = re.compile(r"^[a-z0-9][a-z0-9+#]*$")
_JOINERS = re.compile(r"(?<=\w)[-_–—/](?=\w)")
_NOT = re.compile(r"n't\b|n’t\b")
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # 能不能, 是不是, 有没有: a question, not a negation
# the infinity norm however spelled (L∞, L-infinity, L-infinite, L_inf): one word, `linf`
_L_INFINITY = re.compile(r"(?<![a-z0-9])l\s?[-_]?\s?(?:∞|infinity|infinite|inf)(?![a-z])")
# jieba's part-of-speech tags of words that are never key terms: numerals and measure words (第一个), pronouns
# (怎么样), adverbs (直接), prepositions, conjunctions, particles, directions (以内), times, interjections
_FUNCTION_TAGS = ("m", "q", "r", "d", "p", "c", "u", "f", "t", "y", "e", "o", "z", "ad", "mq")
_CLAUSE = re.compile(r"[，,。;；!?！？\n:：()（）\[\]【】“”\"]|\.(?=\s|$)")
_SENTENCE_END = re.compile(r"[。;!?\n]|\.(?=\s|$)")  # in a normalised text (NFKC: ；！？ are ;!?)
_SENTENCE_BREAK = "\x1e"  # a token between sentences (blank to str.strip), which no text yields
_MAX_PHRASE = 6
WORD_CACHE = 50_000  # words whose stems, parts and senses are remembered (the first ones met)
_ENGLISH_WORD = re.compile(r"[a-z]{6,}")  # long enough to be two words written closed up

STOP_EN = ENGLISH_STOP_WORDS | frozenset(
    "is are be being it's its which one way method approach thing things make makes made called mean means "
    "like just only very much many get gets got let lets us both where when whether about because own every "
    "kind type types etc i.e eg ie able help helps something someone often usually mainly generally basically "
    "really well still even much instead rather widely wide known commonly typically".split()
)
STOP_ZH = frozenset(
    "的 了 是 在 和 与 及 或 等 也 就 都 而 并 被 把 对 为 以 于 之 其 这 那 这些 那些 一个 一种 可以 能够 进行 "
    "通过 使用 如何 什么 哪些 我们 他们 它们 如果 因为 所以 但是 然后 以及 还是 就是 一些 需要 主要 指 是指 "
    "指的是 称为 叫做 利用 采用 用于 用来 一样 这样 那样 这种 那种 方法 方式 技术 过程 能力 常见 包括 通常 "
    "具体 例如 比如 诸如 之类 其中 不同 相应 相关 有关 一般 往往 可能 非常 比较 更加 很 较 已经 让 使 使得 "
    "从而 以便 由 将 等等 方面 问题 情况 东西 部分 时候 之间 以上 以下 进一步 所有 每个 各 各种 大量 一定 "
    "本身 自身 这个 那个 一下 一次 起来 出来 之后 之前 同时 另外 此外 并且 而且 或者 只是 仅 仅仅 即 "
    "就是说 也就是 也就是说 所谓 一方面 另一方面 目的 作用 来说 而言 对于 关于 根据 基于 一起 尽可能 "
    "尽量 相对 怎么 怎样 为什么 哪个 多少 得到 以后 当中 里面 上面 下面 可 能 会 要 有 没 还 再 又 如 "
    "具有 人们 知道 了解 存在 出现 帮助 实现 提供 包含 属于 成为 认为 觉得 希望 拥有 变得 做到 看到 "
    "带来 发生 进行 完成 开始 继续 作为 叫 称 算是 意味着 表明 说明 所示 如下 以下几个".split()
)
# a clause holding one of these says the opposite of its terms
NEGATION_ZH = frozenset(
    "不 不是 无关 无涉 并非 没有 没 无需 不用 不需 不需要 不必 不能 不会 不要 并不 未 从未 毫无 绝非 不再 不包括 别 "
    "从不 从没 从来不 从来没 从来没有 绝不 决不 永不 毫不 并未 并没有 尚未".split()
)
# words that start with 不/没 but negate nothing (不同 "different", 不断 "continually")
NOT_NEGATIONS = frozenset(
    "不同 不断 不仅 不但 不少 不久 不论 不管 不过 不可 不如 不得不 不禁 不妨 不同点 没想到 不止 不只 不光 不单 "
    "不仅仅 不单单 不外乎".split()
)
NEGATION_EN = frozenset("not no never without cannot neither nor none nothing unlike".split())
# these set aside what follows them in the clause (rather than X, instead of X)
_EXCLUDING = frozenset("rather instead 而非".split())
# a stretch opening with one of these and holding 不同 names what the subject is compared with
_UNLIKE_START = frozenset("与 和 跟 同 不像".split())
_UNLIKE_END = frozenset("不同 不一样 相反 有别".split())
_SAME = frozenset("一样 相同 同".split())  # after a 不 of their own: 和监督学习不 一样
# a negation that denies a whole statement, and ones inside it that deny a part: 不是利用无需标注的数据 says
# the data must be labelled, "is not a method that needs no labels" that labels are needed
_DENIALS = frozenset("不是 并非 并不是 并不 绝非 并没有 not".split())
_LOCAL_NEGATIONS = frozenset("无需 无须 不需 不需要 不用 不必 没有 无 no without".split())
# words that give a cause: after a negation (not because, 不是因为) they do not end its reach
_CAUSES = frozenset("因为 由于 because since".split())
# after a negated stretch, these say what the subject is instead (X 不是 A，而是 B; X is not A but B)
_AFFIRMING = frozenset("而是 而 却 but rather instead".split())
# these start a new stretch of a clause: a negation before them does not reach past them
CONTRAST = frozenset(
    "而 但 但是 而是 却 然而 不过 从而 因此 所以 因为 以便 以免 以防 使得 则 "
    "but while whereas although though however so because since which thus therefore hence whether if".split()
)


def _comparatives(adjectives: str) -> dict[str, str]:
    """smaller/smallest -> small, bigger -> big, easier -> easy, larger -> large: the forms Snowball leaves."""
    forms: dict[str, str] = {}
    for adjective in adjectives.split():
        if adjective.endswith("e"):
            stem = adjective[:-1]
        elif adjective.endswith("y"):
            stem = adjective[:-1] + "i"
        elif (
            len(adjective) <= 4
            and adjective[-1] not in "aeiouwy"
            and adjective[-2] in "aeiou"
            and adjective[-3] not in "aeiou"
        ):
            stem = adjective + adjective[-1]  # big -> bigg(er), thin -> thinn(er)
        else:
            stem = adjective
        forms[stem + "er"] = forms[stem + "est"] = adjective
    return forms


COMPARATIVES = _comparatives(
    "small large big fast slow high low long short deep wide narrow strong weak easy hard simple few great "
    "cheap quick sparse dense tight loose close thin thick rich poor fine coarse smooth rough sharp flat "
    "old new young early late fair clean safe"
)


def english_stem(stem_word: Callable[[str], str], word: str) -> str:
    """Snowball's stem of a word (`stem_word`), short comparatives as their adjective (it keeps `smaller`)."""
    return stem_word(COMPARATIVES.get(word, word))


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    text = _NOT.sub(" not", text)
    text = _A_NOT_A.sub(r"是否\1", text)
    text = _L_INFINITY.sub("linf", text)
    return _JOINERS.sub(" ", text)


def language(text: str) -> str:
    """`zh` when Chinese characters carry the text, else `en` (a Chinese character counts as ~3 letters)."""
    cjk = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "zh" if cjk * 3 >= latin and cjk else "en"


def is_chinese(form: str) -> bool:
    return bool(_CJK_CHAR.search(form))


@dataclass(frozen=True, slots=True)
class Mention:
    concept: str
    negated: bool


def by_sentence(mentions: Sequence[Mention], breaks: Sequence[int]) -> list[Sequence[Mention]]:
    """Mentions split where `Lexicon.read_sentences` says each sentence ends."""
    starts = (0, *breaks)
    return [mentions[start:end] for start, end in zip(starts, (*breaks, len(mentions)), strict=True)]


class _Stemmer(threading.local):
    """Snowball stemmer objects keep state while stemming: one per thread."""

    def __init__(self) -> None:
        self.english = snowballstemmer.stemmer("english")


class Lexicon:
    """jieba, the stemmer and the table of paired spellings; builds in about a second (jieba's dictionary)."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._tokenizer = jieba.Tokenizer()
        dictionary = read_dictionary(self._tokenizer)
        self._tokenizer.FREQ, self._tokenizer.total = dictionary.freq, dictionary.total
        self._tokenizer.initialized = (
            True  # what initialize() would have loaded, without its GIL-holding load
        )
        self._function_words = dictionary.function_words
        self._stemmer = _Stemmer()
        self._stems: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        self._concept: dict[str, str] = {}
        self._languages: dict[str, frozenset[str]] = {}
        self._phrases: set[str] = set()
        self._vocabulary: set[str] = set()  # English words of the notes, see `learn_words`
        self._join_heads: set[str] | None = None  # how a closed-up English term can begin (batch of batchsiz)
        self._added_words: set[str] = set()
        self._members: dict[str, tuple[str, ...]] = {}
        self._parts: dict[str, tuple[str, ...]] = {}
        self.add_groups(groups)

    # --- the table of spellings ----------------------------------------------------------------------

    def form(self, spelling: str) -> str | None:
        """The matching key of a spelling: Chinese without spaces, English as its stems; None if neither."""
        normal = normalise_text(spelling).strip()
        if is_chinese(normal):
            if _LATIN_LETTER.search(normal):
                return None  # a mixed spelling is matched through its parts
            return re.sub(r"\s+", "", normal)
        stems = [self.stem(word) for word in re.findall(r"[a-z0-9][a-z0-9+#]*", normal)]
        stems = [stem for stem in stems if stem not in STOP_EN]
        return " ".join(stems) if stems else None

    def known(self, spelling: str) -> str | None:
        """The concept a spelling already belongs to."""
        form = self.form(spelling)
        return self._find(form) if form is not None and form in self._parent else None

    def languages_of(self, concept: str) -> frozenset[str]:
        return self._languages.get(concept) or frozenset({"zh" if is_chinese(concept) else "en"})

    def learn_words(self, texts: Iterable[str]) -> None:
        """Remember the English words the notes write closed up (`batchsize`, `pretrain`), so that an answer
        writing them open (`batch size`, `pre train`) names the same term."""
        for text in texts:
            for word in _ENGLISH_WORD.findall(normalise_text(text)):
                self._vocabulary.add(self.stem(word))
        self._join_heads = None

    def add_groups(self, groups: Iterable[Sequence[str]]) -> None:
        """Make each group's spellings one concept (groups sharing a spelling merge)."""
        for spellings in groups:
            self._add(spellings)
        self._refresh()

    def _add(self, spellings: Sequence[str]) -> None:
        forms = [form for form in map(self.form, spellings) if form]
        if not forms:
            return
        closed = [self.stem(form.replace(" ", "")) for form in forms if form.count(" ") == 1]
        forms += [form for form in closed if form not in self._parent]  # batch size: batchsize too
        for form in forms:
            self._parent.setdefault(form, form)
            if " " in form:
                self._phrases.add(form)
            elif is_chinese(form) and len(form) >= 2 and form not in self._added_words:
                self._added_words.add(form)
                self._tokenizer.add_word(form, max(self._tokenizer.suggest_freq(form, False), 10))
        root = self._find(forms[0])
        for form in forms[1:]:
            other = self._find(form)
            if other != root:
                self._parent[other] = root

    def _find(self, form: str) -> str:
        while self._parent[form] != form:
            self._parent[form] = self._parent[self._parent[form]]
            form = self._parent[form]
        return form

    def _refresh(self) -> None:
        members: dict[str, list[str]] = {}
        for form in self._parent:
            members.setdefault(self._find(form), []).append(form)
        self._concept, self._languages, self._members, self._parts = {}, {}, {}, {}
        for forms in members.values():
            concept = min(forms, key=lambda f: (not is_chinese(f), len(f), f))
            self._members[concept] = tuple(forms)
            languages = frozenset("zh" if is_chinese(f) else "en" for f in forms)
            self._languages[concept] = languages
            for form in forms:
                self._concept[form] = concept
        self._join_heads = None  # worked out again when next needed, not once per mined pair

    def rarity(self, word: str) -> float:
        """How rare a word is in everyday Chinese: ln(jieba's corpus size / its frequency there), from
        about 5 for 我们 to 18 for a word the corpus lacks."""
        return math.log(self._tokenizer.total / max(self._tokenizer.FREQ.get(word, 0), 1))

    def members(self, concept: str) -> tuple[str, ...]:
        """Every spelling (matching key) of a concept: `知识蒸馏`, `knowledg distil`, `kd`."""
        return self._members.get(concept, (concept,))

    def parts(self, concept: str) -> tuple[str, ...]:
        """The concepts of the dictionary words inside a Chinese term (`网络剪枝` -> `网络`, `剪枝`)."""
        cached = self._parts.get(concept)
        if cached is None:
            found: dict[str, None] = {}
            for form in self.members(concept):
                if not is_chinese(form) or len(form) < 3:
                    continue
                for start in range(len(form) - 1):
                    for end in range(start + 2, min(len(form), start + 4) + 1):
                        part = self._chinese(form[start:end]) if form[start:end] != form else None
                        if part and part != concept:
                            found[part] = None
            cached = tuple(found)
            if len(self._parts) < WORD_CACHE:  # answers name ever new words; remember the first ones
                self._parts[concept] = cached
        return cached

    # --- reading a text ----------------------------------------------------------------------------------

    def stem(self, word: str, remember: bool = True) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = english_stem(self._stemmer.english.stemWord, word) if word.isalpha() else word
            if remember and len(self._stems) < WORD_CACHE:  # a bot running for months meets new words
                self._stems[word] = stem
        return stem

    def _heads(self) -> set[str]:
        heads = self._join_heads
        if heads is None:
            closed = [form for form in self._concept if " " not in form] + list(self._vocabulary)
            heads = self._join_heads = {head for word in closed for head in _heads(word)}
        return heads

    def words(self, text: str) -> list[str]:
        """jieba's words of a normalised text, without the HMM guesses."""
        return self._tokenizer.lcut(text, HMM=False)

    def mentions(self, text: str) -> list[Mention]:
        """The concepts a text names, in order; one jieba pass, clause boundaries marked by newlines."""
        return self.read(text)[0]

    def read(self, text: str) -> tuple[list[Mention], list[Statement]]:
        """The concepts a text names and the polar claims it makes (see `claims.py`), from one jieba pass."""
        return self._mentions(self.words(_CLAUSE.sub("\n", normalise_text(text))))[:2]

    def read_sentences(self, text: str) -> tuple[list[Mention], list[Statement], list[int]]:
        """As `read`, and where each sentence's mentions end (indices into the mentions; `by_sentence`
        splits them)."""
        tokens: list[str] = []
        for sentence in _SENTENCE_END.split(normalise_text(text)):
            tokens.extend(self.words(_CLAUSE.sub("\n", sentence)))
            tokens.append(_SENTENCE_BREAK)
        return self._mentions(tokens)

    def claim_of(self, word: str) -> Claim | None:
        """The claim a word (or a concept as the notes write it) makes (大型: size +1), if any."""
        return word_claim(word, self._known_word)

    def _known_word(self, word: str) -> bool:
        return word in self._concept or self._tokenizer.FREQ.get(word, 0) > 0

    def _mentions(self, tokens: list[str]) -> tuple[list[Mention], list[Statement], list[int]]:
        """A negation anywhere in a stretch of a clause (up to `而/but` or the clause's end) negates all of its
        terms. A claim turns to the other pole when a negation (or `避免/avoid`) comes before it in the
        stretch (`速度不快`, `not faster`, `不需要标注`), once; each claim keeps the terms of its stretch, so
        that a claim about the learning rate is not compared with one about convergence."""
        mentions: list[Mention] = []
        statements: list[Statement] = []
        breaks: list[int] = []  # where each sentence's mentions end
        denied = False  # the stretch's negation denies a whole statement (不是, 并非, not)
        hedged = False  # a negated implication (不一定, not necessarily) came earlier: no claim after it
        pending: list[Claim] = []
        stretch: list[str] = []
        run: list[str] = []
        negated = False  # the stretch holds a negation: its terms are negated mentions
        negating = False  # a negation came earlier in the stretch: the next claim turns
        adjacent = False  # ... and it stands right before this token (degree words skipped)

        def flush_run() -> None:
            stretch.extend(self._english(run))
            run.clear()

        def flush_stretch() -> None:
            nonlocal denied, hedged
            denied = hedged = False
            flush_run()
            if stretch:  # the terms before its negation word, which 而是/but may yet affirm
                start = len(mentions)
                before = negation_at[0] if negation_at and len(stretch) > negation_at[0] else 0
                subject[:] = range(start, start + before)
            mentions.extend(Mention(concept, negated) for concept in stretch)
            negation_at.clear()
            about = frozenset(stretch)
            statements.extend(Statement(axis, pole, about) for axis, pole in pending)
            stretch.clear()
            pending.clear()

        negation_at: list[int] = []  # where in the stretch its first negation word came
        # the last stretch's mentions before its negation word (学习率 in 学习率不是固定的)
        subject: list[int] = []
        previous, previous_claimed, negating_before = "", False, False
        previous_joined = False  # the last claim joined the last two words (难 + 训练)
        negated_before = False  # the stretch's negation before the last negation word
        opened = ""  # the first word of the stretch
        for raw in tokens:
            token = raw.strip()
            if not token:
                if "\n" in raw or raw == _SENTENCE_BREAK:  # the end of a clause (or of a sentence)
                    flush_stretch()
                    previous, negated, negating, adjacent = "", False, False, False
                    opened = ""
                if raw == _SENTENCE_BREAK:
                    breaks.append(len(mentions))
                continue
            if token in _CAUSES and previous and _is_negation(previous):
                continue  # "not because of feature reuse", 不是因为: the cause is what is denied
            if token in CONTRAST or token in _EXCLUDING:
                flush_stretch()  # "uses soft labels rather than hard ones": what follows is set aside
                if token in _AFFIRMING:  # 学习率不是固定的，而是动态变化: the learning rate does change
                    for index in subject:
                        mentions[index] = Mention(mentions[index].concept, False)
                subject.clear()
                previous, negated, negating, adjacent = "", token in _EXCLUDING, False, False
                opened = ""
                continue
            if not opened:
                opened = token
            elif token in _UNLIKE_END and opened in _UNLIKE_START:
                flush_run()
                negated = True  # 与传统的随机抽样不同: what it is compared with, not what it is
                pending.clear()  # 与有监督学习需要标注好的数据不同: what is claimed of that, too
            english = _ENGLISH_TOKEN.match(token) is not None
            word = self.stem(token) if english else token
            # a prefix that jieba or a hyphen split off: 无 监督, self-supervised, non-linear
            # not 好 + 不是 (效果好不是因为…), nor a word already joined to the one before it (难训练 + 好)
            joined = previous and not _is_negation(token) and not previous_joined
            claim = self.claim_of(previous + word) if joined else None
            joining = claim is not None
            if claim is None and previous in _NEGATING_PREFIXES:
                claim = _opposite(self.claim_of(word))
            if claim is not None and previous in _PREDICATE_PREFIXES:
                negated = negated_before  # 曲面不一样: "different", said of the terms, not denying them
                if opened in _UNLIKE_START and token in _SAME:
                    # 和监督学习不一样 (jieba: 不 + 一样): what it is compared with, not what it is
                    negated = True
            if claim is not None:
                if previous_claimed:
                    pending.pop()
                negating = negating_before
            if claim is None and previous_claimed and previous in _ENGLISH_DEGREES and self.claim_of(word):
                pending.pop()  # "more difficult" says harder, not more; "less difficult", easier
                claim = self.claim_of(word)
                claim = _opposite(claim) if previous in _LESSENING else claim
            claim = claim or self.claim_of(word)
            if claim is None and not english and len(word) > 1 and word[0] in _NEGATING_PREFIXES:
                claim = _opposite(self.claim_of(word[1:]))  # 不快: not fast
            if claim is not None and previous in _COUNTERING:
                claim = None  # 对付过拟合, addresses overfitting: which way it goes, a verb list cannot say
            if (word in _HEDGES and previous and _is_negation(previous)) or token in _SELF_HEDGES:
                hedged, negating = True, False  # 不一定: what follows is neither said nor denied
            if hedged:
                claim = None
            previous, previous_claimed, negating_before = word, claim is not None, negating
            previous_joined = joining and claim is not None
            if claim is not None:  # a negation turns the next claim after it (速度不快), not those before
                turned = negating and (adjacent or word not in _NEEDS_ADJACENT)
                pending.append(_opposite(claim) if turned else claim)  # type: ignore[arg-type]
                negating = False
            elif _is_negation(token) or word in _AVOIDING:
                negating = adjacent = True
            elif token not in _DEGREE_WORDS:
                adjacent = False
            if _is_negation(token) and claim is None:
                flush_run()
                if not negated:
                    negation_at.append(len(stretch))
                    denied = token in _DENIALS
                    negated_before, negated = negated, True
                elif denied and token in _LOCAL_NEGATIONS:  # 不是利用无需标注的数据: it does need them
                    negated_before, negated, denied = negated, False, False
                else:
                    negated_before = negated
            elif english:
                if token not in STOP_EN and word not in STOP_EN:
                    run.append(word)
            else:
                flush_run()
                if is_chinese(token):
                    concept = self._chinese(token)
                    if concept:
                        stretch.append(concept)
        flush_stretch()
        return mentions, statements, breaks

    def _chinese(self, word: str) -> str | None:
        concept = self._concept.get(word)
        if concept is not None:
            return concept
        if len(word) < 2 or word in STOP_ZH or word in NEGATION_ZH:
            return None
        if self._tokenizer.FREQ.get(word, 0) <= 0 or word in self._function_words:
            return None
        return word

    def _english(self, stems: list[str]) -> list[str]:
        concepts: list[str] = []
        index = 0
        while index < len(stems):
            for length in range(min(_MAX_PHRASE, len(stems) - index), 1, -1):
                phrase = " ".join(stems[index : index + length])
                if phrase in self._phrases:
                    concepts.append(self._concept[phrase])
                    index += length
                    break
            else:
                stem = stems[index]
                index += 1
                # not through the stem cache: it would keep every pair of words any answer ever had
                joins = index < len(stems) and stem in self._heads()
                closed = self.stem(stem + stems[index], remember=False) if joins else ""
                if (closed in self._concept and " " not in closed) or closed in self._vocabulary:
                    concepts.append(self._concept.get(closed, closed))  # batch size = batchsize
                    index += 1
                elif stem in self._concept:
                    concepts.append(self._concept[stem])
                elif len(stem) >= 2:
                    concepts.append(stem)
        return concepts


@dataclass(frozen=True, slots=True)
class Dictionary:
    """jieba's prefix dictionary (`FREQ`: every word with its count, every prefix of a word with 0), the
    total count, and the words whose part of speech (`_FUNCTION_TAGS`) makes them grammar, not content."""

    freq: dict[str, int]
    total: int
    function_words: frozenset[str]


def read_dictionary(tokenizer: jieba.Tokenizer, yield_every: int = 2000) -> Dictionary:
    """One pass over the tokenizer's dict.txt, as jieba's `gen_pfdict` reads it (`word count [tag]` a line).

    Plain Python, and every `yield_every` lines a zero sleep offers the GIL to other threads at once (the
    event loop), rather than only when the interpreter's 5 ms switch interval runs out."""
    freq: dict[str, int] = {}
    total = 0
    function_words: set[str] = set()
    with tokenizer.get_dict_file() as lines:
        for number, raw in enumerate(lines, 1):
            parts = raw.strip().decode("utf-8").split(" ")
            try:
                word, count = parts[0], int(parts[1])
            except (IndexError, ValueError):
                raise ValueError(f"invalid dictionary entry at line {number}: {raw!r}") from None
            freq[word] = count
            total += count
            for end in range(1, len(word)):
                if word[:end] not in freq:
                    freq[word[:end]] = 0
            if len(parts) == 3 and parts[2] in _FUNCTION_TAGS:
                function_words.add(word)
            if number % yield_every == 0:
                time.sleep(0)
    return Dictionary(freq, total, frozenset(function_words))


# between a negation and the claim it turns: 不是更快, not much faster
_DEGREE_WORDS = frozenset(
    "更 很 太 那么 这么 非常 特别 比较 十分 最 够 是 会 能 要 一定 be much very as that so any".split()
)
# nouns a negation turns only right before them: 没有区别 (the same), but 不受域差异影响 (still different)
_NEEDS_ADJACENT = frozenset("区别 差异 不同点 differ".split())
# verbs that turn the claim after them for the purpose of claims (避免困难样本: towards the easy ones)
# after a negation, words that deny an implication rather than a claim: 不一定快, 并不意味着表现好, "does not
# necessarily mean faster" say neither fast nor slow; 未必 says so on its own
# English words of degree before a claim: "more difficult" is harder, "less difficult" easier
_ENGLISH_DEGREES = frozenset("more most less least".split())
_LESSENING = frozenset("less least".split())
_HEDGES = frozenset("一定 意味着 意味 代表 等于 见得 必然 保证 necessarili mean impli guarante".split())
_SELF_HEDGES = frozenset("未必 不见得 不一定 不代表 不等于 不意味着".split())
_AVOIDING = frozenset("避免 防止 避开 抵抗 克服 缓解 avoid prevent mitig".split())
_NEGATING_PREFIXES = frozenset("不 没 无 非 不是 没有".split())
# verbs that act on a problem without saying it is avoided (对付过拟合, 应对不同的数据, address overfitting):
# the claim right after them says neither way
_COUNTERING = frozenset(
    "对付 应对 解决 处理 针对 面对 应付 handl address tackl deal fight counter against combat".split()
)
# a bare 不 before a claim makes one predicate with it (不一样 "different", 不快 "slow"): it turns the claim
# and denies nothing else in the clause, unlike 不是/没有 (梯度裁剪不是限制梯度大小的方法)
_PREDICATE_PREFIXES = frozenset("不".split())


def _opposite(claim: Claim | None) -> Claim | None:
    return None if claim is None else (claim[0], -claim[1])


def _heads(word: str) -> Iterable[str]:
    """The beginnings an English word written closed up may have been split at (`batch` of `batchsiz`)."""
    return (word[:end] for end in range(2, len(word) - 1)) if word.isascii() else ()


def _is_negation(token: str) -> bool:
    if token in NEGATION_ZH or token in NEGATION_EN:
        return True
    if token[:2] in _NEGATION_HEADS and len(token) <= 4:
        return True  # 并不认为, 从没想过: jieba's phrases that open with a negation
    return token[0] in "不没" and len(token) <= 3 and token not in NOT_NEGATIONS


_NEGATION_HEADS = frozenset("并不 并非 并没 从不 从没 绝不 毫不 决不".split())
