"""Training jobs through the server: what `aircluster train`, the launchers, the Slurm hooks and the trainer's
rank 0 need of a job's record. No catalog file is opened here.

    jobs = RemoteJobs.connect()                 # token and job id from the environment, if any
    job, token = jobs.register(config=..., backend="local", nodes=1, procs_per_node=2, datasets=[...])
    jobs.event(job.id, "attempt", restart=0)    # as one of the job's processes: owner + the job's token

The launcher hands the token to every process of the job in the environment (`AIRCLUSTER_JOB_TOKEN`, with
`AIRCLUSTER_JOB_ID`), never on a command line.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from aircluster.catalog.jobs import Job
from aircluster.client.connection import Client, connect
from aircluster.client.remote import JOB_TOKEN_ENV

JOB_ID_ENV = "AIRCLUSTER_JOB_ID"
_JOB_FIELDS = {f.name for f in dataclasses.fields(Job)}


def job_from(doc: dict[str, Any]) -> Job:
    return Job(**{k: v for k, v in doc.items() if k in _JOB_FIELDS})


class RemoteJobs:
    """The server's job operations. `token` is the job's token, needed to record anything for the job."""

    def __init__(self, client: Client, token: str | None = None):
        self.client = client
        self.token = token if token is not None else (os.environ.get(JOB_TOKEN_ENV) or None)

    @classmethod
    def connect(cls, token: str | None = None) -> RemoteJobs:
        return cls(connect(), token)

    # --- anyone, for their own jobs (admins: for every job) -------------------------------------------

    def register(
        self,
        *,
        config: dict[str, Any],
        backend: str,
        nodes: int,
        procs_per_node: int,
        datasets: list[str],
        run_dir: str | None = None,
        lifetime_s: float | None = None,
    ) -> tuple[Job, str]:
        """Create the job (its datasets pinned by the server); returns it and its token, which this object keeps."""
        done = self.client.call(
            "jobs.register",
            config=config,
            backend=backend,
            nodes=nodes,
            procs_per_node=procs_per_node,
            datasets=datasets,
            run_dir=run_dir,
            lifetime_s=lifetime_s,
        )
        self.token = done["token"]
        return job_from(done["job"]), done["token"]

    def get(self, job_id: str) -> Job:
        return job_from(self.client.call("jobs.get", job_id=job_id))

    def list(self, limit: int = 50, everyone: bool = False) -> list[Job]:
        return [job_from(d) for d in self.client.call("jobs.list", limit=limit, everyone=everyone)]

    def events(self, job_id: str) -> list[dict[str, Any]]:
        return self.client.call("jobs.events", job_id=job_id)

    def describe(self, job_id: str) -> dict[str, Any]:
        return self.client.call("jobs.describe", job_id=job_id)

    def cancel(self, job_id: str) -> Job:
        return job_from(self.client.call("jobs.cancel", job_id=job_id))

    def node_failures(self) -> dict[str, int]:
        return self.client.call("jobs.node_failures")

    # --- the job's own processes (owner + token) ---------------------------------------------------

    def event(self, job_id: str, kind: str, at: float | None = None, **data: Any) -> None:
        self.client.call("jobs.event", job_id=job_id, token=self.token, kind=kind, at=at, data=data)

    def update(self, job_id: str, **fields: Any) -> Job:
        return job_from(self.client.call("jobs.update", job_id=job_id, token=self.token, fields=fields))

    def set_status(
        self, job_id: str, status: str, reason: str | None = None, *, exit_code: int | None = None, message: str | None = None
    ) -> Job:
        return job_from(
            self.client.call(
                "jobs.set_status",
                job_id=job_id,
                token=self.token,
                status=status,
                reason=reason,
                exit_code=exit_code,
                message=message,
            )
        )

    def finish(self, job_id: str, exit_code: int, message: str | None = None) -> Job:
        return job_from(self.client.call("jobs.finish", job_id=job_id, token=self.token, exit_code=exit_code, message=message))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> RemoteJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def job_env(job: Job, token: str) -> dict[str, str]:
    """What a process of the job gets in its environment to act for the job."""
    return {JOB_ID_ENV: job.id, JOB_TOKEN_ENV: token}
