"""MkDocs hooks: draw the figures and make the notebooks while the site builds.

mkdocs-static-i18n builds the site once per language (English into site/,
Japanese into site/ja/). In each build, after it has picked that language's
pages, these hooks add:

- `assets/figures/<name>.png` for every figure in `fashionnet.figures.FIGURES`,
  drawn with labels in the build's language, so that a page's
  `![...](../assets/figures/relu-histogram.png)` shows the picture in its own
  language (site/assets/... for English, site/ja/assets/... for Japanese);
- `<page>.ipynb` beside every page that has Python code, and a link to it
  under the page's title;
- the notebook page `notebook/`, made from `docs/<lang>/notebook.md`, run here
  (a failing cell stops the build) and rendered by mkdocs-jupyter. That plugin
  cannot see files that mkdocs-static-i18n re-creates, so the page is handed
  to it here, after mkdocs-static-i18n has run.

The figures and the run notebook are kept under .cache/fashionnet-docs/
(git-ignored) and made again only when their input or the package's code
changes; the downloadable notebooks are made in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import matplotlib
import torch
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs_jupyter.plugin import NotebookFile
from nbclient.exceptions import CellExecutionError

from fashionnet import figures, notebooks

log = logging.getLogger("mkdocs.hooks.fashionnet")

#: Source of the notebook page, in each language folder (excluded from docs).
NOTEBOOK_SOURCE = "notebook.md"
CACHE = notebooks.ROOT / ".cache" / "fashionnet-docs"
LINK_TEXT = {
    "en": "Download this page as a Jupyter notebook",
    "ja": "このページを Jupyter ノートブックとしてダウンロード",
}

HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">')
ANCHOR = re.compile(r"^#{1,6} .*\{ *#([\w-]+) *\} *$", re.MULTILINE)

# Page src_uri -> the .ipynb file that its link points to (current build).
_downloads: dict[str, File] = {}
# Notebook page src_uri -> the explicit heading anchors of its source.
_anchors: dict[str, list[str]] = {}


def _i18n(config):
    return config.plugins["i18n"]


def _prefix(config) -> str:
    """Where the current language lives in the site: "" or "ja/"."""
    plugin = _i18n(config)
    return "" if plugin.is_default_language_build else f"{plugin.current_language}/"


def _generated(config, path: str, **source) -> File:
    """A file made here, at `path` inside the current language's site."""
    lang = _i18n(config).current_language
    file = File.generated(config, f"{lang}/{path}", **source)
    file.dest_uri = _prefix(config) + path
    return file


@event_priority(-110)  # after mkdocs-static-i18n (-100) has chosen the files
def on_files(files: Files, config) -> Files:
    lang = _i18n(config).current_language
    for name, draw in figures.FIGURES.items():
        png = _cached(
            CACHE / lang / f"{name}.png",
            _digest(name, lang),
            lambda draw=draw: figures.png_bytes(draw(lang=lang)),
        )
        files.append(_generated(config, f"assets/figures/{name}.png", content=png))
    _downloads.clear()
    for page in list(files.documentation_pages()):
        if page.src_uri.endswith(".md"):
            _add_download(files, config, page)
    _add_notebook_page(files, config, lang)
    return files


def _add_download(files: Files, config, page: File) -> None:
    """Add <page>.ipynb beside a page that has Python code."""
    lang = _i18n(config).current_language
    markdown = page.content_string
    if not notebooks.has_code(markdown):
        return
    path = page.src_uri.removeprefix(f"{lang}/")
    # Links in a downloaded notebook lead back to the site.
    base_url = config.site_url.rstrip("/") + "/" + _prefix(config)
    notebook = notebooks.page_to_notebook(markdown, lang, path, base_url)
    content = notebooks.dumps(notebook)
    download = _generated(config, path.removesuffix(".md") + ".ipynb", content=content)
    files.append(download)
    _downloads[page.src_uri] = download


def _add_notebook_page(files: Files, config, lang: str) -> None:
    """Run docs/<lang>/notebook.md as a notebook and add it as a page."""
    source = Path(config.docs_dir) / lang / NOTEBOOK_SOURCE
    markdown = source.read_text(encoding="utf-8")
    notebook = notebooks.page_to_notebook(
        markdown, lang, NOTEBOOK_SOURCE, "../", intro=False
    )
    text = _run_once(notebook, CACHE / lang / "notebook.ipynb", source)
    page = _notebook_page(config, lang)
    files.append(page)
    # The sitemap lists what mkdocs-static-i18n chose; add the page there too.
    _i18n(config).i18n_files_per_language[lang].append(page)
    download = _generated(config, "notebook/notebook.ipynb", content=text)
    files.append(download)
    _downloads[page.src_uri] = download
    _anchors[page.src_uri] = ANCHOR.findall(markdown)


def _run_once(notebook, path: Path, source: Path) -> str:
    """The run notebook's text; a failing cell stops the build."""

    def run() -> bytes:
        log.info("Running the notebook made from %s", source)
        try:
            notebooks.run_notebook(notebook)
        except CellExecutionError as error:
            message = f"{source}: a cell of its notebook failed\n{error}"
            raise PluginError(message) from error
        return notebooks.dumps(notebook).encode()

    return _cached(path, _digest(notebooks.dumps(notebook)), run).decode()


def _digest(*inputs: str) -> str:
    """A key for what the package's code makes from `inputs`."""
    digest = hashlib.sha256("\0".join(inputs).encode())
    for module in sorted((notebooks.ROOT / "fashionnet").glob("*.py")):
        digest.update(module.read_bytes())
    digest.update(f"{matplotlib.__version__} {torch.__version__}".encode())
    return digest.hexdigest()


def _cached(path: Path, key: str, make) -> bytes:
    """`make()`, kept at `path` and made again only when `key` changes.

    The test suite draws every figure and runs every notebook anyway, so what
    the cache could hide (a changed environment) is still caught there.
    """
    stamp = path.with_name(path.name + ".sha256")
    if path.is_file() and stamp.is_file() and stamp.read_text() == key:
        return path.read_bytes()
    content = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    stamp.write_text(key)
    return content


def _notebook_page(config, lang: str) -> NotebookFile:
    """The run notebook as a page at notebook/, known to mkdocs-static-i18n too."""
    source = File(
        f"{lang}/notebook.ipynb", str(CACHE), config.site_dir, config.use_directory_urls
    )
    plugin = _i18n(config)
    # What mkdocs-static-i18n sets on its own files: the language switcher
    # then leads to notebook/ in the other language.
    source.locale = source.localization = source.locale_alternate_of = lang
    source.norm_src_uri = "notebook.ipynb"
    source.alternates = {
        code: _Alternate(_directory_url(config, code, plugin.default_language))
        for code in plugin.build_languages
    }
    page = NotebookFile(source, config.use_directory_urls, config.site_dir)
    page.dest_uri = _prefix(config) + (
        "notebook/index.html" if config.use_directory_urls else "notebook.html"
    )
    page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, page.dest_uri))
    page.url = page._get_url(config.use_directory_urls)
    return page


class _Alternate:
    """What the language switcher and the sitemap read from an alternate."""

    page = None  # no Page of its own: its URL is used

    def __init__(self, url: str) -> None:
        self.url = url


def _directory_url(config, code: str, default: str) -> str:
    prefix = "" if code == default else f"{code}/"
    return prefix + ("notebook/" if config.use_directory_urls else "notebook.html")


def on_page_content(html: str, page, config, files) -> str:
    """Put a link to the page's notebook under its title."""
    if page.file.src_uri in _anchors:
        html = _use_anchors(html, page, _anchors[page.file.src_uri])
    download = _downloads.get(page.file.src_uri)
    if download is None:
        return html
    href = download.url_relative_to(page.file)
    text = LINK_TEXT[_i18n(config).current_language]
    link = f'<p class="fashionnet-notebook"><a href="{href}" download>{text}</a></p>'
    head, found, rest = html.partition("</h1>")
    return head + found + link + rest if found else link + html


def _use_anchors(html: str, page, anchors: list[str]) -> str:
    """Give the notebook page's headings the anchors its source gives them.

    mkdocs-jupyter makes ids from the heading text, which for Japanese leaves
    "_1", "_2"...; the site's pages share English anchors in both languages.
    """
    remaining = iter(anchors)

    def replace(match: re.Match) -> str:
        anchor = next(remaining, None)
        if anchor is None:
            return match[0]
        link = f'<a class="anchor-link" href="#{anchor}">'
        return f'<h{match[1]} id="{anchor}">{match[2]}{link}'

    html = HEADING.sub(replace, html)
    for link, anchor in zip(_walk(page.toc), anchors, strict=False):
        link.id = anchor
    return html


def _walk(links):
    for link in links:
        yield link
        yield from _walk(link.children)
