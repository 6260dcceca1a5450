"""On a temporary copy of the project, each kind of breakage fails the suite.

The copy gets four deliberate mistakes, one per check, and the checks' test
files run there: exactly the tests about those mistakes must fail. A fifth test
shows that the strict build itself rejects a Markdown link to a missing
anchor.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from site_check import ROOT, build_site

CHECKS = [
    "tests/test_docs_parity.py",
    "tests/test_translations.py",
    "tests/test_glossary.py",
    "tests/test_site.py",
]
IGNORED = shutil.ignore_patterns("__pycache__", "screenshots", ".*")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of what the checks read: docs, tests, package and config."""
    copy = tmp_path / "project"
    for name in ("docs", "tests", "fashionnet"):
        shutil.copytree(ROOT / name, copy / name, ignore=IGNORED)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    # Figures and the run notebook page, kept by input hash: the copy's build
    # reuses what is still valid instead of drawing and running it all again.
    drawn = ROOT / ".cache" / "fashionnet-docs"
    if drawn.is_dir():
        shutil.copytree(drawn, copy / ".cache" / "fashionnet-docs")
    return copy


def append(page: Path, text: str) -> None:
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


def failing_tests(project: Path) -> set[str]:
    """Run the checks in `project`; the names of the tests that did not pass."""
    report = project / "report.xml"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    subprocess.run(
        [*command, f"--junitxml={report}", *CHECKS],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
    )
    cases = ET.parse(report).getroot().iter("testcase")
    return {
        c.get("name")
        for c in cases
        if c.find("failure") is not None or c.find("error") is not None
    }


def test_each_kind_of_breakage_fails_its_check(project):
    docs = project / "docs"
    append(docs / "ja" / "layers" / "index.md", "\n## 追加の節 { #extra-section }\n")
    append(docs / "en" / "training.md", "\nOne more English sentence.\n")
    append(docs / "ja" / "evaluation.md", "\nここではレイヤーを使います。\n")
    append(docs / "ja" / "index.md", '\n<a href="../no-such-page/">リンク</a>\n')
    assert failing_tests(project) == {
        "test_page_pair_shares_code_anchors_images_and_notes[layers/index.md]",
        "test_translation_is_current[training.md]",
        "test_command_lists_no_outdated_page",
        "test_japanese_page_avoids_glossary_variants[evaluation.md]",
        "test_built_site_has_no_broken_links",
    }


def test_strict_build_fails_on_a_link_to_a_missing_anchor(project, tmp_path):
    append(project / "docs" / "ja" / "index.md", "\n[節](device.md#no-such-anchor)\n")
    with pytest.raises(RuntimeError, match="no-such-anchor"):
        build_site(tmp_path / "site", project=project)
