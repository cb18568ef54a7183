"""Checkpoints: exact round trip, atomic publish, pruning, fallback past corrupt checkpoints, consolidation."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from aircluster.errors import IntegrityError, NotFound
from aircluster.train.checkpoint import LATEST, MANIFEST, Checkpointer, Restored, consolidate, main, step_dir_name
from aircluster.train.models import build_model, model_args
from aircluster.train.parallel import build_optimizer
from aircluster.train.schedule import build_scheduler
from aircluster.train.state import JSONState, ModelState, OptimizerState, RNGState, rng_part_name


class Position:
    """A loader stand-in: its state is a plain dict."""

    def __init__(self, state: dict) -> None:
        self.state = state

    def state_dict(self) -> dict:
        return dict(self.state)

    def load_state_dict(self, state: dict) -> None:
        self.state = dict(state)


class Run:
    """A tiny LM with optimizer and schedule that can take real training steps."""

    def __init__(self, seed: int):
        torch.manual_seed(seed)
        self.model = build_model("lm", model_args("lm", "tiny", dim=32, n_layers=1, vocab_size=64))
        self.optimizer = build_optimizer(self.model, lr=1e-2)
        self.scheduler = build_scheduler(self.optimizer, warmup_steps=2, total_steps=20, min_ratio=0.1)
        self.loader = Position({"offset": 0})

    def step(self) -> float:
        tokens = torch.randint(0, 64, (2, 8))
        loss = torch.nn.functional.cross_entropy(self.model(tokens).flatten(0, 1), tokens.flatten())
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        self.scheduler.step()
        return loss.item()

    def parts(self) -> dict:
        return {
            "model": ModelState(self.model),
            "optimizer": OptimizerState(self.model, self.optimizer),
            "scheduler": JSONState(self.scheduler),
            "loader": JSONState(self.loader),
            rng_part_name(0): RNGState(),
        }

    def save(self, ckpt: Checkpointer, step: int, loader: dict | None = None) -> Path:
        self.loader.state = loader or {"offset": step}
        return ckpt.save(step, self.parts())

    def load(self, ckpt: Checkpointer) -> Restored:
        restored = ckpt.load(self.parts())
        assert restored is not None
        return restored


def params(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_round_trip_restores_everything_so_training_continues_identically(tmp_path: Path) -> None:
    a = Run(seed=0)
    for _ in range(3):
        a.step()
    ckpt = Checkpointer(tmp_path / "ckpt")
    a.save(ckpt, 3, {"offset": 48, "seed": 5})
    expected = [a.step() for _ in range(3)]
    expected_py, expected_np = random.random(), np.random.random()

    b = Run(seed=1)  # different weights and RNG
    restored = b.load(Checkpointer(tmp_path / "ckpt"))
    assert restored is not None
    assert restored.step == 3 and b.loader.state == {"offset": 48, "seed": 5} and restored.missing == ()
    assert b.scheduler.last_epoch == 3
    # Same RNG (batches below are drawn from it), same weights, same Adam moments: identical losses.
    assert [b.step() for _ in range(3)] == expected
    assert (random.random(), np.random.random()) == (expected_py, expected_np)
    for key, value in params(a.model).items():
        assert torch.equal(value, params(b.model)[key]), key


def test_no_checkpoint_loads_nothing(tmp_path: Path) -> None:
    run = Run(seed=0)
    before = params(run.model)
    assert Checkpointer(tmp_path / "none").load(run.parts()) is None
    assert all(torch.equal(v, params(run.model)[k]) for k, v in before.items())


def test_a_part_the_checkpoint_lacks_is_left_as_it_is_and_named(tmp_path: Path) -> None:
    a = Run(seed=0)
    a.step()
    a.save(Checkpointer(tmp_path), 1, {"offset": 7})
    b = Run(seed=1)
    # Resumed as rank 1 (none at save time), with a part added since: both are reported, the rest loads.
    parts = {**b.parts(), "added": Position({"kept": True})}
    parts[rng_part_name(1)] = parts.pop(rng_part_name(0))
    torch.manual_seed(123)
    expected_draw = torch.rand(1)
    torch.manual_seed(123)
    restored = Checkpointer(tmp_path).load(parts)
    assert restored is not None and restored.missing == ("added", rng_part_name(1))
    assert parts["added"].state == {"kept": True} and b.loader.state == {"offset": 7}
    assert torch.equal(torch.rand(1), expected_draw)  # this rank's generator was not touched
    assert all(torch.equal(v, params(b.model)[k]) for k, v in params(a.model).items())


def test_publish_layout_latest_and_keep(tmp_path: Path) -> None:
    run = Run(seed=0)
    ckpt = Checkpointer(tmp_path, keep=2)
    for step in (5, 10, 15):
        run.step()
        published = run.save(ckpt, step)
        assert published == tmp_path / step_dir_name(step)
        assert (tmp_path / LATEST).read_text().strip() == step_dir_name(step)
    assert sorted(p.name for p in tmp_path.iterdir()) == [LATEST, "step-000010", "step-000015"]
    manifest = json.loads((tmp_path / "step-000015" / MANIFEST).read_text())
    assert manifest["step"] == 15 and manifest["world_size"] == 1
    assert ".metadata" in manifest["files"]
    assert all((tmp_path / "step-000015" / name).stat().st_size == size for name, size in manifest["files"].items())


def test_saving_the_same_step_again_replaces_it(tmp_path: Path) -> None:
    run = Run(seed=0)
    ckpt = Checkpointer(tmp_path)
    run.save(ckpt, 4, {"offset": 1})
    run.save(ckpt, 4, {"offset": 2})
    assert [p.name for p in ckpt.published()] == ["step-000004"]
    again = Run(seed=1)
    again.load(ckpt)
    assert again.loader.state == {"offset": 2}


def test_an_interrupted_save_is_never_loaded(tmp_path: Path) -> None:
    run = Run(seed=0)
    ckpt = Checkpointer(tmp_path)
    run.save(ckpt, 2)
    run.step()
    # A crash during the next save leaves only its temporary directory behind.
    stale = tmp_path / ".tmp-step-000004"
    stale.mkdir()
    (stale / ".metadata").write_bytes(b"half written")
    assert Run(seed=1).load(ckpt).step == 2
    run.save(ckpt, 4)  # the retried save replaces the leftover
    assert not stale.exists() and Run(seed=1).load(ckpt).step == 4


def _three_checkpoints(tmp_path: Path) -> tuple[Run, Checkpointer, dict[str, torch.Tensor]]:
    run = Run(seed=0)
    ckpt = Checkpointer(tmp_path, keep=3)
    weights_at_2: dict[str, torch.Tensor] = {}
    for step in (1, 2, 3):
        run.step()
        run.save(ckpt, step)
        if step == 2:
            weights_at_2 = params(run.model)
    return run, ckpt, weights_at_2


def test_truncated_latest_falls_back_to_previous_with_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _, ckpt, weights_at_2 = _three_checkpoints(tmp_path)
    data_file = next((tmp_path / "step-000003").glob("*.distcp"))
    data_file.write_bytes(data_file.read_bytes()[: data_file.stat().st_size // 2])

    fresh = Run(seed=1)
    with caplog.at_level(logging.WARNING, logger="aircluster.train"):
        restored = fresh.load(ckpt)
    assert restored is not None and restored.step == 2
    assert any("step-000003" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert all(torch.equal(v, params(fresh.model)[k]) for k, v in weights_at_2.items())
    # The bad one is set aside, so later saves and pruning never mistake it for the newest.
    assert (tmp_path / "step-000003.corrupt").is_dir() and not (tmp_path / "step-000003").exists()


def test_corrupt_content_of_the_same_size_falls_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _, ckpt, _ = _three_checkpoints(tmp_path)
    metadata = tmp_path / "step-000003" / ".metadata"
    metadata.write_bytes(bytes(b ^ 0xFF for b in metadata.read_bytes()))  # size unchanged: manifest passes
    with caplog.at_level(logging.WARNING, logger="aircluster.train"):
        assert Run(seed=1).load(ckpt).step == 2
    assert any("step-000003" in r.getMessage() for r in caplog.records)


def test_missing_manifest_means_unpublished(tmp_path: Path) -> None:
    _, ckpt, _ = _three_checkpoints(tmp_path)
    (tmp_path / "step-000003" / MANIFEST).unlink()
    assert Run(seed=1).load(ckpt).step == 2


def test_all_checkpoints_corrupt_is_an_error(tmp_path: Path) -> None:
    _, ckpt, _ = _three_checkpoints(tmp_path)
    for path in tmp_path.glob("step-*/*.distcp"):
        path.write_bytes(b"")
    with pytest.raises(IntegrityError, match="no checkpoint"):
        Run(seed=1).load(ckpt)


def test_async_save_is_published_after_wait(tmp_path: Path) -> None:
    run = Run(seed=0)
    run.step()
    ckpt = Checkpointer(tmp_path, async_save=True)
    expected = params(run.model)
    run.save(ckpt, 1)
    run.step()  # training continues while the checkpoint is written; the saved weights are the old ones
    ckpt.close()
    assert (tmp_path / LATEST).read_text().strip() == "step-000001"
    fresh = Run(seed=1)
    assert fresh.load(Checkpointer(tmp_path)).step == 1
    assert all(torch.equal(v, params(fresh.model)[k]) for k, v in expected.items())


def test_consolidate_to_a_plain_state_dict(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = Run(seed=0)
    run.step()
    run.save(Checkpointer(tmp_path / "ckpt"), 1)
    out = consolidate(tmp_path / "ckpt" / "step-000001", tmp_path / "model.pt")
    plain = torch.load(out, weights_only=True)
    fresh = Run(seed=1).model
    fresh.load_state_dict(plain)  # strict: exactly the model's keys
    assert all(torch.equal(v, params(fresh)[k]) for k, v in params(run.model).items())

    # The command-line form takes the checkpoints directory (its latest) and can keep everything.
    assert main([str(tmp_path / "ckpt"), str(tmp_path / "full.pt"), "--full"]) == 0
    full = torch.load(tmp_path / "full.pt", weights_only=False)
    assert any(k.startswith("optimizer.") for k in full) and any(k.startswith("model.") for k in full)
    with pytest.raises(NotFound):
        consolidate(tmp_path, tmp_path / "x.pt")
