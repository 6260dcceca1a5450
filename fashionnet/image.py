"""Turning a photo or drawing into an image the network can classify."""

from __future__ import annotations

import os

import numpy as np
import torch
from PIL import Image, ImageOps

__all__ = ["load_image"]

SIZE = 28


def load_image(path: str | os.PathLike[str]) -> torch.Tensor:
    """Read a PNG or JPEG file as a 28×28 FashionMNIST-style image.

    FashionMNIST shows a light garment on a black background, filling the
    frame along its longer side. So the image is made grayscale (transparent
    parts count as background); it is inverted when its border is light (a
    product photo on white); and, unless it already is 28×28, it is cropped
    to the garment, scaled so that its longer side is 28 pixels and centred.

    Args:
        path: An image file that Pillow can read.

    Returns:
        float32 (28, 28) pixel values in [0, 1], ready for
        [`predict`][fashionnet.predict].

    Raises:
        FileNotFoundError: No file at `path`.
        PIL.UnidentifiedImageError: The file is not an image.
    """
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image)
        gray = _grayscale(image)
    pixels = np.asarray(gray, dtype=np.uint8)  # (H, W)
    if _border_is_light(pixels):
        pixels = 255 - pixels  # dark garment on light ground -> FashionMNIST look
    if pixels.shape != (SIZE, SIZE):
        pixels = _fit_to_frame(pixels)
    return torch.from_numpy(pixels.astype(np.float32) / 255)


def _grayscale(image: Image.Image) -> Image.Image:
    """Grayscale, with transparent pixels replaced by the corner's colour."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(ground, rgba)
    return image.convert("L")


def _border_is_light(pixels: np.ndarray) -> bool:
    """Whether the outermost pixels are mostly light (mean above mid-grey)."""
    border = np.concatenate([pixels[0], pixels[-1], pixels[1:-1, 0], pixels[1:-1, -1]])
    return bool(border.mean() > 127)


def _fit_to_frame(pixels: np.ndarray) -> np.ndarray:
    """Crop to the garment, scale its longer side to 28, centre it on black."""
    rows, cols = np.nonzero(pixels > 0.1 * pixels.max())
    if len(rows):
        pixels = pixels[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    height, width = pixels.shape
    scale = SIZE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    garment = Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS)
    frame = Image.new("L", (SIZE, SIZE), 0)
    frame.paste(garment, ((SIZE - size[0]) // 2, (SIZE - size[1]) // 2))
    return np.asarray(frame, dtype=np.uint8)
