"""Chromium (Debian's, no download) driven by Playwright against the built site.

The site is built once per session and served on 127.0.0.1 by a server that
answers like GitHub Pages (tests/browser/pages_server.py). A second build
uses a sub-path site_url, as a project site on GitHub Pages does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pages_server import serve
from site_check import build_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@dataclass
class Visit:
    """A browser tab and what it did: requests made, errors logged."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(built_site) -> Iterator[str]:
    """The URL of the site served at the root, e.g. http://127.0.0.1:PORT/."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory) -> Iterator[str]:
    """The site built with site_url .../fashionnet/ and served there."""
    folder = tmp_path_factory.mktemp("subpath-site")
    with serve(folder, prefix="/fashionnet/") as url:
        build_site(folder, site_url=url)
        yield url


def _only_localhost(route) -> None:
    """Let requests to 127.0.0.1 through; refuse any other host."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def visit(browser) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.route("**/*", _only_localhost)
    visit = Visit(context.new_page())
    context.on("request", lambda request: visit.requests.append(request.url))
    visit.page.on(
        "console", lambda m: m.type == "error" and visit.errors.append(m.text)
    )
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
    yield visit
    context.close()
