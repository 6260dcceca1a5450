"""A process killed while saving leaves the previous checkpoint intact.

Each test starts a real Python process that saves over an existing
checkpoint and kills it with SIGKILL, which no handler can catch.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from fashionnet import NeuralNetwork, load_checkpoint, save_checkpoint

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

# argv: path, seed, mode. "pause" stops after the temporary file is fully
# written, before the rename; "loop" saves again and again until killed.
CHILD = """
import sys
import torch
from fashionnet import NeuralNetwork, save_checkpoint
from fashionnet import checkpoint

path, seed, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
torch.manual_seed(seed)
model = NeuralNetwork()
if mode == "pause":
    write = checkpoint.save_file

    def write_then_wait(tensors, filename, metadata):
        write(tensors, filename, metadata=metadata)
        print("written", flush=True)
        sys.stdin.read()  # blocks until the parent kills this process

    checkpoint.save_file = write_then_wait
    save_checkpoint(model, path)
else:
    print("saving", flush=True)
    while True:
        save_checkpoint(model, path)
"""


def start(path: Path, seed: int, mode: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(seed), mode],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() in ("written", "saving")
    return child


def temporaries(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*.tmp"))


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture
def original(tmp_path) -> tuple[Path, dict[str, torch.Tensor]]:
    torch.manual_seed(0)
    model = NeuralNetwork()
    path = save_checkpoint(model, tmp_path / "model.safetensors")
    return path, model.state_dict()


def same_weights(path: Path, state: dict[str, torch.Tensor]) -> bool:
    loaded = load_checkpoint(path, device="cpu").model.state_dict()
    return all(torch.equal(loaded[name], state[name]) for name in state)


def test_kill_before_rename_keeps_previous_checkpoint(original):
    path, state = original
    child = start(path, seed=1, mode="pause")  # other weights, not yet renamed
    assert temporaries(path)  # the new checkpoint is written beside the old
    kill(child)
    assert same_weights(path, state)


def test_kill_during_repeated_saves_keeps_a_whole_checkpoint(original):
    path, state = original
    child = start(path, seed=0, mode="loop")  # the same weights, saved again
    deadline = time.monotonic() + 30
    while not temporaries(path) and time.monotonic() < deadline:
        time.sleep(0.001)  # poll: kill while a save is under way
    kill(child)
    assert same_weights(path, state)  # never half a file under the real name
