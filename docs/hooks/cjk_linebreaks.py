"""MkDocs hook: join wrapped lines between Japanese characters.

Markdown sources are wrapped at ~80 columns for review, but browsers render
a line break between two Japanese characters as a visible space ("ロジット で").
For Japanese pages, a break is removed when the last character a reader sees
before it and the first one after it are both CJK characters or Japanese
punctuation: markup around them (**bold**, [a link](page.md)) does not
count. Code fences and headings are left as they are.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
MARKUP_AT_END = re.compile(r"(\]\([^()]*\)|\]\[[^\]]*\]|[*_~\]])+$")
MARKUP_AT_START = re.compile(r"^[*_~\[]+")


def _joins(previous: str, line: str) -> bool:
    """Whether `line` continues `previous` with no space between them."""
    end = MARKUP_AT_END.sub("", previous)[-1:]
    start = MARKUP_AT_START.sub("", line.lstrip())[:1]
    heading = previous.lstrip().startswith("#")
    return bool(CJK.match(end) and CJK.match(start)) and not heading


def join_cjk_lines(markdown: str) -> str:
    """Join CJK-to-CJK line breaks outside fenced code blocks."""
    out, fence = [], None
    for line in markdown.split("\n"):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        elif out and _joins(out[-1], line):
            out[-1] += line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith("ja/") or config.theme.get("language") == "ja":
        return join_cjk_lines(markdown)
    return markdown
