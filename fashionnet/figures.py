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

from fashionnet.data import MEAN, STD, class_names, load_dataset
from fashionnet.model import NeuralNetwork, predict

__all__ = [
    "FIGURES",
    "JAPANESE_FONT",
    "FontNotFoundError",
    "first_layer_activations",
    "image_grid",
    "japanese_font",
    "png_bytes",
    "relu_histogram",
    "softmax_probabilities",
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
    ax.legend(loc="lower right")


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
}
