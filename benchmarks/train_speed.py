"""Time the classic tutorial's training loop, fashionnet's, and the recipes.

Run from the repository root (prints tables; about two minutes on 2 cores):

    .venv/bin/python -m benchmarks.train_speed

(a) the classic loop: torchvision's dataset with `ToTensor`, a `DataLoader`
    (batch 64, shuffled), plain SGD with learning rate 1e-3;
(b) fashionnet's loop (`fit`) with the same batch size and optimizer: the
    split decoded once into a tensor, mini-batches taken by indexing;
(c) the default recipe end to end: load, train, evaluate on all 10,000
    test images;
(d) the default recipe and the classic Adam recipe, each with and without
    the final ReLU.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import torch
from torch import nn
from torch.utils.data import DataLoader

from fashionnet import (
    NeuralNetwork,
    Recipe,
    evaluate,
    fit,
    load_dataset,
    to_tensors,
    train_model,
)

CLASSIC_SGD = Recipe(
    batch_size=64,
    lr=1e-3,
    optimizer="sgd",
    weight_decay=0.0,
    schedule="constant",
    label_smoothing=0.0,
)
# The recipe behind the classic final-ReLU figures: Adam, 5 epochs, batch 64.
CLASSIC_ADAM = Recipe(
    epochs=5,
    batch_size=64,
    lr=1e-3,
    weight_decay=0.0,
    schedule="constant",
    label_smoothing=0.0,
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if "model name" in line
            ]
        cpu = names[0] if names else cpu
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, load average {load}"
    )


def classic_loop(epochs: int) -> tuple[list[float], float]:
    """(a): per-epoch seconds and test accuracy of the DataLoader loop."""
    torch.manual_seed(0)
    model = NeuralNetwork()
    optimizer = torch.optim.SGD(model.parameters(), lr=CLASSIC_SGD.lr)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(load_dataset("train"), batch_size=64, shuffle=True)
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        for images, labels in loader:
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        seconds.append(time.perf_counter() - start)
    return seconds, classic_accuracy(model)


@torch.no_grad()
def classic_accuracy(model: nn.Module) -> float:
    correct = 0
    for images, labels in DataLoader(load_dataset("test"), batch_size=64):
        correct += (model(images).argmax(dim=1) == labels).sum().item()
    return correct / 10_000


def fashionnet_loop(epochs: int) -> tuple[list[float], float]:
    """(b): the same optimizer and batch size through `fit`."""
    recipe = Recipe(**{**vars(CLASSIC_SGD), "epochs": epochs})
    train = to_tensors(load_dataset("train"))
    torch.manual_seed(0)
    model = NeuralNetwork()
    history = fit(model, train, recipe)
    accuracy = evaluate(model, to_tensors(load_dataset("test"))).accuracy
    return [stats.seconds for stats in history], accuracy


def default_recipe(recipe: Recipe, final_relu: bool = False) -> dict[str, float]:
    """(c): wall time from raw files to test accuracy, and training time alone."""
    start = time.perf_counter()
    train = to_tensors(load_dataset("train"), "cpu")
    result = train_model(recipe, train, final_relu=final_relu, device="cpu")
    test = evaluate(result.model, to_tensors(load_dataset("test")))
    return {
        "accuracy": test.accuracy,
        "training": result.seconds,
        "total": time.perf_counter() - start,
        "first_epoch": result.history[0].seconds,
    }


def print_loops(epochs: int) -> None:
    classic, classic_acc = classic_loop(epochs)
    ours, ours_acc = fashionnet_loop(epochs)
    print(f"## Same loop settings: SGD lr 1e-3, batch 64, {epochs} epochs\n")
    print("| loop | seconds per epoch | median | test accuracy |")
    print("|---|---|---|---|")
    for name, seconds, accuracy in (
        ("(a) classic: DataLoader + ToTensor", classic, classic_acc),
        ("(b) fashionnet: tensors + indexing", ours, ours_acc),
    ):
        each = ", ".join(f"{s:.2f}" for s in seconds)
        median = statistics.median(seconds)
        print(f"| {name} | {each} | {median:.2f} | {accuracy:.2%} |")
    ratio = statistics.median(classic) / statistics.median(ours)
    print(f"\n(b) is {ratio:.1f}x faster per epoch than (a) (median over epochs)\n")


def print_recipes(final_relu: bool) -> None:
    runs = [("(c) default recipe", Recipe(), False)]
    if final_relu:
        runs += [
            ("(d) default recipe, final ReLU", Recipe(), True),
            ("(d) classic Adam, 5 epochs", CLASSIC_ADAM, False),
            ("(d) classic Adam, 5 epochs, final ReLU", CLASSIC_ADAM, True),
        ]
    print("## Recipes, full training set, full test set\n")
    print("| run | test accuracy | training s | first epoch s | load+train+test s |")
    print("|---|---|---|---|---|")
    for name, recipe, relu in runs:
        r = default_recipe(recipe, relu)
        print(
            f"| {name} | {r['accuracy']:.2%} | {r['training']:.1f} "
            f"| {r['first_epoch']:.1f} | {r['total']:.1f} |",
            flush=True,
        )
    print(f"\ndefault recipe: {Recipe()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="epochs for (a), (b)")
    parser.add_argument(
        "--no-final-relu", action="store_true", help="skip the (d) comparison"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}\n", flush=True)
    print_loops(args.epochs)
    print_recipes(not args.no_final_relu)
    print(f"\nmachine at the end: {machine()}")


if __name__ == "__main__":
    main()
