"""fashionnet: the FashionMNIST classifier that the tutorial site builds."""

from fashionnet.data import (
    CLASSES,
    CLASSES_JA,
    DataCorruptError,
    DataNotFoundError,
    class_names,
    load_dataset,
)
from fashionnet.device import get_device
from fashionnet.model import NeuralNetwork, Prediction, predict

__all__ = [
    "CLASSES",
    "CLASSES_JA",
    "DataCorruptError",
    "DataNotFoundError",
    "NeuralNetwork",
    "Prediction",
    "class_names",
    "get_device",
    "load_dataset",
    "predict",
]

__version__ = "0.1.0"
