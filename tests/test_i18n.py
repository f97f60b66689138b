"""Every user-facing string exists in English and Chinese, with the same placeholders."""

from __future__ import annotations

import string

from bot.core import i18n


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders():
    for key in i18n.all_keys():
        variants = i18n.translations(key)
        assert set(variants) == set(i18n.LANGUAGES), key
        assert placeholders(variants["en"]) == placeholders(variants["zh"]), key
        assert any("\u4e00" <= c <= "\u9fff" for c in variants["zh"]), key


def test_locale_picks_the_language():
    assert [i18n.language_for_locale(x) for x in ("zh", "zh-CN", "zh_TW.UTF-8", "en-US", "fr", None)] == [
        "zh", "zh", "zh", "en", "en", "en",
    ]  # fmt: skip
