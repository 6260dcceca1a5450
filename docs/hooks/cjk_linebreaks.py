"""MkDocs hook: join wrapped lines between Japanese characters.

Markdown sources are wrapped at ~80 columns for review, but browsers render
a line break between two Japanese characters as a visible space ("ロジット で").
For Japanese pages, a break is removed when the last character a reader sees
before it and the first one after it are both CJK characters or Japanese
punctuation: markup around them (**bold**, [a link](page.md)) does not
count. Code fences and headings are left as they are.
"""

from __future__ import annotations

from fashionnet.notebooks import join_cjk_lines


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith("ja/") or config.theme.get("language") == "ja":
        return join_cjk_lines(markdown)
    return markdown
