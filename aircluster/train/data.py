"""The trainer's data: `build_data` picks generated batches (batches.py) or approved, encrypted dataset
versions read through the streaming loader (`StoreSource` below).

For stored datasets:
- lm: each record's text field is tokenized (byte-level) and the token stream is packed into
  sequences of `seq_len + 1` (inputs and next-token targets), records separated by EOS;
- classify: the text field is tokenized, truncated or padded to `seq_len`, with the label field;
- vit: the image bytes are decoded and resized to the model's image size, with the label id.

Held-out split: a record belongs to "val" when a keyed hash of its position-independent content falls
in the lowest 1/`VAL_EVERY` of the range; "train" sees the rest. Both read the same versions.

Resume: the state is the loader's (positions and seeds, never data) with the records still held in the
packing buffer given back to it, plus how many tokens of the oldest one were already used. Resuming on
the same world shape is exact; on another one, a record whose tokens were partly used is read again from
its start (at most one record per rank).
"""

from __future__ import annotations

import hashlib
import io
from collections import deque
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
import torch.distributed as tdist

from aircluster.errors import InputError, UsageError
from aircluster.train.batches import SPLITS, SYNTHETIC, Batch, BatchSource, EmptySplit, synthetic_source

VAL_EVERY = 20  # one record in 20 is held out for validation


def is_held_out(record: dict[str, Any], field: str) -> bool:
    value = record.get(field)
    raw = value if isinstance(value, bytes) else repr(value).encode()
    return hashlib.blake2b(raw, digest_size=2).digest()[0] * 256 % (VAL_EVERY * 256) < 256


class StoreSource:
    """An endless iterator of batches for one rank, with a global, resumable state."""

    def __init__(self, cfg: Any, rank: int, world_size: int, split: str):
        from aircluster.client.remote import ServerKeys
        from aircluster.store.loader import StreamingDataLoader, StreamingDataset
        from aircluster.train.models import model_args

        self.kind = cfg.model.name
        self.rank, self.world = rank, world_size
        self.batch_size = cfg.data.batch_size
        self.seq_len = cfg.data.seq_len
        self.split = split
        self.margs = model_args(self.kind, cfg.model.size, **cfg.model.args)
        refs = [spec.partition(":")[0] for spec in cfg.data.datasets]
        # The server decides what this process may read: the job's token (AIRCLUSTER_JOB_TOKEN) names the
        # versions pinned at submission, and it is checked again at every key release.
        with ServerKeys.connect() as keys:
            versions = [keys.catalog.resolve(ref) for ref in refs]
        meta = versions[0].meta
        self.text_field = meta.get("text_field") or "text"
        self.label_field = "label_id" if meta.get("format") == "images" else (meta.get("label_field") or "label")
        self.key_field = "image" if self.kind == "vit" else self.text_field
        want_val = split == "val"
        key_field = self.key_field

        def keep(record: dict[str, Any]) -> dict[str, Any] | None:
            return record if is_held_out(record, key_field) == want_val else None

        self.dataset = StreamingDataset(
            refs,
            seed=cfg.train.seed + (7919 if want_val else 0),
            shuffle=True,
            rank=rank,
            world_size=world_size,
            transform=keep,
            purpose="train" if split == "train" else "validate",
        )
        # One consumer per rank keeps the record order reproducible on resume; the loader's own
        # background thread fetches and prefetches ciphertext.
        self.loader = StreamingDataLoader(self.dataset, batch_size=None, num_workers=0)
        self._records: Iterator[Any] | None = None
        self._tokens: deque[int] = deque()
        self._held: deque[list[int]] = deque()  # [epoch, tokens] of each record still buffered, oldest first
        self._used_of_oldest = 0
        self._skip_on_start = 0
        if self.kind != "vit":
            from aircluster.train.tokenizer import ByteTokenizer

            self.tokenizer = ByteTokenizer()

    # --- records ----------------------------------------------------------------------------------

    def _next_record(self) -> dict[str, Any]:
        for _ in range(2):
            if self._records is None:
                self._records = iter(self.loader)
            for record in self._records:
                if record is not None:
                    return record
            self._records = None  # epoch done: the next iter() starts the next epoch
        raise EmptySplit(f"{self.split} split of {', '.join(self.dataset.state.datasets)} has no records for rank {self.rank}")

    def _text(self, record: dict[str, Any]) -> str:
        value = record.get(self.text_field)
        if not isinstance(value, str):
            raise InputError(
                f"records need a string field {self.text_field!r} to train a {self.kind} model (import with --text-field)"
            )
        return value

    def _label(self, record: dict[str, Any], classes: int) -> int:
        label = record.get(self.label_field)
        if isinstance(label, str) and label.isdigit():
            label = int(label)
        if not isinstance(label, int) or not 0 <= label < classes:
            raise InputError(f"label field {self.label_field!r} must be an integer in [0, {classes}) for this model")
        return label

    # --- batches ---------------------------------------------------------------------------------

    def __iter__(self) -> StoreSource:
        return self

    def __next__(self) -> Batch:
        if self.kind == "lm":
            return self._lm_batch()
        if self.kind == "classify":
            return self._classify_batch()
        return self._vit_batch()

    def _fill(self, need: int) -> None:
        while len(self._tokens) < need:
            ids = self.tokenizer.encode(self._text(self._next_record())) + [self.tokenizer.eos_id]
            self._tokens.extend(ids)
            self._held.append([self.dataset.state.epoch, len(ids)])
            if self._skip_on_start:
                skip = min(self._skip_on_start, len(ids))
                self._take(skip)
                self._skip_on_start -= skip

    def _take(self, n: int) -> list[int]:
        out = [self._tokens.popleft() for _ in range(n)]
        left = n
        while left and self._held:
            room = self._held[0][1] - self._used_of_oldest
            if left >= room:
                left -= room
                self._held.popleft()
                self._used_of_oldest = 0
            else:
                self._used_of_oldest += left
                left = 0
        return out

    def _lm_batch(self) -> Batch:
        rows = []
        for _ in range(self.batch_size):
            self._fill(self.seq_len + 1)
            seq = self._take(self.seq_len + 1)
            # the last token of a sequence is the first of the next one's inputs: give it back
            self._tokens.appendleft(seq[-1])
            self._give_back_one()
            rows.append(seq)
        t = torch.tensor(rows, dtype=torch.long)
        return {"tokens": t[:, :-1].contiguous(), "targets": t[:, 1:].contiguous()}

    def _give_back_one(self) -> None:
        if self._used_of_oldest > 0:
            self._used_of_oldest -= 1
        else:
            # the token came from a record already fully used: it becomes the oldest held record again
            self._held.appendleft([self.dataset.state.epoch, 1])
            self._used_of_oldest = 0

    def _classify_batch(self) -> Batch:
        pad = self.tokenizer.pad_id
        tokens, labels = [], []
        classes = int(getattr(self.margs, "num_classes", 2))
        for _ in range(self.batch_size):
            record = self._next_record()
            ids = self.tokenizer.encode(self._text(record))[: self.seq_len]
            tokens.append(ids + [pad] * (self.seq_len - len(ids)))
            labels.append(self._label(record, classes))
        return {"tokens": torch.tensor(tokens, dtype=torch.long), "labels": torch.tensor(labels, dtype=torch.long)}

    def _vit_batch(self) -> Batch:
        from PIL import Image

        from aircluster.train.models import ViTArgs

        margs = self.margs
        assert isinstance(margs, ViTArgs)  # kind == "vit"
        size, channels, classes = margs.image_size, margs.channels, margs.num_classes
        images, labels = [], []
        for _ in range(self.batch_size):
            record = self._next_record()
            with Image.open(io.BytesIO(record["image"])) as im:
                im = im.convert("RGB" if channels == 3 else "L").resize((size, size))
                arr = np.asarray(im, dtype=np.float32) / 127.5 - 1.0
            images.append(arr.reshape(size, size, channels).transpose(2, 0, 1))
            labels.append(self._label(record, classes))
        return {"images": torch.from_numpy(np.stack(images)), "labels": torch.tensor(labels, dtype=torch.long)}

    # --- state -----------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Global position (a collective when several ranks run): loader state minus what is still buffered."""
        loader_state = self.loader.state_dict()
        epoch = loader_state["epoch"]
        # Records of an epoch that already ended cannot be given back to the loader's count: they are
        # dropped (at most one partial record per rank at each epoch boundary).
        current = [n for e, n in self._held if e == epoch]
        used = self._used_of_oldest if self._held and self._held[0][0] == epoch else 0
        mine = {"held": len(current), "used": used}
        if self.world > 1:
            everyone: list[Any] = [None] * self.world
            tdist.all_gather_object(everyone, mine)
        else:
            everyone = [mine]
        workers = loader_state["world"]["workers"]
        for rank, info in enumerate(everyone):
            if info["held"]:  # (held records mean this rank has read, so the loader's shape is settled)
                loader_state["consumed"][rank * workers] -= info["held"]  # one consumer per rank
        return {"loader": loader_state, "skip_tokens": [info["used"] for info in everyone], "kind": self.kind}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.loader.load_state_dict(state["loader"])
        same_shape = len(state["skip_tokens"]) == self.world
        self._records = None
        self._tokens.clear()
        self._held.clear()
        self._used_of_oldest = 0
        self._skip_on_start = state["skip_tokens"][self.rank] if same_shape and self.kind == "lm" else 0


def build_data(cfg: Any, dist: Any, split: str = "train") -> BatchSource:
    """Batches for this process's share of `split` ("train" or "val").

    `data.datasets = ["synthetic"]` gives generated data (no store needed); anything else names approved
    dataset versions, read from the store.
    """
    if split not in SPLITS:
        raise UsageError(f"unknown data split {split!r} (use train or val)")
    if cfg.data.datasets == [SYNTHETIC]:
        return synthetic_source(cfg, dist.rank, dist.world_size, split)
    if SYNTHETIC in cfg.data.datasets:
        raise UsageError('data.datasets: "synthetic" cannot be mixed with stored datasets')
    return StoreSource(cfg, dist.rank, dist.world_size, split)
