"""Figures that show what the network's layers do, drawn from fashionnet's code.

Every function returns a matplotlib `Figure` with its labels in English
(`lang="en"`) or Japanese (`lang="ja"`). The site draws them when it is
built, and the notebooks call the same functions, so the pictures always
match the package. Japanese labels need the "Noto Sans CJK JP" font
(Debian: `apt-get install fonts-noto-cjk`); without it matplotlib would draw
empty boxes, so [`japanese_font`][fashionnet.figures.japanese_font] raises
instead.

Example:
    >>> from fashionnet.figures import relu_histogram
    >>> figure = relu_histogram(lang="ja")
    >>> len(figure.axes)
    2
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Literal

import matplotlib
import numpy as np
import torch
from matplotlib import font_manager
from matplotlib.figure import Figure
from torch import nn

from fashionnet.checkpoint import cached_model
from fashionnet.data import MEAN, STD, class_names, load_dataset
from fashionnet.model import NeuralNetwork, predict
from fashionnet.train import Recipe, Tensors, evaluate

__all__ = [
    "FIGURES",
    "JAPANESE_FONT",
    "FontNotFoundError",
    "confusion_matrix",
    "first_layer_activations",
    "first_layer_weights",
    "image_grid",
    "japanese_font",
    "png_bytes",
    "relu_histogram",
    "softmax_before_after",
    "softmax_probabilities",
    "trained_model",
    "untrained_model",
]

Lang = Literal["en", "ja"]

#: The font that draws the Japanese labels (Debian package `fonts-noto-cjk`).
JAPANESE_FONT = "Noto Sans CJK JP"

_TEXT = {
    "en": {
        "grid": "FashionMNIST test images: one row per class",
        "relu": "First hidden layer of the untrained model, {n:,} test images",
        "before": "Before ReLU: output of the first Linear layer",
        "after": "After ReLU: negative values become 0",
        "zeros": "{count:,} values ({share:.0%})\nare exactly 0\n(bar cut off)",
        "value": "value",
        "count": "count",
        "softmax": "Softmax output for test image #{index} (true class: {name})",
        "image": "input image",
        "untrained": "Untrained model",
        "trained": "Trained model",
        "probability": "probability",
        "uniform": "1/10: no preference",
        "true": "true class",
        "weights": "First layer of the trained model: the weights of neurons"
        " 0-{last} of 512, each as a 28×28 image",
        "neuron": "neuron {index}",
        "weight": "weight",
        "confusion": "Confusion matrix of the trained model"
        " ({n:,} test images, accuracy {accuracy:.2%})",
        "actual": "true class",
        "predicted": "predicted class",
        "share": "share of the true class's images",
    },
    "ja": {
        "grid": "FashionMNIST のテスト画像（1 行に 1 クラス）",
        "relu": "学習前のモデルの最初の隠れ層（テスト画像 {n:,} 枚）",
        "before": "ReLU の前：1 つ目の Linear 層の出力",
        "after": "ReLU の後：負の値は 0 になる",
        "zeros": "{count:,} 個（{share:.0%}）が\nちょうど 0\n（棒は途中で切っています）",  # noqa: E501
        "value": "値",
        "count": "個数",
        "softmax": "テスト画像 #{index} のソフトマックス出力（正解：{name}）",
        "image": "入力画像",
        "untrained": "学習前のモデル",
        "trained": "学習後のモデル",
        "probability": "確率",
        "uniform": "1/10：どのクラスにも偏らない",
        "true": "正解のクラス",
        "weights": "学習後のモデルの最初の層：512 個のニューロンのうち"
        " 0〜{last} 番の重み（1 個を 28×28 の画像に）",
        "neuron": "ニューロン {index}",
        "weight": "重み",
        "confusion": "学習後のモデルの混同行列"
        "（テスト画像 {n:,} 枚、正解率 {accuracy:.2%}）",
        "actual": "正解のクラス",
        "predicted": "予測したクラス",
        "share": "正解のクラスの画像に占める割合",
    },
}


class FontNotFoundError(RuntimeError):
    """The font for Japanese labels is not installed where matplotlib looks."""


def japanese_font() -> str:
    """Return the name of the font for Japanese labels, checking it is installed.

    Raises:
        FontNotFoundError: matplotlib knows no font named "Noto Sans CJK JP".
    """
    if any(font.name == JAPANESE_FONT for font in font_manager.fontManager.ttflist):
        return JAPANESE_FONT
    raise FontNotFoundError(
        f"Japanese labels need the font {JAPANESE_FONT!r}, which matplotlib "
        "cannot find. Install it (Debian/Ubuntu: apt-get install fonts-noto-cjk), "
        "then delete matplotlib's font cache (fontlist-*.json in "
        f"{matplotlib.get_cachedir()}) so that it looks again."
    )


def _text(lang: Lang) -> dict[str, str]:
    """The labels in one language; rejects unknown languages."""
    class_names(lang)  # raises ValueError for anything but "en" and "ja"
    return _TEXT[lang]


def _style(lang: Lang) -> dict[str, object]:
    """rcParams for one language."""
    return {"font.family": [japanese_font()]} if lang == "ja" else {}


def _finish(figure: Figure, lang: Lang) -> Figure:
    """Give tick labels, which matplotlib creates while drawing, the same font."""
    family = _style(lang).get("font.family")
    if family:
        for ax in figure.axes:
            ax.tick_params(labelfontfamily=family[0])
    return figure


@functools.cache
def _test_set() -> tuple[torch.Tensor, torch.Tensor]:
    """The test split as (10000, 28, 28) uint8 images and (10000,) labels."""
    dataset = load_dataset("test")
    return dataset.data, dataset.targets


def untrained_model(seed: int = 0) -> NeuralNetwork:
    """Return a fresh `NeuralNetwork` whose random weights depend only on `seed`.

    The global random state is left as it was.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return NeuralNetwork()


def trained_model() -> NeuralNetwork:
    """Return the network trained with the default `Recipe` on the CPU.

    It comes from [`cached_model`][fashionnet.cached_model]: the first call
    on a machine trains it (about 20 s on two idle CPU cores, 4 minutes on
    two busy ones) and keeps the checkpoint; later calls, including later
    site builds and test runs, load it in milliseconds. Figures use it
    wherever they show a trained model.
    """
    return cached_model(Recipe(), device="cpu").model


def image_grid(lang: Lang = "en", per_class: int = 8) -> Figure:
    """Real test images, one row per class, the class name at the left.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        per_class: How many images to show in each row (the first ones of
            that class in the test split).
    """
    with matplotlib.rc_context(_style(lang)):
        images, labels = _test_set()
        figure = Figure(figsize=(0.8 * per_class + 2.2, 8.8), layout="constrained")
        axes = figure.subplots(10, per_class, squeeze=False)
        for label, row in enumerate(axes):
            picks = torch.nonzero(labels == label).flatten()[:per_class]
            for ax, index in zip(row, picks.tolist(), strict=False):
                ax.imshow(images[index].numpy(), cmap="gray_r", vmin=0, vmax=255)
                ax.set_xticks([])
                ax.set_yticks([])
            name = class_names(lang)[label]
            row[0].set_ylabel(name, rotation=0, ha="right", va="center", size=12)
        figure.suptitle(_text(lang)["grid"], size=14)
    return _finish(figure, lang)


def _normalized(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels (N, 28, 28) to the normalized floats the model expects."""
    return (images.float() / 255 - MEAN) / STD


@torch.no_grad()
def first_layer_activations(
    model: NeuralNetwork, images: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Values of the first hidden layer before and after its ReLU.

    Args:
        model: A `NeuralNetwork` (its first two layers are used).
        images: Normalized images shaped (N, 28, 28) or (N, 1, 28, 28).

    Returns:
        Two (N, 512) tensors: the first Linear layer's output, then the
        ReLU's output.
    """
    device = next(model.parameters()).device
    flat = model.flatten(images.to(device))  # (N, 784)
    before = model.linear_relu_stack[0](flat)  # (N, 512)
    after = model.linear_relu_stack[1](before)
    return before.cpu(), after.cpu()


def relu_histogram(
    lang: Lang = "en", model: NeuralNetwork | None = None, count: int = 1000
) -> Figure:
    """Histograms of the first hidden layer's values before and after ReLU.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        model: The network to look into; by default `untrained_model()`.
        count: How many test images to feed (the first ones of the split).
    """
    text = _text(lang)
    model = untrained_model() if model is None else model
    before, after = first_layer_activations(model, _normalized(_test_set()[0][:count]))
    with matplotlib.rc_context(_style(lang)):
        figure = Figure(figsize=(10, 4), layout="constrained")
        axes = figure.subplots(1, 2, sharex=True, sharey=True)
        bins = _symmetric_bins(before)
        counts, _, _ = axes[0].hist(before.flatten().numpy(), bins, color="tab:blue")
        axes[1].hist(after.flatten().numpy(), bins, color="tab:orange")
        # Scale both panels to the left one: the bar at 0 on the right is cut off.
        axes[0].set_ylim(0, 1.15 * counts.max())
        _label_zeros(axes[1], after, text)
        for ax, title in zip(axes, (text["before"], text["after"]), strict=True):
            ax.set_title(title)
            ax.set_xlabel(text["value"])
        axes[0].set_ylabel(text["count"])
        figure.suptitle(text["relu"].format(n=count))
    return _finish(figure, lang)


def _symmetric_bins(values: torch.Tensor, bins: int = 30) -> np.ndarray:
    """Bin edges symmetric around 0, with 0 itself an edge."""
    reach = float(values.abs().max())
    return np.linspace(-reach, reach, 2 * bins + 1)


def _label_zeros(ax, after: torch.Tensor, text: dict[str, str]) -> None:
    zeros = int((after == 0).sum())
    share = zeros / after.numel()
    ax.annotate(
        text["zeros"].format(count=zeros, share=share),
        xy=(0, ax.get_ylim()[1]),
        xytext=(0.04, 0.6),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->"},
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )


def softmax_probabilities(
    lang: Lang = "en", index: int = 0, trained: nn.Module | None = None
) -> Figure:
    """One real test image and the class probabilities that models give it.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        index: Which test image to classify.
        trained: A trained model; when given, its probabilities are drawn in
            a second panel beside those of `untrained_model()`.
    """
    text, names = _text(lang), class_names(lang)
    images, labels = _test_set()
    image, label = images[index], int(labels[index])
    models = {"untrained": untrained_model()}
    if trained is not None:
        models["trained"] = trained
    with matplotlib.rc_context(_style(lang)):
        figure = Figure(figsize=(3.2 + 4.6 * len(models), 4), layout="constrained")
        axes = figure.subplots(1, 1 + len(models), width_ratios=[2] + [3] * len(models))
        axes[0].imshow(image.numpy(), cmap="gray_r", vmin=0, vmax=255)
        axes[0].set(xticks=[], yticks=[], title=text["image"])
        for ax, (key, model) in zip(axes[1:], models.items(), strict=True):
            probabilities = predict(model, image.float() / 255).probabilities[0]
            _probability_bars(ax, probabilities.cpu(), label, names, text)
            ax.set_title(text[key])
        # One legend below the panels: inside, it could hide a long bar.
        figure.legend(
            *axes[1].get_legend_handles_labels(), loc="outside lower center", ncols=2
        )
        figure.suptitle(text["softmax"].format(index=index, name=names[label]))
    return _finish(figure, lang)


def _probability_bars(ax, probabilities, label, names, text) -> None:
    colors = ["tab:gray"] * len(names)
    colors[label] = "tab:green"
    bars = ax.barh(range(len(names)), probabilities.numpy(), color=colors)
    bars[label].set_label(text["true"])
    ax.axvline(0.1, color="black", linestyle="--", linewidth=1, label=text["uniform"])
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()  # label 0 at the top, as in the class list
    ax.set_xlim(0, 1)
    ax.set_xlabel(text["probability"])


def softmax_before_after(lang: Lang = "en", index: int = 0) -> Figure:
    """One real test image and its class probabilities before and after training.

    The untrained model is `untrained_model()`, the trained one
    `trained_model()`, so the first call on a machine trains it once.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        index: Which test image to classify.
    """
    return softmax_probabilities(lang, index, trained=trained_model())


def first_layer_weights(
    lang: Lang = "en", model: NeuralNetwork | None = None, count: int = 32
) -> Figure:
    """The weights of the first layer's first neurons, each drawn as an image.

    Neuron `i` of the first Linear layer multiplies pixel `p` of the
    flattened image by `weight[i, p]`, so its 784 weights reshape into a
    28×28 picture: red where a brighter pixel raises its output, blue where
    it lowers it.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        model: The network to look into; by default `trained_model()`.
        count: How many neurons to draw, in rows of eight.
    """
    text = _text(lang)
    model = trained_model() if model is None else model
    weights = model.linear_relu_stack[0].weight.detach()[:count].cpu()  # (count, 784)
    # One scale, centred at 0, for all neurons; a few outliers would wash out
    # the rest, so the strongest 1% of weights saturate the colours.
    reach = float(weights.abs().quantile(0.99))
    with matplotlib.rc_context(_style(lang)):
        rows = -(-count // 8)
        figure = Figure(figsize=(12, 1.5 * rows + 0.6), layout="constrained")
        axes = figure.subplots(rows, 8, squeeze=False)
        for neuron, ax in enumerate(axes.flat):
            ax.set_axis_off()
            if neuron < count:
                image = ax.imshow(
                    weights[neuron].reshape(28, 28).numpy(),
                    cmap="RdBu_r",
                    vmin=-reach,
                    vmax=reach,
                )
                ax.set_title(text["neuron"].format(index=neuron), size=9)
        figure.colorbar(image, ax=axes, shrink=0.8, extend="both", label=text["weight"])
        figure.suptitle(text["weights"].format(last=count - 1))
    return _finish(figure, lang)


def confusion_matrix(lang: Lang = "en", model: nn.Module | None = None) -> Figure:
    """The model's confusion matrix on the test split, every cell counted.

    Rows are the true classes, columns the predicted ones, as in
    [`Evaluation.confusion`][fashionnet.Evaluation]. A cell's colour is its
    share of the row, so that the mistakes of every class show on one scale.

    Args:
        lang: Language of the labels, `"en"` or `"ja"`.
        model: The network to evaluate; by default `trained_model()`.
    """
    text, names = _text(lang), class_names(lang)
    model = trained_model() if model is None else model
    images, labels = _test_set()
    result = evaluate(model, Tensors(_normalized(images), labels))
    counts = result.confusion  # (10, 10), rows = true class
    shares = counts / counts.sum(dim=1, keepdim=True).clamp(min=1)
    with matplotlib.rc_context(_style(lang)):
        figure = Figure(figsize=(9, 8), layout="constrained")
        ax = figure.subplots()
        image = ax.imshow(shares.numpy(), cmap="Blues", vmin=0, vmax=1)
        _annotate_counts(ax, counts, shares)
        ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
        ax.set_yticks(range(len(names)), names)
        ax.set(xlabel=text["predicted"], ylabel=text["actual"])
        figure.colorbar(image, ax=ax, shrink=0.8, label=text["share"])
        title = text["confusion"].format(n=len(labels), accuracy=result.accuracy)
        ax.set_title(title)
    return _finish(figure, lang)


def _annotate_counts(ax, counts: torch.Tensor, shares: torch.Tensor) -> None:
    """Write each cell's count, white where the cell is dark."""
    for (row, column), count in np.ndenumerate(counts.numpy()):
        color = "white" if shares[row, column] > 0.5 else "black"
        ax.text(column, row, f"{count}", ha="center", va="center", color=color)


def png_bytes(figure: Figure, dpi: int = 100) -> bytes:
    """Render a figure to PNG and return the file's bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


#: The figures the site draws when it is built, by file name (without `.png`).
#: Each is called with `lang` only.
FIGURES: dict[str, Callable[..., Figure]] = {
    "test-images": image_grid,
    "relu-histogram": relu_histogram,
    "softmax-probabilities": softmax_probabilities,
    "softmax-before-after": softmax_before_after,
    "first-layer-weights": first_layer_weights,
    "confusion-matrix": confusion_matrix,
}
