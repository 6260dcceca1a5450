"""Saving and loading trained networks as safetensors files, never pickle.

A checkpoint holds the network's tensors plus text metadata: the
architecture, the normalization and class names it was trained with, its
test accuracy and the library versions. Loading checks all of it before
any weight reaches a model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import platform
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import safetensors
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from torch import nn

from fashionnet import data as data_module
from fashionnet import model as model_module
from fashionnet import train as train_module
from fashionnet.data import CLASSES, CLASSES_JA, MEAN, STD, load_dataset
from fashionnet.device import get_device
from fashionnet.model import NeuralNetwork
from fashionnet.train import (
    Recipe,
    evaluate,
    matmul_dtype,
    to_tensors,
    train_model,
)

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "cached_model",
    "load_checkpoint",
    "save_checkpoint",
]

logger = logging.getLogger(__name__)

FORMAT = "fashionnet-checkpoint"
FORMAT_VERSION = 1


class CheckpointError(ValueError):
    """A file is not a checkpoint this version of fashionnet can load."""


class Checkpoint(NamedTuple):
    """What [`load_checkpoint`][fashionnet.load_checkpoint] returns.

    Attributes:
        model: The network with the saved weights, in evaluation mode.
        metadata: The saved metadata, decoded: `architecture`, `final_relu`,
            `mean`, `std`, `classes`, `classes_ja`, `test_accuracy` (or
            None), `recipe` (a dict with the recipe's fields and the
            `matmul_dtype` its precision chose, or None) and `versions`.
    """

    model: NeuralNetwork
    metadata: dict[str, Any]


def _metadata(model: NeuralNetwork, test_accuracy, recipe) -> dict[str, str]:
    """Every value JSON-encoded: safetensors metadata holds only strings."""
    values = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "architecture": type(model).__name__,
        "final_relu": bool(getattr(model, "final_relu", False)),
        "mean": MEAN,
        "std": STD,
        "classes": list(CLASSES),
        "classes_ja": list(CLASSES_JA),
        "test_accuracy": test_accuracy,
        "recipe": _recipe_record(model, recipe),
        "versions": {
            "fashionnet": _package_version(),
            "torch": torch.__version__,
            "safetensors": safetensors.__version__,
            "python": platform.python_version(),
        },
    }
    return {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}


def _recipe_record(model: NeuralNetwork, recipe: Recipe | None) -> dict | None:
    """The recipe's fields, plus the dtype its precision meant where it ran.

    `precision="auto"` depends on the hardware, so the dtype it chose on the
    model's device (where it was trained, unless it was moved) is recorded as
    `matmul_dtype`.
    """
    if recipe is None:
        return None
    device = next(model.parameters()).device
    dtype = str(matmul_dtype(recipe.precision, device)).removeprefix("torch.")
    return dataclasses.asdict(recipe) | {"matmul_dtype": dtype}


def _package_version() -> str:
    # Imported when called: fashionnet/__init__.py imports this module first.
    from fashionnet import __version__

    return __version__


def save_checkpoint(
    model: NeuralNetwork,
    path: str | os.PathLike[str],
    *,
    test_accuracy: float | None = None,
    recipe: Recipe | None = None,
) -> Path:
    """Write `model`'s weights and metadata to a safetensors file.

    The file is written beside its final name and then renamed, so a reader
    never sees half a checkpoint. Tensors are copied to the CPU first: a
    model saved on a GPU loads anywhere.

    Args:
        model: A [`NeuralNetwork`][fashionnet.NeuralNetwork], on any device.
        path: Where to write; missing folders are created.
        test_accuracy: Stored in the metadata, e.g. from
            [`evaluate`][fashionnet.evaluate].
        recipe: The [`Recipe`][fashionnet.Recipe] it was trained with.

    Returns:
        The path written.

    Raises:
        OSError: `path` cannot be written; the message names it.

    Examples:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> path = save_checkpoint(NeuralNetwork(), folder / "model.safetensors")
        >>> load_checkpoint(path).metadata["final_relu"]
        False
    """
    path = Path(path)
    tensors = {
        name: tensor.detach().cpu().contiguous()
        for name, tensor in model.state_dict().items()
    }
    try:
        _write(path, tensors, _metadata(model, test_accuracy, recipe))
    except (OSError, SafetensorError) as err:
        # Name the checkpoint, not the temporary file the error may mention.
        reason = (isinstance(err, OSError) and err.strerror) or err
        kind = type(err) if isinstance(err, OSError) else OSError
        raise kind(f"cannot write the checkpoint {path} ({reason})") from err
    logger.info("saved checkpoint %s", path)
    return path


def _write(path: Path, tensors: dict[str, torch.Tensor], metadata) -> None:
    """Write beside `path`, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as tmp:
        pass
    try:
        save_file(tensors, tmp.name, metadata=metadata)
        os.replace(tmp.name, path)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise


def _read(path: Path) -> tuple[dict[str, str], dict[str, torch.Tensor]]:
    """The raw metadata and the tensors, on the CPU, or a CheckpointError."""
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a checkpoint file")
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    try:
        with safe_open(path, framework="pt", device="cpu") as file:
            metadata = file.metadata() or {}
            tensors = {name: file.get_tensor(name) for name in file.keys()}
    except (SafetensorError, OSError) as err:
        raise CheckpointError(
            f"{path} is not a safetensors file ({err}){_pickle_hint(path)}"
        ) from None
    return metadata, tensors


def _pickle_hint(path: Path) -> str:
    """A hint when the file starts like torch.save's zip or a bare pickle."""
    try:
        with path.open("rb") as file:
            head = file.read(2)
    except OSError:
        return ""
    if head == b"PK" or head[:1] == b"\x80":
        return "; it looks like a pickle or a torch.save .pt file"
    return ""


def _decode(path: Path, raw: dict[str, str]) -> dict[str, Any]:
    """Parse and check the metadata against this version of fashionnet."""
    if raw.get("format") != json.dumps(FORMAT):
        raise CheckpointError(
            f"{path} is a safetensors file but not a fashionnet checkpoint"
        )
    try:
        metadata = {key: json.loads(value) for key, value in raw.items()}
    except json.JSONDecodeError as err:
        raise CheckpointError(f"{path} has unreadable metadata ({err})") from None
    expected = {
        "format_version": FORMAT_VERSION,
        "architecture": "NeuralNetwork",
        "mean": MEAN,
        "std": STD,
        "classes": list(CLASSES),
    }
    for key, value in expected.items():
        if metadata.get(key) != value:
            raise CheckpointError(
                f"{path} was saved with {key}={metadata.get(key)!r}; "
                f"this fashionnet needs {value!r}"
            )
    _check_types(path, metadata)
    return metadata


# What each optional metadata value must be, for `info` and `load_checkpoint`
# to use it without surprises (a bool "final_relu" chooses the architecture).
_TYPES = {
    "final_relu": lambda v: isinstance(v, bool),
    "test_accuracy": lambda v: (
        v is None
        or (isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1)
    ),
    "recipe": lambda v: v is None or isinstance(v, dict),
    "versions": lambda v: isinstance(v, dict),
}


def _check_types(path: Path, metadata: dict[str, Any]) -> None:
    for key, valid in _TYPES.items():
        if key not in metadata:
            raise CheckpointError(f"{path} lacks the metadata {key!r}")
        if not valid(metadata[key]):
            raise CheckpointError(
                f"{path} has an invalid {key!r} in its metadata: {metadata[key]!r}"
            )


def _check_shapes(
    path: Path, tensors: dict[str, torch.Tensor], model: nn.Module
) -> None:
    """Name the first missing, unexpected or wrongly shaped tensor."""
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    found = {name: tuple(t.shape) for name, t in tensors.items()}
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            raise CheckpointError(f"{path} lacks the tensor {name}")
        if name not in expected:
            raise CheckpointError(f"{path} has an unexpected tensor {name}")
        if found[name] != expected[name]:
            raise CheckpointError(
                f"{path}: {name} has shape {found[name]}, expected {expected[name]}"
            )
        _check_values(path, name, tensors[name])


def _check_values(path: Path, name: str, tensor: torch.Tensor) -> None:
    """float32 and finite, as training leaves them; nothing is cast silently."""
    if tensor.dtype != torch.float32:
        raise CheckpointError(f"{path}: {name} is {tensor.dtype}, expected float32")
    if not torch.isfinite(tensor).all():
        raise CheckpointError(f"{path}: {name} holds NaN or infinite values")


def load_checkpoint(
    path: str | os.PathLike[str], device: torch.device | str | None = None
) -> Checkpoint:
    """Load a checkpoint written by [`save_checkpoint`][fashionnet.save_checkpoint].

    Nothing is unpickled: safetensors holds only tensors and text. The
    metadata (format, architecture, normalization, class names) and every
    tensor's name and shape are checked before the weights are loaded.

    Args:
        path: A `.safetensors` file.
        device: Where to put the model; defaults to
            [`get_device`][fashionnet.get_device], whatever device it was
            saved from.

    Raises:
        FileNotFoundError: No file at `path`.
        IsADirectoryError: `path` is a folder.
        CheckpointError: Not a safetensors file, not a fashionnet
            checkpoint, missing or invalid metadata, or tensors of the
            wrong names, shapes or dtype, or holding NaN.
    """
    path = Path(path)
    raw, tensors = _read(path)
    metadata = _decode(path, raw)
    model = NeuralNetwork(final_relu=bool(metadata.get("final_relu")))
    _check_shapes(path, tensors, model)
    model.load_state_dict(tensors)
    model.to(device if device is not None else get_device())
    model.eval()
    return Checkpoint(model, metadata)


def _cache_key(recipe: Recipe, final_relu: bool, device: torch.device) -> str:
    """Changes whenever the code or settings that shape the weights change."""
    digest = hashlib.sha256()
    for module in (model_module, train_module, data_module):
        digest.update(Path(module.__file__).read_bytes())
    dtype = str(matmul_dtype(recipe.precision, device))  # "auto" depends on the CPU
    settings = [repr(recipe), final_relu, device.type, dtype, torch.__version__]
    digest.update(json.dumps(settings).encode())
    return digest.hexdigest()[:16]


def cached_model(
    recipe: Recipe = Recipe(),
    *,
    final_relu: bool = False,
    device: torch.device | str | None = None,
    cache: str | os.PathLike[str] | None = None,
) -> Checkpoint:
    """Return a trained network, training it only the first time.

    The checkpoint is kept under `cache` (default: `models/` in fashionnet's
    cache folder), named by a hash of the package's model, training and data
    code, the recipe, `final_relu`, the device type, the dtype of the
    matrix multiplications and the torch version;
    any change to one of them trains afresh. Useful when building the site.

    Args:
        recipe: How to train.
        final_relu: Train the variant with a ReLU after the last layer.
        device: Where to train and load; defaults to
            [`get_device`][fashionnet.get_device].
        cache: The folder holding cached checkpoints.
    """
    device = torch.device(device) if device is not None else get_device()
    folder = Path(cache) if cache is not None else data_module.cache_dir() / "models"
    path = folder / f"{_cache_key(recipe, final_relu, device)}.safetensors"
    if path.is_file():
        try:
            return load_checkpoint(path, device)
        except CheckpointError as err:
            logger.warning("ignoring unusable cached checkpoint: %s", err)
    logger.info("training %s (final_relu=%s) for the cache", recipe, final_relu)
    result = train_model(recipe, final_relu=final_relu, device=device)
    test = evaluate(result.model, to_tensors(load_dataset("test"), device))
    save_checkpoint(result.model, path, test_accuracy=test.accuracy, recipe=recipe)
    return load_checkpoint(path, device)
