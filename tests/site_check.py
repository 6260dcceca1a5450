"""Build the site, and check the built HTML's links and its sitemap.

`mkdocs build --strict` already rejects a link to a missing page or anchor
in Markdown; `broken_links` checks what the build wrote, in both languages:
every internal href and src, and every #anchor, including those the theme
and plugins generate (navigation, language selector, 404 page).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "http://127.0.0.1:8000/"
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build_site(dest: Path, site_url: str = SITE_URL, project: Path = ROOT) -> None:
    """`mkdocs build --strict` of `project` into `dest`; raises with its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    env["PYTHONPATH"] = str(project)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{done.stderr[-4000:]}")


def page_url(site: Path, html: Path, site_url: str) -> str:
    """The address a built file is served at."""
    path = html.relative_to(site).as_posix()
    return site_url + (
        path[: -len("index.html")] if path.endswith("index.html") else path
    )


def _target(site: Path, url: str, site_url: str) -> Path | None:
    """The file an internal address names, or None for other hosts."""
    if not url.startswith(site_url.rstrip("/")):
        return None
    path = unquote(urlsplit(url).path)[len(urlsplit(site_url).path) :]
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def _ids(file: Path, cache: dict[Path, set[str]]) -> set[str]:
    if file not in cache:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        cache[file] = {tag.get("id") or tag.get("name") for tag in soup.find_all(True)}
    return cache[file]


def broken_links(site: Path, site_url: str = SITE_URL) -> list[str]:
    """Internal links of every built page that lead to no file or no anchor."""
    problems, ids = [], {}
    for html in sorted(site.rglob("*.html")):
        here = page_url(site, html, site_url)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(LINKING):
            link = tag.get(LINKING[tag.name])
            if not link or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            url = urljoin(here, link)
            target = _target(site, url, site_url)
            fragment = unquote(urlsplit(url).fragment)
            where = f"{html.relative_to(site)}: {link}"
            if target is None:
                continue
            if not target.is_file():
                problems.append(f"{where} (no such file)")
            elif (
                fragment
                and target.suffix == ".html"
                and fragment not in _ids(target, ids)
            ):
                problems.append(f"{where} (no such anchor)")
    return problems


def sitemap(site: Path) -> dict[str, dict[str, str]]:
    """Each <loc> of sitemap.xml -> its hreflang alternates {lang: href}."""
    root = ET.parse(site / "sitemap.xml").getroot()
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SITEMAP}url")
    }


def page_path(name: str, language: str) -> str:
    """Where a page is served: ("layers/index.md", "ja") -> "ja/layers/"."""
    parts = Path(name).with_suffix("").parts
    folder = "".join(f"{part}/" for part in parts if part != "index")
    return ("" if language == "en" else f"{language}/") + folder


def expected_urls(docs: Path, site_url: str = SITE_URL) -> set[str]:
    """The address of every Markdown page, in both languages."""
    return {
        site_url + page_path(page.relative_to(docs / language).as_posix(), language)
        for language in ("en", "ja")
        for page in (docs / language).rglob("*.md")
    }


JAPANESE_BREAK = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff]\n\s*[\u3040-\u30ff\u4e00-\u9fff]"
)


def japanese_line_breaks(site: Path) -> list[str]:
    """Japanese pages' paragraphs whose text breaks a line between two
    Japanese characters, which browsers show as a stray space."""
    found = []
    for html in sorted((site / "ja").rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("article p, article li, article td"):
            if JAPANESE_BREAK.search(tag.get_text()):
                found.append(f"{html.relative_to(site)}: {tag.get_text()[:40]!r}")
    return found
