"""Job records in the catalog: who ran what, on which data, and what happened when.

A job is created before anything starts (status `pending`) with the resolved config and the dataset
versions it may read; its keys are released for those versions only (`security.release`). The
launcher and the trainer's rank 0 append timeline events (`job_events`), from which status, restarts
and ETTR are derived.

Job credentials: the server issues a job one token (`issue_token`), bound to its owner, its pinned
versions, optionally its nodes and Slurm allocation, and an expiry. Only the token's SHA-256 is stored,
so a copy of the catalog holds no usable token. A token stops working when the job reaches a final
status, expires or is revoked; issuing again replaces the job's previous token.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aircluster.catalog import Catalog, Version
from aircluster.errors import NotFound, PermissionDenied, UsageError

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
    # /proc/<pid>/stat field 22 of the launcher: with the pid, names one process even after pid reuse
    launcher_start_time: int | None = None

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

    # --- liveness and credentials -----------------------------------------------------------------

    def running_jobs(self) -> list[Job]:
        """Every job not in a final status (pending, running, restarting), oldest first: the reaper's worklist."""
        marks = ", ".join("?" * len(FINAL))
        ids = [r[0] for r in self.db.execute(f"SELECT id FROM jobs WHERE status NOT IN ({marks}) ORDER BY created_at", FINAL)]
        return [self.get(i) for i in ids]

    def fail_if_live(self, job_id: str, message: str, reason: str) -> bool:
        """Mark the job failed and revoke its token, unless it already ended; True if it was marked.

        One transaction, so a launcher recording the job's real end at the same moment either wins or
        loses whole (the reaper never overwrites a final status)."""
        with self.catalog.transaction():
            if self.get(job_id).status in FINAL:
                return False
            self.set_status(job_id, "failed", reason=reason, message=message)
            self.db.execute("UPDATE job_tokens SET revoked_at=? WHERE job_id=? AND revoked_at IS NULL", (time.time(), job_id))
        return True

    def issue_token(
        self, job_id: str, *, owner: str, nodes: list[str] | None, slurm_job_id: str | None, expires_at: float
    ) -> str:
        """A new token for the job (the previous one, if any, stops working). Only its hash is stored."""
        token = secrets.token_urlsafe(32)
        with self.catalog.transaction():
            job = self.get(job_id)
            if owner != job.principal:
                raise UsageError(f"job {job_id} belongs to {job.principal}: a token for it cannot be issued to {owner}")
            if job.status in FINAL:
                raise UsageError(f"job {job_id} already ended ({job.status}): no token is issued for it")
            self.db.execute(
                "INSERT OR REPLACE INTO job_tokens"
                " (job_id, token_sha256, owner, nodes_json, slurm_job_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, token_hash(token), owner, _nodes_json(nodes), slurm_job_id, time.time(), expires_at),
            )
        return token

    def bind_allocation(self, job_id: str, *, slurm_job_id: str | None, nodes: list[str] | None) -> None:
        """Bind the job's token to its Slurm allocation and nodes, known only after submission."""
        updated = self.db.execute(
            "UPDATE job_tokens SET slurm_job_id=?, nodes_json=? WHERE job_id=?",
            (slurm_job_id, _nodes_json(nodes), job_id),
        ).rowcount
        if not updated:
            raise NotFound(f"job {job_id} has no token to bind to an allocation")

    def binding(self, job_id: str) -> tuple[str | None, list[str] | None]:
        """The Slurm allocation and nodes the job's token is bound to (None, None: not bound)."""
        row = self.db.execute("SELECT slurm_job_id, nodes_json FROM job_tokens WHERE job_id=?", (job_id,)).fetchone()
        if row is None:
            return None, None
        return row["slurm_job_id"], None if row["nodes_json"] is None else json.loads(row["nodes_json"])

    def revoke_token(self, job_id: str) -> None:
        """The job's token stops working (no-op if it has none or it was already revoked)."""
        self.db.execute("UPDATE job_tokens SET revoked_at=? WHERE job_id=? AND revoked_at IS NULL", (time.time(), job_id))

    def check_token(self, token: str, *, user: str, version_id: str | None, node: str | None = None) -> Job:
        """The job the token belongs to, if `user` may act for it now (on `node`, for `version_id`).

        `user` and `node` are what the server authenticated (the peer's account, the host it connects
        from), never what the client claims. A token bound to nodes is refused from a node outside them
        when the node is known."""
        row = self.db.execute("SELECT * FROM job_tokens WHERE token_sha256=?", (token_hash(token),)).fetchone()
        if row is None:
            raise PermissionDenied(f"{user} presented an unknown job token: use the token `aircluster train` issued for the job")
        job_id = row["job_id"]
        if row["revoked_at"] is not None:
            raise PermissionDenied(f"the token of job {job_id} was revoked: the job no longer reads data")
        if row["owner"] != user:
            raise PermissionDenied(
                f"the token of job {job_id} belongs to {row['owner']}, not {user}: a job token works only for its owner"
            )
        job = self.get(job_id)
        if job.status in FINAL:
            raise PermissionDenied(f"job {job_id} has ended ({job.status}): its token no longer works")
        if time.time() >= row["expires_at"]:
            expired = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(row["expires_at"]))
            raise PermissionDenied(f"the token of job {job_id} expired at {expired} (the job's time limit)")
        nodes = None if row["nodes_json"] is None else json.loads(row["nodes_json"])
        if node is not None and nodes is not None and node not in nodes:
            raise PermissionDenied(f"the token of job {job_id} is bound to nodes {', '.join(nodes)}, not {node}")
        if version_id is not None and version_id not in self.granted_versions(job_id):
            pinned = ", ".join(d["ref"] for d in job.datasets) or "none"
            try:
                asked = self.catalog.version_by_id(version_id).ref
            except NotFound:
                asked = f"version id {version_id}"
            raise PermissionDenied(f"job {job_id} may not read {asked}: it was not pinned at submission (pinned: {pinned})")
        return job


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _nodes_json(nodes: list[str] | None) -> str | None:
    return None if nodes is None else json.dumps(nodes)
