"""Jupyter notebooks made from the site's Markdown pages, and a way to run them.

A page becomes a notebook in its own language: its prose becomes Markdown
cells and its code blocks become code cells. ```` ```python ```` blocks run as
they are, with snippet lines (`--8<-- "fashionnet/model.py:neural_network"`)
replaced by the source they embed; ```` ```pycon ```` doctests lose their
prompts and expected output, and a statement whose output the page shows
ends its cell, so the notebook shows that output too. A picture drawn by
`fashionnet.figures` becomes a cell that draws it.

The doc tests (docs/conftest.py) share the snippet expansion and the
starting state in `SETUP_CODE`, so a page, its doc test and its notebook
run the same code.
"""

from __future__ import annotations

import doctest
import os
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from fashionnet.figures import FIGURES

__all__ = [
    "ROOT",
    "SETUP_CODE",
    "dumps",
    "expand_snippets",
    "has_code",
    "join_cjk_lines",
    "kernel",
    "page_to_notebook",
    "read_snippet",
    "run_notebook",
]

#: The checkout: snippet paths such as "fashionnet/model.py" are relative to it.
ROOT = Path(__file__).resolve().parent.parent

#: The state every page starts from, in the doc tests and in the notebooks.
SETUP_CODE = """\
import numpy as np
import torch

# The site runs every page from this state, so the outputs match the page.
torch.manual_seed(0)
np.random.seed(0)
torch.set_printoptions(precision=4, sci_mode=False, linewidth=80)
"""

SNIPPET = re.compile(r'^--8<-- "([^":]+):([\w-]+)"$', re.MULTILINE)
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
ADMONITION = re.compile(
    r'^(?P<indent> *)(?:!!!|\?\?\?\+?) +(?P<kind>[\w-]+)(?: +"(?P<title>[^"]*)")? *$'
)
HEADING_ATTRS = re.compile(r"^(#{1,6} .*?) *\{[^{}\n]*\} *$", re.MULTILINE)
LINK_ATTRS = re.compile(r"(\]\([^)\n]*\)) *\{[^{}\n]*\}")
AUTOREF = re.compile(r"\[([^\]\n]+)\]\[(fashionnet(?:\.\w+)*)\]")
RELATIVE_LINK = re.compile(r"\]\((?![a-z]+:|#|/)([^)\s]+?\.md)(#[^)\s]*)?\)")
FIGURE = re.compile(r"^!\[[^\]\n]*\]\((?:\.\./)*assets/figures/([\w-]+)\.png\)")

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# Browsers and Jupyter show a line break between two Japanese characters as a
# space; wrapped Japanese lines are joined (markup around them ignored).
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]")
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
            fence = opening["fence"]
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        elif out and _joins(out[-1], line):
            out[-1] += line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


Lang = Literal["en", "ja"]

_INTRO = {
    "en": (
        "*This notebook is made from the page {page} of the fashionnet site. "
        "Run it where the `fashionnet` package is installed, from the top: the "
        "first cell sets the seed and print options the site uses, so the "
        "outputs match the page.*"
    ),
    "ja": (
        "*このノートブックは fashionnet サイトのページ{page}から作られています。"
        "`fashionnet` パッケージを入れた環境で、上から順に実行してください。"
        "最初のセルでサイトと同じ乱数シードと表示設定にするので、出力はページと"
        "同じになります。*"
    ),
}


def read_snippet(path: str, section: str) -> str:
    """The lines between `# --8<-- [start:section]` and `# --8<-- [end:section]`.

    Args:
        path: A file relative to the checkout, e.g. `"fashionnet/model.py"`.
        section: The section's name.

    Raises:
        LookupError: The file has no such section.
    """
    text = (ROOT / path).read_text(encoding="utf-8")
    match = re.search(
        rf"^# --8<-- \[start:{section}\]\n(.*?)^# --8<-- \[end:{section}\]",
        text,
        re.MULTILINE | re.DOTALL,
    )
    if match is None:
        raise LookupError(f"no snippet section {section!r} in {path}")
    return match.group(1)


def expand_snippets(source: str) -> str:
    """Replace each snippet line of a code block with the code it embeds."""
    return SNIPPET.sub(lambda m: read_snippet(*m.groups()), source)


def has_code(markdown: str) -> bool:
    """Whether a page has a ```` ```python ```` or ```` ```pycon ```` block."""
    text = _flatten_admonitions(markdown)
    return any(kind != "markdown" for kind, _ in _blocks(text))


def page_to_notebook(
    markdown: str,
    lang: Lang,
    page: str,
    base_url: str | None = None,
    intro: bool = True,
) -> NotebookNode:
    """Turn one page's Markdown into a notebook in the page's language.

    Args:
        markdown: The page's source.
        lang: The page's language, `"en"` or `"ja"`; figures get labels in it.
        page: The page's path inside its language folder, e.g.
            `"layers/relu.md"`; relative links are resolved from it.
        base_url: URL of the language's home page (e.g.
            `"https://example.org/ja/"` or a relative `"../"`). Links to other
            pages and to the API reference point there; without it they are
            left as they are.
        intro: Add a note after the title that names the page the notebook
            comes from and says how to run it.

    Returns:
        A notebook whose first code cell runs `SETUP_CODE`.
    """
    markdown = FRONT_MATTER.sub("", markdown)  # page metadata, not content
    if lang == "ja":
        markdown = join_cjk_lines(markdown)
    text = _flatten_admonitions(markdown)
    cells: list[NotebookNode] = []
    for kind, body in _blocks(text):
        if kind == "python":
            cells.append(new_code_cell(expand_snippets(body).strip("\n")))
        elif kind == "pycon":
            cells.extend(_doctest_cells(body))
        else:
            cells.extend(_markdown_cells(body, lang, page, base_url))
    # Figures are matplotlib Figures; the inline backend makes Jupyter show them.
    head = [new_code_cell("%matplotlib inline\n" + SETUP_CODE.strip())]
    if intro:
        note = _INTRO[lang].format(page=_page_reference(markdown, lang, page, base_url))
        head.insert(0, new_markdown_cell(note))
    title = 1 if cells and cells[0].cell_type == "markdown" else 0
    cells[title:title] = head
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # stable ids: the same page gives the same file
    return new_notebook(cells=cells, metadata=_metadata())


def _metadata() -> dict:
    return {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }


def _flatten_admonitions(markdown: str) -> str:
    """Admonitions as a bold title and a quoted body; their code stays code."""
    lines = markdown.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        match = ADMONITION.match(lines[index])
        index += 1
        if match is None:
            out.append(lines[index - 1])
            continue
        indent = match["indent"]
        body: list[str] = []
        while index < len(lines) and _inside(lines[index], indent):
            body.append(lines[index][len(indent) + 4 :])
            index += 1
        title = match["title"] or match["kind"].capitalize()
        out.extend([f"{indent}> **{title}**", f"{indent}>"])
        inner = _flatten_admonitions("\n".join(body))
        out.extend(indent + line for line in _quoted(inner))
    return "\n".join(out)


def _inside(line: str, indent: str) -> bool:
    return not line.strip() or line.startswith(indent + "    ")


def _quoted(body: str) -> Iterator[str]:
    """Prefix prose lines with "> ", leaving fenced code unquoted."""
    fence = None
    for line in body.rstrip("\n").split("\n"):
        match = FENCE.match(line)
        if match and (fence is None or match["fence"] == fence):
            fence = match["fence"] if fence is None else None
            yield line
        else:
            yield line if fence else f"> {line}".rstrip()
    yield ""


def _blocks(text: str) -> Iterator[tuple[str, str]]:
    """Split Markdown into ("markdown" | "python" | "pycon", text) pieces."""
    lines, prose = text.split("\n"), []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        language = match["info"].strip() if match else ""
        if language not in ("python", "pycon"):
            prose.append(lines[index])
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != match["fence"]:
            end += 1
        yield "markdown", "\n".join(prose)
        indent = len(match["indent"])
        yield language, "\n".join(line[indent:] for line in lines[index + 1 : end])
        prose, index = [], end + 1
    yield "markdown", "\n".join(prose)


def _doctest_cells(body: str) -> Iterator[NotebookNode]:
    """One cell per statement whose output the page shows, plus what leads to it."""
    pending: list[str] = []
    for example in doctest.DocTestParser().get_examples(body):
        source = re.sub(r" *# doctest:.*$", "", example.source.rstrip("\n"), flags=re.M)
        if example.exc_msg is not None:
            # The page shows this statement failing; so will the notebook.
            if pending:
                yield new_code_cell("\n".join(pending))
            yield new_code_cell(source, metadata={"tags": ["raises-exception"]})
            pending = []
            continue
        pending.append(source)
        if example.want.strip():
            yield new_code_cell("\n".join(pending))
            pending = []
    if pending:
        yield new_code_cell("\n".join(pending))


def _markdown_cells(
    text: str, lang: Lang, page: str, base_url: str | None
) -> Iterator[NotebookNode]:
    """Prose cells, with a code cell that draws each figure the page shows."""
    prose: list[str] = []
    for line in text.split("\n"):
        match = FIGURE.match(line.strip())
        if match is None:
            prose.append(line)
            continue
        yield from _prose_cell("\n".join(prose), page, base_url)
        yield new_code_cell(_figure_code(match[1], lang))
        prose = []
    yield from _prose_cell("\n".join(prose), page, base_url)


def _prose_cell(text: str, page: str, base_url: str | None) -> Iterator[NotebookNode]:
    text = LINK_ATTRS.sub(r"\1", HEADING_ATTRS.sub(r"\1", text)).strip("\n")
    if base_url is not None:
        text = AUTOREF.sub(rf"[\1]({base_url}reference/#\2)", text)
        text = RELATIVE_LINK.sub(lambda m: _link(m, page, base_url), text)
    if text.strip():
        yield new_markdown_cell(text)


def _link(match: re.Match, page: str, base_url: str) -> str:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), match[1]))
    return f"]({base_url}{_page_url(target)}{match[2] or ''})"


def _page_url(page: str) -> str:
    """The directory URL of a page, e.g. "layers/relu.md" -> "layers/relu/"."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def _page_reference(markdown: str, lang: Lang, page: str, base_url: str | None) -> str:
    """The page's title, quoted as the language quotes, linked if possible."""
    heading = next((line for line in markdown.split("\n") if line.startswith("# ")), "")
    title = HEADING_ATTRS.sub(r"\1", heading)[2:] or page
    if base_url is not None:
        title = f"[{title}]({base_url}{_page_url(page)})"
    return f"「{title}」" if lang == "ja" else f"“{title}”"


def _figure_code(name: str, lang: Lang) -> str:
    if name not in FIGURES:
        raise ValueError(f"no figure named {name!r}; known: {', '.join(FIGURES)}")
    function = FIGURES[name].__name__
    return f'from fashionnet.figures import {function}\n\n{function}(lang="{lang}")'


def _kernel_env() -> dict[str, str]:
    """The kernel imports this checkout's fashionnet and draws figures inline."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # Jupyter's inline backend, whatever is set here
    paths = [str(ROOT), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


@contextmanager
def kernel() -> Iterator[object]:
    """A running Python kernel that `run_notebook` can reuse for many notebooks."""
    from jupyter_client import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(ROOT), env=_kernel_env())
    try:
        yield manager
    finally:
        manager.shutdown_kernel(now=True)


def run_notebook(
    notebook: NotebookNode, kernel: object | None = None, timeout: int = 600
) -> NotebookNode:
    """Run every code cell in order and store the outputs in `notebook`.

    Args:
        notebook: The notebook to run (changed in place).
        kernel: A manager from [`kernel`][fashionnet.notebooks.kernel] to
            reuse; its variables are cleared first. By default a fresh kernel
            is started and stopped.
        timeout: Seconds one cell may take.

    Raises:
        nbclient.exceptions.CellExecutionError: A cell raised an error that
            its page does not show (cells tagged "raises-exception" may fail).
    """
    from nbclient import NotebookClient

    if kernel is not None:
        notebook.cells.insert(0, new_code_cell("%reset -f"))
    client = NotebookClient(
        notebook,
        km=kernel,
        kernel_name="python3",
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(ROOT)}},
    )
    try:
        client.execute(env=_kernel_env())
    finally:
        if kernel is not None:
            notebook.cells.pop(0)
            if client.kc is not None:
                client.kc.stop_channels()
    return notebook


def dumps(notebook: NotebookNode) -> str:
    """The notebook as the JSON text of an .ipynb file."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
