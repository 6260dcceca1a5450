"""The `fashionnet` command: train, evaluate, predict and describe the network."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import torch
from tqdm import tqdm

from fashionnet import __version__
from fashionnet.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from fashionnet.data import DataCorruptError, class_names, load_dataset
from fashionnet.device import get_device
from fashionnet.image import ImageError, load_image
from fashionnet.model import NeuralNetwork, predict
from fashionnet.train import (
    PRECISIONS,
    EpochStats,
    Recipe,
    evaluate,
    matmul_dtype,
    to_tensors,
    train_model,
)

__all__ = ["main"]

# Errors a user can cause and fix (a wrong path, a file of the wrong kind,
# missing data): reported as one line and exit code 2, without a traceback.
USER_ERRORS = (OSError, CheckpointError, DataCorruptError, ImageError)


class _Parser(argparse.ArgumentParser):
    """Reports usage errors in one line, like every other user error."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its errors
    return parse


def _seed(text: str) -> int:
    value = int(text)
    # torch.manual_seed takes 64-bit integers only.
    if not 0 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"must lie in 0..2**63-1, got {text}")
    return value


def _folder(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no folder at {text}")
    return path


def _check_writable(path: Path) -> None:
    """Fail before training, not minutes later, if `path` cannot be written."""
    if path.is_dir():
        raise IsADirectoryError(f"--out {path} is a folder; name a file in it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}."):
            pass
    except OSError as err:
        reason = err.strerror or err
        raise type(err)(f"cannot write --out {path} ({reason})") from None


def _train(args: argparse.Namespace) -> int:
    recipe = Recipe(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        precision=args.precision,
    )
    _check_writable(args.out)
    device = get_device()
    train = to_tensors(load_dataset("train", root=args.data), device)
    test = to_tensors(load_dataset("test", root=args.data), device)
    with tqdm(total=recipe.epochs, desc="train", unit="epoch", file=sys.stderr) as bar:
        on_epoch = partial(_show_epoch, bar)
        result = train_model(
            recipe, train, final_relu=args.final_relu, device=device, on_epoch=on_epoch
        )
    accuracy = evaluate(result.model, test).accuracy
    path = save_checkpoint(
        result.model, args.out, test_accuracy=accuracy, recipe=recipe
    )
    print(f"test accuracy: {accuracy:.2%} ({len(test.labels):,} images)")
    epochs = f"{recipe.epochs} epoch{'s' if recipe.epochs != 1 else ''}"
    dtype = str(matmul_dtype(recipe.precision, device)).removeprefix("torch.")
    print(f"training time: {result.seconds:.1f} s ({epochs}, {device}, {dtype})")
    print(f"saved: {path}")
    return 0


def _show_epoch(bar: tqdm, stats: EpochStats) -> None:
    bar.update(1)
    # A dict keeps this order; keyword arguments would be sorted by name.
    bar.set_postfix({"loss": f"{stats.loss:.4f}", "accuracy": f"{stats.accuracy:.2%}"})
    bar.write(
        f"epoch {stats.epoch}: loss {stats.loss:.4f}, train accuracy "
        f"{stats.accuracy:.2%}, {stats.seconds:.1f} s",
        file=sys.stderr,
    )


def _evaluate(args: argparse.Namespace) -> int:
    model, _ = load_checkpoint(args.model)
    device = next(model.parameters()).device
    test = to_tensors(load_dataset("test", root=args.data), device)
    result = evaluate(model, test)
    print(f"test accuracy: {result.accuracy:.2%} ({len(test.labels):,} images)")
    print(f"test loss: {result.loss:.4f}")
    names = class_names(args.lang)
    width = max(_width(name) for name in names)
    header = ("class", "accuracy") if args.lang == "en" else ("クラス", "正解率")
    # The numbers are right-aligned in 8 columns; so is the header above them.
    print(f"{_pad(header[0], width)}  {' ' * (8 - _width(header[1]))}{header[1]}")
    for name, accuracy in zip(names, result.per_class_accuracy.tolist(), strict=True):
        print(f"{_pad(name, width)}  {accuracy:8.2%}")
    return 0


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (e.g. Japanese) characters take 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _predict(args: argparse.Namespace) -> int:
    model, _ = load_checkpoint(args.model)
    images = torch.stack([load_image(path) for path in args.images])  # (N, 28, 28)
    result = predict(model, images)
    names = class_names(args.lang)
    for path, label, probabilities in zip(
        args.images, result.labels.tolist(), result.probabilities, strict=True
    ):
        print(f"{path}: {names[label]} ({probabilities[label].item():.1%})")
    return 0


def _info(args: argparse.Namespace) -> int:
    if args.model is not None:
        model, metadata = load_checkpoint(args.model, device="cpu")
    else:
        model, metadata = NeuralNetwork(final_relu=args.final_relu), None
    print(model)
    count = sum(p.numel() for p in model.parameters())
    print(f"parameters: {count:,}")
    if metadata is not None:
        if metadata.get("test_accuracy") is not None:
            print(f"test accuracy: {metadata['test_accuracy']:.2%}")
        print(f"recipe: {metadata.get('recipe')}")
        print(f"versions: {metadata.get('versions')}")
    return 0


def _add_train(commands: argparse._SubParsersAction) -> None:
    default = Recipe()
    parser = commands.add_parser(
        "train",
        help="train the network on FashionMNIST and save a checkpoint",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--epochs",
        type=_positive(int),
        default=default.epochs,
        help="passes over the training set",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive(int),
        default=default.batch_size,
        help="images per step",
    )
    parser.add_argument(
        "--lr", type=_positive(float), default=default.lr, help="peak learning rate"
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=default.seed,
        help="seeds the initial weights and the shuffling",
    )
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=default.precision,
        help="dtype of the matrix multiplications; auto: bfloat16 on a CPU "
        "with AVX512-BF16 or AMX or a CUDA GPU with bfloat16, else float32",
    )
    parser.add_argument(
        "--final-relu",
        action="store_true",
        help="add the classic tutorial's ReLU after the last layer",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("fashionnet.safetensors"),
        help="where to save the checkpoint",
    )
    parser.set_defaults(run=_train)


def _add_model_commands(commands: argparse._SubParsersAction) -> None:
    evaluate_parser = commands.add_parser(
        "evaluate", help="test accuracy of a checkpoint, overall and per class"
    )
    predict_parser = commands.add_parser(
        "predict", help="classify PNG or JPEG images with a checkpoint"
    )
    predict_parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    for parser, run in ((evaluate_parser, _evaluate), (predict_parser, _predict)):
        parser.add_argument("--model", type=Path, required=True, help="checkpoint")
        parser.add_argument(
            "--lang", choices=["en", "ja"], default="en", help="class names"
        )
        parser.set_defaults(run=run)
    info_parser = commands.add_parser(
        "info", help="the architecture and its parameter count"
    )
    info_parser.add_argument("--model", type=Path, help="describe this checkpoint")
    info_parser.add_argument("--final-relu", action="store_true")
    info_parser.set_defaults(run=_info)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fashionnet",
        description="Train, evaluate and use the FashionMNIST classifier.",
    )
    parser.add_argument(
        "--version", action="version", version=f"fashionnet {__version__}"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    _add_train(commands)
    _add_model_commands(commands)
    for name in ("train", "evaluate"):
        commands.choices[name].add_argument(
            "--data", type=_folder, help="folder holding FashionMNIST/raw/"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="fashionnet: %(message)s")
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`fashionnet evaluate ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except USER_ERRORS as err:
        message = " ".join(str(err).split())  # always one line
        print(f"fashionnet: error: {message}", file=sys.stderr)
        return 2
