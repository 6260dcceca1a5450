import numpy as np
import pytest
import torch
from PIL import Image

from fashionnet import ImageError, load_image


def garment(height: int, width: int) -> np.ndarray:
    """A light blob on black, the way FashionMNIST draws a garment."""
    pixels = np.zeros((height, width), dtype=np.uint8)
    pixels[height // 4 : -height // 4, width // 3 : -width // 3] = 200
    return pixels


def test_load_image_keeps_fashion_mnist_png_exactly(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8)
    pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1] = 0, 0, 0, 0
    Image.fromarray(pixels).save(tmp_path / "item.png")
    image = load_image(tmp_path / "item.png")
    assert image.dtype == torch.float32
    assert torch.equal(image, torch.from_numpy(pixels).float() / 255)


def test_load_image_inverts_dark_garment_on_white(tmp_path):
    Image.fromarray(255 - garment(28, 28)).save(tmp_path / "photo.png")
    image = load_image(tmp_path / "photo.png")
    assert image[0, 0] == 0 and image[14, 14] == pytest.approx(200 / 255)


def test_load_image_fits_large_photo_into_frame(tmp_path):
    Image.fromarray(255 - garment(300, 200)).convert("RGB").save(tmp_path / "p.jpg")
    image = load_image(tmp_path / "p.jpg")
    assert image.shape == (28, 28)
    assert image[:, 14].gt(0.5).sum() >= 26  # the garment fills the height
    assert image[14, :3].max() < 0.1  # and is centred on black


def test_load_image_treats_transparency_as_background(tmp_path):
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)
    rgba[10:30, 15:25] = (20, 20, 120, 255)  # an opaque dark-blue garment
    Image.fromarray(rgba, "RGBA").save(tmp_path / "cutout.png")
    image = load_image(tmp_path / "cutout.png")
    assert image[14, 14] > 0.5 and image[0, 0] == 0


def test_load_image_refuses_file_that_is_not_an_image(tmp_path):
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ImageError, match="notes.png is not an image"):
        load_image(tmp_path / "notes.png")
