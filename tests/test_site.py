"""The built site: no broken links or anchors, a complete bilingual sitemap."""

from __future__ import annotations

import shutil

import pytest
from pages import DOCS
from site_check import broken_links, expected_urls, japanese_line_breaks, sitemap


def test_built_site_has_no_broken_links(built_site):
    assert broken_links(built_site) == []


def test_sitemap_lists_every_page_in_both_languages(built_site):
    assert set(sitemap(built_site)) == expected_urls(DOCS)


def test_sitemap_alternates_are_reciprocal(built_site):
    entries = sitemap(built_site)
    for loc, alternates in entries.items():
        assert set(alternates) == {"en", "ja"}, loc
        assert loc in alternates.values(), loc
        for lang, href in alternates.items():
            assert entries[href] == alternates, f"{loc} -> {lang}: {href}"


@pytest.fixture
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def add_link(page, href: str) -> None:
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", f'<a href="{href}">x</a></article>', 1))


def test_link_check_reports_a_missing_page(site_copy):
    add_link(site_copy / "ja" / "index.html", "../no-such-page/")
    assert "ja/index.html: ../no-such-page/ (no such file)" in broken_links(site_copy)


def test_link_check_reports_a_missing_anchor(site_copy):
    add_link(site_copy / "glossary" / "index.html", "../ja/glossary/#no-such-anchor")
    problem = "glossary/index.html: ../ja/glossary/#no-such-anchor (no such anchor)"
    assert problem in broken_links(site_copy)


def test_built_japanese_pages_have_no_breaks_inside_text(built_site):
    assert japanese_line_breaks(built_site) == []


@pytest.mark.parametrize(
    ("path", "label"),
    [("reference/index.html", "Parameters:"), ("ja/reference/index.html", "引数：")],
)
def test_api_reference_labels_follow_page_language(built_site, path, label):
    assert f'doc-section-title">{label}<' in (built_site / path).read_text()
