import pytest
import torch
from fakes import write_fake_split

from fashionnet import CLASSES, CLASSES_JA, DataNotFoundError, class_names, load_dataset
from fashionnet import data as data_module


def test_class_names_in_both_languages():
    assert len(CLASSES) == len(CLASSES_JA) == 10
    assert class_names("en")[0] == "T-shirt/top"
    assert class_names("ja")[6] == "シャツ"


def test_class_names_rejects_unknown_language():
    with pytest.raises(ValueError, match="'fr'"):
        class_names("fr")


def test_load_dataset_uses_root_first(fake_root, no_data_sources, monkeypatch):
    other = no_data_sources / "env"
    write_fake_split(other / "FashionMNIST" / "raw", "test", 3)
    write_fake_split(other / "FashionMNIST" / "raw", "train", 3)
    monkeypatch.setenv("FASHIONNET_DATA", str(other))
    dataset = load_dataset("test", root=fake_root)
    assert len(dataset) == 10


def test_load_dataset_uses_env_var_next(fake_root, no_data_sources, monkeypatch):
    monkeypatch.setenv("FASHIONNET_DATA", str(fake_root))
    empty = no_data_sources / "empty"
    assert len(load_dataset("train", root=empty, download=False)) == 20


def test_load_dataset_unpacks_debian_files_once(no_data_sources, monkeypatch):
    debian = no_data_sources / "debian"
    write_fake_split(debian, "train", 20, gz=True)
    write_fake_split(debian, "test", 10, gz=True)
    monkeypatch.setattr(data_module, "DEBIAN_DIR", debian)
    monkeypatch.setattr(data_module, "_RAW_SIZES", fake_sizes(20, 10))
    assert len(load_dataset("test", download=False)) == 10
    raw = no_data_sources / "cache" / "fashionnet" / "FashionMNIST" / "raw"
    before = (raw / "t10k-images-idx3-ubyte").stat().st_mtime_ns
    load_dataset("train", download=False)
    assert (raw / "t10k-images-idx3-ubyte").stat().st_mtime_ns == before


def test_load_dataset_returns_torchvision_dataset(fake_root, no_data_sources):
    image, label = load_dataset("test", root=fake_root)[3]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32
    assert 0 <= image.min() <= image.max() <= 1
    assert label == 3


def test_load_dataset_without_data_raises_clear_error(no_data_sources):
    with pytest.raises(DataNotFoundError, match="dataset-fashion-mnist"):
        load_dataset("test", root=no_data_sources / "nothing", download=False)


def test_load_dataset_failed_download_raises_clear_error(no_data_sources, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(data_module.datasets.FashionMNIST, "download", refuse)
    with pytest.raises(DataNotFoundError, match="download failed.*FASHIONNET_DATA"):
        load_dataset("test", root=no_data_sources / "nothing")


def test_load_dataset_rejects_unknown_split():
    with pytest.raises(ValueError, match="'validation'"):
        load_dataset("validation")


def fake_sizes(train: int, test: int) -> dict[str, int]:
    return {
        "train-images-idx3-ubyte": 16 + train * 784,
        "train-labels-idx1-ubyte": 8 + train,
        "t10k-images-idx3-ubyte": 16 + test * 784,
        "t10k-labels-idx1-ubyte": 8 + test,
    }
