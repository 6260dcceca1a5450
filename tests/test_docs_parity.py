"""English and Japanese pages carry the same code, anchors, images and notes."""

from __future__ import annotations

import re
import shutil

import pytest
from pages import DOCS, page_names, page_set_problems, parity_problems, parse

PAIRS = sorted(page_names(DOCS, "en") & page_names(DOCS, "ja"))
MODEL_PAGE = "define-class.md"  # has code, headings and a note in both languages


def read_pair(docs, name: str) -> tuple[str, str]:
    return tuple(
        (docs / lang / name).read_text(encoding="utf-8") for lang in ("en", "ja")
    )


def test_same_pages_in_both_languages():
    assert page_set_problems(DOCS) == []


@pytest.mark.parametrize("name", PAIRS)
def test_page_pair_shares_code_anchors_images_and_notes(name):
    assert parity_problems(*read_pair(DOCS, name)) == []


@pytest.fixture
def model_pair(tmp_path):
    """A temporary copy of the model page's pair: docs/{en,ja}/define-class.md."""
    for lang in ("en", "ja"):
        (tmp_path / lang).mkdir()
        shutil.copy(DOCS / lang / MODEL_PAGE, tmp_path / lang / MODEL_PAGE)
    assert parity_problems(*read_pair(tmp_path, MODEL_PAGE)) == []
    return tmp_path


def edit_japanese(docs, edit) -> list[str]:
    """Apply `edit` to the copy's Japanese page; the pair's parity problems."""
    page = docs / "ja" / MODEL_PAGE
    page.write_text(edit(page.read_text(encoding="utf-8")), encoding="utf-8")
    return parity_problems(*read_pair(docs, MODEL_PAGE))


def add_space_in_first_code_block(text: str) -> str:
    lines = text.split("\n")
    first = parse(text).code[0].line  # 1-based line of the opening fence
    lines[first] += " "
    return "\n".join(lines)


def test_parity_fails_when_a_code_byte_changes(model_pair):
    problems = edit_japanese(model_pair, add_space_in_first_code_block)
    assert any("code block" in p for p in problems)


def test_parity_fails_when_an_anchor_is_left_out(model_pair):
    problems = edit_japanese(
        model_pair, lambda t: re.sub(r" \{ #[\w-]+ \}", "", t, count=1)
    )
    assert any("anchors" in p for p in problems)


def test_parity_fails_when_an_admonition_is_added(model_pair):
    problems = edit_japanese(model_pair, lambda t: t + "\n!!! note\n    追加の注意\n")
    assert any("admonitions" in p for p in problems)


def test_parity_fails_when_an_image_is_added(model_pair):
    problems = edit_japanese(
        model_pair, lambda t: t + "\n![図](../assets/ja-only.png)\n"
    )
    assert any("images" in p for p in problems)


def test_page_set_fails_when_a_translation_is_missing(model_pair):
    (model_pair / "ja" / MODEL_PAGE).unlink()
    assert page_set_problems(model_pair) == [f"only in docs/en: {MODEL_PAGE}"]
