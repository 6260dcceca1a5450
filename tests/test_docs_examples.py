"""Every Python fence in the docs is collected by Sybil, in both languages.

Sybil silently ignores fences it has no parser for (```py, ```python
title="x"), so a block could be shown on the site without ever running.
These tests count, page by page, the fences that look like Python and
check that each one produced at least one Sybil example.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from sybil import Document
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p.relative_to(DOCS) for p in DOCS.glob("*/**/*.md"))
LOOKS_LIKE_PYTHON = re.compile(r"^\s*(python3?|py|pycon|ipython)\b", re.IGNORECASE)
MIN_EXAMPLES_PER_LANGUAGE = 30


def _load_parsers() -> list:
    """Import docs/conftest.py by path and ask it for its parsers."""
    spec = importlib.util.spec_from_file_location("docs_conftest", DOCS / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.parsers()


PARSERS = _load_parsers()


def python_fences(path: Path) -> list:
    document = Document(path.read_text(encoding="utf-8"), str(path))
    lexer = FencedCodeBlockLexer(language=r".*")
    return [
        r for r in lexer(document) if LOOKS_LIKE_PYTHON.match(r.lexemes["language"])
    ]


def examples(path: Path) -> list:
    return list(Document.parse(str(path), *PARSERS).examples())


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_python_fence_runs(page):
    path = DOCS / page
    found = examples(path)
    silent = [
        path.read_text(encoding="utf-8").count("\n", 0, fence.start) + 1
        for fence in python_fences(path)
        if not any(fence.start <= ex.region.start < fence.end for ex in found)
    ]
    assert silent == [], f"{page}: fences at lines {silent} are never run"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_enough_examples_per_language(language):
    total = sum(len(examples(DOCS / p)) for p in PAGES if p.parts[0] == language)
    assert total >= MIN_EXAMPLES_PER_LANGUAGE
