"""Run every Python block of docs/en and docs/ja with Sybil.

`python` fences run as code, `pycon` fences as doctests (their output is
checked). A `python` fence may embed the package's own source with a
pymdownx.snippets line (`--8<-- "fashionnet/model.py:neural_network"`):
the same section that the site shows is what runs here.
"""

from __future__ import annotations

import doctest

import matplotlib
import torch
from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser

from fashionnet.notebooks import SETUP_CODE, expand_snippets

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# Doc pages that draw with pyplot need no display.
matplotlib.use("Agg")


class SnippetEvaluator(PythonEvaluator):
    """Runs a block after replacing snippet lines with the code they embed."""

    def __call__(self, example) -> None:
        __tracebackhide__ = True
        source = expand_snippets(example.parsed)
        namespace = example.namespace
        exec(compile(source, example.path, "exec"), namespace)
        namespace.pop("__builtins__", None)


class PyconParser:
    """Doctests written in ```pycon fences (rendered with prompts)."""

    def __init__(self) -> None:
        self.blocks = CodeBlockParser("pycon")
        self.doctests = DocTestStringParser(DocTestEvaluator(OPTIONFLAGS))

    def __call__(self, document):
        for block in self.blocks(document):
            source = block.parsed
            for region in self.doctests(source, document.path):
                region.adjust(block, source)
                yield region


def setup(namespace: dict) -> None:
    """Each page starts from the same seeds and print options."""
    # The same code opens each page's notebook; run apart, so that a page
    # which forgets an import fails here too.
    exec(SETUP_CODE, {})
    namespace["__name__"] = "__doc_page__"


def teardown(namespace: dict) -> None:
    torch.set_printoptions(profile="default")


def parsers() -> list:
    """The parsers that find examples; tests/test_docs_examples.py uses them too."""
    return [CodeBlockParser("python", SnippetEvaluator()), PyconParser()]


pytest_collect_file = Sybil(
    parsers=parsers(),
    patterns=["*.md"],
    setup=setup,
    teardown=teardown,
).pytest()
