"""Japanese pages use the glossary's terms, not the variants it avoids."""

from __future__ import annotations

import pytest
from glossary import (
    DOCS,
    GLOSSARY,
    avoided_uses,
    checked_variants,
    japanese_pages,
    read_terms,
)

TERMS = read_terms(DOCS / "ja" / GLOSSARY)
VARIANTS = checked_variants(TERMS)
PAGES = [p.relative_to(DOCS / "ja").as_posix() for p in japanese_pages()]


def uses(text: str) -> list[str]:
    return [use.variant for use in avoided_uses(text, VARIANTS)]


def test_glossary_lists_the_terms_and_their_variants():
    japanese = {term.japanese for term in TERMS}
    assert {
        "層",
        "重み",
        "活性化関数",
        "ロジット",
        "ソフトマックス",
        "学習率",
    } <= japanese
    assert VARIANTS["レイヤー"] == "層"


def test_glossaries_agree_on_terms_and_variants():
    english = read_terms(DOCS / "en" / GLOSSARY)
    unify = str.maketrans("（）", "()")
    assert [(t.japanese, t.avoided) for t in english] == [
        (t.japanese, tuple(v.translate(unify) for v in t.avoided)) for t in TERMS
    ]


@pytest.mark.parametrize("name", PAGES)
def test_japanese_page_avoids_glossary_variants(name):
    found = avoided_uses((DOCS / "ja" / name).read_text(encoding="utf-8"), VARIANTS)
    assert found == [], "\n".join(
        f"docs/ja/{name}:{u.line}: {u.variant} -> {u.preferred}" for u in found
    )


def test_variant_in_prose_is_reported():
    assert uses("# 例\n\n最初のレイヤーは入力を受け取ります。\n") == ["レイヤー"]


def test_variant_wrapped_over_two_lines_is_reported():
    assert uses("# 例\n\nこのトレー\nニングでは\n") == ["トレーニング"]


def test_variant_inside_a_longer_word_or_code_is_not_reported():
    text = "# 例\n\nプレイヤーと動画素材。\n\n```python\nlayer = 1  # レイヤー\n```\n"
    assert uses(text) == []


def test_precision_is_not_reported():
    assert uses("# 例\n\n浮動小数点数の精度は 32 ビットです。\n") == []


def test_allowed_variant_passes_only_inside_quotes():
    front = "---\nglossary_allow: [ゲイズケール]\n---\n"
    quoted = front + "# 例\n\n元の記事の「ゲイズケール」は誤りです。\n"
    bare = front + "# 例\n\nゲイズケールの画像です。\n"
    assert (uses(quoted), uses(bare)) == ([], ["ゲイズケール"])
