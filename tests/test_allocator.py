import platform
import sys

import pytest
import torch

from fashionnet import NeuralNetwork, Recipe, Tensors, allocator, fit

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.fixture(autouse=True)
def fresh_cache():
    allocator.keep_freed_memory.cache_clear()
    yield
    allocator.keep_freed_memory.cache_clear()


@pytest.mark.skipif(not GLIBC, reason="mallopt exists only in glibc")
def test_glibc_accepts_the_setting():
    assert allocator.keep_freed_memory() is True


def test_other_systems_are_left_alone(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert allocator.keep_freed_memory() is False


def test_a_c_library_without_mallopt_is_left_alone(monkeypatch):
    def no_glibc(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(allocator.ctypes, "CDLL", no_glibc)
    assert allocator.keep_freed_memory() is False


def test_fit_applies_it(monkeypatch):
    calls = []
    monkeypatch.setattr("fashionnet.train.keep_freed_memory", lambda: calls.append(1))
    data = Tensors(torch.randn(32, 28, 28), torch.arange(32) % 10)
    fit(NeuralNetwork(), data, Recipe(epochs=1, batch_size=16))
    assert calls == [1]
