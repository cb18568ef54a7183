"""Checkpoint size and the time to write it.

The trainer's checkpoint (torch.distributed.checkpoint) holds the fp32 weights and AdamW's two fp32 moments:
12 bytes per parameter (the LR scheduler, step and loader state are noise next to it), sharded over every GPU.
A synchronous save blocks training for the whole write at the storage's aggregate bandwidth; an asynchronous
one only for each GPU's copy of its shard to host memory (over PCIe), while the write runs behind training, so
checkpoints cannot come faster than one write each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aircluster.errors import UsageError
from aircluster.plan.gpus import GPU

CHECKPOINT_BYTES_PER_PARAM = 12.0
# Llama 3's Tectonic store: 2 TB/s sustained, 7 TB/s peak (arXiv 2407.21783, sec. 3.3.1).
DEFAULT_GB_PER_S = 2000.0


@dataclass(frozen=True)
class Checkpoint:
    size_gb: float
    write_s: float  # at the storage bandwidth
    blocking_s: float  # how long each save stops training
    gb_per_s: float
    asynchronous: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def checkpoint(params: int, gpus: int, gpu: GPU, gb_per_s: float, asynchronous: bool) -> Checkpoint:
    if gb_per_s <= 0:
        raise UsageError(f"--ckpt-gbps must be positive (storage write bandwidth in GB/s), got {gb_per_s}")
    size = params * CHECKPOINT_BYTES_PER_PARAM
    write = size / (gb_per_s * 1e9)
    blocking = size / gpus / gpu.pcie_bytes_per_s if asynchronous else write
    return Checkpoint(size_gb=size / 1e9, write_s=write, blocking_s=blocking, gb_per_s=gb_per_s, asynchronous=asynchronous)
