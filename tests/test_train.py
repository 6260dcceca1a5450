import doctest

import pytest
import torch

import fashionnet.train
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
from fashionnet.data import MEAN, STD

TINY = Recipe(epochs=2, batch_size=16)


@pytest.fixture
def tiny() -> Tensors:
    """64 random images whose label is easy to learn: the mean brightness."""
    generator = torch.Generator().manual_seed(0)
    labels = torch.arange(64) % 10
    inputs = torch.randn(64, 28, 28, generator=generator) + labels[:, None, None]
    return Tensors(inputs, labels)


def weights(model: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def largest_difference(first: list[torch.Tensor], second: list[torch.Tensor]):
    return max((a - b).abs().max() for a, b in zip(first, second, strict=True))


def test_to_tensors_normalizes_raw_pixels(fake_root):
    dataset = load_dataset("train", root=fake_root)
    data = to_tensors(dataset)
    expected = (dataset.data[3].float() / 255 - MEAN) / STD
    torch.testing.assert_close(data.inputs[3], expected)
    assert data.inputs.dtype == torch.float32 and data.inputs.shape == (20, 28, 28)
    assert torch.equal(data.labels, dataset.targets)


def test_to_tensors_rejects_dataset_without_raw_pixels():
    with pytest.raises(TypeError, match="uint8"):
        to_tensors([(torch.zeros(28, 28), 0)])


@pytest.mark.parametrize(
    "field",
    [
        {"epochs": 0},
        {"batch_size": 0},
        {"lr": 0.0},
        {"optimizer": "adam"},
        {"schedule": "cosine"},
        {"label_smoothing": 1.0},
        {"precision": "float16"},
    ],
)
def test_recipe_rejects_invalid_values(field):
    with pytest.raises(ValueError):
        Recipe(**field)


@pytest.mark.parametrize("optimizer", ["adamw", "sgd"])
def test_fit_lowers_training_loss(tiny, optimizer):
    torch.manual_seed(0)
    model = NeuralNetwork()
    recipe = Recipe(epochs=5, batch_size=16, optimizer=optimizer, lr=1e-2)
    history = fit(model, tiny, recipe)
    assert [stats.epoch for stats in history] == [1, 2, 3, 4, 5]
    assert history[-1].loss < history[0].loss


@pytest.mark.parametrize("name", ["float32", "bfloat16"])
def test_matmul_dtype_explicit_precision_is_kept(name):
    assert matmul_dtype(name, "cpu") == getattr(torch, name)


@pytest.mark.parametrize("native", [True, False])
def test_matmul_dtype_auto_follows_the_cpu(monkeypatch, native):
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: native)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    expected = torch.bfloat16 if native else torch.float32
    assert matmul_dtype("auto", "cpu") == expected


def test_matmul_dtype_auto_without_the_cpu_helpers_is_float32(monkeypatch):
    monkeypatch.delattr(torch.cpu, "_is_avx512_bf16_supported")
    monkeypatch.delattr(torch.cpu, "_is_amx_tile_supported")
    assert matmul_dtype("auto", "cpu") == torch.float32


def test_matmul_dtype_rejects_unknown_precision():
    with pytest.raises(ValueError, match="float16"):
        matmul_dtype("float16", "cpu")


def test_fit_in_bfloat16_keeps_float32_weights_and_learns(tiny):
    torch.manual_seed(0)
    model = NeuralNetwork()
    recipe = Recipe(epochs=5, batch_size=16, lr=1e-2, precision="bfloat16")
    history = fit(model, tiny, recipe)
    assert history[-1].loss < history[0].loss
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_fit_precisions_differ_only_by_rounding(tiny):
    """One SGD step in bfloat16 lands next to the same step in float32."""
    start, after = {}, {}
    for precision in ("float32", "bfloat16"):
        torch.manual_seed(0)
        model = NeuralNetwork()
        start[precision] = weights(model)
        recipe = Recipe(
            epochs=1,
            batch_size=64,  # all of `tiny`: one step
            optimizer="sgd",
            lr=0.1,
            weight_decay=0.0,
            schedule="constant",
            precision=precision,
        )
        fit(model, tiny, recipe)
        after[precision] = weights(model)
    step = largest_difference(after["float32"], start["float32"])
    gap = largest_difference(after["float32"], after["bfloat16"])
    assert 0 < gap < 0.05 * step  # bfloat16 really ran, and only rounded


def test_fit_reports_each_epoch_and_leaves_eval_mode(tiny):
    seen = []
    model = NeuralNetwork()
    history = fit(model, tiny, TINY, on_epoch=seen.append)
    assert seen == history
    assert not model.training


def test_train_model_same_seed_gives_identical_weights(tiny):
    first = train_model(TINY, tiny, device="cpu").model
    second = train_model(TINY, tiny, device="cpu").model
    assert all(map(torch.equal, weights(first), weights(second)))


def test_train_model_other_seed_gives_other_weights(tiny):
    first = train_model(TINY, tiny, device="cpu").model
    other = train_model(Recipe(epochs=2, batch_size=16, seed=1), tiny, device="cpu")
    assert not torch.equal(weights(first)[0], weights(other.model)[0])


def test_train_model_leaves_global_random_state_alone(tiny):
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    train_model(TINY, tiny, device="cpu")
    assert torch.equal(torch.rand(3), expected)


def test_train_model_builds_final_relu_variant(tiny):
    result = train_model(TINY, tiny, final_relu=True, device="cpu")
    assert result.model.final_relu
    assert result.seconds == sum(stats.seconds for stats in result.history)


def test_evaluate_matches_direct_computation(tiny, model):
    result = evaluate(model, tiny, batch_size=7)
    logits = model(tiny.inputs)
    predicted = logits.argmax(dim=1)
    assert result.accuracy == pytest.approx((predicted == tiny.labels).float().mean())
    loss = torch.nn.functional.cross_entropy(logits, tiny.labels).item()
    assert result.loss == pytest.approx(loss, rel=1e-5)


def test_evaluate_confusion_counts_true_and_predicted_pairs(tiny, model):
    result = evaluate(model, tiny)
    predicted = model(tiny.inputs).argmax(dim=1)
    i, j = tiny.labels[0].item(), predicted[0].item()
    expected = ((tiny.labels == i) & (predicted == j)).sum().item()
    assert result.confusion[i, j] == expected
    assert result.confusion.sum(dim=1).tolist() == [7, 7, 7, 7, 6, 6, 6, 6, 6, 6]


def test_evaluate_per_class_accuracy_is_confusion_diagonal(tiny, model):
    result = evaluate(model, tiny)
    diagonal = result.confusion.diag() / result.confusion.sum(dim=1)
    torch.testing.assert_close(result.per_class_accuracy, diagonal)


def test_evaluate_does_not_depend_on_batch_size(tiny, model):
    small, large = evaluate(model, tiny, batch_size=5), evaluate(model, tiny)
    assert torch.equal(small.confusion, large.confusion)


def test_docstring_examples_run():
    # They read the real data, like the docs, and train one epoch on 1,000 images.
    result = doctest.testmod(fashionnet.train, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
