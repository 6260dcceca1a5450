"""Turning a photo or drawing into an image the network can classify."""

from __future__ import annotations

import os
import warnings

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["ImageError", "load_image"]

SIZE = 28
MAX_PIXELS = 50_000_000
"""Largest image accepted (width × height): a 50-megapixel photo decodes to
about 150 MB; bigger files are refused before their pixels are read."""
MIN_SIDE = 8
"""Smallest width or height accepted: fewer pixels cannot show a garment."""


class ImageError(ValueError):
    """A file cannot be read as an image that fashionnet can classify."""


def load_image(path: str | os.PathLike[str]) -> torch.Tensor:
    """Read an image file as a 28×28 FashionMNIST-style image.

    FashionMNIST shows a light garment on a black background, filling the
    frame along its longer side. So the image is made grayscale (transparent
    parts count as background); it is inverted when its border is light (a
    product photo on white); and, unless it already is 28×28, it is cropped
    to the garment, scaled so that its longer side is 28 pixels and centred.

    Args:
        path: An image file that Pillow can read (PNG, JPEG, GIF, ...), in
            any mode: RGB, RGBA, palette, grayscale or 16-bit grayscale.

    Returns:
        float32 (28, 28) pixel values in [0, 1], ready for
        [`predict`][fashionnet.predict].

    Raises:
        FileNotFoundError: No file at `path`.
        ImageError: Not an image, truncated, a folder, smaller than 8 or
            larger than 50 million pixels (checked from the header, before
            the pixels are decoded).
    """
    with _open(path) as image:
        gray = _grayscale(image)
    pixels = np.asarray(gray, dtype=np.uint8)  # (H, W)
    if _border_is_light(pixels):
        pixels = 255 - pixels  # dark garment on light ground -> FashionMNIST look
    if pixels.shape != (SIZE, SIZE):
        pixels = _fit_to_frame(pixels)
    return torch.from_numpy(pixels.astype(np.float32) / 255)


def _open(path: str | os.PathLike[str]) -> Image.Image:
    """Open `path`, check its size from the header, then decode it."""
    if os.path.isdir(path):
        raise ImageError(f"{path} is a folder, not an image file")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning; the size is checked below instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise ImageError(_size_message(path, "too large", None)) from None
    except UnidentifiedImageError:
        raise ImageError(f"{path} is not an image file Pillow can read") from None
    _check_size(path, image)
    try:
        image.load()  # decode now, so a truncated file fails here
        ImageOps.exif_transpose(image, in_place=True)
        return image
    except (OSError, SyntaxError, ValueError) as err:
        image.close()
        raise ImageError(f"{path} is damaged or truncated ({err})") from None


def _check_size(path: str | os.PathLike[str], image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ImageError(_size_message(path, "too large", image.size))
    if min(width, height) < MIN_SIDE:
        image.close()
        raise ImageError(_size_message(path, "too small", image.size))


def _size_message(path, problem: str, size: tuple[int, int] | None) -> str:
    found = f"{size[0]}×{size[1]} pixels" if size else "over Pillow's own limit"
    return (
        f"{path} is {problem} ({found}); images need at least {MIN_SIDE} pixels "
        f"per side and at most {MAX_PIXELS:,} pixels in all"
    )


def _grayscale(image: Image.Image) -> Image.Image:
    """Grayscale, with transparent pixels replaced by the corner's colour."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(ground, rgba)
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        return _eight_bit(image)
    return image.convert("L")


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit or 32-bit grayscale scaled to 0-255 (Pillow would clip it)."""
    pixels = np.nan_to_num(np.asarray(image, dtype=np.float64))  # (H, W)
    top = 65535.0  # I;16: the full 16-bit range
    if not image.mode.startswith("I;16"):
        # "I" and "F" say nothing of their range: take the smallest usual one.
        brightest = pixels.max(initial=0)
        top = next((t for t in (1.0, 255.0, 65535.0) if brightest <= t), brightest)
    scaled = np.clip(pixels / top, 0, 1) * 255
    return Image.fromarray(np.round(scaled).astype(np.uint8))


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
