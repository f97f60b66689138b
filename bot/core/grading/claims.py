"""Polar claims: which way a text says things go (fast or slow, larger or smaller, the same or different).

Key terms cannot tell "扩散模型质量好、速度慢" from the wrong "速度快、质量差": both name 速度 and 质量.
What differs is the direction. This module reads a text's claims as (axis, pole) pairs: `快`, `faster`
and `速度快` claim ("speed", +1); `慢`, `不快` and `slower` claim ("speed", -1). A claim inside a negated
stretch (`不/not …`) turns to the other pole. The lists are of everyday opposites in both languages
(size, speed, level, amount, direction of change, difficulty, supervision, encoder or decoder, sameness…),
so they apply to any deck; a Chinese word made of a polar character and a dictionary word (`速度慢`,
`高质量`) claims the character's pole.

The grader compares claims point by point: a point whose reference claims one pole of an axis, met by
an answer that claims only the other, is contradicted. A point that goes both ways ("大型模型被视为教师模型，
小型模型被视为学生模型") is compared term by term (`ties`): a term it ties to one pole only, in a short
stretch that goes one way, met by an answer tying it to the other only ("大模型作为学生模型"), contradicts it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Claim = tuple[str, int]  # (axis, pole): pole +1 or -1


@dataclass(frozen=True, slots=True)
class Statement:
    """A claim as made in a text, with the terms of the stretch it was made in (what it is about)."""

    axis: str
    pole: int
    about: frozenset[str]


# single Chinese characters that claim a pole on their own (大模型 -> 大, 速度 快 -> 快)
_CHARS: dict[str, Claim] = {}
for _axis, _plus, _minus in (
    ("size", "大", "小"),
    ("speed", "快", "慢"),
    ("level", "高", "低"),
    ("size", "多", "少"),  # amount and size are one axis: 海量数据 and 小数据集 disagree
    ("length", "长", "短"),
    ("strength", "强", "弱"),
    ("depth", "深", "浅"),
    ("quality", "好优", "差坏劣"),
    ("change", "增升", "减降"),
    ("difficulty", "难", "易"),
    ("density", "密稠", "稀疏"),
):
    for _char in _plus:
        _CHARS[_char] = (_axis, 1)
    for _char in _minus:
        _CHARS[_char] = (_axis, -1)

# whole words (Chinese as written, English as Snowball stems) and the claim each makes
_WORDS: dict[str, Claim] = {}
for _axis, _plus, _minus in (
    (
        "size",
        "变大 扩大 更大 大规模 大型 海量 巨大 大量 更多 larg larger largest big bigger biggest huge more most mani",
        "变小 缩小 更小 小规模 小型 少量 更少 small smaller smallest tini less fewer least few",
    ),
    (
        "speed",
        "加快 加速 更快 快速 fast faster fastest quick quicker speed up",
        "减慢 放慢 更慢 缓慢 slow slower slowest",
    ),
    ("level", "更高 high higher highest", "更低 low lower lowest"),
    (
        "change",
        "增加 提高 增大 提升 增强 上升 升高 增长 increas rais improv boost grow",
        "减少 降低 减小 下降 减弱 削弱 decreas reduc drop declin shrink",
    ),
    ("extremum", "最大化 maxim", "最小化 minim"),
    ("length", "更长 long longer", "更短 short shorter"),
    ("strength", "更强 strong stronger", "更弱 weak weaker"),
    ("depth", "更深 深层 deep deeper", "更浅 浅层 shallow"),
    ("quality", "更好 better best good", "更差 wors worst bad poor"),
    (
        "difficulty",
        "困难 复杂 更难 hard harder difficult complex complic",
        "简单 容易 更易 easi easier simpl simpler",
    ),
    (
        "sameness",
        "相同 一样 同样 一致 完全一样 完全相同 一回事 same ident equival",
        "不同 区别 差异 不一样 不同点 并不相同 differ distinct",
    ),
    ("supervision", "有监督 supervis", "无监督 非监督 自监督 unsupervis selfsupervis"),
    ("coder", "编码器 encod", "解码器 decod"),
    ("direction", "双向 bidirect", "单向 unidirect"),
    ("continuity", "continu", "离散 discret"),  # not 连续: 连续学习 is continual learning
    ("sparsity", "稀疏 spars", "稠密 密集 dens"),
    ("scope", "全局 global", "局部 local"),
    ("linearity", "线性 linear", "非线性 nonlinear"),
    ("order", "并行 parallel", "串行 顺序 sequenti serial"),
    ("timing", "同步 synchron", "异步 asynchron"),
    ("state", "静态 static", "动态 dynam"),
    ("explicitness", "显式 explicit", "隐式 implicit"),
    ("flow", "前向 正向 forward", "反向 后向 backward"),
    ("role", "教师 老师 teacher", "学生 student"),
    ("fit", "过拟合 overfit", "欠拟合 underfit"),
    ("sign", "正样本 positiv", "负样本 negat"),
    ("labels", "有标签 有标注 标签 标注 label", "无标签 无标注 unlabel"),
    ("importance", "重要 important 关键", "不重要 unimport 次要 无关紧要 无所谓 不要紧"),
):
    for _word in _plus.split():
        _WORDS[_word] = (_axis, 1)
    for _word in _minus.split():
        _WORDS[_word] = (_axis, -1)
# English phrases the stemmer splits ("speed up")
_WORDS.pop("speed", None)
_WORDS.pop("up", None)

# words made only of polar characters name an axis, not a pole (大小 "size", 快慢 "speed", 多少 "how many")
_NEUTRAL = frozenset(
    "大小 快慢 高低 多少 长短 强弱 深浅 好坏 优劣 难易 稀疏程度 增减 升降 难度 好处 多数 少数 大多 至少 最多 最少 多样".split()
)


# axes that say the same "more or less" of what they are about: 降低模型大小 (change -1) is 模型变小 (size -1),
# 提高精度 (change +1) is 精度更高 (level +1); a claim on one meets a claim on another the same way
AMOUNT_AXES = frozenset({"size", "change", "level"})
GRADED = frozenset(
    "size speed level length strength depth quality change difficulty density extremum".split()
)
TIED_TERMS = 3
CLOSER_BY = 2  # an answer going both ways contradicts a point where its other way says this many more of it  # a stretch naming more specific terms than this ties none of them to its claim
_DEGREE_CHARS = frozenset("更最较太很超挺越")


def word_claim(word: str, known: Callable[[str], bool]) -> Claim | None:
    """The claim one token makes: a listed word, a polar character (alone or after a degree word: `最快`),
    or a polar character joined to a dictionary word (`速度慢`, `高质量`); None for anything else."""
    claim = _WORDS.get(word)
    if claim is not None or word in _NEUTRAL:
        return claim
    if len(word) == 1:
        return _CHARS.get(word)
    if len(word) == 2 and word[0] in _DEGREE_CHARS:
        return _CHARS.get(word[1])
    if len(word) == 3 and word[0] == word[2] == "越":  # jieba's 越小越 (好): the smaller the better
        return _CHARS.get(word[1])
    if len(word) >= 3 and not word.isascii():
        for polar, rest in ((word[0], word[1:]), (word[-1], word[:-1])):
            if polar in _CHARS and known(rest) and not all(char in _CHARS for char in rest):
                # not a claim joined to another (越小越 + 好: the smaller, the better says smaller)
                return _CHARS[polar] if word_claim(rest, known) is None else None
    return None


def contradicted(
    reference: Iterable[Statement],
    answer: Iterable[Statement],
    relevant: Callable[[str], bool],
    *,
    anywhere: bool = False,
    elsewhere: Iterable[Statement] = (),
) -> set[str]:
    """Axes on which the reference claims one pole and the answer, about the same thing, only the other.

    "The same thing": the stretches share a term for which `relevant` holds (the grader passes terms rarer
    than everyday words such as 模型 or 数据), so "逐渐减小学习率" is not held against "提高收敛速度"; a
    reference claim about nothing specific is not compared, unless `anywhere` (the question's premise).
    An answer's claim that the rest of the reference (`elsewhere`) makes too, about one of the same things,
    repeats the reference rather than contradicting it: "slower than GAN" where one point says "fast" and
    another "slower than GAN". The thing must be the other claim's own, not one this point names too:
    "every weight gets more bits" against "less bits" is not backed by "rare clusters by more bits".
    """
    reference, answer, elsewhere = list(reference), list(answer), list(elsewhere)
    if not anywhere:
        apart = _linked_against(reference, answer, relevant, elsewhere)
        if apart:
            return apart
    backing = [statement for statement in elsewhere if any(map(relevant, statement.about))]
    by_axis: dict[str, list[Statement]] = {}
    for statement in reference:
        by_axis.setdefault(statement.axis, []).append(statement)
    found = set()
    answer_ties: list[dict[tuple[str, str], set[int]]] = []  # read once, for the first point going both ways
    for axis, statements in by_axis.items():
        poles = {statement.pole for statement in statements}
        if len(poles) != 1:
            if not answer_ties:
                answer_ties.append(ties(answer, relevant))
            if _tied_against(axis, statements, answer_ties[0], relevant, elsewhere):
                found.add(axis)
            continue
        topic = {term for statement in statements for term in statement.about if relevant(term)}
        if not topic and not anywhere:
            continue
        matching = _matching(axis, topic, reference, answer, anywhere)
        if any(_backed(statement, topic, backing, relevant) for statement in matching):
            continue
        pole = next(iter(poles))
        said = {statement.pole for statement in matching}
        if said == {-pole}:
            found.add(axis)
        elif said == {pole, -pole} and not anywhere:
            # both ways: the clause that says most of the point's things decides ("encoder从骨干网络抽取feature"
            # against "decoder负责从骨干网络抽取特征，encoder负责把特征转换成…"), by `CLOSER_BY` terms at least
            against = max(closeness(s, topic) for s in matching if s.pole == -pole)
            along = max(closeness(s, topic) for s in matching if s.pole == pole)
            if against >= along + CLOSER_BY:
                found.add(axis)
    return found


def _linked_against(
    reference: list[Statement],
    answer: list[Statement],
    relevant: Callable[[str], bool],
    elsewhere: list[Statement],
) -> set[str]:
    """ "smaller network is more difficult": smaller goes with harder, whichever way round the answer puts
    it ("a large network trains more easily" agrees, "小网络并不难训练，大网络也不更容易" does not)."""
    topic = {term for statement in reference for term in statement.about if relevant(term)}
    card = linked([*reference, *elsewhere])
    theirs = linked([statement for statement in answer if statement.about & topic])
    for pair, signs in linked(reference).items():
        if len(card[pair]) == 1 and theirs.get(pair) == {-min(signs)}:
            return {f"{pair[0]}~{pair[1]}"}
    return set()


def _tied_against(
    axis: str,
    statements: list[Statement],
    answer_ties: dict[tuple[str, str], set[int]],
    relevant: Callable[[str], bool],
    elsewhere: list[Statement],
) -> bool:
    """A point that goes both ways ("大型模型被视为教师模型，小型模型被视为学生模型"), tying terms to both poles:
    a term it ties to one pole only, which the answer ties to the other only ("大模型作为学生模型")."""
    card_ties = ties([*statements, *elsewhere], relevant)
    own = {
        term: min(tied)
        for term, tied in ties(statements, relevant).items()
        if term[0] == axis and len(card_ties[term]) == 1
    }
    if len(set(own.values())) != 2:
        return False
    return any(answer_ties.get(term) == {-pole} for term, pole in own.items())


def _matching(
    axis: str, topic: set[str], reference: list[Statement], answer: list[Statement], anywhere: bool
) -> list[Statement]:
    """The answer's claims on the axis about the point's things; failing those, for an amount, its claims on
    the other axes of more or less: 参数变多 (size) against 减少参数 (change), where neither side says more
    and less at once ("增加一部分小样本参数": more, of something small)."""
    matching = [s for s in answer if s.axis == axis and (anywhere or topic & s.about)]
    if matching or anywhere or axis not in AMOUNT_AXES:
        return matching
    family = [s for s in reference if s.axis in AMOUNT_AXES]
    if len({s.pole for s in family}) != 1:
        return []
    stretch_poles: dict[frozenset[str], set[int]] = {}
    for s in answer:
        if s.axis in AMOUNT_AXES:
            stretch_poles.setdefault(s.about, set()).add(s.pole)
    return [
        s for s in answer if s.axis in AMOUNT_AXES and topic & s.about and len(stretch_poles[s.about]) == 1
    ]


def _backed(
    claim: Statement, topic: set[str], backing: list[Statement], relevant: Callable[[str], bool]
) -> bool:
    """The rest of the reference says so too, about a thing of its own: "more bits" backed by "rare clusters
    by more bits" speaks of the rare clusters only if it names them, not for naming bits, which the point
    that says "less bits" names too; nor when the answer's clause says more of this point's things than of
    the other's ("decoder负责从骨干网络抽取特征" against "encoder从骨干网络抽取feature" is not backed by
    "decoder把feature转换成下游任务")."""
    return any(
        other.axis == claim.axis
        and other.pole == claim.pole
        and any(relevant(term) for term in other.about & claim.about - topic)
        and _shared(other.about, claim.about, relevant) >= _shared(topic, claim.about, relevant)
        for other in backing
    )


def ties(statements: Iterable[Statement], relevant: Callable[[str], bool]) -> dict[tuple[str, str], set[int]]:
    """Per (axis, term), the poles claimed about that term, from the stretches that go one way only on the
    axis: "大型模型被视为教师模型" ties 教师模型 to size +1; "用大的教师模型教小的学生模型" ties nothing."""
    by_stretch: dict[frozenset[str], dict[str, set[int]]] = {}
    for statement in statements:
        by_stretch.setdefault(statement.about, {}).setdefault(statement.axis, set()).add(statement.pole)
    tied: dict[tuple[str, str], set[int]] = {}
    for about, axes in by_stretch.items():
        for axis, poles in axes.items():
            terms = [term for term in about if relevant(term) and not _polar(term, axis)]
            if len(poles) == 1 and len(terms) <= TIED_TERMS:  # a longer stretch: which term is it about?
                for term in terms:
                    tied.setdefault((axis, term), set()).update(poles)
    return tied


def _polar(term: str, axis: str) -> bool:
    """A term that makes a claim on the axis or holds one (小样本 on size, 编码 of 编码器 on coder): what is
    said, not what it is said of."""
    claim = word_claim(term, lambda _: True)
    if claim is not None:
        return claim[0] == axis
    return any(term in word or word in term for word in _POLAR_WORDS.get(axis, ()))


# per axis, its Chinese words of two characters or more and its English stems of four letters or more
_POLAR_WORDS: dict[str, tuple[str, ...]] = {}
for _word, (_axis, _) in _WORDS.items():
    if len(_word) >= (4 if _word.isascii() else 2):
        _POLAR_WORDS[_axis] = (*_POLAR_WORDS.get(_axis, ()), _word)


def kin(axis: str) -> frozenset[str]:
    """The axes a claim on this axis is met by: itself, or all the axes of more or less (`AMOUNT_AXES`)."""
    return AMOUNT_AXES if axis in AMOUNT_AXES else frozenset((axis,))


def _shared(these: Iterable[str], those: Iterable[str], relevant: Callable[[str], bool]) -> int:
    return sum(1 for term in set(these) & set(those) if relevant(term))


def closeness(statement: Statement, topic: set[str]) -> int:
    """How many of a point's things a clause says, the words that make its claim aside."""
    return sum(1 for term in topic & statement.about if not _polar(term, statement.axis))


def linked(statements: Iterable[Statement]) -> dict[tuple[str, str], set[int]]:
    """Per pair of graded axes (`GRADED`: more or less of something) claimed one way each in one stretch,
    whether they go together (+1: "larger is slower") or apart (-1: "smaller is harder"). Kinds of
    thing (teacher or student, encoder or decoder) are no degree: "a weak teacher" links nothing."""
    by_stretch: dict[frozenset[str], dict[str, set[int]]] = {}
    for statement in statements:
        by_stretch.setdefault(statement.about, {}).setdefault(statement.axis, set()).add(statement.pole)
    found: dict[tuple[str, str], set[int]] = {}
    for axes in by_stretch.values():
        single = sorted(
            (axis, min(poles)) for axis, poles in axes.items() if len(poles) == 1 and axis in GRADED
        )
        for index, (first, first_pole) in enumerate(single):
            for second, second_pole in single[index + 1 :]:
                found.setdefault((first, second), set()).add(first_pole * second_pole)
    return found
