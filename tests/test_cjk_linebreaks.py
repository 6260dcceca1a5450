import importlib.util
from pathlib import Path

HOOK = Path(__file__).resolve().parent.parent / "docs" / "hooks" / "cjk_linebreaks.py"
spec = importlib.util.spec_from_file_location("cjk_linebreaks", HOOK)
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)


def test_join_cjk_lines_joins_wrapped_japanese():
    assert hook.join_cjk_lines("ロジット\n  です。") == "ロジットです。"


def test_join_cjk_lines_keeps_breaks_next_to_latin_and_lists():
    text = "English\n日本語\n- 項目\n- 日本語\nLinear"
    assert hook.join_cjk_lines(text) == text


def test_join_cjk_lines_leaves_code_fences_alone():
    text = "```python\n# 日本\n# 語\n```\nあ\nい"
    assert hook.join_cjk_lines(text) == "```python\n# 日本\n# 語\n```\nあい"


def test_join_cjk_lines_looks_past_bold_and_links():
    text = "あ\n  **い**\n[う](u.md)\nえ"
    assert hook.join_cjk_lines(text) == "あ**い**[う](u.md)え"


def test_join_cjk_lines_keeps_headings_and_latin_boundaries():
    text = "# 見出し\n本文 `nn`\nです"
    assert hook.join_cjk_lines(text) == text


def test_join_cjk_lines_inline_code_with_backticks_is_not_a_fence():
    text = "```` ```py ```` は\n使いません。\n\nあ\nい"
    assert hook.join_cjk_lines(text) == "```` ```py ```` は使いません。\n\nあい"
