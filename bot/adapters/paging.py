"""Splitting long Markdown into messages under a platform's length limit, between paragraphs.

Paragraphs are kept together where they fit; a fenced code block is kept whole, or cut at line ends
with its fence reopened in the next part; a single enormous line is cut where it fits. The caller
says how long a piece will be once sent (`measure`), e.g. after escaping for Telegram HTML.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]
_FENCE_ROOM = 64  # room for a fence (or its <pre><code class=…> rendering) when a code block is cut


def split_paragraphs(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Markdown pieces whose `measure` is at most `limit`, cut between paragraphs where possible."""
    pieces: list[str] = []
    current: list[str] = []
    for block in _blocks(text):
        for piece in _fit_block(block, limit, measure):
            if current and measure("\n\n".join([*current, piece])) > limit:
                pieces.append("\n\n".join(current))
                current = [piece]
            else:
                current.append(piece)
    if current:
        pieces.append("\n\n".join(current))
    return [piece for piece in pieces if piece.strip()] or [""]


def _blocks(text: str) -> list[str]:
    """Paragraphs, keeping a fenced code block whole even when it has blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            in_code = not in_code
        if not line.strip() and not in_code:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _fit_block(block: str, limit: int, measure: Measure) -> list[str]:
    """A paragraph too long for one message, cut at line ends (or, for one huge line, where it fits)."""
    if measure(block) <= limit:
        return [block]
    fenced = block.lstrip().startswith("```")
    header = block.split("\n", 1)[0] if fenced else ""
    lines = block.split("\n")[1:-1] if fenced and block.rstrip().endswith("```") else block.split("\n")
    budget = limit - _FENCE_ROOM if fenced else limit
    pieces: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            body = "\n".join(current)
            pieces.append(f"{header}\n{body}\n```" if fenced else body)
            current.clear()

    for line in lines:
        while measure(line) > budget:
            flush()
            cut = _fitting_prefix(line, budget, measure)
            current.append(line[:cut])
            flush()
            line = line[cut:]
        if current and measure("\n".join([*current, line])) > budget:
            flush()
        current.append(line)
    flush()
    return [piece for piece in pieces if piece.strip()]


def _fitting_prefix(line: str, budget: int, measure: Measure) -> int:
    """How many characters of `line` fit in `budget` (breaking after a nearby space when there is one)."""
    low, high = 1, len(line)
    while low < high:  # the longest prefix that fits, by bisection: measure may not be additive
        middle = (low + high + 1) // 2
        if measure(line[:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    space = line.rfind(" ", max(0, low - 200), low)
    return space + 1 if space > 0 else low
