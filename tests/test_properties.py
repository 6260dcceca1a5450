"""Properties of predict's shape handling and of image conversion (hypothesis).

Examples are few and derandomized, so the suite stays fast and every run
tries the same inputs.
"""

from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from fashionnet import NeuralNetwork, load_image, predict

FEW = settings(max_examples=25, derandomize=True, deadline=None)

torch.manual_seed(0)
MODEL = NeuralNetwork()


def valid_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    n = st.integers(0, 6)
    return st.one_of(
        st.just((28, 28)), n.map(lambda k: (k, 28, 28)), n.map(lambda k: (k, 1, 28, 28))
    )


def is_valid(shape: tuple[int, ...]) -> bool:
    return shape == (28, 28) or (
        len(shape) in (3, 4) and shape[-2:] == (28, 28) and shape[1:-2] in ((), (1,))
    )


@FEW
@given(shape=valid_shapes(), uint8=st.booleans())
def test_predict_valid_shape_gives_a_row_per_image(shape, uint8):
    images = torch.randint(0, 256, shape, dtype=torch.uint8)
    result = predict(MODEL, images if uint8 else images / 255)
    n = 1 if len(shape) == 2 else shape[0]
    assert result.probabilities.shape == (n, 10)
    assert torch.allclose(result.probabilities.sum(dim=1), torch.ones(n))


@FEW
@given(shape=st.lists(st.integers(0, 40), max_size=5).map(tuple))
def test_predict_invalid_shape_raises_value_error(shape):
    if is_valid(shape):
        return  # hypothesis found a valid one: covered by the test above
    try:
        predict(MODEL, torch.zeros(shape))
    except ValueError as err:
        assert "expected grayscale images shaped" in str(err)
    else:
        raise AssertionError(f"{shape} was accepted")


# Each Pillow mode, with the file formats that can store it.
FORMATS = {
    "L": [".png", ".gif", ".jpg"],
    "RGB": [".png", ".jpg", ".tiff"],
    "RGBA": [".png", ".tiff"],
    "P": [".png", ".gif"],
    "LA": [".png"],
    "I;16": [".png", ".tiff"],
    "1": [".png", ".tiff"],
    "CMYK": [".jpg", ".tiff"],
}


@st.composite
def images(draw) -> Image.Image:
    width, height = draw(st.integers(8, 120)), draw(st.integers(8, 120))
    mode = draw(st.sampled_from(sorted(FORMATS)))
    seed = draw(st.integers(0, 2**16))
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 4))
    image = Image.fromarray(pixels.astype(np.uint8), "RGBA")
    if mode == "I;16":
        return Image.fromarray(pixels[..., 0].astype(np.uint16) * 257)
    return image.convert(mode)


@FEW
@given(image=images(), data=st.data())
def test_load_image_gives_28_by_28_floats_in_unit_range(image, data):
    suffix = data.draw(st.sampled_from(FORMATS[image.mode]))
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"image{suffix}"
        image.save(path)
        pixels = load_image(path)
    assert pixels.shape == (28, 28) and pixels.dtype == torch.float32
    assert 0 <= pixels.min() <= pixels.max() <= 1


@FEW
@given(values=st.lists(st.integers(0, 255), min_size=64, max_size=64))
def test_load_image_reads_16_bit_as_its_8_bit_twin(values):
    gray = np.array(values, dtype=np.uint8).reshape(8, 8)
    with TemporaryDirectory() as folder:
        Image.fromarray(gray).save(Path(folder) / "8.png")
        Image.fromarray(gray.astype(np.uint16) * 257).save(Path(folder) / "16.png")
        eight, sixteen = (load_image(Path(folder) / n) for n in ("8.png", "16.png"))
    assert torch.equal(eight, sixteen)
