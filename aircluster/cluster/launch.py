"""`launch()`: run a training job on the backend it asks for, locally (torchrun) or on Slurm.

    job, code = launch(ctx, LaunchRequest(config_path, overrides, backend="local" | "slurm", ...))

The job record is created first (with its datasets pinned), then the backend runs it: `local.py` runs
torchrun in the foreground; `slurm_submit.py` writes and submits the batch script and, unless
detached, follows the job until it ends.
"""

from __future__ import annotations

from collections.abc import Callable

from aircluster.catalog.jobs import Job, Jobs
from aircluster.cluster.local import run_local
from aircluster.cluster.request import LaunchRequest, prepare_job
from aircluster.cluster.slurm_submit import follow, submit
from aircluster.context import Context


def launch(
    ctx: Context, req: LaunchRequest, *, echo: bool = True, on_created: Callable[[Job], None] | None = None
) -> tuple[Job, int]:
    """Run the job; returns its final record (or its record after submission, when detached) and an exit code
    (0: completed, or still pending/running on Slurm when detached)."""
    job, launch_config, _ = prepare_job(ctx, req)
    if on_created is not None:
        on_created(job)
    if req.backend == "slurm":
        job = submit(ctx, job, launch_config, req)
        if not req.detach:
            job = follow(ctx, job.id)
        return job, 0 if job.status in ("completed", "pending", "running") else 1
    code = run_local(ctx, job, launch_config, req, echo=echo)
    return Jobs(ctx.catalog).get(job.id), code
