"""The loader's resumable position: a small JSON-able dict of seeds, counts and intervals, never data.

`consumed[c]` is how many samples consumer c (= rank * workers + worker) has handed to the trainer
out of its span of `stream` (see `partition`). The counts are exact, so a state saved anywhere in
an epoch resumes with every sample delivered exactly once, under any new world shape: the new
shape splits what is left (`remaining()`), which is at most one interval per old consumer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aircluster.errors import UsageError
from aircluster.store import partition
from aircluster.store.partition import Interval

STATE_FORMAT = 1


@dataclass
class LoaderState:
    seed: int
    shuffle: bool
    datasets: list[str]  # version ids, in the order given
    samples: int  # samples per epoch
    epoch: int = 0
    stream: list[Interval] | None = None  # None: the whole epoch
    ranks: int = 1
    workers: int = 1
    consumed: list[int] = field(default_factory=lambda: [0])
    finished: bool = False  # this process's consumers read their whole span; next iteration starts the next epoch

    @property
    def consumers(self) -> int:
        return self.ranks * self.workers

    def full_stream(self) -> list[Interval]:
        return [(0, self.samples)] if self.stream is None else self.stream

    def spans(self) -> list[list[Interval]]:
        return partition.split_stream(self.full_stream(), self.consumers)

    def left(self) -> list[Interval]:
        return partition.remaining(self.full_stream(), self.consumers, self.consumed)

    def reshape(self, ranks: int, workers: int) -> None:
        """Re-split what is left of the epoch over a new world shape."""
        self.stream = self.left()
        self.ranks, self.workers = ranks, workers
        self.consumed = [0] * self.consumers

    def next_epoch(self) -> None:
        self.epoch += 1
        self.stream = None
        self.consumed = [0] * self.consumers
        self.finished = False

    def to_dict(self) -> dict[str, Any]:
        if self.finished:
            done = LoaderState(
                self.seed, self.shuffle, list(self.datasets), self.samples, self.epoch, None, self.ranks, self.workers
            )
            done.next_epoch()
            return done.to_dict()
        return {
            "format": STATE_FORMAT,
            "seed": self.seed,
            "shuffle": self.shuffle,
            "datasets": list(self.datasets),
            "samples": self.samples,
            "epoch": self.epoch,
            "samples_consumed": self.samples - partition.stream_length(self.left()),
            "world": {"ranks": self.ranks, "workers": self.workers},
            "stream": None if self.stream is None else [list(iv) for iv in self.stream],
            "consumed": list(self.consumed),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LoaderState:
        try:
            if d["format"] != STATE_FORMAT:
                raise UsageError(f"loader state format {d['format']} is not supported (this aircluster reads {STATE_FORMAT})")
            state = cls(
                seed=int(d["seed"]),
                shuffle=bool(d["shuffle"]),
                datasets=[str(x) for x in d["datasets"]],
                samples=int(d["samples"]),
                epoch=int(d["epoch"]),
                stream=None if d["stream"] is None else [(int(a), int(b)) for a, b in d["stream"]],
                ranks=int(d["world"]["ranks"]),
                workers=int(d["world"]["workers"]),
                consumed=[int(x) for x in d["consumed"]],
            )
            state.left()  # validates the counts against the spans
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"loader state is malformed ({exc!s})") from None
        if state.stream is not None and any(not 0 <= a <= b <= state.samples for a, b in state.stream):
            raise UsageError("loader state is malformed (stream outside the epoch)")
        return state
