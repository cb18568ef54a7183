"""`launch()`: run a training job on the backend it asks for, locally (torchrun) or on Slurm.

    job, code = launch(LaunchRequest(config_path, overrides, backend="local" | "slurm", ...))

The job is registered with the server first (its datasets pinned, its token issued), then the backend runs
it with the token in its processes' environment: `local.py` runs torchrun in the foreground;
`slurm_submit.py` writes and submits the batch script and, unless detached, follows the job until it ends.
"""

from __future__ import annotations

from collections.abc import Callable

from aircluster.catalog.jobs import Job
from aircluster.client.jobs import RemoteJobs
from aircluster.cluster.local import run_local
from aircluster.cluster.request import LaunchRequest, prepare_job
from aircluster.cluster.slurm_submit import follow, submit


def launch(req: LaunchRequest, *, echo: bool = True, on_created: Callable[[Job], None] | None = None) -> tuple[Job, int]:
    """Run the job; returns its final record (or its record after submission, when detached) and an exit code
    (0: completed, or still pending/running on Slurm when detached)."""
    with RemoteJobs.connect() as jobs:
        job, launch_config, token = prepare_job(jobs, req)
        if on_created is not None:
            on_created(job)
        if req.backend == "slurm":
            job = submit(jobs, job, token, launch_config, req)
            if not req.detach:
                job = follow(jobs, job.id)
            return job, 0 if job.status in ("completed", "pending", "running") else 1
        code = run_local(jobs, job, token, launch_config, req, echo=echo)
        return jobs.get(job.id), code
