"""Small FashionMNIST look-alikes in the original IDX format."""

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np

RAW_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format of the original files."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_fake_split(
    raw: Path, split: str, count: int, gz: bool = False
) -> dict[str, str]:
    """Write `count` random images and labels as one split's IDX files.

    Returns the SHA-256 of each unpacked file, for `data._RAW_SHA256`.
    """
    rng = np.random.default_rng(len(split) + count)
    images = rng.integers(0, 256, size=(count, 28, 28))
    labels = np.arange(count) % 10
    raw.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, array in zip(RAW_NAMES[split], (images, labels), strict=True):
        data = idx_bytes(array)
        digests[name] = hashlib.sha256(data).hexdigest()
        if gz:
            (raw / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (raw / name).write_bytes(data)
    return digests
