import pytest
import torch

from fashionnet import NeuralNetwork, predict


@pytest.mark.parametrize("shape", [(1, 28, 28), (4, 28, 28), (4, 1, 28, 28)])
def test_model_output_shape(model, shape):
    assert model(torch.rand(shape)).shape == (shape[0], 10)


def test_model_logits_not_clipped_by_default(model):
    logits = model(torch.rand(64, 28, 28))
    assert (logits < 0).any()


def test_model_final_relu_clips_logits():
    torch.manual_seed(0)
    logits = NeuralNetwork(final_relu=True)(torch.rand(64, 28, 28))
    assert (logits >= 0).all()
    assert (logits == 0).any()


def test_model_final_relu_is_extra_last_layer():
    stack = NeuralNetwork(final_relu=True).linear_relu_stack
    assert isinstance(stack[-1], torch.nn.ReLU)
    assert len(stack) == len(NeuralNetwork().linear_relu_stack) + 1


def test_model_parameter_count(model):
    assert sum(p.numel() for p in model.parameters()) == 669_706


def test_model_exposes_tutorial_attributes(model):
    assert isinstance(model.flatten, torch.nn.Flatten)
    assert model.linear_relu_stack[0].weight.shape == (512, 784)


def test_model_matches_reference_computation(model):
    x = torch.rand(3, 28, 28)
    h = x.reshape(3, 784)
    for layer in model.linear_relu_stack:
        if isinstance(layer, torch.nn.Linear):
            h = h @ layer.weight.T + layer.bias
        else:
            h = h.clamp(min=0)
    torch.testing.assert_close(model(x), h)


@pytest.mark.parametrize("shape", [(28, 28), (5, 28, 28), (5, 1, 28, 28)])
def test_predict_accepts_each_shape(model, shape):
    result = predict(model, torch.rand(shape))
    n = 1 if len(shape) == 2 else shape[0]
    assert result.probabilities.shape == (n, 10)
    assert result.labels.shape == (n,)


def test_predict_returns_probabilities(model):
    result = predict(model, torch.rand(5, 28, 28))
    torch.testing.assert_close(result.probabilities.sum(dim=1), torch.ones(5))
    assert torch.equal(result.labels, result.probabilities.argmax(dim=1))


def test_predict_keeps_model_mode(model):
    model.train()
    predict(model, torch.rand(2, 28, 28))
    assert model.training


def test_predict_rejects_wrong_shape(model):
    with pytest.raises(ValueError, match=r"got \(32, 32\)"):
        predict(model, torch.rand(32, 32))
