"""Time the classic tutorial's training loop, fashionnet's, and the recipes.

Run from the repository root (prints tables; about four minutes on 2 cores):

    .venv/bin/python -m benchmarks.train_speed

(a) the classic loop: torchvision's dataset with `ToTensor`, a `DataLoader`
    (batch 64, shuffled), plain SGD with learning rate 1e-3;
(b) fashionnet's loop (`fit`) with the same batch size and optimizer: the
    split decoded once into a tensor, mini-batches taken by indexing; once
    with float32 matrix multiplications, as (a) runs, and once with the
    default precision "auto" (bfloat16 where the CPU has it natively);
    the loops take turns, one epoch each, so that a machine slowing down
    or speeding up during the run affects them alike, after 50 untimed
    warm-up steps each;
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
from dataclasses import replace

import torch
from torch import nn
from torch.utils.data import DataLoader

from fashionnet import (
    NeuralNetwork,
    Recipe,
    Tensors,
    evaluate,
    fit,
    load_dataset,
    matmul_dtype,
    to_tensors,
    train_model,
)
from fashionnet.allocator import keep_freed_memory

CLASSIC_SGD = Recipe(
    batch_size=64,
    lr=1e-3,
    optimizer="sgd",
    weight_decay=0.0,
    schedule="constant",
    label_smoothing=0.0,
)
# Untimed steps each loop runs once before its first timed epoch.
WARM_UP_STEPS = 50
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


class ClassicLoop:
    """(a): the tutorial's loop, one epoch per call, state kept between calls."""

    def __init__(self) -> None:
        torch.manual_seed(0)
        self.model = NeuralNetwork()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=CLASSIC_SGD.lr)
        self.loss_fn = nn.CrossEntropyLoss()
        self.loader = DataLoader(load_dataset("train"), batch_size=64, shuffle=True)

    def epoch(self, steps: int | None = None) -> float:
        start = time.perf_counter()
        for step, (images, labels) in enumerate(self.loader):
            if step == steps:
                break
            loss = self.loss_fn(self.model(images), labels)
            loss.backward()
            self.optimizer.step()
            self.optimizer.zero_grad()
        return time.perf_counter() - start

    def warm_up(self) -> None:
        """A few untimed steps on a throwaway copy of this loop."""
        ClassicLoop().epoch(steps=WARM_UP_STEPS)

    @torch.no_grad()
    def accuracy(self) -> float:
        correct = 0
        for images, labels in DataLoader(load_dataset("test"), batch_size=64):
            correct += (self.model(images).argmax(dim=1) == labels).sum().item()
        return correct / 10_000


class FashionnetLoop:
    """(b): `fit` with the same optimizer and batch size, one epoch per call.

    Plain SGD keeps no state between steps and the learning rate is constant,
    so consecutive one-epoch calls of `fit` train like one longer call.
    """

    def __init__(self, train: Tensors, precision: str) -> None:
        self.train = train
        self.precision = precision
        torch.manual_seed(0)
        self.model = NeuralNetwork()
        self.epochs = 0

    def epoch(self) -> float:
        recipe = replace(
            CLASSIC_SGD, epochs=1, seed=self.epochs, precision=self.precision
        )
        self.epochs += 1
        return fit(self.model, self.train, recipe)[0].seconds

    def warm_up(self) -> None:
        """A few untimed steps of a throwaway network (allocations, kernels)."""
        count = WARM_UP_STEPS * CLASSIC_SGD.batch_size
        few = Tensors(self.train.inputs[:count], self.train.labels[:count])
        recipe = replace(CLASSIC_SGD, epochs=1, precision=self.precision)
        fit(NeuralNetwork(), few, recipe)

    def accuracy(self) -> float:
        return evaluate(self.model, to_tensors(load_dataset("test"))).accuracy


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


def print_loops(rounds: int) -> None:
    train = to_tensors(load_dataset("train"))
    auto = str(matmul_dtype("auto", "cpu")).removeprefix("torch.")
    classic_name = "(a) classic: DataLoader + ToTensor"
    loops = {
        classic_name: ClassicLoop(),
        "(b) fashionnet, float32": FashionnetLoop(train, "float32"),
        f"(b) fashionnet, precision auto ({auto})": FashionnetLoop(train, "auto"),
    }
    seconds: dict[str, list[float]] = {name: [] for name in loops}
    for loop in loops.values():
        loop.warm_up()
    # One epoch of each loop in turn, so that a change in the machine's speed
    # during the run (other jobs, frequency) affects all of them alike.
    for _ in range(rounds):
        for name, loop in loops.items():
            seconds[name].append(loop.epoch())
    print(f"## Same loop settings: SGD lr 1e-3, batch 64, {rounds} epochs each\n")
    print(
        "| loop | seconds per epoch | median | (a) / this, per round | test accuracy |"
    )
    print("|---|---|---|---|---|")
    ratios = {
        name: [a / b for a, b in zip(seconds[classic_name], times, strict=True)]
        for name, times in seconds.items()
    }
    for name, loop in loops.items():
        each = ", ".join(f"{s:.2f}" for s in seconds[name])
        ratio = ", ".join(f"{r:.1f}x" for r in ratios[name])
        median = statistics.median(seconds[name])
        print(f"| {name} | {each} | {median:.2f} | {ratio} | {loop.accuracy():.2%} |")
    print()
    for name in loops:
        if name != classic_name:
            print(
                f"{name} is {statistics.median(ratios[name]):.1f}x faster per epoch "
                "than (a) (median of the rounds' ratios)"
            )
    print()


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
    parser.add_argument(
        "--epochs", type=int, default=5, help="epochs of each loop in (a), (b)"
    )
    parser.add_argument(
        "--no-final-relu", action="store_true", help="skip the (d) comparison"
    )
    args = parser.parse_args()
    # `fit` sets this on its first call; set here, it applies to (a) as well.
    kept = keep_freed_memory()
    print(f"machine: {machine()}", flush=True)
    print(f"malloc keeps freed memory (all loops): {kept}\n", flush=True)
    print_loops(args.epochs)
    print_recipes(not args.no_final_relu)
    print(f"\nmachine at the end: {machine()}")


if __name__ == "__main__":
    main()
