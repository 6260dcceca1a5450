"""The Japanese terms the site chose, and the variants its pages avoid.

The Japanese glossary (docs/ja/glossary.md) is the only list: each table
row reads `| English | 日本語 | 使わない表記 | 意味 |`, the variants separated
by 「、」. A variant in parentheses, like （精度）, is avoided but not checked,
because it has other, legitimate meanings.

A variant is reported where it starts a word: not when the character
before it belongs to the same script (プレイヤー holds レイヤー, 動画素材 holds
画素, and neither is meant). Markdown line breaks inside Japanese text are
joined first, so a variant wrapped over two lines is still found.

To quote a variant on purpose, for example to correct another tutorial's
「ゲイズケール」, a page lists it in its front matter and writes it inside
「」; anywhere else on that page it is still reported:

    ---
    glossary_allow: [ゲイズケール]
    ---
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import yaml
from pages import DOCS, parse
from translations import FRONT_MATTER

GLOSSARY = "glossary.md"
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")  # without the middle dot ・
KANJI = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff]")
JAPANESE = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
QUOTED = re.compile(r"「[^「」]*」")
NONE = {"", "—", "-"}
HEADERS = {"英語", "Term", "---"}


@dataclass(frozen=True)
class Term:
    english: str
    japanese: str
    avoided: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    line: int
    variant: str
    preferred: str


def read_terms(glossary: Path) -> list[Term]:
    """Every row of the glossary's tables, in order."""
    terms = []
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in HEADERS:
            continue
        variants = re.split(r"[、,]", cells[2])
        checked = tuple(v.strip() for v in variants if v.strip() not in NONE)
        terms.append(Term(cells[0], cells[1], checked))
    return terms


def checked_variants(terms: list[Term]) -> dict[str, str]:
    """Variant -> preferred term, leaving out the parenthesized ones."""
    return {
        variant: term.japanese
        for term in terms
        for variant in term.avoided
        if not variant.startswith(("(", "（"))
    }


def _joined_prose(text: str) -> tuple[str, list[int], list[int]]:
    """The page's prose lines, joined where Japanese text wraps; offsets map back."""
    joined, starts, numbers = "", [], []
    for number, line in parse(text).prose:
        line = line.strip()
        wraps = joined and JAPANESE.match(joined[-1:]) and JAPANESE.match(line[:1])
        joined += "" if wraps else "\n"
        starts.append(len(joined))
        numbers.append(number)
        joined += line
    return joined, starts, numbers


def _starts_word(text: str, at: int, variant: str) -> bool:
    script = KATAKANA if KATAKANA.match(variant[0]) else KANJI
    return at == 0 or not script.match(text[at - 1])


def allowed_variants(text: str) -> set[str]:
    match = FRONT_MATTER.match(text)
    meta = yaml.safe_load(match.group(1) or "") if match else None
    return set((meta or {}).get("glossary_allow", []))


def avoided_uses(text: str, variants: dict[str, str]) -> list[Use]:
    """Where a Japanese page uses a variant the glossary avoids."""
    prose, starts, numbers = _joined_prose(text)
    allowed = allowed_variants(text)
    quoted = [m.span() for m in QUOTED.finditer(prose)]
    uses = {}
    for variant in sorted(variants, key=len, reverse=True):  # longest first
        for match in re.finditer(re.escape(variant), prose):
            at = match.start()
            if at in uses or not _starts_word(prose, at, variant):
                continue
            if variant in allowed and any(
                a < at and match.end() < b for a, b in quoted
            ):
                continue
            line = numbers[bisect_right(starts, at) - 1]
            uses[at] = Use(line, variant, variants[variant])
    return [uses[at] for at in sorted(uses)]


def japanese_pages(docs: Path = DOCS) -> list[Path]:
    """The Japanese pages to check: all but the glossary, which lists variants."""
    return sorted(p for p in (docs / "ja").rglob("*.md") if p.name != GLOSSARY)
