import pytest
import torch
from fakes import write_fake_split

from fashionnet import (
    CLASSES,
    CLASSES_JA,
    DataCorruptError,
    DataNotFoundError,
    class_names,
    load_dataset,
)
from fashionnet import data as data_module


@pytest.fixture
def fake_debian(no_data_sources, monkeypatch):
    """Debian's folder of .gz files, holding small fake splits."""
    debian = no_data_sources / "debian"
    digests = write_fake_split(debian, "train", 20, gz=True)
    digests |= write_fake_split(debian, "test", 10, gz=True)
    monkeypatch.setattr(data_module, "DEBIAN_DIR", debian)
    monkeypatch.setattr(data_module, "_RAW_SHA256", digests)
    return debian


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


def test_load_dataset_unpacks_debian_files_once(no_data_sources, fake_debian):
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


def test_load_dataset_rejects_truncated_file(fake_root, no_data_sources):
    images = fake_root / "FashionMNIST" / "raw" / "t10k-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:-784])
    with pytest.raises(DataCorruptError, match="SHA-256 mismatch.*delete"):
        load_dataset("test", root=fake_root)


def test_load_dataset_rejects_swapped_splits(fake_root, no_data_sources):
    raw = fake_root / "FashionMNIST" / "raw"
    train, test = raw / "train-images-idx3-ubyte", raw / "t10k-images-idx3-ubyte"
    train_bytes = train.read_bytes()
    train.write_bytes(test.read_bytes())
    test.write_bytes(train_bytes)
    with pytest.raises(DataCorruptError, match="t10k-images-idx3-ubyte"):
        load_dataset("test", root=fake_root)


def test_load_dataset_repairs_corrupt_cache(no_data_sources, fake_debian):
    load_dataset("test", download=False)
    raw = no_data_sources / "cache" / "fashionnet" / "FashionMNIST" / "raw"
    (raw / "t10k-labels-idx1-ubyte").write_bytes(b"\x00" * 18)
    assert len(load_dataset("test", download=False)) == 10


def test_load_dataset_rejects_truncated_debian_archive(fake_debian):
    archive = fake_debian / "t10k-images-idx3-ubyte.gz"
    archive.write_bytes(archive.read_bytes()[:100])
    with pytest.raises(DataCorruptError, match="--reinstall dataset-fashion-mnist"):
        load_dataset("test", download=False)


def test_load_dataset_warns_when_root_lacks_data(
    fake_root, no_data_sources, monkeypatch, caplog
):
    monkeypatch.setenv("FASHIONNET_DATA", str(fake_root))
    typo = no_data_sources / "typo"
    assert len(load_dataset("test", root=typo)) == 10
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert str(typo) in caplog.text and "(from root)" in caplog.text


def test_load_dataset_warns_when_env_folder_lacks_data(
    no_data_sources, monkeypatch, caplog
):
    typo = no_data_sources / "typo"
    monkeypatch.setenv("FASHIONNET_DATA", str(typo))
    with pytest.raises(DataNotFoundError):
        load_dataset("test", download=False)
    assert str(typo) in caplog.text and "(from FASHIONNET_DATA)" in caplog.text
