"""ETTR of a job record: maps the catalog's job events onto `ettr.compute_ettr`'s timeline."""

from __future__ import annotations

import time
from typing import Any

from aircluster.jobs.ettr import compute_ettr
from aircluster.catalog.jobs import FINAL, Job

# job_events kind -> timeline kind (others, such as "running" or "health", carry no timing meaning)
_KINDS = {"submitted": "submitted", "eligible": "eligible", "attempt": "started", "step": "step",
          "checkpoint": "checkpoint", "failure": "failure", "requeued": "restart", "restart": "restart",
          "completed": "finished", "failed": "finished", "cancelled": "finished"}


def job_ettr(job: Job, events: list[dict[str, Any]]) -> dict[str, Any]:
    timeline = [{"kind": _KINDS[e["kind"]], "time": e["at"], "step": e.get("step")}
                for e in events if e["kind"] in _KINDS]
    now = None if job.status in FINAL else time.time()
    return compute_ettr(timeline, now=now).to_dict()
