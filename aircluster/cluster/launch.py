"""`aircluster train`: create the job record, then run the trainer locally (torchrun) or on Slurm.

The job is submitted with its datasets resolved to exact, approved versions; the trainer reads only
those (`check_dataset_grant`). Locally, torch.distributed's elastic launcher (torchrun) starts the
processes and restarts the whole group when one fails (`--max-restarts`); the trainer resumes from
the last checkpoint. On Slurm, `aircluster.cluster.slurm` writes the batch script.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aircluster.catalog import Version
from aircluster.jobs.health import HealthCheckFailed, failure_line, node_preflight
from aircluster.jobs.records import Job, Jobs, new_job_id
from aircluster.context import Context
from aircluster.errors import EXIT_PREEMPTED, UsageError
from aircluster.store.reader import check_readable



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
    job = Jobs(ctx.catalog).create(principal=ctx.principal, backend=req.backend, config=to_dict(cfg), run_dir=str(run_dir),
                                   nodes=req.nodes, procs_per_node=req.procs_per_node, versions=versions, job_id=job_id)
    ctx.log("job.submit", job_id=job.id, backend=req.backend, nodes=req.nodes, procs_per_node=req.procs_per_node,
            datasets=[v.ref for v in versions])
    return job, launch_config, pinned


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun_command(launch_config: Path, *, nnodes: int, nproc: int, max_restarts: int, rdzv_endpoint: str,
                     rdzv_id: str, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", f"--nnodes={nnodes}", f"--nproc-per-node={nproc}",
            f"--max-restarts={max_restarts}", "--rdzv-backend=c10d", f"--rdzv-endpoint={rdzv_endpoint}",
            f"--rdzv-id={rdzv_id}", "--monitor-interval=0.5", *(extra or []),
            "-m", "aircluster.train.trainer", str(launch_config)]


def trainer_env(job: Job) -> dict[str, str]:
    env = dict(os.environ)
    env["AIRCLUSTER_JOB_ID"] = job.id
    # A restarted group must not join the dead group's rendezvous store (pytorch issue 135712).
    env["TORCH_DISABLE_SHARE_RDZV_TCP_STORE"] = "1"
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, job.procs_per_node))))
    return env


def run_local(ctx: Context, job: Job, launch_config: Path, req: LaunchRequest, *, echo: bool = True) -> int:
    """Run torchrun in the foreground (its own process group), tee its output to the job's log."""
    jobs = Jobs(ctx.catalog)
    log_path = Path(job.run_dir) / "logs" / "launcher.log"
    # Pre-flight this node before torchrun starts workers: torchrun restarts the group after any worker
    # failure (it cannot tell a bad node from a crashed process), and a restart on the same node fails
    # the same way. The trainer's own pre-flight then adds the collective test.
    jobs.update(job.id, nodes_used=[socket.gethostname()])
    report = node_preflight(job.run_dir, ctx.paths.store, node=socket.gethostname())
    if not report.ok:
        line = failure_line(report.failures)
        with open(log_path, "a") as log:
            log.write(f"error: {line}\n")
        fail_on_preflight(ctx, job.id, line, HealthCheckFailed.exit_code)
        return HealthCheckFailed.exit_code
    cmd = torchrun_command(launch_config, nnodes=1, nproc=req.procs_per_node, max_restarts=req.max_restarts,
                           rdzv_endpoint=f"127.0.0.1:{free_port()}", rdzv_id=job.id)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, env=trainer_env(job), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        jobs.update(job.id, launcher_pid=proc.pid, nodes_used=[socket.gethostname()])
        jobs.set_status(job.id, "running")
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                if echo:
                    sys.stderr.buffer.write(line)
                    sys.stderr.flush()
            code = proc.wait()
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            jobs.set_status(job.id, "cancelled", exit_code=proc.returncode, message="interrupted by the user")
            raise
    finish(ctx, job.id, code)
    return code


def finish(ctx: Context, job_id: str, code: int) -> None:
    jobs = Jobs(ctx.catalog)
    if jobs.get(job_id).status in ("cancelled",):
        return
    if code == 0:
        jobs.set_status(job_id, "completed", exit_code=0)
    elif code == EXIT_PREEMPTED:
        jobs.set_status(job_id, "failed", exit_code=code, message="stopped early at a checkpoint; run again to resume")
    else:
        jobs.set_status(job_id, "failed", exit_code=code, message=f"trainer exited with code {code}; see `aircluster jobs logs {job_id}`")
    ctx.log("job.end", job_id=job_id, exit_code=code)


def fail_on_preflight(ctx: Context, job_id: str, line: str, code: int, note: str = "") -> None:
    """End the job because a node failed its pre-flight: a node problem, so no restart on that node."""
    Jobs(ctx.catalog).set_status(job_id, "failed", reason="preflight", exit_code=code,
                                 message=f"pre-flight: {line}{note}")
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
    from aircluster.jobs.job_ettr import job_ettr

    return job.to_dict() | {"events": events, "ettr": job_ettr(job, events)}
