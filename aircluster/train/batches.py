"""What the training loop needs from a data source, and a synthetic source for tests and demos.

`data.build_data` picks this source or the stored datasets' one (data.py).

A source is an endless iterator of batches, each a dict of tensors on the CPU:
- lm:       `tokens` (B, T) int64 and `targets` (B, T) int64 (the next token of each position)
- classify: `tokens` (B, T) int64 and `labels` (B,) int64
- vit:      `images` (B, C, H, W) float32 and `labels` (B,) int64
with `state_dict()` / `load_state_dict()` that round-trip its position exactly. The state is a small
JSON-able dict describing the *global* position of the stream (as in MosaicML streaming: sample
offset, seed), the same on every rank, so that it can be restored on a different number of processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import torch

from aircluster.errors import UsageError

if TYPE_CHECKING:
    from aircluster.jobs.run_config import Config

Batch = dict[str, torch.Tensor]
SYNTHETIC = "synthetic"  # the `data.datasets` entry that selects generated data
SPLITS = ("train", "val")


class EmptySplit(UsageError):
    """A split holds no records for this rank (a tiny dataset's held-out share can be empty)."""


@runtime_checkable
class BatchSource(Protocol):
    def __iter__(self) -> Iterator[Batch]: ...

    def __next__(self) -> Batch: ...

    def state_dict(self) -> dict[str, Any]: ...

    def load_state_dict(self, state: dict[str, Any]) -> None: ...


def synthetic_source(cfg: Config, rank: int, world_size: int, split: str = "train") -> SyntheticSource:
    """A synthetic source shaped for `cfg.model` (vocabulary, classes and image size from its model args)."""
    from aircluster.train.models import model_args

    args = model_args(cfg.model.name, cfg.model.size, **cfg.model.args)
    return SyntheticSource(
        kind=cfg.model.name,
        batch_size=cfg.data.batch_size,
        seq_len=cfg.data.seq_len,
        vocab_size=int(getattr(args, "vocab_size", 256)),
        num_classes=int(getattr(args, "num_classes", 10)),
        image_size=int(getattr(args, "image_size", 32)),
        channels=int(getattr(args, "channels", getattr(args, "in_channels", 3))),
        seed=cfg.train.seed,
        rank=rank,
        world_size=world_size,
        split=split,
    )


class SyntheticSource:
    """Deterministic generated data with structure a model can learn, so the loss goes down.

    Sample i of a split depends only on (seed, split, i), and rank r of W takes samples
    [offset + r*B, offset + (r+1)*B) of each global batch: the stream is the same for any world
    size, and the state is just the global sample offset.
    - lm: a fixed random successor table; each next token follows it with probability 0.9.
    - classify: tokens drawn mostly from the label's residue class (token % num_classes == label).
    - vit: a fixed random pattern per class plus Gaussian noise.
    """

    def __init__(
        self,
        kind: str,
        batch_size: int,
        seq_len: int = 128,
        vocab_size: int = 256,
        num_classes: int = 10,
        image_size: int = 32,
        channels: int = 3,
        seed: int = 0,
        rank: int = 0,
        world_size: int = 1,
        split: str = "train",
    ):
        if kind not in ("lm", "classify", "vit"):
            raise UsageError(f"synthetic data: unknown model kind {kind!r} (use lm, classify or vit)")
        self.kind, self.batch_size, self.seq_len = kind, batch_size, seq_len
        self.vocab_size, self.num_classes = vocab_size, num_classes
        self.image_size, self.channels = image_size, channels
        self.seed, self.rank, self.world_size, self.split = seed, rank, world_size, split
        self.offset = 0  # global samples consumed, over all ranks
        # The learnable structure depends on the seed only, so train and val share it.
        table_rng = np.random.default_rng([seed, 0xA1C])
        self._successor = table_rng.permutation(vocab_size)
        self._patterns = table_rng.standard_normal((num_classes, channels, image_size, image_size)).astype(np.float32)

    def __iter__(self) -> SyntheticSource:
        return self

    def __next__(self) -> Batch:
        first = self.offset + self.rank * self.batch_size
        samples = [self._sample(first + i) for i in range(self.batch_size)]
        self.offset += self.batch_size * self.world_size
        return {key: torch.from_numpy(np.stack([s[key] for s in samples])) for key in samples[0]}

    def state_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seed": self.seed, "split": self.split, "offset": self.offset}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if (state.get("kind"), state.get("seed"), state.get("split")) != (self.kind, self.seed, self.split):
            raise UsageError(
                f"synthetic data: saved loader state is for {state.get('kind')}/{state.get('split')} seed "
                f"{state.get('seed')}, not {self.kind}/{self.split} seed {self.seed}"
            )
        self.offset = int(state["offset"])

    def _sample(self, index: int) -> dict[str, np.ndarray | np.int64]:
        rng = np.random.default_rng([self.seed, SPLITS.index(self.split), index])
        if self.kind == "lm":
            seq = np.empty(self.seq_len + 1, dtype=np.int64)
            seq[0] = rng.integers(self.vocab_size)
            noise = rng.random(self.seq_len) < 0.1
            random_tokens = rng.integers(self.vocab_size, size=self.seq_len)
            for t in range(self.seq_len):
                seq[t + 1] = random_tokens[t] if noise[t] else self._successor[seq[t]]
            return {"tokens": seq[:-1], "targets": seq[1:]}
        label = np.int64(rng.integers(self.num_classes))
        if self.kind == "classify":
            per_class = max(1, self.vocab_size // self.num_classes)
            in_class = rng.integers(per_class, size=self.seq_len) * self.num_classes + label
            tokens = np.where(rng.random(self.seq_len) < 0.7, in_class, rng.integers(self.vocab_size, size=self.seq_len))
            return {"tokens": np.minimum(tokens, self.vocab_size - 1).astype(np.int64), "labels": label}
        noise = rng.standard_normal((self.channels, self.image_size, self.image_size)).astype(np.float32)
        return {"images": self._patterns[label] + noise, "labels": label}
