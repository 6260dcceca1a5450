"""The network the tutorial builds, and a helper to run it on images."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from fashionnet.data import MEAN, STD

__all__ = ["NeuralNetwork", "Prediction", "predict"]


# --8<-- [start:neural_network]
class NeuralNetwork(nn.Module):
    """A fully connected classifier for 28×28 FashionMNIST images.

    Flatten → Linear(784, 512) → ReLU → Linear(512, 512) → ReLU →
    Linear(512, 10). The output is ten raw scores (logits), one per class.

    Args:
        final_relu: Append the extra ReLU after the last Linear layer that
            the classic tutorial had. It clips every negative logit to zero
            and hurts training; it exists only to show why.

    Examples:
        >>> model = NeuralNetwork()
        >>> model(torch.zeros(2, 28, 28)).shape
        torch.Size([2, 10])
    """

    def __init__(self, final_relu: bool = False) -> None:
        super().__init__()
        self.final_relu = final_relu
        self.flatten = nn.Flatten()
        layers = [
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        ]
        if final_relu:
            layers.append(nn.ReLU())
        self.linear_relu_stack = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(x)  # (N, 28, 28) -> (N, 784)
        logits = self.linear_relu_stack(x)  # (N, 10)
        return logits


# --8<-- [end:neural_network]


class Prediction(NamedTuple):
    """What [`predict`][fashionnet.predict] returns.

    Attributes:
        probabilities: Softmax output, shape (N, 10); each row sums to 1.
        labels: Index of the most probable class for each image, shape (N,).
    """

    probabilities: torch.Tensor
    labels: torch.Tensor


# --8<-- [start:predict]
def _as_batch(images: torch.Tensor) -> torch.Tensor:
    """Bring (28, 28), (N, 28, 28) or (N, 1, 28, 28) to (N, 1, 28, 28)."""
    shape = tuple(images.shape)
    if images.dim() == 2:
        images = images.unsqueeze(0)  # (28, 28) -> (1, 28, 28)
    if images.dim() == 3:
        images = images.unsqueeze(1)  # (N, 28, 28) -> (N, 1, 28, 28)
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(
            "expected grayscale images shaped (28, 28), (N, 28, 28) or "
            f"(N, 1, 28, 28), got {shape}"
        )
    return images


def _as_pixels(images: torch.Tensor) -> torch.Tensor:
    """Check the values: uint8 0-255 is scaled, floats must lie in [0, 1]."""
    if images.device.type == "meta":
        raise ValueError("images are on the meta device and hold no values")
    if images.dtype == torch.uint8:
        return images.float() / 255  # 0-255 as read from an image file
    if not images.is_floating_point():
        raise TypeError(f"expected float or uint8 images, got {images.dtype}")
    if not torch.isfinite(images).all():
        raise ValueError("images contain NaN or infinite values")
    if images.numel() and (images.min() < 0 or images.max() > 1):
        raise ValueError(
            "expected pixel values in [0, 1], got "
            f"[{images.min().item()!r}, {images.max().item()!r}]; "
            "divide 0-255 values by 255"
        )
    return images


@torch.no_grad()
def predict(model: nn.Module, images: torch.Tensor) -> Prediction:
    """Classify images with a model, on whatever device the model is on.

    Args:
        model: A [`NeuralNetwork`][fashionnet.NeuralNetwork] (or any module
            taking normalized (N, 1, 28, 28) images).
        images: Grayscale images shaped (28, 28), (N, 28, 28) or
            (N, 1, 28, 28), on any device: float pixel values in [0, 1] (as
            `ToTensor` gives them) or uint8 values 0-255. A (3, 28, 28)
            tensor is three grayscale images, not one RGB image. An empty
            batch gives empty results.

    Returns:
        Probabilities (N, 10) and the predicted class index for each image.

    Raises:
        ValueError: A shape other than those above (e.g. (N, 784) or RGB
            (N, 3, 28, 28)), values outside [0, 1], NaN or infinity.
        TypeError: Images that are not a dense tensor, or of another dtype.

    Examples:
        >>> result = predict(NeuralNetwork(), torch.rand(3, 28, 28))
        >>> result.probabilities.shape, result.labels.shape
        (torch.Size([3, 10]), torch.Size([3]))
    """
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"expected a torch.Tensor, got {type(images).__name__}")
    if images.layout != torch.strided:
        raise TypeError(f"expected a dense tensor, got layout {images.layout}")
    device = next(model.parameters()).device
    batch = _as_pixels(_as_batch(images)).to(device=device, dtype=torch.float32)
    batch = (batch - MEAN) / STD  # the normalization used in training
    was_training = model.training
    model.eval()
    try:
        probabilities = torch.softmax(model(batch), dim=1)
    finally:
        model.train(was_training)
    return Prediction(probabilities, probabilities.argmax(dim=1))


# --8<-- [end:predict]
