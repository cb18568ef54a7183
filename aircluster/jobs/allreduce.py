"""All-reduce bandwidth: the collective test of a health check, over the current process group or among
a few spawned gloo processes on this node (nccl-tests' conventions for algorithm and bus bandwidth)."""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GB = 1e9


@dataclass(frozen=True)
class Bandwidth:
    """All-reduce timing in the nccl-tests convention: bus bandwidth is comparable across sizes."""

    world_size: int
    nbytes: int
    seconds: float  # per all-reduce
    algbw_gbps: float  # bytes / time
    busbw_gbps: float  # algbw * 2(n-1)/n: bytes each link carries in a ring all-reduce


def allreduce_bandwidth(nbytes: int, iters: int = 5, group: Any = None) -> Bandwidth:
    """Time all-reduces of an `nbytes` buffer over `group` (default: the whole current group).

    Every rank must call it. Every rank returns the same numbers: the slowest rank's time.
    """
    import torch
    import torch.distributed as dist

    world = dist.get_world_size(group)
    backend = dist.get_backend(group)
    device = torch.device("cuda", torch.cuda.current_device()) if backend == "nccl" else torch.device("cpu")
    buffer = torch.ones(max(1, nbytes // 4), dtype=torch.float32, device=device)
    dist.all_reduce(buffer, group=group)  # warm-up: connection set-up is not bandwidth
    dist.barrier(group=group)
    started = time.perf_counter()
    for _ in range(iters):
        dist.all_reduce(buffer, group=group)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elapsed = torch.tensor([time.perf_counter() - started], dtype=torch.float64, device=device)
    dist.all_reduce(elapsed, op=dist.ReduceOp.MAX, group=group)
    seconds = float(elapsed.item()) / iters
    size = buffer.numel() * buffer.element_size()
    algbw = size / seconds / GB
    return Bandwidth(world, size, seconds, algbw, algbw * 2 * (world - 1) / world)


def _local_bandwidth_worker(rank: int, world: int, store_path: str, nbytes: int, iters: int, results: Any) -> None:
    import torch.distributed as dist

    store = dist.FileStore(store_path, world)
    dist.init_process_group("gloo", store=store, rank=rank, world_size=world)
    try:
        bandwidth = allreduce_bandwidth(nbytes, iters)
        if rank == 0:
            results.put(asdict(bandwidth))
    finally:
        dist.destroy_process_group()


def allreduce_bandwidth_local(world_size: int, nbytes: int, iters: int = 5, timeout_s: float = 120) -> Bandwidth:
    """Spawn `world_size` gloo processes on this host and time all-reduces among them."""
    if world_size < 2:
        raise ValueError(f"a local all-reduce test needs at least 2 processes, got {world_size}")
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    with tempfile.TemporaryDirectory(prefix="aircluster-allreduce-") as tmp:
        store_path = str(Path(tmp) / "store")
        procs = [
            ctx.Process(target=_local_bandwidth_worker, args=(rank, world_size, store_path, nbytes, iters, results))
            for rank in range(world_size)
        ]
        for proc in procs:
            proc.start()
        try:
            deadline = time.monotonic() + timeout_s
            for proc in procs:
                proc.join(max(0.0, deadline - time.monotonic()))
            failed = [(rank, p.exitcode) for rank, p in enumerate(procs) if p.exitcode != 0]
            if failed:
                raise RuntimeError(f"local all-reduce processes failed or timed out (rank, exit code): {failed}")
            return Bandwidth(**results.get(timeout=5))
        finally:
            for proc in procs:
                if proc.is_alive():
                    proc.kill()
                    proc.join()
