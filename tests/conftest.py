"""Tiny CPU fixtures shared by the unit tests, and the built site."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from fakes import write_fake_split
from site_check import build_site

from fashionnet import NeuralNetwork


@pytest.fixture
def fake_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as torchvision wants: root/FashionMNIST/raw/.

    Its files' digests replace the real ones, so they pass verification.
    """
    root = tmp_path / "data"
    digests = {}
    for split, count in (("train", 20), ("test", 10)):
        digests |= write_fake_split(root / "FashionMNIST" / "raw", split, count)
    monkeypatch.setattr("fashionnet.data._RAW_SHA256", digests)
    return root


@pytest.fixture
def no_data_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Hide every real data source: no env var, no Debian files, empty cache."""
    monkeypatch.delenv("FASHIONNET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("fashionnet.data.DEBIAN_DIR", tmp_path / "no-debian")
    return tmp_path


@pytest.fixture
def model() -> NeuralNetwork:
    torch.manual_seed(0)
    return NeuralNetwork()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, both languages, built once per test session."""
    site = tmp_path_factory.mktemp("site")
    build_site(site)
    return site
