"""A training job's request and record, whatever runs it: resolve the config and datasets, create the
job (its datasets pinned to exact, approved versions: the trainer reads only those, see
`security.release`), record how it ended, cancel it, describe it with its timeline and ETTR."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aircluster.catalog import Version
from aircluster.catalog.jobs import Job, Jobs, new_job_id
from aircluster.context import Context
from aircluster.errors import EXIT_PREEMPTED, UsageError
from aircluster.security.release import check_readable


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


def resolve_datasets(ctx: Context, datasets: list[str]) -> tuple[list[Version], list[str]]:
    """Pin every `NAME[@V][:weight]` to an exact approved, unexpired version; return versions and pinned specs."""
    versions: list[Version] = []
    pinned: list[str] = []
    for spec in datasets:
        if spec == "synthetic":
            pinned.append(spec)
            continue
        ref, sep, weight = spec.partition(":")
        version = ctx.catalog.resolve(ref)
        check_readable(version)
        versions.append(version)
        pinned.append(version.ref + (sep + weight if sep else ""))
    return versions, pinned


def prepare_job(ctx: Context, req: LaunchRequest) -> tuple[Job, Path, list[str]]:
    """Validate the config, pin its datasets, create the job record and the run directory."""
    from aircluster.jobs.run_config import load_config, save_config, to_dict

    if req.backend not in ("local", "slurm"):
        raise UsageError(f"--backend must be local or slurm, not {req.backend!r}")
    if req.nodes < 1 or req.procs_per_node < 1:
        raise UsageError("--nodes and --procs-per-node must be at least 1")
    if req.backend == "local" and req.nodes != 1:
        raise UsageError("--backend local runs on this machine: use --nodes 1 (or --backend slurm)")
    cfg = load_config(req.config_path, req.overrides)
    versions, pinned = resolve_datasets(ctx, cfg.data.datasets)
    cfg.data.datasets = pinned
    job_id = new_job_id()
    run_dir = Path(cfg.train.run_dir).expanduser().resolve() if cfg.train.run_dir else ctx.paths.runs / job_id
    cfg.train.run_dir = str(run_dir)
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    launch_config = run_dir / "launch.toml"
    save_config(cfg, launch_config)
    job = Jobs(ctx.catalog).create(
        principal=ctx.principal,
        backend=req.backend,
        config=to_dict(cfg),
        run_dir=str(run_dir),
        nodes=req.nodes,
        procs_per_node=req.procs_per_node,
        versions=versions,
        job_id=job_id,
    )
    ctx.log(
        "job.submit",
        job_id=job.id,
        backend=req.backend,
        nodes=req.nodes,
        procs_per_node=req.procs_per_node,
        datasets=[v.ref for v in versions],
    )
    return job, launch_config, pinned


def finish(ctx: Context, job_id: str, code: int) -> None:
    jobs = Jobs(ctx.catalog)
    if jobs.get(job_id).status in ("cancelled",):
        return
    if code == 0:
        jobs.set_status(job_id, "completed", exit_code=0)
    elif code == EXIT_PREEMPTED:
        jobs.set_status(job_id, "failed", exit_code=code, message="stopped early at a checkpoint; run again to resume")
    else:
        jobs.set_status(
            job_id, "failed", exit_code=code, message=f"trainer exited with code {code}; see `aircluster jobs logs {job_id}`"
        )
    ctx.log("job.end", job_id=job_id, exit_code=code)


def fail_on_preflight(ctx: Context, job_id: str, line: str, code: int, note: str = "") -> None:
    """End the job because a node failed its pre-flight: a node problem, so no restart on that node."""
    Jobs(ctx.catalog).set_status(job_id, "failed", reason="preflight", exit_code=code, message=f"pre-flight: {line}{note}")
    ctx.log("job.end", job_id=job_id, exit_code=code, reason="preflight")


def cancel(ctx: Context, job_id: str) -> Job:
    jobs = Jobs(ctx.catalog)
    job = jobs.get(job_id)
    if job.status in ("completed", "failed", "cancelled"):
        raise UsageError(f"job {job_id} already ended ({job.status})")
    if job.backend == "slurm" and job.slurm_job_id:
        subprocess.run(["scancel", job.slurm_job_id], check=False, capture_output=True)
    elif job.launcher_pid:
        try:
            os.killpg(job.launcher_pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    jobs.set_status(job_id, "cancelled", message=f"cancelled by {ctx.principal}")
    ctx.log("job.cancel", job_id=job_id)
    return jobs.get(job_id)


def wait_for(ctx: Context, job_id: str, timeout: float, poll: float = 1.0) -> Job:
    deadline = time.time() + timeout
    jobs = Jobs(ctx.catalog)
    while True:
        job = jobs.get(job_id)
        if job.status in ("completed", "failed", "cancelled") or time.time() > deadline:
            return job
        time.sleep(poll)


def describe(job: Job, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The job record with its timeline and reliability numbers."""
    from aircluster.jobs.ettr import job_ettr

    return job.to_dict() | {"events": events, "ettr": job_ettr(job, events)}
