"""What a running trainer tells its job record: attempts, progress and checkpoints (for ETTR).

Only rank 0 of a job launched by aircluster (AIRCLUSTER_JOB_ID and AIRCLUSTER_JOB_TOKEN set) records
anything, through the server, as one of the job's own processes; step events are throttled so the record
sees at most one every `min_interval` seconds, plus one at every checkpoint.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from aircluster import installation
from aircluster.client.jobs import RemoteJobs
from aircluster.client.remote import JOB_TOKEN_ENV
from aircluster.errors import NotFound, PermissionDenied

log = logging.getLogger("aircluster")


def launched_as_job() -> bool:
    """This process works for a job aircluster launched (it holds the job's id and token)."""
    return installation.job_id() is not None and bool(os.environ.get(JOB_TOKEN_ENV))


class JobTimeline:
    def __init__(self, rank: int, min_interval: float = 1.0):
        self.job_id = installation.job_id() if rank == 0 and launched_as_job() else None
        self.min_interval = min_interval
        self._last = 0.0
        self._jobs: RemoteJobs | None = None
        if self.job_id is not None:
            jobs = RemoteJobs.connect()
            try:
                jobs.get(self.job_id)
                self._jobs = jobs
            except NotFound:  # a job id the server does not know (e.g. set by hand): nothing to record into
                jobs.close()

    @property
    def enabled(self) -> bool:
        return self._jobs is not None

    def event(self, kind: str, **data: Any) -> None:
        self._event(kind, **data)

    def _event(self, kind: str, **data: Any) -> None:
        if self._jobs is None or self.job_id is None:
            return
        try:
            self._jobs.event(self.job_id, kind, **data)
        except PermissionDenied as err:
            # The job was cancelled or marked failed meanwhile (its token is dead): stop recording; the
            # launcher is stopping this process, and no data key is released to it any more.
            log.warning("job %s no longer takes records: %s", self.job_id, err)
            self.close()

    def attempt(self, resumed_from_step: int, nodes: list[str] | None = None) -> None:
        """A new attempt's training loop starts (the first attempt, or one after a restart or requeue)."""
        if self._jobs is None or self.job_id is None:
            return
        restart = int(os.environ.get("TORCHELASTIC_RESTART_COUNT", "0") or 0) + int(
            os.environ.get("SLURM_RESTART_COUNT", "0") or 0
        )
        self._event("attempt", restart=restart, step=resumed_from_step)
        self._event("step", step=resumed_from_step)
        if self._jobs is None:
            return
        job = self._jobs.get(self.job_id)
        fields: dict[str, Any] = {"restarts": max(job.restarts, restart)}
        if nodes:
            fields["nodes_used"] = sorted(set(job.nodes_used) | set(nodes))
        self._jobs.update(self.job_id, **fields)
        if job.status in ("pending", "restarting"):
            self._jobs.set_status(self.job_id, "running")
        self._last = time.monotonic()

    def step(self, step: int) -> None:
        now = time.monotonic()
        if self._jobs is not None and now - self._last >= self.min_interval:
            self._event("step", step=step)
            self._last = now

    def checkpoint(self, step: int) -> None:
        self._event("step", step=step)
        self._event("checkpoint", step=step)
        self._last = time.monotonic()

    def close(self) -> None:
        if self._jobs is not None:
            self._jobs.close()
            self._jobs = None
