"""Every bad input a reader can plausibly give, and the error it must produce.

One table: each row builds a bad input under a temporary folder and says
how it is used (an API call, or `fashionnet ...` arguments) and what must
come out: an exception of a given type, or for the command line exit code 2
with one line on stderr. Both must match a message that says what is wrong.
A few rows are inputs that look odd but are accepted (RGBA, palette and
16-bit PNGs, uint8 tensors): they must work, and say so in the table.
"""

from __future__ import annotations

import io
import json
import pickle
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
import torch
from fakes import RAW_NAMES, write_fake_split
from PIL import Image, ImageFile
from safetensors.torch import save_file

from fashionnet import (
    CheckpointError,
    DataCorruptError,
    ImageError,
    NeuralNetwork,
    load_checkpoint,
    load_dataset,
    load_image,
    predict,
    save_checkpoint,
)
from fashionnet import data as data_module
from fashionnet.checkpoint import _metadata
from fashionnet.cli import main

ROOT = Path(__file__).resolve().parent.parent

EXIT_2 = "exit code 2"  # a command-line user error: one line on stderr
WORKS = "works"  # an odd input that is accepted: the call succeeds

# ---------------------------------------------------------------- builders


def _model() -> NeuralNetwork:
    torch.manual_seed(0)
    return NeuralNetwork()


def _checkpoint(tmp: Path) -> Path:
    return save_checkpoint(_model(), tmp / "good.safetensors")


def _forged(tmp: Path, tensors=None, **metadata: Any) -> Path:
    """A safetensors file like a checkpoint, with tensors or metadata changed."""
    model = _model()
    state = dict(model.state_dict()) | (tensors or {})
    raw = _metadata(model, None, None)
    for key, value in metadata.items():
        if value is _DROP:
            del raw[key]
        else:
            raw[key] = value if isinstance(value, _Raw) else json.dumps(value)
    path = tmp / "forged.safetensors"
    save_file({k: v for k, v in state.items() if v is not None}, path, metadata=raw)
    return path


_DROP = object()


class _Raw(str):
    """Metadata text stored as is, not JSON-encoded."""


def _png(tmp: Path, image: Image.Image, name: str = "image.png") -> Path:
    image.save(tmp / name)
    return tmp / name


def _garment(mode: str) -> Image.Image:
    """A bright block on a dark ground, in a given Pillow mode."""
    pixels = np.zeros((40, 30), dtype=np.uint8)
    pixels[5:35, 8:22] = 220
    gray = Image.fromarray(pixels)
    if mode == "I;16":
        return Image.fromarray(pixels.astype(np.uint16) * 257)
    return gray.convert(mode)


def _truncated_png(tmp: Path) -> Path:
    buffer = io.BytesIO()
    noise = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)
    Image.fromarray(noise).save(buffer, "PNG")
    path = tmp / "half.png"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _header_only_png(tmp: Path, width: int, height: int) -> Path:
    """A PNG whose header claims a size but whose pixels are missing.

    Decoding it would fail as truncated; refusing it for its size proves the
    size is checked from the header, before any pixel is decoded.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit gray
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
    data += _chunk(b"IDAT", zlib.compress(b"\0" * 16)) + _chunk(b"IEND", b"")
    path = tmp / f"{width}x{height}.png"
    path.write_bytes(data)
    return path


def _raw_root(tmp: Path, monkeypatch, damage: Callable[[Path], None]) -> Path:
    """A data folder whose digests are registered, then damaged."""
    root = tmp / "data"
    raw = root / "FashionMNIST" / "raw"
    digests = write_fake_split(raw, "train", 20) | write_fake_split(raw, "test", 10)
    monkeypatch.setattr(data_module, "_RAW_SHA256", digests)
    damage(raw)
    return root


def _rewrite(name: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(raw: Path) -> None:
        (raw / name).write_bytes(edit((raw / name).read_bytes()))

    return damage


def _swap(raw: Path) -> None:
    for train, test in zip(RAW_NAMES["train"], RAW_NAMES["test"], strict=True):
        (raw / train).rename(raw / "swap")
        (raw / test).rename(raw / train)
        (raw / "swap").rename(raw / test)


def _debian(tmp: Path, monkeypatch, payload: Callable[[Path], bytes]) -> None:
    """Debian's folder of .gz files, the test images' one replaced by `payload`."""
    debian = tmp / "debian"
    digests = write_fake_split(debian, "train", 20, gz=True)
    digests |= write_fake_split(debian, "test", 10, gz=True)
    monkeypatch.setattr(data_module, "DEBIAN_DIR", debian)
    monkeypatch.setattr(data_module, "_RAW_SHA256", digests)
    gz = debian / "t10k-images-idx3-ubyte.gz"
    gz.write_bytes(payload(debian))


def _half(debian: Path) -> bytes:
    return (debian / "t10k-images-idx3-ubyte.gz").read_bytes()[:100]


def _train_images(debian: Path) -> bytes:
    return (debian / "train-images-idx3-ubyte.gz").read_bytes()


def _pickle_checkpoint(tmp: Path) -> Path:
    path = tmp / "model.safetensors"
    torch.save(_model().state_dict(), path)  # a pickle, whatever its name
    return path


def _predict(tmp: Path, image: Path, *extra: str) -> list[str]:
    return ["predict", "--model", str(_checkpoint(tmp)), *extra, str(image)]


def _images(tmp: Path, images) -> Callable[[], Any]:
    return lambda: predict(_model(), images)


def _dataset(root: Path, split: str = "test") -> Callable[[], Any]:
    return lambda: load_dataset(split, root=root, download=False)


# ------------------------------------------------------------------- table


class Row(NamedTuple):
    name: str
    build: Callable[[Path, pytest.MonkeyPatch], Callable[[], Any] | list[str]]
    expected: type[BaseException] | str
    message: str


ROWS = [
    # predict: shapes
    Row(
        "predict (32, 32)",
        lambda t, m: _images(t, torch.rand(32, 32)),
        ValueError,
        r"expected grayscale images shaped .* got \(32, 32\)",
    ),
    Row(
        "predict RGB (1, 3, 28, 28)",
        lambda t, m: _images(t, torch.rand(1, 3, 28, 28)),
        ValueError,
        r"got \(1, 3, 28, 28\)",
    ),
    Row(
        "predict flat (N, 784)",
        lambda t, m: _images(t, torch.rand(4, 784)),
        ValueError,
        r"got \(4, 784\)",
    ),
    Row(
        "predict one row (28,)",
        lambda t, m: _images(t, torch.rand(28)),
        ValueError,
        r"got \(28,\)",
    ),
    Row(
        "predict 5-D",
        lambda t, m: _images(t, torch.rand(2, 1, 1, 28, 28)),
        ValueError,
        r"got \(2, 1, 1, 28, 28\)",
    ),
    Row(
        "predict empty (0,)",
        lambda t, m: _images(t, torch.empty(0)),
        ValueError,
        r"got \(0,\)",
    ),
    Row(
        "predict empty batch (0, 28, 28)",
        lambda t, m: _images(t, torch.empty(0, 28, 28)),
        WORKS,
        r"torch.Size\(\[0, 10\]\)",
    ),
    Row(
        "predict (3, 28, 28) is three images",
        lambda t, m: _images(t, torch.rand(3, 28, 28)),
        WORKS,
        r"torch.Size\(\[3, 10\]\)",
    ),
    # predict: values and types
    Row(
        "predict uint8 0-255",
        lambda t, m: _images(t, torch.full((28, 28), 255, dtype=torch.uint8)),
        WORKS,
        r"torch.Size\(\[1, 10\]\)",
    ),
    Row(
        "predict float 0-255",
        lambda t, m: _images(t, torch.rand(28, 28) * 255),
        ValueError,
        r"expected pixel values in \[0, 1\].*divide 0-255 values by 255",
    ),
    Row(
        "predict negative values",
        lambda t, m: _images(t, torch.rand(28, 28) - 1),
        ValueError,
        r"expected pixel values in \[0, 1\]",
    ),
    Row(
        "predict NaN",
        lambda t, m: _images(t, torch.full((28, 28), float("nan"))),
        ValueError,
        "NaN or infinite",
    ),
    Row(
        "predict inf",
        lambda t, m: _images(t, torch.full((2, 28, 28), float("inf"))),
        ValueError,
        "NaN or infinite",
    ),
    Row(
        "predict int64",
        lambda t, m: _images(t, torch.zeros(28, 28, dtype=torch.int64)),
        TypeError,
        "expected float or uint8 images, got torch.int64",
    ),
    Row(
        "predict bool",
        lambda t, m: _images(t, torch.zeros(28, 28, dtype=torch.bool)),
        TypeError,
        "got torch.bool",
    ),
    Row(
        "predict sparse tensor",
        lambda t, m: _images(t, torch.rand(28, 28).to_sparse()),
        TypeError,
        "expected a dense tensor, got layout torch.sparse_coo",
    ),
    Row(
        "predict 1.0000001, just over 1",
        lambda t, m: _images(t, torch.full((28, 28), 1.0000001)),
        ValueError,
        r"got \[1\.0000001\d*, 1\.0000001\d*\]; divide 0-255 values by 255",
    ),
    Row(
        "predict numpy array",
        lambda t, m: _images(t, np.zeros((28, 28), dtype=np.float32)),
        TypeError,
        "expected a torch.Tensor, got ndarray",
    ),
    Row(
        "predict tensor on the meta device",
        lambda t, m: _images(t, torch.rand(28, 28, device="meta")),
        ValueError,
        "meta device",
    ),
    # load_image and `fashionnet predict`
    Row(
        "image missing",
        lambda t, m: _predict(t, t / "nothing.png"),
        EXIT_2,
        r"No such file or directory: .*nothing\.png",
    ),
    Row(
        "image is a folder",
        lambda t, m: _predict(t, t),
        EXIT_2,
        "is a folder, not an image file",
    ),
    Row(
        "image is text named .png",
        lambda t, m: _predict(t, _text(t / "notes.png")),
        EXIT_2,
        r"notes\.png is not an image file",
    ),
    Row(
        "image is an empty file",
        lambda t, m: _predict(t, _text(t / "empty.png", "")),
        EXIT_2,
        r"empty\.png is not an image file",
    ),
    Row(
        "image bad among several, `fashionnet predict`",
        lambda t, m: _predict(
            t, _text(t / "bad.png"), str(_png(t, _garment("L"), "good.png"))
        ),
        EXIT_2,
        r"bad\.png is not an image file",
    ),
    Row(
        "image truncated PNG",
        lambda t, m: _predict(t, _truncated_png(t)),
        EXIT_2,
        r"half\.png is damaged or truncated",
    ),
    Row(
        "image truncated PNG, API",
        lambda t, m: lambda: load_image(_truncated_png(t)),
        ImageError,
        "damaged or truncated",
    ),
    Row(
        "image 1x1",
        lambda t, m: _predict(t, _png(t, Image.new("L", (1, 1), 200))),
        EXIT_2,
        r"too small \(1×1 pixels\)",
    ),
    Row(
        "image 500x2",
        lambda t, m: lambda: load_image(_png(t, Image.new("L", (500, 2)))),
        ImageError,
        r"too small \(500×2 pixels\)",
    ),
    Row(
        "image 20000x20000",
        lambda t, m: _predict(t, _header_only_png(t, 20_000, 20_000)),
        EXIT_2,
        "is too large",
    ),
    Row(
        "image 8000x7000, over fashionnet's limit only",
        lambda t, m: lambda: load_image(_header_only_png(t, 8000, 7000)),
        ImageError,
        r"too large \(8000×7000 pixels\).*at most 50,000,000 pixels",
    ),
    Row(
        "image RGBA",
        lambda t, m: _predict(t, _png(t, _garment("RGBA"))),
        WORKS,
        r"image\.png: \w",
    ),
    Row(
        "image palette",
        lambda t, m: _predict(t, _png(t, _garment("P"))),
        WORKS,
        r"image\.png: \w",
    ),
    Row(
        "image 16-bit",
        lambda t, m: _predict(t, _png(t, _garment("I;16"))),
        WORKS,
        r"image\.png: \w",
    ),
    # dataset files
    Row(
        "data truncated .gz from Debian",
        lambda t, m: (_debian(t, m, _half), lambda: load_dataset("test"))[1],
        DataCorruptError,
        "cannot unpack .*apt-get install --reinstall dataset-fashion-mnist",
    ),
    Row(
        "data .gz that is not gzip",
        lambda t, m: (
            _debian(t, m, lambda d: b"<html>"),
            lambda: load_dataset("test"),
        )[1],
        DataCorruptError,
        "cannot unpack .*--reinstall dataset-fashion-mnist",
    ),
    Row(
        "data Debian .gz holds the train images",
        lambda t, m: (_debian(t, m, _train_images), lambda: load_dataset("test"))[1],
        DataCorruptError,
        "t10k-images-idx3-ubyte is not the original.*reinstall dataset-fashion",
    ),
    Row(
        "data truncated file",
        lambda t, m: _dataset(
            _raw_root(t, m, _rewrite("t10k-images-idx3-ubyte", lambda b: b[:999]))
        ),
        DataCorruptError,
        r"t10k-images-idx3-ubyte is not the original.*SHA-256.*delete .* and load",
    ),
    Row(
        "data wrong magic number",
        lambda t, m: _dataset(
            _raw_root(
                t, m, _rewrite("t10k-labels-idx1-ubyte", lambda b: b"\0\0\x0d" + b[3:])
            )
        ),
        DataCorruptError,
        r"t10k-labels-idx1-ubyte is not the original FashionMNIST file",
    ),
    Row(
        "data wrong item count",
        lambda t, m: _dataset(
            _raw_root(
                t,
                m,
                _rewrite(
                    "train-labels-idx1-ubyte",
                    lambda b: b[:4] + struct.pack(">I", 19) + b[8:-1],
                ),
            ),
            "train",
        ),
        DataCorruptError,
        r"train-labels-idx1-ubyte is not the original",
    ),
    Row(
        "data train and test swapped",
        lambda t, m: _dataset(_raw_root(t, m, _swap)),
        DataCorruptError,
        r"SHA-256 mismatch: truncated, swapped or other data",
    ),
    Row(
        "data swapped, `fashionnet evaluate`",
        lambda t, m: [
            "evaluate",
            "--model",
            str(_checkpoint(t)),
            "--data",
            str(_raw_root(t, m, _swap)),
        ],
        EXIT_2,
        r"not the original FashionMNIST file .*delete",
    ),
    Row(
        "data truncated, `fashionnet train`",
        lambda t, m: [
            "train",
            "--data",
            str(_raw_root(t, m, _rewrite("train-images-idx3-ubyte", lambda b: b[:9]))),
            "--out",
            str(t / "out.safetensors"),
        ],
        EXIT_2,
        r"train-images-idx3-ubyte is not the original",
    ),
    # checkpoints
    Row(
        "checkpoint missing",
        lambda t, m: lambda: load_checkpoint(t / "none.safetensors"),
        FileNotFoundError,
        "no checkpoint file at",
    ),
    Row(
        "checkpoint is a folder",
        lambda t, m: ["info", "--model", str(t)],
        EXIT_2,
        "is a folder, not a checkpoint file",
    ),
    Row(
        "checkpoint is a folder, API",
        lambda t, m: lambda: load_checkpoint(t),
        IsADirectoryError,
        "is a folder, not a checkpoint file",
    ),
    Row(
        "checkpoint truncated",
        lambda t, m: lambda: load_checkpoint(_cut(_checkpoint(t), 0.5)),
        CheckpointError,
        "is not a safetensors file",
    ),
    Row(
        "checkpoint truncated, `fashionnet predict`",
        lambda t, m: (
            _predict(t, t / "x.png")[:2] + [str(_cut(_checkpoint(t), 0.99)), "x.png"]
        ),
        EXIT_2,
        "is not a safetensors file",
    ),
    Row(
        "checkpoint empty file",
        lambda t, m: lambda: load_checkpoint(_text(t / "e.safetensors", "")),
        CheckpointError,
        "is not a safetensors file",
    ),
    Row(
        "checkpoint is a pickle named .safetensors",
        lambda t, m: lambda: load_checkpoint(_pickle_checkpoint(t)),
        CheckpointError,
        "is not a safetensors file .*looks like a pickle or a torch.save .pt file",
    ),
    Row(
        "checkpoint is a pickle, `fashionnet evaluate`",
        lambda t, m: ["evaluate", "--model", str(_pickle_checkpoint(t))],
        EXIT_2,
        "is not a safetensors file .*looks like a pickle",
    ),
    Row(
        "checkpoint wrong tensor shape",
        lambda t, m: (
            lambda: load_checkpoint(
                _forged(t, {"linear_relu_stack.0.weight": torch.zeros(512, 783)})
            )
        ),
        CheckpointError,
        r"linear_relu_stack\.0\.weight has shape \(512, 783\), expected \(512, 784\)",
    ),
    Row(
        "checkpoint missing tensor",
        lambda t, m: (
            lambda: load_checkpoint(_forged(t, {"linear_relu_stack.4.bias": None}))
        ),
        CheckpointError,
        r"lacks the tensor linear_relu_stack\.4\.bias",
    ),
    Row(
        "checkpoint extra tensor",
        lambda t, m: lambda: load_checkpoint(_forged(t, {"extra": torch.zeros(1)})),
        CheckpointError,
        "unexpected tensor extra",
    ),
    Row(
        "checkpoint float64 tensor",
        lambda t, m: (
            lambda: load_checkpoint(
                _forged(t, {"linear_relu_stack.4.bias": torch.zeros(10).double()})
            )
        ),
        CheckpointError,
        r"linear_relu_stack\.4\.bias is torch\.float64, expected float32",
    ),
    Row(
        "checkpoint NaN weights",
        lambda t, m: (
            lambda: load_checkpoint(
                _forged(
                    t, {"linear_relu_stack.4.bias": torch.full((10,), float("nan"))}
                )
            )
        ),
        CheckpointError,
        "holds NaN or infinite values",
    ),
    Row(
        "checkpoint without metadata (foreign safetensors)",
        lambda t, m: lambda: load_checkpoint(_bare(t)),
        CheckpointError,
        "is a safetensors file but not a fashionnet checkpoint",
    ),
    Row(
        "checkpoint newer format version",
        lambda t, m: lambda: load_checkpoint(_forged(t, format_version=2)),
        CheckpointError,
        "saved with format_version=2; this fashionnet needs 1",
    ),
    Row(
        "checkpoint other architecture",
        lambda t, m: lambda: load_checkpoint(_forged(t, architecture="ConvNet")),
        CheckpointError,
        "architecture='ConvNet'",
    ),
    Row(
        "checkpoint metadata not JSON",
        lambda t, m: lambda: load_checkpoint(_forged(t, recipe=_Raw("{oops"))),
        CheckpointError,
        "unreadable metadata",
    ),
    Row(
        "checkpoint metadata lacks final_relu",
        lambda t, m: lambda: load_checkpoint(_forged(t, final_relu=_DROP)),
        CheckpointError,
        "lacks the metadata 'final_relu'",
    ),
    Row(
        "checkpoint final_relu not a bool",
        lambda t, m: lambda: load_checkpoint(_forged(t, final_relu="no")),
        CheckpointError,
        "invalid 'final_relu'",
    ),
    Row(
        "checkpoint test_accuracy text, `fashionnet info`",
        lambda t, m: ["info", "--model", str(_forged(t, test_accuracy="high"))],
        EXIT_2,
        "invalid 'test_accuracy' in its metadata: 'high'",
    ),
    Row(
        "checkpoint test_accuracy over 1",
        lambda t, m: lambda: load_checkpoint(_forged(t, test_accuracy=91.5)),
        CheckpointError,
        "invalid 'test_accuracy'",
    ),
    Row(
        "checkpoint saved under /proc",
        lambda t, m: lambda: save_checkpoint(_model(), "/proc/fashionnet.safetensors"),
        OSError,
        r"cannot write the checkpoint /proc/fashionnet\.safetensors \(",
    ),
    # `fashionnet train --out`: checked before any data is loaded (there is
    # none here) and before training
    Row(
        "cli train --out is a folder",
        lambda t, m: ["train", "--out", str(t)],
        EXIT_2,
        r"--out .*row is a folder; name a file in it",
    ),
    Row(
        "cli train --out under /proc",
        lambda t, m: ["train", "--out", "/proc/fashionnet/out.safetensors"],
        EXIT_2,
        r"cannot write --out /proc/fashionnet/out\.safetensors \(",
    ),
    Row(
        "cli train --out inside a file",
        lambda t, m: ["train", "--out", str(_text(t / "notes") / "out.safetensors")],
        EXIT_2,
        r"cannot write --out .*notes/out\.safetensors \(",
    ),
    # command-line arguments
    Row(
        "cli --data folder missing",
        lambda t, m: ["evaluate", "--model", "m", "--data", str(t / "none")],
        EXIT_2,
        r"argument --data: no folder at .*none",
    ),
    Row(
        "cli --seed over 64 bits",
        lambda t, m: ["train", "--seed", "100000000000000000000000"],
        EXIT_2,
        r"argument --seed: must lie in 0\.\.2\*\*63-1",
    ),
    Row(
        "cli --seed negative",
        lambda t, m: ["train", "--seed", "-1"],
        EXIT_2,
        r"argument --seed: must lie in 0\.\.2\*\*63-1, got -1",
    ),
    Row(
        "cli unknown language",
        lambda t, m: _predict(t, t / "x.png", "--lang", "fr"),
        EXIT_2,
        r"argument --lang: invalid choice: 'fr'",
    ),
    Row(
        "cli predict without images",
        lambda t, m: ["predict", "--model", "m.safetensors"],
        EXIT_2,
        "the following arguments are required: IMAGE",
    ),
]


def _text(path: Path, text: str = "hello") -> Path:
    path.write_text(text)
    return path


def _cut(path: Path, fraction: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def _bare(tmp: Path) -> Path:
    save_file(dict(_model().state_dict()), tmp / "bare.safetensors")
    return tmp / "bare.safetensors"


# ------------------------------------------------------------------- tests


@pytest.fixture
def isolated(tmp_path, monkeypatch) -> Path:
    """No real data source: each row sees only what it builds."""
    monkeypatch.delenv("FASHIONNET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(data_module, "DEBIAN_DIR", tmp_path / "no-debian")
    monkeypatch.setattr("fashionnet.cli.get_device", lambda: torch.device("cpu"))
    monkeypatch.setattr("fashionnet.checkpoint.get_device", lambda: "cpu")
    folder = tmp_path / "row"
    folder.mkdir()
    return folder


def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse exits by itself
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_table_is_large_enough():
    failures = [row for row in ROWS if row.expected is not WORKS]
    assert len(failures) >= 30 and len({row.name for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_bad_input(row, isolated, monkeypatch, capsys):
    call = row.build(isolated, monkeypatch)
    if isinstance(call, list):
        code, out, err = run_cli(capsys, call)
        if row.expected is WORKS:
            assert code == 0 and re.search(row.message, out), err
            return
        assert (code, out, err.count("\n")) == (2, "", 1), err
        assert err.startswith("fashionnet") and re.search(row.message, err), err
    elif row.expected is WORKS:
        assert re.search(row.message, repr(call().probabilities.shape))
    else:
        with pytest.raises(row.expected, match=row.message):
            call()


# Rows run again as a real process: no traceback reaches the terminal.
SUBPROCESS_ROWS = [
    "image 20000x20000",
    "checkpoint is a pickle, `fashionnet evaluate`",
    "checkpoint test_accuracy text, `fashionnet info`",
]


@pytest.mark.parametrize("name", SUBPROCESS_ROWS)
def test_bad_input_in_a_real_process(name, isolated, monkeypatch):
    row = next(row for row in ROWS if row.name == name)
    done = subprocess.run(
        [sys.executable, "-m", "fashionnet", *row.build(isolated, monkeypatch)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(isolated / "cache")},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and re.search(row.message, done.stderr)


def test_huge_image_is_refused_before_decoding(tmp_path, monkeypatch):
    def decode(self):
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    with pytest.raises(ImageError, match="too large"):
        load_image(_header_only_png(tmp_path, 9000, 9000))


class _Payload:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_checkpoint_is_never_unpickled(tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(CheckpointError):
        load_checkpoint(path)
    assert not marker.exists()
