import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from fashionnet import (
    CLASSES,
    CLASSES_JA,
    __version__,
    load_dataset,
    save_checkpoint,
)
from fashionnet.checkpoint import _metadata
from fashionnet.cli import _width, main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit:  # argparse exits by itself
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trained(tmp_path, fake_root, capsys):
    path = tmp_path / "model.safetensors"
    args = ["--epochs", "2", "--batch-size", "8", "--data", str(fake_root)]
    code, out, err = run(capsys, "train", *args, "--out", str(path))
    assert code == 0, err
    return path, out, err


@pytest.fixture
def pngs(tmp_path, fake_root):
    dataset = load_dataset("test", root=fake_root)
    paths = []
    for index in range(3):
        paths.append(tmp_path / f"item{index}.png")
        Image.fromarray(dataset.data[index].numpy()).save(paths[-1])
    return paths


def test_train_saves_checkpoint_and_prints_accuracy(trained):
    path, out, err = trained
    assert path.is_file()
    assert "test accuracy: " in out and "training time: " in out
    assert "epoch 2: loss" in err  # progress goes to stderr


def test_evaluate_prints_the_accuracy_train_printed(trained, fake_root, capsys):
    path, train_out, _ = trained
    code, out, _ = run(
        capsys, "evaluate", "--model", str(path), "--data", str(fake_root)
    )
    accuracy_line = next(line for line in train_out.splitlines() if "accuracy" in line)
    assert code == 0 and accuracy_line in out.splitlines()


def test_evaluate_prints_a_row_per_class_in_japanese(trained, fake_root, capsys):
    path, _, _ = trained
    args = ["--model", str(path), "--data", str(fake_root), "--lang", "ja"]
    code, out, _ = run(capsys, "evaluate", *args)
    assert all(
        any(line.startswith(name) for line in out.splitlines()) for name in CLASSES_JA
    )


@pytest.mark.parametrize("lang, names", [("en", CLASSES), ("ja", CLASSES_JA)])
def test_predict_prints_class_and_probability(trained, pngs, capsys, lang, names):
    path, _, _ = trained
    code, out, _ = run(
        capsys, "predict", "--model", str(path), "--lang", lang, *map(str, pngs)
    )
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].startswith(f"{pngs[0]}: ") and lines[0].endswith("%)")
    assert lines[0].split(": ")[1].rsplit(" (", 1)[0] in names


def test_info_prints_architecture_and_parameter_count(capsys):
    code, out, _ = run(capsys, "info")
    assert code == 0 and "parameters: 669,706" in out
    assert "Linear(in_features=784, out_features=512" in out


def test_info_describes_checkpoint(tmp_path, model, capsys):
    path = save_checkpoint(model, tmp_path / "m.safetensors", test_accuracy=0.9)
    code, out, _ = run(capsys, "info", "--model", str(path))
    assert code == 0 and "test accuracy: 90.00%" in out


def one_line_error(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_user_error_missing_checkpoint(tmp_path, capsys):
    err = one_line_error(capsys, "evaluate", "--model", str(tmp_path / "nope"))
    assert "no checkpoint file" in err


def test_user_error_file_is_not_safetensors(tmp_path, capsys):
    path = tmp_path / "model.safetensors"
    path.write_bytes(b"\x80\x04pickle?")
    err = one_line_error(capsys, "predict", "--model", str(path), "x.png")
    assert "not a safetensors file" in err


def test_user_error_wrong_shapes(tmp_path, model, capsys):
    path = tmp_path / "model.safetensors"
    tensors = dict(model.state_dict())
    tensors["linear_relu_stack.2.weight"] = torch.zeros(256, 512)
    save_file(tensors, path, metadata=_metadata(model, None, None))
    err = one_line_error(capsys, "info", "--model", str(path))
    assert "linear_relu_stack.2.weight has shape (256, 512)" in err


def test_user_error_image_is_not_an_image(trained, tmp_path, capsys):
    path, _, _ = trained
    (tmp_path / "notes.png").write_text("hello")
    err = one_line_error(
        capsys, "predict", "--model", str(path), str(tmp_path / "notes.png")
    )
    assert "notes.png" in err


@pytest.mark.parametrize(
    "argv",
    [["train", "--epochs", "0"], ["train", "--lr", "fast"], ["predict"], ["dance"]],
)
def test_user_error_bad_arguments(argv, capsys):
    err = one_line_error(capsys, *argv)
    assert err.startswith("fashionnet")


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "fashionnet", "info"],
        capture_output=True,
        text=True,
        cwd=ROOT,  # the checkout's package, not an installed one
    )
    assert done.returncode == 0 and "parameters: 669,706" in done.stdout


def test_version_prints_package_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out == f"fashionnet {__version__}\n"


def test_train_one_epoch_says_epoch_singular(tmp_path, fake_root, capsys):
    args = ["--epochs", "1", "--batch-size", "8", "--data", str(fake_root)]
    code, out, err = run(capsys, "train", *args, "--out", str(tmp_path / "m.st"))
    assert code == 0 and "(1 epoch, " in out, err


def test_evaluate_japanese_header_aligns_with_numbers(trained, fake_root, capsys):
    path, _, _ = trained
    args = ["--model", str(path), "--data", str(fake_root), "--lang", "ja"]
    code, out, _ = run(capsys, "evaluate", *args)
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("クラス"))
    assert code == 0 and _width(lines[header]) == _width(lines[header + 1])
