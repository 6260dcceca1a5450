import warnings
from types import SimpleNamespace

import pytest
import torch
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from fashionnet import CLASSES, CLASSES_JA, NeuralNetwork, evaluate, figures
from fashionnet.figures import (
    FIGURES,
    FontNotFoundError,
    confusion_matrix,
    first_layer_activations,
    first_layer_weights,
    image_grid,
    japanese_font,
    png_bytes,
    relu_histogram,
    softmax_before_after,
    softmax_probabilities,
    trained_model,
    untrained_model,
)
from fashionnet.train import Tensors


def row_labels(figure: Figure, columns: int) -> list[str]:
    return [ax.get_ylabel() for ax in figure.axes[::columns]]


@pytest.mark.parametrize(("lang", "names"), [("en", CLASSES), ("ja", CLASSES_JA)])
def test_image_grid_has_one_row_per_class(lang, names):
    figure = image_grid(lang=lang, per_class=3)
    assert len(figure.axes) == 10 * 3
    assert row_labels(figure, 3) == list(names)


def test_image_grid_rows_show_their_class():
    images, labels = figures._test_set()
    figure = image_grid(per_class=2)
    shown = figure.axes[2 * 4].get_images()[0].get_array()  # row 4: Coat
    first_coat = images[labels == 4][0]
    assert (torch.from_numpy(shown.data) == first_coat).all()


def test_first_layer_activations_are_relu_of_linear(model):
    images = torch.randn(5, 28, 28)
    before, after = first_layer_activations(model, images)
    assert before.shape == after.shape == (5, 512)
    torch.testing.assert_close(after, before.clamp(min=0))
    torch.testing.assert_close(before, model.linear_relu_stack[0](images.flatten(1)))


@pytest.mark.parametrize(("lang", "word"), [("en", "Before ReLU"), ("ja", "ReLU の前")])
def test_relu_histogram_titles_in_language(lang, word):
    figure = relu_histogram(lang=lang, count=20)
    assert len(figure.axes) == 2
    assert figure.axes[0].get_title().startswith(word)


def test_relu_histogram_counts_every_value():
    figure = relu_histogram(count=20)
    for ax in figure.axes:
        assert sum(bar.get_height() for bar in ax.patches) == 20 * 512


def bar_widths(ax) -> list[float]:
    return [bar.get_width() for bar in ax.patches]


def test_softmax_probabilities_bars_are_probabilities():
    figure = softmax_probabilities(index=3)
    assert len(figure.axes) == 2  # the image, then the untrained model
    assert sum(bar_widths(figure.axes[1])) == pytest.approx(1.0)
    assert [t.get_text() for t in figure.axes[1].get_yticklabels()] == list(CLASSES)


def test_softmax_probabilities_adds_trained_panel():
    stand_in = untrained_model(seed=1)  # any model fills the panel
    figure = softmax_probabilities(lang="ja", trained=stand_in)
    assert [ax.get_title() for ax in figure.axes[1:]] == [
        "学習前のモデル",
        "学習後のモデル",
    ]
    assert bar_widths(figure.axes[1]) != bar_widths(figure.axes[2])


def test_softmax_before_after_uses_trained_model(monkeypatch):
    stand_in = untrained_model(seed=2)
    monkeypatch.setattr(figures, "trained_model", lambda: stand_in)
    figure = softmax_before_after(index=5)
    expected = softmax_probabilities(index=5, trained=stand_in)
    assert bar_widths(figure.axes[2]) == bar_widths(expected.axes[2])


def test_trained_model_loads_cached_default_recipe(monkeypatch):
    calls = []

    def fake_cached_model(recipe, **options):
        calls.append((recipe, options))
        return SimpleNamespace(model=untrained_model())

    monkeypatch.setattr(figures, "cached_model", fake_cached_model)
    assert isinstance(trained_model(), NeuralNetwork)
    assert calls == [(figures.Recipe(), {"device": "cpu"})]


def weight_images(figure: Figure) -> list:
    return [ax.get_images()[0].get_array().data for ax in figure.axes if ax.images]


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "neuron 3"), ("ja", "ニューロン 3")]
)
def test_first_layer_weights_draws_each_neuron(model, lang, title):
    figure = first_layer_weights(lang=lang, model=model, count=16)
    images = weight_images(figure)
    assert len(images) == 16
    weight = model.linear_relu_stack[0].weight.detach()
    assert (torch.from_numpy(images[3]) == weight[3].reshape(28, 28)).all()
    assert figure.axes[3].get_title() == title


def test_first_layer_weights_colours_centred_at_zero(model):
    figure = first_layer_weights(model=model, count=8)
    low, high = figure.axes[0].get_images()[0].get_clim()
    assert low == -high
    strongest = model.linear_relu_stack[0].weight[:8].abs().quantile(0.99)
    assert high == pytest.approx(strongest.item())


def annotated_counts(ax) -> torch.Tensor:
    return torch.tensor([int(t.get_text()) for t in ax.texts]).reshape(10, 10)


def test_confusion_matrix_numbers_equal_evaluate(model):
    figure = confusion_matrix(model=model)
    images, labels = figures._test_set()
    expected = evaluate(model, Tensors(figures._normalized(images), labels))
    assert torch.equal(annotated_counts(figure.axes[0]), expected.confusion)


@pytest.mark.parametrize(
    ("lang", "names", "ylabel"),
    [("en", CLASSES, "true class"), ("ja", CLASSES_JA, "正解のクラス")],
)
def test_confusion_matrix_labels_in_language(model, lang, names, ylabel):
    ax = confusion_matrix(lang=lang, model=model).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(names)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(names)
    assert ax.get_ylabel() == ylabel


def test_confusion_matrix_colours_share_of_true_class(model):
    ax = confusion_matrix(model=model).axes[0]
    shares = ax.get_images()[0].get_array().data
    assert shares.sum(axis=1) == pytest.approx([1.0] * 10)


def test_untrained_model_is_seeded_and_keeps_global_rng():
    state = torch.random.get_rng_state()
    model = untrained_model()
    assert torch.equal(torch.random.get_rng_state(), state)
    torch.manual_seed(0)
    assert torch.equal(
        model.linear_relu_stack[0].weight, NeuralNetwork().linear_relu_stack[0].weight
    )


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_japanese_figures_draw_every_glyph(name):
    figure = FIGURES[name](lang="ja")
    with warnings.catch_warnings():
        # matplotlib warns "Glyph ... missing from font(s)" where it draws a box
        warnings.simplefilter("error")
        png = png_bytes(figure)
    assert png.startswith(b"\x89PNG")
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    cjk = font_manager.findfont(font_manager.FontProperties(family=japanese_font()))
    assert {font_manager.findfont(t.get_fontproperties()) for t in texts} == {cjk}


def test_english_figures_keep_default_font():
    figure = relu_histogram(count=20)
    assert figure.axes[0].title.get_fontfamily() != [japanese_font()]


def test_japanese_font_missing_raises_clear_error(monkeypatch):
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        relu_histogram(lang="ja", count=20)


def test_figures_reject_unknown_language():
    with pytest.raises(ValueError, match="'fr'"):
        softmax_probabilities(lang="fr")
