"""Which samples each consumer (rank x loader worker) reads in an epoch: pure functions, no I/O.

The epoch's global order is a seeded shuffle of the shard order followed by a seeded shuffle inside
each shard; a *position* is an index into that order. The positions still to be read (the whole
epoch, or what a resumed state left over) form a *stream*: a list of [start, end) intervals. The
stream is cut into one contiguous span per consumer, in consumer order (consumer = rank * workers +
worker), so each consumer reads a run of consecutive shards and a shard is opened by at most the two
consumers whose spans meet inside it. When the stream does not divide evenly the first
`len(stream) % consumers` consumers get one sample more: nothing is dropped or repeated, and ranks
differ by at most `workers` samples.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

Interval = tuple[int, int]


def shard_order(num_shards: int, seed: int, epoch: int, shuffle: bool) -> np.ndarray:
    if not shuffle:
        return np.arange(num_shards)
    return np.random.default_rng([seed, epoch, 0]).permutation(num_shards)


def record_order(shard: int, records: int, seed: int, epoch: int, shuffle: bool) -> np.ndarray:
    """The order of a shard's records; `shard` is its global index over all datasets."""
    if not shuffle:
        return np.arange(records)
    return np.random.default_rng([seed, epoch, 1, shard]).permutation(records)


def stream_length(stream: list[Interval]) -> int:
    return sum(end - start for start, end in stream)


def split_stream(stream: list[Interval], parts: int) -> list[list[Interval]]:
    """Cut the stream into `parts` contiguous spans, the first `len % parts` one sample longer."""
    if parts < 1:
        raise ValueError(f"cannot split a stream into {parts} parts")
    total = stream_length(stream)
    base, extra = divmod(total, parts)
    sizes = [base + (1 if i < extra else 0) for i in range(parts)]
    spans: list[list[Interval]] = []
    it = iter(stream)
    current: Interval | None = None
    for size in sizes:
        span: list[Interval] = []
        while size > 0:
            if current is None or current[0] == current[1]:
                current = next(it)
                continue
            take = min(size, current[1] - current[0])
            span.append((current[0], current[0] + take))
            current = (current[0] + take, current[1])
            size -= take
        spans.append(span)
    return spans


def drop_prefix(span: list[Interval], count: int) -> list[Interval]:
    """The span without its first `count` positions (those already consumed)."""
    out: list[Interval] = []
    for start, end in span:
        skip = min(count, end - start)
        count -= skip
        if start + skip < end:
            out.append((start + skip, end))
    return out


def merge(stream: list[Interval]) -> list[Interval]:
    """Join touching intervals, keeping the order (positions are read in stream order)."""
    out: list[Interval] = []
    for start, end in stream:
        if start == end:
            continue
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def remaining(stream: list[Interval], consumers: int, consumed: list[int]) -> list[Interval]:
    """What is left of `stream` after consumer i (of `consumers`) read the first consumed[i] of its span."""
    if len(consumed) != consumers:
        raise ValueError(f"{len(consumed)} consumed counts for {consumers} consumers")
    spans = split_stream(stream, consumers)
    for i, (span, count) in enumerate(zip(spans, consumed)):
        if not 0 <= count <= stream_length(span):
            raise ValueError(f"consumer {i} consumed {count} samples of a span of {stream_length(span)}")
    return merge([iv for span, count in zip(spans, consumed) for iv in drop_prefix(span, count)])


@dataclass(frozen=True)
class Piece:
    """Records order[lo:hi] of global shard `shard`, read in that order."""

    shard: int
    lo: int
    hi: int


class EpochPlan:
    """The global order of one epoch over shards with the given record counts."""

    def __init__(self, shard_records: list[int], seed: int, epoch: int, shuffle: bool):
        self.shard_records = shard_records
        self.seed, self.epoch, self.shuffle = seed, epoch, shuffle
        self.order = shard_order(len(shard_records), seed, epoch, shuffle)
        self._starts = [0, *accumulate(shard_records[s] for s in self.order)]
        self.total = self._starts[-1]

    def pieces(self, span: list[Interval]) -> Iterator[Piece]:
        """The span as runs inside single shards, in reading order."""
        for start, end in span:
            pos = start
            while pos < end:
                slot = bisect.bisect_right(self._starts, pos) - 1
                shard_start, shard_end = self._starts[slot], self._starts[slot + 1]
                hi = min(end, shard_end)
                yield Piece(int(self.order[slot]), pos - shard_start, hi - shard_start)
                pos = hi

    def records(self, piece: Piece) -> np.ndarray:
        """Indices (inside the shard) of the piece's records, in reading order."""
        order = record_order(piece.shard, self.shard_records[piece.shard], self.seed, self.epoch, self.shuffle)
        return order[piece.lo : piece.hi]
