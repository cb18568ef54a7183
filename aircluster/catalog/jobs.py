"""Job records in the catalog: who ran what, on which data, and what happened when.

A job is created before anything starts (status `pending`) with the resolved config and the dataset
versions it may read; its keys are released for those versions only (`security.release`). The
launcher and the trainer's rank 0 append timeline events (`job_events`), from which status, restarts
and ETTR are derived.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aircluster.catalog import Catalog, Version
from aircluster.errors import NotFound

STATUSES = ("pending", "running", "restarting", "completed", "failed", "cancelled")
FINAL = ("completed", "failed", "cancelled")


@dataclass
class Job:
    id: str
    principal: str
    backend: str
    status: str
    config: dict[str, Any]
    run_dir: str
    nodes: int
    procs_per_node: int
    slurm_job_id: str | None
    launcher_pid: int | None
    restarts: int
    nodes_used: list[str]
    created_at: float
    started_at: float | None
    ended_at: float | None
    exit_code: int | None
    message: str | None
    datasets: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def new_job_id() -> str:
    return "j" + secrets.token_hex(4)


class Jobs:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.db = catalog.db

    def create(
        self,
        *,
        principal: str,
        backend: str,
        config: dict[str, Any],
        run_dir: str,
        nodes: int,
        procs_per_node: int,
        versions: list[Version],
        job_id: str | None = None,
    ) -> Job:
        job_id = job_id or new_job_id()
        now = time.time()
        with self.catalog.transaction():
            self.db.execute(
                "INSERT INTO jobs (id, principal, backend, status, config_json, run_dir, nodes, procs_per_node, created_at)"
                " VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                (job_id, principal, backend, json.dumps(config), run_dir, nodes, procs_per_node, now),
            )
            for v in versions:
                self.db.execute("INSERT OR IGNORE INTO job_datasets VALUES (?, ?, ?)", (job_id, v.id, v.ref))
            self.db.execute(
                "INSERT INTO job_events (job_id, at, kind, data_json) VALUES (?, ?, 'submitted', ?)",
                (job_id, now, json.dumps({"backend": backend, "nodes": nodes, "procs_per_node": procs_per_node})),
            )
        return self.get(job_id)

    def get(self, job_id: str) -> Job:
        row = self.db.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
        if row is None:
            raise NotFound(f"no job {job_id!r}: see `aircluster jobs ls`")
        d = dict(row)
        d["config"] = json.loads(d.pop("config_json"))
        d["nodes_used"] = json.loads(d.pop("nodes_used_json"))
        d["datasets"] = [dict(r) for r in self.db.execute("SELECT ref, version_id FROM job_datasets WHERE job_id=?", (job_id,))]
        return Job(**d)

    def list(self, limit: int = 50) -> list[Job]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM jobs ORDER BY created_at DESC LIMIT ?", (limit,))]
        return [self.get(i) for i in ids]

    def update(self, job_id: str, **fields: Any) -> None:
        if "nodes_used" in fields:
            fields["nodes_used_json"] = json.dumps(fields.pop("nodes_used"))
        cols = ", ".join(f"{k}=?" for k in fields)
        self.db.execute(f"UPDATE jobs SET {cols} WHERE id=?", (*fields.values(), job_id))

    def event(self, job_id: str, kind: str, at: float | None = None, **data: Any) -> None:
        self.db.execute(
            "INSERT INTO job_events (job_id, at, kind, data_json) VALUES (?, ?, ?, ?)",
            (job_id, time.time() if at is None else at, kind, json.dumps(data)),
        )

    def events(self, job_id: str) -> list[dict[str, Any]]:
        return [
            {"at": r["at"], "kind": r["kind"], **json.loads(r["data_json"])}
            for r in self.db.execute("SELECT at, kind, data_json FROM job_events WHERE job_id=? ORDER BY id", (job_id,))
        ]

    def set_status(self, job_id: str, status: str, reason: str | None = None, **fields: Any) -> None:
        """Set the status (and other fields); the status event also carries `reason` (e.g. "preflight")."""
        now = time.time()
        if status == "running":
            row = self.db.execute("SELECT started_at FROM jobs WHERE id=?", (job_id,)).fetchone()
            if row and row[0] is None:
                fields["started_at"] = now
        if status in FINAL:
            fields["ended_at"] = now
        self.update(job_id, status=status, **fields)
        data = {k: v for k, v in fields.items() if k in ("exit_code", "message")}
        self.event(job_id, status, at=now, **data, **({"reason": reason} if reason else {}))

    def events_of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The data of every event of one kind, over all jobs (e.g. node failures, for lemon-node detection)."""
        return [json.loads(r[0]) for r in self.db.execute("SELECT data_json FROM job_events WHERE kind=?", (kind,))]

    def granted_versions(self, job_id: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT version_id FROM job_datasets WHERE job_id=?", (job_id,))}
