"""Anki fields are HTML: turn them into the plain text with line breaks that cards hold, and back."""

from __future__ import annotations

import html
import re

_BREAK = re.compile(r"<br\s*/?>|</(?:div|p|li|h[1-6]|tr)>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_TAG = re.compile(r"<[^>]+>")
_BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(field: str, image_placeholder: str = "[image]") -> str:
    """An Anki field's HTML as text: breaks and blocks become new lines, images a placeholder, sounds nothing."""
    text = _IMAGE.sub(image_placeholder, field)
    text = _SOUND.sub("", text)
    text = _LIST_ITEM.sub("- ", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return _BLANK_RUNS.sub("\n\n", text).strip()


def text_to_html(text: str) -> str:
    """The inverse of html_to_text for our own cards: escaped text with <br> for each line break."""
    return html.escape(text, quote=False).replace("\n", "<br>")
