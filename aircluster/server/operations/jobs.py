"""Training jobs in the server: registration (datasets pinned, a token issued), the record and timeline the
job's own processes keep, cancellation, and the reaper that marks a job failed when it died without a word.

Who may do what:
- `jobs.register`: anyone with the `train` permission on every dataset the job names (each version approved
  and not shredded). The job belongs to the caller; its token goes back once and is stored only hashed.
- `jobs.get/list/events/describe`: the job's owner, or an admin (`list` shows the caller's own jobs).
- `jobs.event/update/set_status/finish`: the job's own processes: the caller must be the owner AND present
  the job's token (a token is dead once the job ended, was cancelled, or expired). A final job stays final.
- `jobs.cancel`: the owner or an admin; the token is revoked at once.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
from typing import Any

from aircluster.catalog import Catalog, Version
from aircluster.catalog.jobs import FINAL, STATUSES, Job, Jobs, new_job_id
from aircluster.context import Context
from aircluster.errors import EXIT_PREEMPTED, NotFound, PermissionDenied, UsageError
from aircluster.jobs.ettr import job_ettr
from aircluster.jobs.liveness import DeathWatch, dead_jobs, process_identity
from aircluster.security.release import check_readable
from aircluster.server import daemon, jobs_auth, slurm_allocation
from aircluster.server.authz import is_admin, require
from aircluster.server.registry import Request, operation

log = logging.getLogger("aircluster.server")

DEFAULT_LIFETIME_S = 7 * 24 * 3600.0  # a token's life when the job names no time limit
MAX_LIFETIME_S = 60 * 24 * 3600.0
BACKENDS = ("local", "slurm")
UPDATABLE = ("nodes_used", "restarts", "slurm_job_id", "launcher_pid", "message")
SYNTHETIC = "synthetic"  # generated data (train/batches.py): nothing to pin
_SLURM_ID = re.compile(r"^[0-9]+(_[0-9]+)?$")


def _jobs(req: Request) -> Jobs:
    return Jobs(req.ctx.catalog)


def _visible(req: Request, job_id: str) -> Job:
    """The job, if the caller owns it or is an admin. Another user's job is reported as missing."""
    job = _jobs(req).get(str(job_id))
    if job.principal != req.user and not is_admin(req):
        raise NotFound(f"no job {job_id!r} of {req.user}: see `aircluster jobs ls`")
    return job


def _as_job(req: Request, job_id: str, token: str | None) -> Job:
    """The job, for one of its own processes: owner (authenticated) and the job's live token."""
    if not token:
        raise PermissionDenied(f"job {job_id}: only the job's own processes may record its progress (no job token given)")
    job = jobs_auth.check(req, str(token), releasing=False)
    if job.id != job_id:
        raise PermissionDenied(f"the job token given is job {job.id}'s, not job {job_id}'s")
    req.job = job.id
    return job


def _pin(req: Request, datasets: list[str]) -> tuple[list[Version], list[str]]:
    """Every `NAME[@V][:weight]` pinned to an exact version the caller may train on and that can be read now."""
    versions: list[Version] = []
    pinned: list[str] = []
    for spec in datasets:
        if spec == SYNTHETIC:
            pinned.append(spec)
            continue
        ref, sep, weight = str(spec).partition(":")
        version = req.ctx.catalog.resolve(ref)
        require(req, "train", version.name)
        if not req.ctx.keys.has_key(_kek(version)):
            raise PermissionDenied(f"{version.ref}: its key was destroyed, so its data can never be read again")
        check_readable(version)
        versions.append(version)
        pinned.append(version.ref + (sep + weight if sep else ""))
    return versions, pinned


def _kek(version: Version) -> str:
    from aircluster.security.keys import kek_id

    return kek_id(version.id)


def _default_run_dir(req: Request, job_id: str) -> str:
    runs = req.config.paths(req.session.home).runs
    # A shared installation's runs folder is like /tmp: each user keeps a private folder of their own in it.
    return str(runs / job_id if req.config.personal else runs / req.user / job_id)


@operation("jobs.register")
def register(
    req: Request,
    config: dict[str, Any],
    backend: str,
    nodes: int,
    procs_per_node: int,
    datasets: list[str],
    run_dir: str | None = None,
    lifetime_s: float | None = None,
) -> dict[str, Any]:
    if backend not in BACKENDS:
        raise UsageError(f"backend must be local or slurm, not {backend!r}")
    if int(nodes) < 1 or int(procs_per_node) < 1:
        raise UsageError("nodes and procs_per_node must be at least 1")
    if not isinstance(config, dict) or not isinstance(config.get("data"), dict) or not isinstance(config.get("train"), dict):
        raise UsageError("jobs.register: config must be a resolved training config (with [data] and [train])")
    lifetime = DEFAULT_LIFETIME_S if lifetime_s is None else float(lifetime_s)
    if not 0 < lifetime <= MAX_LIFETIME_S:
        raise UsageError(f"a job's time limit must be between 0 and {MAX_LIFETIME_S / 86400:.0f} days")
    versions, pinned = _pin(req, list(datasets))
    job_id = new_job_id()
    run_dir = run_dir or _default_run_dir(req, job_id)
    if not os.path.isabs(run_dir):
        raise UsageError(f"run_dir {run_dir!r} must be an absolute path")
    config = {**config, "data": {**config["data"], "datasets": pinned}, "train": {**config["train"], "run_dir": run_dir}}
    ctx = req.ctx
    # Audited first: no entry, no job and no token.
    ctx.log(
        "job.submit",
        job_id=job_id,
        backend=backend,
        nodes=int(nodes),
        procs_per_node=int(procs_per_node),
        datasets=[v.ref for v in versions],
        expires_in_s=round(lifetime),
    )
    jobs = Jobs(ctx.catalog)
    job = jobs.create(
        principal=req.user,
        backend=backend,
        config=config,
        run_dir=run_dir,
        nodes=int(nodes),
        procs_per_node=int(procs_per_node),
        versions=versions,
        job_id=job_id,
    )
    token = jobs.issue_token(job.id, owner=req.user, nodes=None, slurm_job_id=None, expires_at=time.time() + lifetime)
    return {"job": job.to_dict(), "token": token}


@operation("jobs.get")
def get(req: Request, job_id: str) -> dict[str, Any]:
    return _visible(req, job_id).to_dict()


@operation("jobs.list")
def listing(req: Request, limit: int = 50, everyone: bool = False) -> list[dict[str, Any]]:
    if everyone and not is_admin(req):
        raise PermissionDenied(f"{req.user} may list only their own jobs: only an admin sees everyone's")
    catalog: Catalog = req.ctx.catalog
    where, params = ("", ()) if everyone or is_admin(req) else (" WHERE principal=?", (req.user,))
    rows = catalog.db.execute(f"SELECT id FROM jobs{where} ORDER BY created_at DESC LIMIT ?", (*params, int(limit)))
    jobs = _jobs(req)
    return [jobs.get(r[0]).to_dict() for r in rows]


@operation("jobs.events")
def events(req: Request, job_id: str) -> list[dict[str, Any]]:
    job = _visible(req, job_id)
    return _jobs(req).events(job.id)


@operation("jobs.describe")
def describe(req: Request, job_id: str) -> dict[str, Any]:
    """The job record with its timeline and reliability numbers (ETTR)."""
    job = _visible(req, job_id)
    timeline = _jobs(req).events(job.id)
    return job.to_dict() | {"events": timeline, "ettr": job_ettr(job, timeline)}


@operation("jobs.node_failures")
def node_failures(req: Request) -> dict[str, int]:
    """Failures per node over every job (lemon-node detection is cluster-wide): node names only."""
    counts: dict[str, int] = {}
    for data in _jobs(req).events_of_kind("node_failure"):
        node = data.get("node")
        if isinstance(node, str) and node:
            counts[node] = counts.get(node, 0) + 1
    return counts


# --- the job's own processes ---------------------------------------------------------------------


# events that also go to the audit log: a node kept out of a job, a node that failed its pre-flight
AUDITED_EVENTS = {"exclude": "job.exclude_nodes", "preflight_failed": "job.preflight_failed"}


@operation("jobs.event")
def event(req: Request, job_id: str, token: str | None, kind: str, at: float | None = None, data: dict | None = None) -> None:
    _as_job(req, job_id, token)
    if not isinstance(kind, str) or not kind or kind in STATUSES or kind == "submitted":
        raise UsageError(f"jobs.event: {kind!r} is not an event a job may record (statuses go through jobs.set_status)")
    data = dict(data or {})
    if kind in AUDITED_EVENTS:
        req.ctx.log(AUDITED_EVENTS[kind], **{k: v for k, v in data.items() if k in ("node", "nodes", "check", "restart")})
    _jobs(req).event(job_id, kind, at=None if at is None else float(at), **data)


@operation("jobs.update")
def update(req: Request, job_id: str, token: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    job = _as_job(req, job_id, token)
    unknown = sorted(set(fields) - set(UPDATABLE))
    if unknown:
        raise UsageError(f"jobs.update: a job may not set {', '.join(unknown)} (only {', '.join(UPDATABLE)})")
    fields = dict(fields)
    jobs = _jobs(req)
    if "launcher_pid" in fields:
        fields["launcher_start_time"] = _launcher_start_time(req, job, int(fields["launcher_pid"]))
    if "nodes_used" in fields:
        fields["nodes_used"] = sorted({str(n) for n in fields["nodes_used"]})
    if "restarts" in fields:
        fields["restarts"] = int(fields["restarts"])
    allocation = None
    if "slurm_job_id" in fields or (job.backend == "slurm" and "nodes_used" in fields):
        allocation = _verified_allocation(req, job, fields)
        fields["slurm_job_id"] = allocation.slurm_job_id
    with req.ctx.catalog.transaction():
        jobs.update(job.id, **fields)
        if allocation is not None:
            jobs.bind_allocation(job.id, slurm_job_id=allocation.slurm_job_id, nodes=allocation.nodes)
    return jobs.get(job.id).to_dict()


def _verified_allocation(req: Request, job: Job, fields: dict[str, Any]) -> slurm_allocation.Allocation:
    """The Slurm allocation a job reports, as Slurm itself describes it: it must be the job owner's, and the
    job's nodes are the ones Slurm names (the nodes a client claims only have to be among them, or among
    the nodes of its earlier attempts). The token is bound to it."""
    bound, _ = _jobs(req).binding(job.id)
    slurm_id = str(fields.get("slurm_job_id") or bound or "")
    if job.backend != "slurm":
        raise UsageError(f"jobs.update: job {job.id} runs on the {job.backend} backend: it has no Slurm job id")
    if not slurm_id:
        raise UsageError(f"jobs.update: job {job.id} must report its Slurm job id before its nodes")
    if not _SLURM_ID.match(slurm_id):
        raise UsageError(f"jobs.update: {slurm_id!r} is not a Slurm job id")
    if bound is not None and bound != slurm_id:
        _refuse_allocation(req, job, slurm_id, None, f"job {job.id} runs in Slurm allocation {bound}, not {slurm_id}")
    try:
        allocation = slurm_allocation.lookup(slurm_id)
    except slurm_allocation.SlurmUnavailable as err:
        raise UsageError(f"jobs.update: the server cannot verify Slurm job {slurm_id}: {err}") from None
    if allocation is None:
        _refuse_allocation(req, job, slurm_id, None, f"Slurm does not know job {slurm_id}: job {job.id} cannot report it")
    assert allocation is not None
    if allocation.user != job.principal:
        _refuse_allocation(
            req,
            job,
            slurm_id,
            allocation.user,
            f"Slurm job {slurm_id} belongs to {allocation.user}, not to job {job.id}'s owner {job.principal}",
        )
    if "nodes_used" in fields:
        known = set(job.nodes_used) | set(allocation.nodes)
        outside = sorted(set(fields["nodes_used"]) - known)
        if outside:
            _refuse_allocation(
                req,
                job,
                slurm_id,
                allocation.user,
                f"{', '.join(outside)} not in Slurm allocation {slurm_id} ({', '.join(allocation.nodes) or 'no nodes yet'})",
            )
        fields["nodes_used"] = sorted(known)
    return allocation


def _refuse_allocation(req: Request, job: Job, slurm_id: str, slurm_user: str | None, why: str) -> None:
    req.ctx.log(
        "job.allocation_refused",
        job_id=job.id,
        owner=job.principal,
        slurm_job_id=slurm_id,
        slurm_user=slurm_user,
        reason=why,
        **req.where(),
    )
    raise PermissionDenied(why)


def _launcher_start_time(req: Request, job: Job, pid: int) -> int | None:
    """The launcher's start time, read by the server from /proc (a local job's launcher runs on this host, as
    the caller's account): with the pid it names the launcher even after its pid is reused."""
    if job.backend != "local":
        raise UsageError("jobs.update: a Slurm job's liveness is its allocation, not a launcher pid")
    if req.caller.transport != "unix":
        return None  # a launcher on another host: its /proc is not ours to read
    identity = process_identity(pid)
    if identity is None:
        raise UsageError(f"jobs.update: no running process {pid} on {socket.gethostname()} to record as the launcher")
    try:
        owner = os.stat(f"/proc/{pid}").st_uid
    except OSError:
        owner = None
    if owner is not None and owner != req.caller.uid:
        raise PermissionDenied(f"process {pid} is not {req.user}'s: a job's launcher runs as the job's owner")
    return identity[1]


@operation("jobs.set_status")
def set_status(
    req: Request,
    job_id: str,
    token: str | None,
    status: str,
    reason: str | None = None,
    exit_code: int | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    job = _as_job(req, job_id, token)
    if status not in STATUSES or status == "pending":
        raise UsageError(f"jobs.set_status: {status!r} is not a status a job may move to")
    fields: dict[str, Any] = {}
    if exit_code is not None:
        fields["exit_code"] = int(exit_code)
    if message is not None:
        fields["message"] = str(message)
    _move(req, job, status, reason, fields)
    return _jobs(req).get(job.id).to_dict()


def _move(req: Request, job: Job, status: str, reason: str | None, fields: dict[str, Any]) -> None:
    jobs = _jobs(req)
    if jobs.get(job.id).status in FINAL:
        raise UsageError(f"job {job.id} already ended ({jobs.get(job.id).status}): a final status is not changed")
    if status in FINAL:
        # Audited before it takes effect.
        req.ctx.log(
            "job.end", job_id=job.id, status=status, exit_code=fields.get("exit_code"), **({"reason": reason} if reason else {})
        )
    with req.ctx.catalog.transaction():
        current = jobs.get(job.id)
        if current.status in FINAL:
            raise UsageError(f"job {job.id} already ended ({current.status}): a final status is not changed")
        jobs.set_status(job.id, status, reason=reason, **fields)  # a final status is the token's end


@operation("jobs.finish")
def finish(req: Request, job_id: str, token: str | None, exit_code: int, message: str | None = None) -> dict[str, Any]:
    """Record how the job's processes ended (exit code of torchrun or of the Slurm step; `message` says more
    than the code when the caller knows why). A job already in a final status (cancelled meanwhile, or
    reaped) keeps it."""
    job = _visible(req, job_id)
    if job.principal != req.user:
        raise PermissionDenied(f"only the job's own processes may finish job {job_id}")
    if job.status in FINAL:
        return job.to_dict()
    job = _as_job(req, job_id, token)
    code = int(exit_code)
    if code == 0:
        status, default = "completed", None
    elif code == EXIT_PREEMPTED:
        status, default = "failed", "stopped early at a checkpoint; run again to resume"
    else:
        status, default = "failed", f"trainer exited with code {code}; see `aircluster jobs logs {job_id}`"
    said = str(message) if message and code != 0 else default
    _move(req, job, status, None, {"exit_code": code} | ({"message": said} if said else {}))
    return _jobs(req).get(job.id).to_dict()


@operation("jobs.cancel")
def cancel(req: Request, job_id: str) -> dict[str, Any]:
    """Mark the job cancelled and revoke its token (the caller stops its processes: `scancel`, or a signal to
    the launcher's process group, which the server's account may not send)."""
    job = _visible(req, job_id)
    if job.status in FINAL:
        raise UsageError(f"job {job_id} already ended ({job.status})")
    req.ctx.log("job.cancel", job_id=job.id, owner=job.principal)
    jobs = _jobs(req)
    with req.ctx.catalog.transaction():
        if jobs.get(job.id).status in FINAL:
            raise UsageError(f"job {job_id} already ended ({jobs.get(job.id).status})")
        jobs.set_status(job.id, "cancelled", message=f"cancelled by {req.user}")
        jobs.revoke_token(job.id)
    return jobs.get(job.id).to_dict()


# --- the reaper ------------------------------------------------------------------------------------

_watch = DeathWatch()


def reap(ctx: Context, now: float | None = None) -> list[str]:
    """Mark failed (token revoked) every job whose launcher or allocation has been gone for a while."""
    now = time.time() if now is None else now
    jobs = Jobs(ctx.catalog)
    reaped = []
    for job, reason in _watch.confirm(dead_jobs(jobs, now), now):
        if jobs.get(job.id).status in FINAL:
            continue
        ctx.log("job.dead", job_id=job.id, owner=job.principal, reason=reason)
        if jobs.fail_if_live(job.id, f"died without recording an end: {reason}", reason="dead"):
            log.info("job %s of %s marked failed: %s", job.id, job.principal, reason)
            reaped.append(job.id)
    return reaped


def _reap_periodically(ctx: Context) -> None:
    reap(ctx)


if not any(getattr(task, "__name__", "") == _reap_periodically.__name__ for task in daemon.PERIODIC):
    daemon.PERIODIC.append(_reap_periodically)
