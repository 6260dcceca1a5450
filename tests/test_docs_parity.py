"""English and Japanese pages carry the same code, anchors, images and notes."""

from __future__ import annotations

import shutil

import pytest
from pages import DOCS, page_names, page_set_problems, parity_problems

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


def edit_japanese(docs, old: str, new: str) -> None:
    page = docs / "ja" / MODEL_PAGE
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_parity_fails_when_a_code_byte_changes(model_pair):
    edit_japanese(model_pair, "from torch import nn\n", "from torch import nn \n")
    assert any(
        "code block" in p for p in parity_problems(*read_pair(model_pair, MODEL_PAGE))
    )


def test_parity_fails_when_an_anchor_is_left_out(model_pair):
    edit_japanese(model_pair, " { #creating-the-model }", "")
    assert any(
        "anchors" in p for p in parity_problems(*read_pair(model_pair, MODEL_PAGE))
    )


def test_parity_fails_when_an_admonition_is_dropped(model_pair):
    edit_japanese(model_pair, '!!! note "', '"')
    assert any(
        "admonitions" in p for p in parity_problems(*read_pair(model_pair, MODEL_PAGE))
    )


def test_parity_fails_when_an_image_differs(model_pair):
    edit_japanese(
        model_pair, "## モデルを作る", "![図](../assets/ja-only.png)\n\n## モデルを作る"
    )
    assert any(
        "images" in p for p in parity_problems(*read_pair(model_pair, MODEL_PAGE))
    )


def test_page_set_fails_when_a_translation_is_missing(model_pair):
    (model_pair / "ja" / MODEL_PAGE).unlink()
    assert page_set_problems(model_pair) == [f"only in docs/en: {MODEL_PAGE}"]
