"""Line-level reading of Markdown-ish text: headings, list items, rules, code fences and inline clean-up.

Every pattern here is anchored and free of nested quantifiers, so a document with a line of
hundreds of kilobytes is still read in linear time.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*)$")
_NUMBERED = re.compile(r"^([ \t]*)(\d{1,3})[.)、．][ \t]*(.*)$")
_BULLET = re.compile(r"^([ \t]*)[-*+•·][ \t]+(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CHAPTER = re.compile(
    r"^(?:(chapter|part|section|unit|lesson|module|week)[ \t]+[\dIVXLCivxlc]+\b"
    r"|第[\d一二三四五六七八九十百零]+[章篇部节讲课单])",
    re.IGNORECASE,
)
# A leading number: `3.`, `(2)`, whole dotted numbers `8.1.1`, `第三章`, `一、`.
_ENUMERATOR = re.compile(
    r"^(?:第[\d一二三四五六七八九十百零〇两]{1,6}(?:部分|节课|单元|[章节篇部讲课题回])(?:[ \t:：、.．_]|(?=[^\x00-\x7f])|$)"
    r"|[(（][\d一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,3}(?:[.．]\d{1,3}){1,5}[.．、)）:：]?(?=[ \t]|[^\x00-\x7f]|$)"
    r"|\d{1,3}(?:-\d{1,3}){1,4}(?=[ \t])"
    r"|[(（]?\d{1,3}[.)、．:：）]"
    r"|0\d{1,2}(?=[ \t])"
    r"|[一二三四五六七八九十]{1,3}[、．])[ \t]*"
)

# No pattern below can re-scan the same characters from many start positions: the bracketed parts
# exclude their own opening character, so a line of 200,000 `[` or `<` is still read in linear time.
_IMAGE_MD = re.compile(r"!\[([^\[\]\n]{0,200})\]\([^()\n]{0,2000}\)")
_IMG_TAG = re.compile(r"<img\b[^<>\n]{0,2000}>", re.IGNORECASE)
_WRAPPER_TAG = re.compile(r"</?(?:div|p|span|center|figure|br)\b[^<>\n]{0,500}>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<summary>[^<>\n]{0,200}</summary>|<!--[^\n]{0,2000}?-->|</?(?:a|abbr|b|big|blockquote|br|caption|center|cite|code|col|colgroup|dd|del|details"
    r"|div|dl|dt|em|figcaption|figure|font|h[1-6]|hr|i|iframe|ins|kbd|li|mark|ol|p|pre|s|section|small|source"
    r"|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|video|audio)\b[^<>\n]{0,2000}>",
    re.IGNORECASE,
)
_LEADING_ENTITY_SPACE = re.compile(r"^[ \t]*(?:&(?:emsp|ensp|nbsp|thinsp|#160|#8195|#12288);[ \t]*)+")
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b-\u200f\u2060\ufeff]")
_WIDE_SPACE = re.compile("[\u00a0\u2002\u2003\u2009\u202f]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_IMAGE_PLACEHOLDER = re.compile(r"\[(?:image|图片)(?::[^\[\]\n]{0,200})?\]")
_TOC = re.compile(r"^[ \t]*\[(?:toc|TOC|Toc)\][ \t]*$")
_REFERENCE_TITLE = re.compile(
    r"^(?:参考文献|参考资料|参考链接|参考|引用|references?|reference links|bibliography|further readings?"
    r"|sources?|links|资料|相关链接|相关阅读|延伸阅读|扩展阅读|拓展阅读|推荐阅读|阅读材料|see also|resources?"
    r"|useful links|reading list|readings)$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:todo|tbd|tba|to ?do|coming soon|wip|待补充|待完善|待更新|待续|未完待续|暂无|略|无|空|\.\.\.|…+)$",
    re.IGNORECASE,
)
_CITATION = re.compile(
    r"^《[^《》\n]{1,60}》(?:[ \t\d.,，、:：§pP第章节页-]{0,30}|[ \t]*第?\d{1,3}(?:\.\d{1,3}){0,3}[章节]?[ \t][^\n]{0,40})$"
)
_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\n]{0,2000}\)")
_BARE_URL = re.compile(r"https?://[^\s<>()]{1,2000}")
_CHECKBOX = re.compile(r"^\[[ xX]?\][ \t]*")
_ANCHOR_LINK = re.compile(r"^\[([^\[\]\n]{1,500})\]\((?:#[^()\n]{0,200}|[\w-]{0,60})\)[ \t]*$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~)")
_CODE_SPAN = re.compile(r"`+")
_INLINE_MATH = re.compile(r"\$[^$\n]{1,500}\$")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]{1,40}\]")
_SPACES = re.compile(r"[ \t\u3000]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#-]*|\d+")
ENGLISH_STOP_WORDS = frozenset(
    "a an the of and or to in on for is are was were be been by with as at it its this that these those what "
    "how why which who do does can could from into their they them use used using also not no more most than "
    "then such so if but all any each other some same new one two we you i our your will would may should "
    "there here have has had via e.g etc".split()
)

TAB_WIDTH = 4
LINK_NOTE_MAX = 12  # words beside a link that only say where it leads (`- 知乎`, `(paper)`)
CAPTION_MAX = 20  # text beside images that is only their caption
MATH_MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class Line:
    """One source line, 1-based, with its indentation and whether it sits inside a fenced code block."""

    number: int
    text: str
    in_code: bool = False

    @property
    def indent(self) -> int:
        width = 0
        for char in self.text:
            if char == " ":
                width += 1
            elif char == "\t":
                width += TAB_WIDTH - width % TAB_WIDTH
            else:
                break
        return width

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def with_text(self, text: str) -> Line:
        return Line(self.number, text, self.in_code)


def split_lines(text: str, ignore_fence: int | None = None) -> list[Line]:
    """Split a document into lines, marking fenced code (the fence lines included).

    `ignore_fence` names a line whose fence is read as ordinary text (one that is never closed).
    """
    lines: list[Line] = []
    fence: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        match = None if number == ignore_fence else _FENCE.match(raw)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            lines.append(Line(number, raw, True))
        elif fence is not None:
            lines.append(Line(number, raw, True))
            if match and match.group(1).startswith(fence):
                fence = None
        else:
            lines.append(Line(number, raw, False))
    return _mark_display_math(lines)


def _mark_display_math(lines: list[Line]) -> list[Line]:
    """`$$ … $$` display math is opaque like code: a `=` line inside is no heading underline, a `-`
    line no rule. A block that meets a heading or runs past MATH_MAX_LINES before its closing `$$`
    is taken for a stray `$$`, and its lines stay ordinary text."""
    opened: int | None = None
    for index, line in enumerate(lines):
        if line.in_code:
            continue
        text = line.text.strip()
        if opened is None:
            if text.startswith("$$"):
                if len(text) >= 4 and text.endswith("$$"):
                    lines[index] = Line(line.number, line.text, True)  # `$$x$$` on one line
                else:
                    opened = index
            continue
        if "$$" in text:
            for inner in range(opened, index + 1):
                lines[inner] = Line(lines[inner].number, lines[inner].text, True)
            opened = None
        elif index - opened > MATH_MAX_LINES or _HEADING.match(line.text):
            opened = None
    return lines


def setext_headings(lines: list[Line]) -> list[Line]:
    """`Title` over a line of `===` becomes `# Title` (a `---` underline is left alone: it is read as a
    rule, which free notes use to separate their parts)."""
    lines = list(lines)
    for index in range(1, len(lines)):
        line, above = lines[index], lines[index - 1]
        if line.in_code or above.in_code or above.blank or not _SETEXT_H1.match(line.text):
            continue
        if heading(above) or numbered_item(above) or bullet_item(above) or above.indent >= 4:
            continue
        lines[index - 1] = above.with_text("# " + above.text.strip())
        lines[index] = line.with_text("")
    return lines


def open_fence_line(lines: list[Line]) -> int | None:
    """The line of a code fence that is never closed, if any."""
    opened: int | None = None
    for line in lines:
        if _FENCE.match(line.text):
            opened = None if opened is not None else line.number
    return opened


def heading(line: Line) -> tuple[int, str] | None:
    """(level, text) for an ATX heading line, else None."""
    if line.in_code:
        return None
    match = _HEADING.match(line.text)
    if not match:
        return None
    text = match.group(2).strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.strip()  # optional closing hashes: `## Title ##`
    return len(match.group(1)), text


def numbered_item(line: Line) -> tuple[int, str] | None:
    """(number, text) for a numbered list item such as `  3. What is …`, else None."""
    if line.in_code:
        return None
    match = _NUMBERED.match(line.text)
    if not match:
        return None
    return int(match.group(2)), match.group(3).strip()


def bullet_item(line: Line) -> str | None:
    if line.in_code:
        return None
    match = _BULLET.match(line.text)
    return match.group(2).strip() if match else None


def is_rule(line: Line) -> bool:
    return not line.in_code and bool(_RULE.match(line.text))


def bold_line(line: Line) -> str | None:
    """The text of a line that is bold as a whole (`**What is X?**`), else None."""
    if line.in_code:
        return None
    text = line.text.strip(" \t").rstrip(":：").rstrip(" \t")
    for mark in ("**", "__"):
        if len(text) > 4 and text.startswith(mark) and text.endswith(mark):
            inner = text[2:-2]
            if "**" in inner or "__" in inner or not inner.strip():
                return None
            return inner.strip()
    return None


def list_question(line: Line) -> tuple[str, bool] | None:
    """(text, ticked) of a list item that may be a question: `- [ ] [2-1-8 Q text](#2-1-8)`, `- [x] Q`,
    `3. Q`, `- Q`. `ticked` says the item is a checklist entry or a link to an anchor, a question
    list's own form; the text is without its checkbox, link brackets and number."""
    if line.in_code:
        return None
    match = _BULLET.match(line.text) or _NUMBERED.match(line.text)
    if not match:
        return None
    text = match.group(match.lastindex or 0).strip()
    ticked = bool(_CHECKBOX.match(text))
    text = _CHECKBOX.sub("", text, count=1)
    whole_link = _ANCHOR_LINK.match(text)
    if whole_link:
        text, ticked = whole_link.group(1), True
    text = strip_enumerator(plain_text(text))
    return (text, ticked) if text else None


def chapter_level(line: Line) -> int | None:
    """1 for `Chapter 8 …`/`第一章`, 2 for `Part I.`/`Section 2`/`第二节`; None for other lines."""
    if line.in_code or line.indent > 1:
        return None
    match = _CHAPTER.match(line.text.strip())
    if not match:
        return None
    word = (match.group(1) or "").lower()
    if word == "chapter" or (not word and re.search(r"[章篇]", match.group(0))):
        return 1
    return 2


def strip_enumerator(text: str) -> str:
    """`3. What is X?` -> `What is X?`; `（2）`, `8.1.1`, `第三章` and `一、` too."""
    return _ENUMERATOR.sub("", text.strip(), count=1).strip()


def clean_line(text: str) -> str:
    """One line of prose made readable: HTML entities decoded, invisible and control characters
    removed, raw HTML tags (except images, which become placeholders later) and `[TOC]` dropped."""
    if _TOC.match(text):
        return ""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), _LEADING_ENTITY_SPACE.sub("", text))
    if not text.isprintable():  # fast path: most lines have no invisible or odd space characters
        text = _WIDE_SPACE.sub(" ", _INVISIBLE.sub("", text))
    if "<" in text:
        text = _HTML_TAG.sub("", text)
    return text


def is_reference_title(text: str) -> bool:
    """`参考文献`, `参考资料`, `References`: the title of a list of sources, never a question."""
    return bool(_REFERENCE_TITLE.match(plain_text(text).strip(" \t:：.。[]【】")))


def is_placeholder(markdown: str) -> bool:
    """Whether a text says its answer is still to come: `TODO`, `- [ ] TODO`, `待补充`, `略`."""
    texts = [_CHECKBOX.sub("", line.strip(" \t-*+>•·")).strip() for line in markdown.split("\n")]
    texts = [word for text in texts if (word := plain_text(text).strip(" \t.,;:，。；："))]
    return bool(texts) and all(_PLACEHOLDER.match(text) for text in texts)


def has_substance(markdown: str) -> bool:
    """Whether an answer holds something to learn: not only placeholders (`TODO`, `- [ ] TODO`,
    `待补充`, `略`), links or a reading list (`- [title](url) - 知乎`), URLs, a citation
    (`> 《深度学习》 10.2.2`), or images with at most a caption."""
    images = 0
    found = 0
    for raw in markdown.split("\n"):
        text = _IMAGE_MD.sub("", raw)
        text = _IMG_TAG.sub("", text)
        text, pictures = _IMAGE_PLACEHOLDER.subn("", text)
        images += pictures + (text != raw)
        linked = _LINK.sub("", text)
        linked = _BARE_URL.sub("", linked)
        text_had_link = linked != text
        text = _CHECKBOX.sub("", plain_text(strip_enumerator(linked.strip(" \t-*+>•·"))).strip(" \t-*+>•·"))
        text = text.strip(" \t.,;:，。；：()（）[]【】|")
        if not text or _PLACEHOLDER.match(text) or _CITATION.match(text):
            continue
        if text_had_link and len(text) <= LINK_NOTE_MAX:
            continue  # `- [Attention 详解](…) - 知乎`: an entry of a reading list
        found += len(text)
        if not images and found:
            return True
    return found >= CAPTION_MAX if images else found > 0


def replace_images(text: str, placeholder: str) -> str:
    """Drop HTML wrappers around images and turn every image into a short placeholder."""
    text = _IMG_TAG.sub(placeholder, text)
    text = _IMAGE_MD.sub(lambda m: f"{placeholder[:-1]}: {m.group(1)}]" if m.group(1) else placeholder, text)
    return _WRAPPER_TAG.sub("", text)


def plain_text(markdown: str) -> str:
    """Markdown inline markup removed: emphasis, code spans, links, images, footnote references."""
    text = _IMAGE_MD.sub("", markdown)
    text = _IMG_TAG.sub("", text)
    text = _WRAPPER_TAG.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    if "$" in text:  # `$a*b*c$`, `$x_1 * y_1$`: inline math keeps its stars and underscores
        pieces = _INLINE_MATH.split(text)
        maths = _INLINE_MATH.findall(text)
        text = "".join(
            _CODE_SPAN.sub("", _EMPHASIS.sub("", piece)) + (maths[i] if i < len(maths) else "")
            for i, piece in enumerate(pieces)
        )
    else:
        text = _EMPHASIS.sub("", text)
        text = _CODE_SPAN.sub("", text)
    return _SPACES.sub(" ", text).strip()


def is_emoji(char: str) -> bool:
    """Pictographs and symbols used as emoji (💻, 👦, ✅), not CJK or punctuation."""
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or code in (0xFE0F, 0xFE0E, 0x200D)
    )


def strip_emoji(text: str) -> str:
    return _SPACES.sub(" ", "".join(c for c in text if not is_emoji(c))).strip()


def is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among the letters of `text` (0 for text without letters)."""
    cjk = letters = 0
    for char in text:
        if is_cjk(char):
            cjk += 1
            letters += 1
        elif char.isalpha():
            letters += 1
    return cjk / letters if letters else 0.0


def normalise(text: str) -> str:
    """NFKC, case-folded, markup removed, and only letters and digits kept (for comparing texts)."""
    text = unicodedata.normalize("NFKC", plain_text(text)).casefold()
    return "".join(char for char in text if char.isalnum())


def terms(text: str) -> frozenset[str]:
    """Topic terms of a text: English words (no stop words) and Chinese characters in pairs."""
    found = {word.lower() for word in WORD.findall(text)} - ENGLISH_STOP_WORDS
    for run in _CJK_RUN.findall(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else found.add(run)
    return frozenset(found)
