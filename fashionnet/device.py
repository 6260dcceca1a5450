"""Choosing where tensors live and where the model runs."""

from __future__ import annotations

import torch

__all__ = ["get_device"]


# --8<-- [start:get_device]
def get_device() -> torch.device:
    """Return the fastest available device: CUDA, then Apple MPS, then CPU.

    Examples:
        >>> get_device().type in {"cuda", "mps", "cpu"}
        True
    """
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


# --8<-- [end:get_device]
