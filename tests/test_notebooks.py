"""Pages become notebooks, and every page's notebook runs without an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

from fashionnet.notebooks import (
    SETUP_CODE,
    dumps,
    has_code,
    kernel,
    page_to_notebook,
    read_snippet,
    run_notebook,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK_PAGES = sorted(
    path.relative_to(DOCS)
    for path in DOCS.glob("*/**/*.md")
    if has_code(path.read_text(encoding="utf-8"))
)

PAGE = """\
# Title { #title }

Some prose with a [link](device.md#top) and [`predict`][fashionnet.predict].

```pycon
>>> x = 1
>>> x + 1
2
>>> y = x * 3
>>> print(y)
3
>>> z = y
```

```bash
pip install something
```

!!! note "Careful"
    Quoted prose.

    ```python
    w = 4
    ```

![A picture](../assets/figures/relu-histogram.png)
"""


def code_cells(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def markdown(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def test_notebook_starts_with_setup_after_title():
    notebook = page_to_notebook(PAGE, "en", "layers/relu.md")
    assert notebook.cells[0].source.startswith("# Title")
    assert code_cells(notebook)[0].endswith(SETUP_CODE.strip())


def test_notebook_doctest_cells_end_where_output_is_shown():
    cells = code_cells(page_to_notebook(PAGE, "en", "layers/relu.md"))
    assert cells[1:4] == ["x = 1\nx + 1", "y = x * 3\nprint(y)", "z = y"]


def test_notebook_python_block_inside_admonition_is_code():
    notebook = page_to_notebook(PAGE, "en", "layers/relu.md")
    assert "w = 4" in code_cells(notebook)
    assert "> **Careful**" in markdown(notebook)


def test_notebook_other_fences_stay_prose():
    notebook = page_to_notebook(PAGE, "en", "layers/relu.md")
    assert "```bash\npip install something\n```" in markdown(notebook)
    assert not any("pip install" in cell for cell in code_cells(notebook))


def test_notebook_figure_drawn_in_page_language():
    cells = code_cells(page_to_notebook(PAGE, "ja", "layers/relu.md"))
    assert cells[-1].endswith('relu_histogram(lang="ja")')


def test_notebook_unknown_figure_raises():
    page = "# T\n\n![x](assets/figures/no-such-figure.png)\n"
    with pytest.raises(ValueError, match="no-such-figure"):
        page_to_notebook(page, "en", "index.md")


def test_notebook_links_lead_to_site():
    notebook = page_to_notebook(PAGE, "ja", "layers/relu.md", "https://x.org/ja/")
    text = markdown(notebook)
    assert "[link](https://x.org/ja/layers/device/#top)" in text
    assert "[`predict`](https://x.org/ja/reference/#fashionnet.predict)" in text
    assert "{ #title }" not in text


def test_notebook_snippet_lines_expanded():
    page = '# T\n\n```python\n--8<-- "fashionnet/device.py:get_device"\n```\n'
    notebook = page_to_notebook(page, "en", "device.md")
    assert code_cells(notebook)[1] == read_snippet(
        "fashionnet/device.py", "get_device"
    ).strip("\n")


def test_notebook_is_valid_ipynb():
    text = dumps(page_to_notebook(PAGE, "en", "layers/relu.md"))
    assert '"nbformat": 4' in text


def test_has_code_ignores_other_fences():
    assert not has_code("# T\n\n```bash\nls\n```\n")
    assert has_code(PAGE)


def test_expected_exception_cell_may_fail(shared_kernel):
    page = "# T\n\n```pycon\n>>> 1 / 0\nTraceback (most recent call last):\n"
    page += "ZeroDivisionError: division by zero\n>>> 2\n2\n```\n"
    notebook = run_notebook(page_to_notebook(page, "en", "t.md"), shared_kernel)
    assert notebook.cells[-1].outputs[0].data["text/plain"] == "2"


def test_run_notebook_raises_on_error(shared_kernel):
    notebook = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("1 / 0")])
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        run_notebook(notebook, shared_kernel)


def test_run_notebook_clears_previous_variables(shared_kernel):
    run_notebook(new_notebook(cells=[new_code_cell("leftover = 1")]), shared_kernel)
    notebook = new_notebook(cells=[new_code_cell("'leftover' in dir()")])
    run_notebook(notebook, shared_kernel)
    assert notebook.cells[0].outputs[0].data["text/plain"] == "False"


@pytest.fixture(scope="module")
def shared_kernel():
    with kernel() as manager:
        yield manager


def page_notebook(page: Path):
    lang, path = page.parts[0], "/".join(page.parts[1:])
    source = (DOCS / page).read_text(encoding="utf-8")
    return page_to_notebook(source, lang, path, "https://example.org/")


def shares_english_code(page: Path) -> bool:
    """Whether a Japanese page's notebook has the English one's code cells."""
    english = Path("en", *page.parts[1:])
    return code_cells(page_notebook(page)) == code_cells(page_notebook(english))


@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=str)
def test_page_notebook_runs(page, shared_kernel):
    """Each page's notebook runs; a Japanese one only where its code differs.

    The pages of a pair carry the same code blocks, so most Japanese notebooks
    hold exactly the English notebook's code cells, which the English test
    runs; checking that they are equal proves as much as running them again.
    Where they differ (figures are drawn with Japanese labels), it runs.
    """
    if page.parts[0] == "ja" and shares_english_code(page):
        return
    notebook = page_notebook(page)
    run_notebook(notebook, shared_kernel)  # raises on the first failing cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)


def test_most_japanese_notebooks_share_the_english_code():
    """Guards the shortcut above: the two languages' code cells do get compared."""
    pairs = [page for page in NOTEBOOK_PAGES if page.parts[0] == "ja"]
    same = [page for page in pairs if shares_english_code(page)]
    assert 10 <= len(same) < len(pairs)


def test_page_to_notebook_drops_front_matter_and_joins_japanese_lines():
    page = "---\nen_sha256: 0123\n---\n\n# 見出し { #title }\n\nロジット\nです。\n"
    notebook = page_to_notebook(page, "ja", "x.md", intro=False)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "en_sha256" not in text
    assert "ロジットです。" in text
