import doctest
import json
import struct

import pytest
import torch
from safetensors.torch import save_file

import fashionnet.checkpoint
from fashionnet import (
    CheckpointError,
    NeuralNetwork,
    Recipe,
    cached_model,
    load_checkpoint,
    save_checkpoint,
)
from fashionnet.checkpoint import _metadata


@pytest.fixture
def saved(tmp_path, model):
    path = tmp_path / "model.safetensors"
    save_checkpoint(model, path, test_accuracy=0.9055, recipe=Recipe(epochs=3))
    return path


def test_checkpoint_round_trips_weights_exactly(saved, model):
    loaded = load_checkpoint(saved, device="cpu").model
    for (name, tensor), (other, value) in zip(
        model.state_dict().items(), loaded.state_dict().items(), strict=True
    ):
        assert name == other and torch.equal(tensor, value)


def test_checkpoint_round_trips_metadata(saved):
    metadata = load_checkpoint(saved, device="cpu").metadata
    assert metadata["test_accuracy"] == 0.9055
    assert metadata["recipe"]["epochs"] == 3 and metadata["final_relu"] is False
    assert metadata["classes_ja"][6] == "シャツ"


@pytest.mark.parametrize("native", [True, False])
def test_checkpoint_records_the_dtype_auto_chose(tmp_path, model, monkeypatch, native):
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: native)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    path = save_checkpoint(model, tmp_path / "m.safetensors", recipe=Recipe())
    recipe = load_checkpoint(path, device="cpu").metadata["recipe"]
    assert recipe["precision"] == "auto"
    assert recipe["matmul_dtype"] == ("bfloat16" if native else "float32")


def test_checkpoint_keeps_final_relu(tmp_path):
    path = save_checkpoint(NeuralNetwork(final_relu=True), tmp_path / "m.safetensors")
    assert load_checkpoint(path, device="cpu").model.final_relu


def test_checkpoint_is_safetensors_not_pickle(saved):
    raw = saved.read_bytes()
    (header_size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_size])
    assert header["__metadata__"]["format"] == '"fashionnet-checkpoint"'


def test_checkpoint_moves_to_requested_device(saved):
    model = load_checkpoint(saved, device="meta").model
    assert next(model.parameters()).device.type == "meta"


def test_checkpoint_loads_on_default_device_in_eval_mode(saved, monkeypatch):
    monkeypatch.setattr(
        fashionnet.checkpoint, "get_device", lambda: torch.device("cpu")
    )
    model = load_checkpoint(saved).model
    assert next(model.parameters()).device.type == "cpu" and not model.training


def test_save_checkpoint_replaces_file_only_when_complete(saved, model, monkeypatch):
    before = saved.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(fashionnet.checkpoint, "save_file", fail)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(model, saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_load_checkpoint_refuses_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint file"):
        load_checkpoint(tmp_path / "missing.safetensors")


def test_load_checkpoint_refuses_file_that_is_not_safetensors(tmp_path):
    path = tmp_path / "model.pt"
    path.write_text("certainly not safetensors")
    with pytest.raises(CheckpointError, match="not a safetensors file"):
        load_checkpoint(path)


def test_load_checkpoint_refuses_foreign_safetensors(tmp_path):
    path = tmp_path / "other.safetensors"
    save_file({"weight": torch.zeros(2)}, path)
    with pytest.raises(CheckpointError, match="not a fashionnet checkpoint"):
        load_checkpoint(path)


def test_load_checkpoint_refuses_wrong_shapes(tmp_path, model):
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    tensors["linear_relu_stack.0.weight"] = torch.zeros(512, 100)
    path = tmp_path / "wrong.safetensors"
    save_file(tensors, path, metadata=_metadata(model, None, None))
    with pytest.raises(CheckpointError, match=r"has shape \(512, 100\), expected"):
        load_checkpoint(path)


def test_load_checkpoint_refuses_missing_tensor(tmp_path, model):
    tensors = dict(model.state_dict())
    del tensors["linear_relu_stack.4.bias"]
    path = tmp_path / "short.safetensors"
    save_file(tensors, path, metadata=_metadata(model, None, None))
    with pytest.raises(CheckpointError, match="lacks the tensor linear_relu_stack.4"):
        load_checkpoint(path)


def test_load_checkpoint_refuses_other_normalization(tmp_path, model):
    metadata = _metadata(model, None, None) | {"mean": "0.5"}
    path = tmp_path / "mean.safetensors"
    save_file(dict(model.state_dict()), path, metadata=metadata)
    with pytest.raises(CheckpointError, match="mean=0.5"):
        load_checkpoint(path)


@pytest.fixture
def fake_training(fake_root, monkeypatch):
    """Count training runs; the fake data makes each one take milliseconds."""
    monkeypatch.setenv("FASHIONNET_DATA", str(fake_root))
    calls = []
    real = fashionnet.checkpoint.train_model

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(fashionnet.checkpoint, "train_model", spy)
    return calls


def test_cached_model_trains_once(tmp_path, fake_training):
    recipe = Recipe(epochs=1, batch_size=8)
    first = cached_model(recipe, device="cpu", cache=tmp_path / "models")
    second = cached_model(recipe, device="cpu", cache=tmp_path / "models")
    assert len(fake_training) == 1
    assert torch.equal(
        first.model(torch.ones(1, 28, 28)), second.model(torch.ones(1, 28, 28))
    )


def test_cached_model_retrains_for_another_recipe(tmp_path, fake_training):
    cache = tmp_path / "models"
    cached_model(Recipe(epochs=1, batch_size=8), device="cpu", cache=cache)
    cached_model(Recipe(epochs=1, batch_size=4), device="cpu", cache=cache)
    assert len(fake_training) == 2 and len(list(cache.iterdir())) == 2


def test_docstring_examples_run():
    result = doctest.testmod(fashionnet.checkpoint)
    assert result.attempted > 0 and result.failed == 0


def test_cached_model_retrains_over_unusable_file(tmp_path, fake_training):
    cache = tmp_path / "models"
    cached_model(Recipe(epochs=1, batch_size=8), device="cpu", cache=cache)
    [path] = cache.iterdir()
    path.write_text("truncated")
    cached_model(Recipe(epochs=1, batch_size=8), device="cpu", cache=cache)
    assert len(fake_training) == 2 and load_checkpoint(path, device="cpu")
