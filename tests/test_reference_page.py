"""The API reference pages render every public name, in both languages."""

import re
from pathlib import Path

import pytest

import fashionnet

DOCS = Path(__file__).resolve().parent.parent / "docs"


def rendered_names(language: str) -> list[str]:
    text = (DOCS / language / "reference.md").read_text(encoding="utf-8")
    return re.findall(r"^::: fashionnet\.(\w+)$", text, re.MULTILINE)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_reference_page_renders_every_public_name(language):
    assert sorted(rendered_names(language)) == sorted(fashionnet.__all__)


def test_reference_pages_render_names_in_same_order():
    assert rendered_names("en") == rendered_names("ja")
