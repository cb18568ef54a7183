"""A training job's request and record, whatever runs it: load the config, register the job with the server
(which pins its datasets to exact, approved versions the caller may train on, and issues the job's token),
make its run directory, record how it ended, cancel it.

Everything about the job goes through the server (`client.jobs.RemoteJobs`); no catalog is opened here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aircluster import installation
from aircluster.catalog.jobs import FINAL, Job
from aircluster.client.jobs import RemoteJobs
from aircluster.errors import AirclusterError, UsageError

SLURM_QUEUE_ALLOWANCE_S = 24 * 3600.0  # a Slurm job's token also covers a day of waiting in the queue


@dataclass
class LaunchRequest:
    config_path: str
    overrides: list[str]
    backend: str = "local"
    nodes: int = 1
    procs_per_node: int = 1
    max_restarts: int = 3
    partition: str | None = None
    time_limit: str | None = None
    requeue: bool = True
    exclude: list[str] | None = None
    detach: bool = False


def slurm_seconds(text: str) -> float:
    """A Slurm time limit (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`) in seconds."""
    m = re.fullmatch(r"(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?", text.strip())
    if not m:
        raise UsageError(f"--time {text!r}: give a Slurm time limit such as 90, 01:30:00 or 2-00:00:00")
    days, a, b, c = (int(g) if g is not None else None for g in m.groups())
    assert a is not None
    if days is not None:  # D-HH[:MM[:SS]]
        return ((days * 24 + a) * 60 + (b or 0)) * 60 + (c or 0)
    if c is not None:  # HH:MM:SS
        return (a * 60 + (b or 0)) * 60 + c
    return a * 60 + (b or 0)  # MM[:SS]


def token_lifetime(req: LaunchRequest) -> float | None:
    """How long the job's token lives: its Slurm time limit plus time to wait in the queue; None: the server's default."""
    if req.backend == "slurm" and req.time_limit:
        return slurm_seconds(req.time_limit) + SLURM_QUEUE_ALLOWANCE_S
    return None


def prepare_job(jobs: RemoteJobs, req: LaunchRequest) -> tuple[Job, Path, str]:
    """Validate the config, register the job (datasets pinned, token issued), make its run directory; returns
    the job, its launch config and its token."""
    from aircluster.jobs.run_config import from_dict, load_config, save_config, to_dict

    if req.backend not in ("local", "slurm"):
        raise UsageError(f"--backend must be local or slurm, not {req.backend!r}")
    if req.nodes < 1 or req.procs_per_node < 1:
        raise UsageError("--nodes and --procs-per-node must be at least 1")
    if req.backend == "local" and req.nodes != 1:
        raise UsageError("--backend local runs on this machine: use --nodes 1 (or --backend slurm)")
    cfg = load_config(req.config_path, req.overrides)
    lifetime = token_lifetime(req)
    run_dir = str(Path(cfg.train.run_dir).expanduser().resolve()) if cfg.train.run_dir else None
    job, token = jobs.register(
        config=to_dict(cfg),
        backend=req.backend,
        nodes=req.nodes,
        procs_per_node=req.procs_per_node,
        datasets=list(cfg.data.datasets),
        run_dir=run_dir,
        lifetime_s=lifetime,
    )
    try:
        cfg = from_dict(job.config)  # the server pinned the datasets and named the run directory
        path = Path(job.run_dir)
        if run_dir is None:
            # the default: under the installation's runs folder, where each user keeps a private folder
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        (path / "logs").mkdir(parents=True, exist_ok=True)
        launch_config = path / "launch.toml"
        save_config(cfg, launch_config)
    except (OSError, AirclusterError) as err:
        why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        jobs.set_status(job.id, "failed", message=f"cannot prepare the run directory {job.run_dir}: {why}")
        raise UsageError(f"job {job.id}: cannot prepare the run directory {job.run_dir}: {why}") from None
    return job, launch_config, token


def store_dir() -> Path:
    """The installation's store, where every node reads ciphertext shards from."""
    return installation.paths().store


def finish(jobs: RemoteJobs, job_id: str, code: int, message: str | None = None) -> Job:
    """Record how the job's processes ended; a job cancelled (or reaped) meanwhile keeps its status."""
    return jobs.finish(job_id, code, message)


def fail_on_preflight(jobs: RemoteJobs, job_id: str, line: str, code: int, note: str = "") -> None:
    """End the job because a node failed its pre-flight: a node problem, so no restart on that node."""
    jobs.set_status(job_id, "failed", reason="preflight", exit_code=code, message=f"pre-flight: {line}{note}")


def cancel(jobs: RemoteJobs, job_id: str) -> Job:
    """Cancel the job in the server (its token stops working at once), then stop its processes."""
    job = jobs.get(job_id)
    if job.status in FINAL:
        raise UsageError(f"job {job_id} already ended ({job.status})")
    cancelled = jobs.cancel(job_id)
    if job.backend == "slurm" and job.slurm_job_id:
        subprocess.run(["scancel", job.slurm_job_id], check=False, capture_output=True)
    elif job.launcher_pid:
        try:
            os.killpg(job.launcher_pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        except PermissionError:
            raise UsageError(
                f"job {job_id} is cancelled (its token no longer works), but its launcher (pid {job.launcher_pid}) "
                f"belongs to {job.principal}: only they or root can stop its processes"
            ) from None
    return cancelled


def wait_for(jobs: RemoteJobs, job_id: str, timeout: float, poll: float = 1.0) -> Job:
    deadline = time.time() + timeout
    while True:
        job = jobs.get(job_id)
        if job.status in FINAL or time.time() > deadline:
            return job
        time.sleep(poll)


def describe(job: Job, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The job record with its timeline and reliability numbers (what `jobs.describe` answers)."""
    from aircluster.jobs.ettr import job_ettr

    return job.to_dict() | {"events": events, "ettr": job_ettr(job, events)}
