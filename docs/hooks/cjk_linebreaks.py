"""MkDocs hook: join wrapped lines between Japanese characters.

Markdown sources are wrapped at ~80 columns for review, but browsers render
a line break between two Japanese characters as a visible space ("ロジット で").
For Japanese pages, a break whose both sides are CJK characters or Japanese
punctuation is removed before rendering; code fences are left as they are.
"""

from __future__ import annotations

import re

CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60"
# A CJK character, the line break with the next line's indentation, a CJK
# character: the two characters are kept, the break between them is dropped.
WRAPPED = re.compile(rf"(?<=[{CJK}])\n[ \t]*(?=[{CJK}])")
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})", re.MULTILINE)


def join_cjk_lines(markdown: str) -> str:
    """Join CJK-to-CJK line breaks outside fenced code blocks."""
    parts, position, inside = [], 0, None
    for match in FENCE.finditer(markdown):
        if inside is None:
            parts.append(WRAPPED.sub("", markdown[position : match.start()]))
            position, inside = match.start(), match.group(2)
        elif match.group(2).startswith(inside):
            parts.append(markdown[position : match.end()])
            position, inside = match.end(), None
    tail = markdown[position:]
    parts.append(tail if inside else WRAPPED.sub("", tail))
    return "".join(parts)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith("ja/") or config.theme.get("language") == "ja":
        return join_cjk_lines(markdown)
    return markdown
