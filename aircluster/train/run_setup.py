"""Per-process set-up of a training run: its directory, its logs, its seeds, and the device's peak FLOP/s."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import torch
import torch.distributed as tdist

from aircluster import installation
from aircluster.jobs.run_config import Config
from aircluster.train.flops import peak_flops
from aircluster.train.parallel import Dist


def resolve_run_dir(cfg: Config, d: Dist) -> Path:
    """train.run_dir, or AIRCLUSTER_HOME/runs/<job id> (a new local id if not launched as a job)."""
    if cfg.train.run_dir:
        return Path(cfg.train.run_dir).expanduser().resolve()
    name = installation.job_id()
    if name is None:  # rank 0 names it; everyone must use the same directory
        box = [f"local-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}" if d.rank == 0 else None]
        if d.distributed:
            tdist.broadcast_object_list(box, src=0)
        name = box[0]
    return (installation.paths().runs / str(name)).resolve()


def set_determinism(seed: int, deterministic: bool) -> None:
    torch.manual_seed(seed)  # the same on every rank, so all ranks build identical initial weights
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
        torch.backends.cudnn.benchmark = False


def setup_logging(run_dir: Path, rank: int) -> None:
    """Rank 0 logs to stderr; every rank logs to run_dir/logs/rank<N>.log."""
    logger = logging.getLogger("aircluster")
    logger.setLevel(logging.INFO)
    for handler in list(logger.handlers):
        if getattr(handler, "_aircluster_train", False):
            logger.removeHandler(handler)
            handler.close()
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter(f"%(asctime)s rank{rank} %(levelname)s %(message)s")
    handlers: list[logging.Handler] = [logging.FileHandler(run_dir / "logs" / f"rank{rank}.log")]
    if rank == 0:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(fmt)
        handler._aircluster_train = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def peak_flops_per_device(device: torch.device, precision: str) -> float:
    """The device's peak FLOP/s for MFU (on CPUs: the best matmul rate ever measured on this machine)."""
    with torch.random.fork_rng(devices=[]):  # the measurement draws random matrices: keep the run's RNG intact
        return peak_flops(device, precision, cache_file=installation.paths().cache / "peak_flops.json")
