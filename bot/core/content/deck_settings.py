"""`content/decks.yaml`: optional per-deck settings (title, language, tags, enabled, layout, id) and synonyms.

Example:

    decks:
      hung-yi-lee-ml-course-questions:   # the document's file name without its extension
        title: Hung-yi Lee ML course, chapters 8-14
        language: zh                      # zh or en; detected from the text when left out
        tags: [course, ssl]
        enabled: true
        layout: numbered                  # auto, markers, headings, numbered, bold, list or notes
        id: hylee-course                  # pins card ids if the file is ever renamed
    synonyms:                             # spellings of one term, in any language, for grading answers
      - [知识蒸馏, knowledge distillation, KD]

Every mistake is reported with the key's full name, and the decks still load with their defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.content.layouts import LAYOUTS

SETTINGS_FILE = "decks.yaml"
TOP_LEVEL_KEYS = frozenset({"decks", "synonyms"})
LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class DeckSettings:
    title: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    enabled: bool = True
    layout: str = "auto"
    id: str | None = None


class Yaml12Loader(yaml.SafeLoader):
    """YAML with only true/false as booleans, so a deck named `off` or `no` stays a name (YAML 1.2 rule)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class DeckSettingsError(ValueError):
    """A problem in decks.yaml, naming the key."""


def read_deck_settings(path: Path) -> tuple[dict[str, DeckSettings], list[str]]:
    """Settings per deck name from a decks.yaml file, and the problems found (each naming its key)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"cannot be read: {exc}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return {}, [f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})"]
    if raw is None:
        return {}, []
    problems: list[str] = []
    if not isinstance(raw, dict) or set(raw) - TOP_LEVEL_KEYS:
        unknown = sorted(set(raw) - TOP_LEVEL_KEYS) if isinstance(raw, dict) else []
        problems.append(
            f"unknown top-level key(s): {', '.join(map(str, unknown))}" if unknown else "must be a mapping"
        )
        if not isinstance(raw, dict):
            return {}, problems
    problems.extend(synonym_groups(raw.get("synonyms"))[1])
    decks = raw.get("decks") or {}
    if not isinstance(decks, dict):
        return {}, [*problems, "decks: must be a mapping of deck name to settings"]
    settings: dict[str, DeckSettings] = {}
    for name, values in decks.items():
        try:
            settings[str(name)] = _deck(str(name), values)
        except DeckSettingsError as exc:
            problems.append(str(exc))
    return settings, problems


def _deck(name: str, values: object) -> DeckSettings:
    key = f"decks.{name}"
    if values is None:
        return DeckSettings()
    if not isinstance(values, dict):
        raise DeckSettingsError(f"{key}: must be a mapping")
    allowed = set(DeckSettings.__dataclass_fields__)
    unknown = sorted(set(map(str, values)) - allowed)
    if unknown:
        raise DeckSettingsError(f"{key}.{unknown[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")
    title = _optional_str(values, "title", key)
    language = _optional_str(values, "language", key)
    if language is not None and language not in LANGUAGES:
        raise DeckSettingsError(f"{key}.language: must be one of {', '.join(LANGUAGES)}, not {language!r}")
    layout = _optional_str(values, "layout", key) or "auto"
    if layout != "auto" and layout not in LAYOUTS:
        raise DeckSettingsError(f"{key}.layout: must be auto or one of {', '.join(LAYOUTS)}, not {layout!r}")
    enabled = values.get("enabled", True)
    if not isinstance(enabled, bool):
        raise DeckSettingsError(f"{key}.enabled: must be true or false, not {enabled!r}")
    tags = values.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(tag, str | int) for tag in tags):
        raise DeckSettingsError(f"{key}.tags: must be a list of words")
    deck_id = _optional_str(values, "id", key)
    return DeckSettings(title, language, tuple(map(str, tags)), enabled, layout, deck_id)


def _optional_str(values: dict, name: str, key: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise DeckSettingsError(f"{key}.{name}: must be text, not {type(value).__name__}")
    return str(value).strip() or None


def read_synonyms(path: Path) -> list[tuple[str, ...]]:
    """The `synonyms:` groups of a decks.yaml (none if the file is missing or broken; `content check`
    reports its problems)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    return synonym_groups(raw.get("synonyms") if isinstance(raw, dict) else None)[0]


def synonym_groups(value: object) -> tuple[list[tuple[str, ...]], list[str]]:
    """`synonyms:` as a list of groups, each a list of two or more spellings of one term."""
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [
            "synonyms: must be a list of lists of spellings, e.g. - [知识蒸馏, knowledge distillation]"
        ]
    groups, problems = [], []
    for index, group in enumerate(value):
        spellings = [str(s).strip() for s in group if str(s).strip()] if isinstance(group, list) else []
        if len(spellings) < 2 or not all(isinstance(s, str | int | float) for s in group):
            problems.append(f"synonyms[{index}]: must be a list of two or more spellings")
            continue
        groups.append(tuple(spellings))
    return groups, problems
