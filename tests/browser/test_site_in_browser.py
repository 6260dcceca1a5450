"""The built site in Chromium, in English (/) and Japanese (/ja/)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pages import DOCS, page_names, parse
from site_check import page_path
from translations import FRONT_MATTER

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
RENDERED = {"home": "index.md", "relu": "layers/relu.md"}
QUERIES = [
    ("ja", "活性化関数"),
    ("ja", "重み"),
    ("ja", "ソフトマックス"),
    ("en", "activation function"),
    ("en", "weight"),
    ("en", "softmax"),
]
NOT_FOUND = {"en": "Page not found", "ja": "ページが見つかりません"}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", RENDERED)
def test_page_renders_without_console_errors(visit, site, name, lang):
    response = visit.page.goto(site + page_path(RENDERED[name], lang))
    visit.page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=SCREENSHOTS / f"{name}-{lang}.png", full_page=True)
    assert (response.status, visit.page.locator("html").get_attribute("lang")) == (
        200,
        lang,
    )
    assert visit.errors == []


def switch_language(page, lang: str) -> None:
    page.hover(".md-header .md-select")
    with page.expect_navigation():
        page.click(f".md-select__link[hreflang={lang}]")


@pytest.mark.parametrize("served", ["site", "subpath_site"])
def test_language_switcher_leads_to_the_same_page_and_back(visit, request, served):
    base = request.getfixturevalue(served)
    visit.page.goto(base + "layers/relu/")
    switch_language(visit.page, "ja")
    there = visit.page.url
    switch_language(visit.page, "en")
    assert (there, visit.page.url) == (base + "ja/layers/relu/", base + "layers/relu/")


def pages_containing(text: str, lang: str) -> set[str]:
    """The paths of the pages whose Markdown contains `text` (any case)."""
    found = set()
    for name in page_names(DOCS, lang):
        source = (DOCS / lang / name).read_text(encoding="utf-8")
        if text.lower() in FRONT_MATTER.sub("", source).lower():
            found.add("/" + page_path(name, lang))
    return found


def search(page, query: str) -> list[str]:
    """Type a query in Material's search box; the paths of every result."""
    page.keyboard.press("s")  # Material's shortcut: focus the search box
    if query.isascii():
        page.locator("input.md-search__input").press_sequentially(query)
    else:
        page.keyboard.insert_text(query)  # like an input method: no key events
    page.keyboard.press("End")  # the search runs on keyup
    items = page.locator(".md-search-result__item")
    items.first.wait_for()
    total = int(
        re.search(r"\d+", page.locator(".md-search-result__meta").inner_text())[0]
    )
    for _ in range(50):  # Material renders more results on scroll; bounded
        if items.count() >= total:
            break
        items.last.scroll_into_view_if_needed()
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(100)
    links = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return links


@pytest.mark.parametrize(("lang", "query"), QUERIES)
def test_search_finds_the_pages_of_its_language(visit, site, lang, query):
    visit.page.goto(site + page_path("index.md", lang))
    found = set(search(visit.page, query))
    expected = pages_containing(query, lang)
    assert expected and expected <= found
    assert all(path.startswith("/ja/") == (lang == "ja") for path in found)


def pick_doctest() -> tuple[str, int, str]:
    """An English ```pycon block with output, preferably with a "..." line:
    its page, its position among the page's pycon blocks, and its text."""
    found = []
    for name in sorted(page_names(DOCS, "en")):
        page = parse((DOCS / "en" / name).read_text(encoding="utf-8"))
        pycon = [block.body for block in page.code if block.info == "pycon"]
        found += [(name, i, body) for i, body in enumerate(pycon)]
    with_output = [b for b in found if any(e.want for e in examples(b[2]))]
    continued = [b for b in with_output if "\n... " in b[2]]
    return (continued or with_output)[0]


def examples(block: str) -> list[doctest.Example]:
    return doctest.DocTestParser().get_examples(block)


def test_copy_button_copies_doctest_source_without_prompts_or_output(visit, site):
    name, position, block = pick_doctest()
    visit.page.goto(site + page_path(name, "en"))
    code = visit.page.locator(".language-pycon").nth(position)
    code.hover()
    code.locator("button[data-md-type=copy]").click()
    copied = visit.page.evaluate("navigator.clipboard.readText()")
    assert copied == "\n".join(e.source.rstrip("\n") for e in examples(block))


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("served", ["site", "subpath_site"])
def test_missing_page_is_a_404_in_the_language_of_its_path(
    visit, request, served, lang
):
    base = request.getfixturevalue(served)
    response = visit.page.goto(base + page_path("no-such-page.md", lang))
    heading = visit.page.locator("article h1").inner_text()
    homes = visit.page.locator(".md-select__link").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert response.status == 404
    assert (visit.page.locator("html").get_attribute("lang"), heading) == (
        lang,
        NOT_FOUND[lang],
    )
    assert homes == [base, base + "ja/"]


def test_pages_request_nothing_but_localhost(visit, site):
    for path in ["", "ja/", "layers/relu/", "ja/layers/relu/", "ja/no-such-page/"]:
        visit.page.goto(site + path)
        visit.page.wait_for_load_state("networkidle")
    search(visit.page, "重み")
    hosts = {urlsplit(url).hostname for url in visit.requests if url.startswith("http")}
    assert hosts == {"127.0.0.1"}
