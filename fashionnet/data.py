"""FashionMNIST through torchvision, found offline when possible."""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from torchvision import datasets, transforms

__all__ = [
    "CLASSES",
    "CLASSES_JA",
    "DEBIAN_DIR",
    "DataCorruptError",
    "DataNotFoundError",
    "MEAN",
    "STD",
    "class_names",
    "load_dataset",
]

logger = logging.getLogger(__name__)

CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""Class names in label order: label 0 is "T-shirt/top", label 9 "Ankle boot"."""

CLASSES_JA: tuple[str, ...] = (
    "Tシャツ/トップス",
    "ズボン",
    "プルオーバー",
    "ドレス",
    "コート",
    "サンダル",
    "シャツ",
    "スニーカー",
    "バッグ",
    "アンクルブーツ",
)
"""The same ten classes in Japanese, in the same label order."""

MEAN = 0.2860
"""Mean of the training pixels after `ToTensor` (values in [0, 1])."""
STD = 0.3530
"""Standard deviation of the training pixels after `ToTensor`."""

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
"""Where Debian's `dataset-fashion-mnist` package puts the original files."""

# SHA-256 of the four original files once unpacked. Checking them catches a
# truncated download, a wrong item count or magic number, and train and test
# files swapped, before torchvision reads them as silently wrong data.
_RAW_SHA256 = {
    "train-images-idx3-ubyte": (
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
    ),
    "train-labels-idx1-ubyte": (
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
    ),
    "t10k-images-idx3-ubyte": (
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
    ),
    "t10k-labels-idx1-ubyte": (
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
    ),
}
_SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DataNotFoundError(FileNotFoundError):
    """No copy of FashionMNIST could be found or downloaded."""


class DataCorruptError(ValueError):
    """Files named like FashionMNIST's are not the original data."""


def class_names(lang: Literal["en", "ja"] = "en") -> tuple[str, ...]:
    """Return the ten class names in label order, in English or Japanese.

    Examples:
        >>> class_names("ja")[9]
        'アンクルブーツ'
    """
    if lang not in ("en", "ja"):
        raise ValueError(f"lang must be 'en' or 'ja', not {lang!r}")
    return CLASSES if lang == "en" else CLASSES_JA


def cache_dir() -> Path:
    """Folder where fashionnet keeps unpacked data (`$XDG_CACHE_HOME`)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fashionnet"


def _has_raw(root: Path, split: str) -> bool:
    raw = root / "FashionMNIST" / "raw"
    return all((raw / name).is_file() for name in _SPLIT_FILES[split])


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _verify(raw: Path, names: Iterable[str], fix: str) -> None:
    """Raise `DataCorruptError` unless each file is the original one."""
    for name in names:
        if _sha256(raw / name) != _RAW_SHA256[name]:
            raise DataCorruptError(
                f"{raw / name} is not the original FashionMNIST file (SHA-256 "
                f"mismatch: truncated, swapped or other data); {fix}"
            )


def _unpack_debian(source: Path, target: Path) -> Path | None:
    """Unpack Debian's `.gz` files under `target/FashionMNIST/raw/` once."""
    if not all((source / f"{name}.gz").is_file() for name in _RAW_SHA256):
        return None
    raw = target / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, digest in _RAW_SHA256.items():
        out = raw / name
        if out.is_file() and _sha256(out) == digest:
            continue  # unpacked by an earlier call
        logger.info("unpacking %s.gz into %s", name, raw)
        # Write beside the target, then rename: a killed process never
        # leaves a half-written file under the real name.
        with tempfile.NamedTemporaryFile(dir=raw, delete=False) as tmp:
            try:
                with gzip.open(source / f"{name}.gz") as gz:
                    shutil.copyfileobj(gz, tmp)
            except (OSError, EOFError) as err:
                Path(tmp.name).unlink()
                raise DataCorruptError(
                    f"cannot unpack {source / name}.gz ({err}); reinstall it: "
                    "apt-get install --reinstall dataset-fashion-mnist"
                ) from None
        os.replace(tmp.name, out)
        _verify(raw, [name], "reinstall dataset-fashion-mnist")
    return target


def _candidates(
    root: str | os.PathLike[str] | None,
) -> Iterator[tuple[Path, str | None]]:
    """Folders to look in, in order, each with what named it (None: found).

    Debian's files are unpacked only if reached.
    """
    if root is not None:
        yield Path(root), "root"
    if os.environ.get("FASHIONNET_DATA"):
        yield Path(os.environ["FASHIONNET_DATA"]), "FASHIONNET_DATA"
    debian = _unpack_debian(DEBIAN_DIR, cache_dir())
    if debian is not None:
        yield debian, None


def load_dataset(
    split: Literal["train", "test"],
    root: str | os.PathLike[str] | None = None,
    download: bool = True,
    transform: object | None = None,
) -> datasets.FashionMNIST:
    """Return torchvision's `FashionMNIST` for the `"train"` or `"test"` split.

    Data is looked for in this order: `root`; the folder named by the
    `FASHIONNET_DATA` environment variable; Debian's `dataset-fashion-mnist`
    package (unpacked once into the user cache); last, torchvision's download
    into the first of `root`, `FASHIONNET_DATA` or the cache. Each folder
    holds the files under `FashionMNIST/raw/`, as torchvision lays them out.
    A folder given by `root` or `FASHIONNET_DATA` that lacks the files is
    logged as a warning, naming it, before the search moves on.

    Args:
        split: `"train"` (60,000 images) or `"test"` (10,000 images).
        root: A folder to look in first.
        download: Whether to download when no local copy is found.
        transform: Applied to each image; defaults to `ToTensor()`, which
            gives float tensors shaped (1, 28, 28) with values in [0, 1].

    Raises:
        DataNotFoundError: No copy was found and none could be downloaded.
        DataCorruptError: The files found are not the original ones
            (checked by SHA-256), e.g. truncated or train and test swapped.

    Examples:
        >>> test_data = load_dataset("test")
        >>> len(test_data)
        10000
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    transform = transforms.ToTensor() if transform is None else transform
    candidates: list[Path] = []
    for folder, named_by in _candidates(root):
        candidates.append(folder)
        if _has_raw(folder, split):
            raw = folder / "FashionMNIST" / "raw"
            _verify(raw, _SPLIT_FILES[split], f"delete {raw} and load again")
            return datasets.FashionMNIST(
                folder, train=split == "train", transform=transform
            )
        if named_by is not None:
            # A folder the user named is passed over: say so, or a typo
            # would go unnoticed while another copy is used.
            logger.warning(
                "no FashionMNIST %s files under %s (from %s); looking further",
                split,
                folder / "FashionMNIST" / "raw",
                named_by,
            )
    if download:
        target = candidates[0] if candidates else cache_dir()
        try:
            dataset = datasets.FashionMNIST(
                target, train=split == "train", transform=transform, download=True
            )
        except Exception as err:  # torchvision raises many kinds here
            reason = f"download failed ({type(err).__name__}: {err})"
        else:
            raw = Path(dataset.raw_folder)
            _verify(raw, _SPLIT_FILES[split], f"delete {raw} and download again")
            return dataset
    else:
        reason = "download=False"
    raise DataNotFoundError(_not_found_message(candidates, reason))


def _not_found_message(searched: list[Path], reason: str) -> str:
    where = ", ".join(str(p) for p in searched) or "no folder"
    return (
        f"FashionMNIST not found (looked in: {where}; {reason}). "
        "Pass root=..., set FASHIONNET_DATA to a folder holding "
        "FashionMNIST/raw/, or install the Debian package "
        "dataset-fashion-mnist (apt-get install dataset-fashion-mnist)."
    )
