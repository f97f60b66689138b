"""Shared test helpers: the bundled content folder and a way to write documents into a temp folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.content import ContentReport, load_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def seed_report() -> ContentReport:
    return load_content([CONTENT])


@pytest.fixture
def write_doc(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    folder = tmp_path / "content"
    folder.mkdir()

    def write(name: str, text: str | bytes) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
