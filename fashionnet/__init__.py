"""fashionnet: the FashionMNIST classifier that the tutorial site builds."""

from fashionnet.checkpoint import (
    Checkpoint,
    CheckpointError,
    cached_model,
    load_checkpoint,
    save_checkpoint,
)
from fashionnet.data import (
    CLASSES,
    CLASSES_JA,
    DataCorruptError,
    DataNotFoundError,
    class_names,
    load_dataset,
)
from fashionnet.device import get_device
from fashionnet.image import ImageError, load_image
from fashionnet.model import NeuralNetwork, Prediction, predict
from fashionnet.train import (
    EpochStats,
    Evaluation,
    Recipe,
    Tensors,
    TrainingResult,
    evaluate,
    fit,
    matmul_dtype,
    to_tensors,
    train_model,
)

__all__ = [
    "CLASSES",
    "CLASSES_JA",
    "Checkpoint",
    "CheckpointError",
    "DataCorruptError",
    "DataNotFoundError",
    "EpochStats",
    "Evaluation",
    "ImageError",
    "NeuralNetwork",
    "Prediction",
    "Recipe",
    "Tensors",
    "TrainingResult",
    "cached_model",
    "class_names",
    "evaluate",
    "fit",
    "get_device",
    "load_checkpoint",
    "load_dataset",
    "load_image",
    "matmul_dtype",
    "predict",
    "save_checkpoint",
    "to_tensors",
    "train_model",
]

__version__ = "0.1.0"
