"""Each Japanese page translates the current version of its English page."""

from __future__ import annotations

import shutil

import pytest
from translations import DOCS, english_hash, is_current, japanese_pages, main, record

JAPANESE = [p.relative_to(DOCS / "ja").as_posix() for p in japanese_pages()]
HOW_TO = "review it, then run: python -m tests.translations --record docs/ja/{}"


@pytest.mark.parametrize("name", JAPANESE)
def test_translation_is_current(name):
    assert is_current(DOCS / "ja" / name), (
        f"English page changed; {HOW_TO.format(name)}"
    )


@pytest.fixture
def pair(tmp_path):
    """A temporary docs/ with the device page's pair, recorded as current."""
    for lang in ("en", "ja"):
        (tmp_path / lang).mkdir()
        shutil.copy(DOCS / lang / "device.md", tmp_path / lang / "device.md")
    record(tmp_path / "ja" / "device.md", tmp_path)
    return tmp_path


def append_english(docs, text: str) -> None:
    english = docs / "en" / "device.md"
    english.write_text(english.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_translation_is_outdated_after_an_english_edit(pair):
    append_english(pair, "\nOne more sentence.\n")
    assert not is_current(pair / "ja" / "device.md", pair)


def test_translation_stays_current_after_whitespace_edits(pair):
    english = pair / "en" / "device.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(
        text.replace("\n", "  \n\n").replace(" ", "  "), encoding="utf-8"
    )
    assert is_current(pair / "ja" / "device.md", pair)


def test_record_makes_an_outdated_translation_current(pair):
    append_english(pair, "\nOne more sentence.\n")
    record(pair / "ja" / "device.md", pair)
    assert is_current(pair / "ja" / "device.md", pair)


def test_record_keeps_other_front_matter_and_text(pair):
    japanese = pair / "ja" / "device.md"
    body = japanese.read_text(encoding="utf-8").split("---\n", 2)[2]
    japanese.write_text(f"---\ntitle: x\n---\n{body}", encoding="utf-8")
    record(japanese, pair)
    text = japanese.read_text(encoding="utf-8")
    recorded = f"en_sha256: {english_hash(pair / 'en' / 'device.md')}"
    assert text == f"---\n{recorded}\ntitle: x\n---\n{body}"


def test_command_lists_no_outdated_page(capsys):
    assert main([]) == 0
    assert capsys.readouterr().out == ""
