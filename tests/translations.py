"""Which version of its English page each Japanese page translates.

Every docs/ja page records, in its front matter, a hash of the English page
it was last reviewed against:

    ---
    en_sha256: 0123456789abcdef
    ---

The hash covers the English page's words, not its layout: runs of spaces,
line breaks and blank lines count as one space, so re-wrapping a paragraph
or trimming trailing spaces keeps the translation current. Any other edit
to the English page makes tests/test_translations.py fail until someone
reviews the Japanese page and records the new hash:

    python -m tests.translations                      # list outdated pages
    python -m tests.translations --record docs/ja/device.md
    python -m tests.translations --record-all         # after reviewing all
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import unicodedata
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
KEY = "en_sha256"
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.DOTALL)
RECORDED = re.compile(rf"^{KEY}:\s*([0-9a-f]+)\s*$", re.MULTILINE)


def normalized(text: str) -> str:
    """The page's text with every run of whitespace turned into one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def english_hash(english: Path) -> str:
    """The first 16 hex digits of the SHA-256 of the normalized English page."""
    data = normalized(english.read_text(encoding="utf-8")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def recorded_hash(japanese: Path) -> str | None:
    """The hash a Japanese page's front matter records, or None."""
    match = FRONT_MATTER.match(japanese.read_text(encoding="utf-8"))
    found = RECORDED.search(match.group(1) or "") if match else None
    return found.group(1) if found else None


def english_of(japanese: Path, docs: Path = DOCS) -> Path:
    """docs/ja/x.md -> docs/en/x.md."""
    return docs / "en" / japanese.resolve().relative_to((docs / "ja").resolve())


def is_current(japanese: Path, docs: Path = DOCS) -> bool:
    return recorded_hash(japanese) == english_hash(english_of(japanese, docs))


def record(japanese: Path, docs: Path = DOCS) -> None:
    """Write the English page's current hash into the Japanese front matter."""
    line = f"{KEY}: {english_hash(english_of(japanese, docs))}"
    text = japanese.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        text = f"---\n{line}\n---\n\n{text}"
    elif RECORDED.search(match.group(1) or ""):
        head = RECORDED.sub(line, match.group(0), count=1)
        text = head + text[match.end() :]
    else:
        text = f"---\n{line}\n{text[4:]}"
    japanese.write_text(text, encoding="utf-8")


def japanese_pages(docs: Path = DOCS) -> list[Path]:
    return sorted((docs / "ja").rglob("*.md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.translations")
    parser.add_argument("--record", nargs="+", type=Path, metavar="JA_PAGE")
    parser.add_argument("--record-all", action="store_true")
    args = parser.parse_args(argv)
    if args.record_all or args.record:
        for page in japanese_pages() if args.record_all else args.record:
            record(page)
            print(f"recorded {os.path.relpath(page)}")
        return 0
    outdated = [page for page in japanese_pages() if not is_current(page)]
    for page in outdated:
        print(f"outdated: {page.relative_to(DOCS.parent)}")
    return 1 if outdated else 0


if __name__ == "__main__":
    sys.exit(main())
