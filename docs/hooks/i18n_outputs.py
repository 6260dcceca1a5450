"""Give each language its own 404 page and search index.

mkdocs-static-i18n builds the languages one after the other into one site;
three things need fixing after it:

- 404.html: every build writes the root 404.html and the last one wins,
  while GitHub Pages serves only that file for any missing address. We keep
  the default language's page and embed the others' content in it as inert
  <template> elements; a small script, run before the theme's bundle, swaps
  in the one whose folder (/ja/) the missing address lies in.
- search/search_index.json holds the pages of every language, so a query on
  /ja/ would list English pages too. We also write
  search/search_index.<lang>.json, and every page loads
  assets/javascripts/search-language.js first, which points the theme's
  request at the index of the page's language.
- Material fetches "<href>/sitemap.xml" for every <link rel="alternate"
  hreflang> in a page's head, expecting language roots; the i18n plugin's
  links point at the same page in the other language, so every page logged
  two 404s. We drop those head links: the language selector keeps its
  per-page links, and sitemap.xml lists each page's hreflang alternates.

- mkdocstrings reads its locale once, from the first build's theme
  language, so the Japanese API reference would say "Parameters:" and
  "Returns:". Before each page is rendered we hand it the page's language.

The browser tests in tests/browser/ check all of this in Chromium.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

SEARCH_SCRIPT = "assets/javascripts/search-language.js"
MATERIAL_404 = "<h1>404 - Not found</h1>"
NOT_FOUND = {
    "en": (
        "Page not found",
        "There is no page at this address. Go back to the "
        '<a href="{home}">home page</a> or use the search above.',
    ),
    "ja": (
        "ページが見つかりません",
        'このアドレスにはページがありません。<a href="{home}">ホーム</a>'
        "に戻るか、上の検索をお使いください。",
    ),
}
BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.\w+\.min\.js">')
HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
BASE = re.compile(r'"base": "([^"]*)"')
SELECTOR_LINK = re.compile(
    r'<a href="[^"]*" (hreflang="(\w+)" class="md-select__link">)'
)
SWAP = """<script>
(function () {
  // Before the bundle runs: it then starts on the swapped content.
  var here = document.currentScript, pick = null;
  document.querySelectorAll("template[data-i18n-404]").forEach(function (t) {
    if (location.pathname.indexOf(t.dataset.root) === 0) pick = t;
  });
  if (!pick) return;
  var content = pick.content;
  content.querySelectorAll("script:not([type='application/json'])")
    .forEach(function (s) { s.remove(); });
  while (document.body.firstChild !== here) {
    document.body.removeChild(document.body.firstChild);
  }
  document.body.insertBefore(content, here);
  document.documentElement.lang = pick.dataset.lang;
  document.title = pick.dataset.title;
})();
</script>
"""

_pages_404: dict[str, str] = {}


def _languages(config) -> tuple[str, list[str]]:
    """The default language and every built one, from the i18n plugin."""
    languages = config.plugins["i18n"].config.languages
    default = next(lang.locale for lang in languages if lang.default)
    return default, [lang.locale for lang in languages if lang.build]


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Render the page's API blocks with the labels of its language."""
    language = config.plugins["i18n"].current_language
    config.plugins["mkdocstrings"].handlers._locale = language
    return markdown


def _head(output: str, src: str) -> str:
    """Load the search-language script first; drop the hreflang links."""
    output = HREFLANG_LINK.sub("", output)
    return output.replace("</head>", f'<script src="{src}"></script>\n</head>', 1)


def on_post_page(output: str, page, config) -> str:
    return _head(output, get_relative_url(SEARCH_SCRIPT, page.url))


def _localized_404(output: str, lang: str, default: str) -> str:
    """Material's 404 page with our message in `lang`, and its head script."""
    if MATERIAL_404 not in output:
        raise ValueError(f"the theme's 404 page no longer has {MATERIAL_404!r}")
    base = BASE.search(output).group(1).rstrip("/")
    home = f"{base}/" if lang == default else f"{base}/{lang}/"
    title, text = NOT_FOUND[lang]
    message = f'<h1 id="page-not-found">{title}</h1>\n<p>{text.format(home=home)}</p>'
    output = output.replace(MATERIAL_404, message, 1)
    # The selector would lead to the last page built; lead to each home instead.
    output = SELECTOR_LINK.sub(
        lambda m: f'<a href="{base}/{"" if m[2] == default else m[2] + "/"}" {m[1]}',
        output,
    )
    return _head(output, f"{base}/{SEARCH_SCRIPT}")


def _template(lang: str, page: str) -> str:
    """One language's 404 page body as an inert <template> element."""
    body = page[page.index(">", page.index("<body")) + 1 : BUNDLE.search(page).start()]
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    root = BASE.search(page).group(1).rstrip("/") + f"/{lang}/"
    return (
        f'<template data-i18n-404 data-lang="{lang}" data-root="{root}" '
        f'data-title="{html.escape(html.unescape(title))}">{body}</template>\n'
    )


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output
    default, built = _languages(config)
    language = config.theme["language"]
    _pages_404[language] = _localized_404(output, language, default)
    if default not in _pages_404:
        return _pages_404[language]
    page = _pages_404[default]
    others = [lang for lang in built if lang != default and lang in _pages_404]
    templates = "".join(_template(lang, _pages_404[lang]) for lang in others)
    start = BUNDLE.search(page).start()
    return page[:start] + templates + SWAP + page[start:]


@event_priority(-110)  # after the i18n plugin has merged every language's pages
def on_post_build(config) -> None:
    default, built = _languages(config)
    folder = Path(config.site_dir) / "search"
    combined = folder / "search_index.json"
    if not combined.exists():
        return
    index = json.loads(combined.read_text(encoding="utf-8"))
    others = tuple(f"{lang}/" for lang in built if lang != default)
    for lang in built:
        if lang == default:
            docs = [d for d in index["docs"] if not d["location"].startswith(others)]
        else:
            docs = [d for d in index["docs"] if d["location"].startswith(f"{lang}/")]
        text = json.dumps({**index, "docs": docs}, ensure_ascii=False)
        (folder / f"search_index.{lang}.json").write_text(text, encoding="utf-8")
