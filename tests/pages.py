"""Read the parts of a Markdown page that both languages must share.

English and Japanese pages differ only in prose. Everything a reader or a
link relies on is the same in both: the code blocks (byte for byte), the
headings' anchors, the images and the admonitions. `parity_problems` lists
what differs between the two pages of a pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify
from translations import FRONT_MATTER

DOCS = Path(__file__).resolve().parent.parent / "docs"
LANGUAGES = ("en", "ja")

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
ATTRS = re.compile(r"\s*\{:?\s*(?P<attrs>[^}]*)\}\s*$")
IMAGE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)|<img\b[^>]*\bsrc=\"(?P<html>[^\"]+)\""
)
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*(?P<kind>[\w-]+)")


@dataclass
class CodeBlock:
    line: int
    info: str
    body: str


@dataclass
class Page:
    """What a page shows besides its prose, in order of appearance."""

    code: list[CodeBlock] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    admonitions: list[str] = field(default_factory=list)
    prose: list[tuple[int, str]] = field(default_factory=list)


def without_front_matter(text: str) -> tuple[str, int]:
    """The page below its front matter, and how many lines that removed."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return text, 0
    return text[match.end() :], match.group(0).count("\n")


def heading_anchor(text: str) -> str:
    """The id a heading gets: its `{ #id }`, or what the toc extension makes."""
    attrs = ATTRS.search(text)
    if attrs:
        explicit = re.search(r"#([\w-]+)", attrs.group("attrs"))
        if explicit:
            return explicit.group(1)
        text = text[: attrs.start()]
    return slugify(re.sub(r"[`*_]", "", text), "-")


def parse(text: str) -> Page:
    page = Page()
    text, offset = without_front_matter(text)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        number, line = i + 1 + offset, lines[i]
        fence = FENCE.match(line)
        if fence:
            i = _read_code(lines, i, fence, page, number)
            continue
        heading = HEADING.match(line)
        if heading:
            page.anchors.append(
                f"h{len(heading['level'])} #{heading_anchor(heading['text'])}"
            )
        admonition = ADMONITION.match(line)
        if admonition:
            page.admonitions.append(admonition["kind"])
        page.images += [m["src"] or m["html"] for m in IMAGE.finditer(line)]
        page.prose.append((number, line))
        i += 1
    return page


def _read_code(
    lines: list[str], start: int, fence: re.Match, page: Page, number: int
) -> int:
    """Add the fenced block opening at `start`; return the line after it."""
    indent, mark = len(fence["indent"]), fence["fence"]
    closing = re.compile(rf"^\s*{mark[0]}{{{len(mark)},}}\s*$")
    end = start + 1
    while end < len(lines) and not closing.match(lines[end]):
        end += 1
    body = "\n".join(line[indent:] for line in lines[start + 1 : end])
    page.code.append(CodeBlock(number, fence["info"].strip(), body))
    return end + 1


def parity_problems(english: str, japanese: str) -> list[str]:
    """What differs between the shared parts of an English/Japanese pair."""
    en, ja = parse(english), parse(japanese)
    problems = []
    if len(en.code) != len(ja.code):
        problems.append(
            f"{len(en.code)} code blocks in English, {len(ja.code)} in Japanese"
        )
    for a, b in zip(en.code, ja.code, strict=False):
        if (a.info, a.body) != (b.info, b.body):
            problems.append(
                f"code block at en:{a.line} differs from the one at ja:{b.line}"
            )
    for name in ("anchors", "images", "admonitions"):
        if getattr(en, name) != getattr(ja, name):
            problems.append(f"{name}: en {getattr(en, name)} != ja {getattr(ja, name)}")
    return problems


def page_names(docs: Path, language: str) -> set[str]:
    """The pages of one language, as paths relative to its folder."""
    folder = docs / language
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}


def page_set_problems(docs: Path = DOCS) -> list[str]:
    en, ja = page_names(docs, "en"), page_names(docs, "ja")
    return [f"only in docs/en: {name}" for name in sorted(en - ja)] + [
        f"only in docs/ja: {name}" for name in sorted(ja - en)
    ]
